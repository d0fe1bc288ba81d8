import * as larkSdk from '@larksuiteoapi/node-sdk';
import { provideLarkSdk } from './client.js';

/**
 * Imported by the Worker entry (src/server/worker.ts) for its effect: Node
 * loads the SDK on first use (src/lark/client.ts, `larkSdk`), but a Worker's
 * bundler must see the import written out.
 */
provideLarkSdk(larkSdk);
