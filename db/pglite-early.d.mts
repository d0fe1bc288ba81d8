/** db/pglite-early.mjs, for TypeScript callers. */
export declare function preparePglite(env?: Record<string, string | undefined>): void;
export declare function preparedPglite(): Promise<{ pgliteWasmModule?: WebAssembly.Module; fsBundle?: { arrayBuffer(): Promise<ArrayBuffer> } }>;
