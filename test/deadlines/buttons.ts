/** The value of the first button with this text on a Lark card (cardButtons keeps the last one). */
export function firstButton(card: any, text: string): any {
  const found: any[] = [];
  const walk = (els: any[]) => {
    for (const e of els ?? []) {
      if (e.tag === 'button' && e.text.content === text) found.push(e.behaviors?.[0]?.value);
      if (e.columns) for (const c of e.columns) walk(c.elements);
      if (e.elements) walk(e.elements);
    }
  };
  walk(card?.body?.elements);
  return found[0];
}
