/** scripts/build.mjs, for TypeScript callers (the tests' global setup). */
export declare const ENTRIES: { node: string; cli: string };
export declare function buildDist(outDir?: string): Promise<string>;
