/*
 * The console's chart bundle: VChart itself (the library Lark's card `chart`
 * element uses), with only what Duxue's cards draw — bar and line charts, their
 * axes, titles, labels, legends and tooltips — so the page draws the very spec
 * the card carries. Built by scripts/build-console.mjs into
 * src/console/assets/charts.js; console.js uses window.VChart when present.
 */
import { VChart } from '@visactor/vchart/esm/core';
import { registerBarChart } from '@visactor/vchart/esm/chart/bar/bar';
import { registerLineChart } from '@visactor/vchart/esm/chart/line/line';
import { registerLabel } from '@visactor/vchart/esm/component/label/label';
import { registerTitle } from '@visactor/vchart/esm/component/title/title';
import { registerTooltip } from '@visactor/vchart/esm/component/tooltip/tooltip';
import { registerDiscreteLegend } from '@visactor/vchart/esm/component/legend/discrete/legend';
import { registerCartesianBandAxis } from '@visactor/vchart/esm/component/axis/cartesian/band-axis';
import { registerCartesianLinearAxis } from '@visactor/vchart/esm/component/axis/cartesian/linear-axis';
import { registerDomTooltipHandler } from '@visactor/vchart/esm/plugin/components/tooltip-handler';

VChart.useRegisters([
  registerBarChart,
  registerLineChart,
  registerLabel,
  registerTitle,
  registerTooltip,
  registerDiscreteLegend,
  registerCartesianBandAxis,
  registerCartesianLinearAxis,
  registerDomTooltipHandler,
]);

window.VChart = VChart;
