/**
 * The console page's files, served by the app itself (no CDN). Read from ./assets next to this module on first request and cached
 * for the life of the process; `fs` is imported lazily so nothing is read at
 * import time (createApp stays side-effect free).
 */
export const ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  /** VChart, bundled by `npm run build:console` (git-ignored; see scripts/build-console.mjs). */
  'charts.js': 'text/javascript; charset=utf-8',
} as const;

/** Served in place of a charts bundle that was never built: the page then draws charts as plain bars. */
export const CHARTS_NOT_BUILT = '/* charts.js is not built: run `npm run build:console`; the console falls back to plain bars */\n';

export type AssetName = keyof typeof ASSETS;

/**
 * Everything the page needs comes from this origin; cards show user-written
 * text, so no inline script and no HTML from the server is ever allowed to run.
 * `img-src data:` is for the empty favicon in index.html.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function assetHeaders(name: AssetName): Record<string, string> {
  return {
    'content-type': ASSETS[name],
    // The page is edited while the server runs; a stale cached script would speak an old API.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(name === 'index.html' ? { 'content-security-policy': CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' } : {}),
  };
}

export function assetLoader(): (name: AssetName) => Promise<string> {
  const cache = new Map<AssetName, Promise<string>>();
  return (name) => {
    let text = cache.get(name);
    if (!text) {
      text = import('node:fs/promises').then((fs) =>
        fs.readFile(new URL(`./assets/${name}`, import.meta.url), 'utf8').catch((err) => {
          if (name === 'charts.js' && err?.code === 'ENOENT') return CHARTS_NOT_BUILT;
          throw err;
        }),
      );
      // A failed read (file missing mid-edit) is retried on the next request, not cached.
      text.catch(() => cache.delete(name));
      cache.set(name, text);
    }
    return text;
  };
}
