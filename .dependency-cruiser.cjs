/**
 * The import rules of docs/architecture.md#the-rules, checked by `npm run depcheck`
 * (and by CI after the typecheck). Type-only imports count: a cycle through
 * types is still a cycle for a reader.
 */
const FEATURES = '(listening|notices|dropout|deadlines|digest|roster)';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycle, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lark-sdk-only-in-src-lark',
      severity: 'error',
      comment: 'Only src/lark knows Lark: its SDK is imported nowhere else.',
      from: { pathNot: '^src/lark/' },
      to: { path: '@larksuiteoapi' },
    },
    {
      name: 'lark-json-only-in-src-lark',
      severity: 'error',
      comment:
        "Lark card JSON is built only by src/lark/render.ts and src/lark/markdown.ts. The console is a Lark look-alike whose page draws that JSON, so its store and receiver call the renderer (a console for another platform would call that platform's).",
      from: { pathNot: ['^src/lark/', '^src/console/(store|receiver)\\.ts$'] },
      to: { path: '^src/lark/(render|markdown)\\.ts$' },
    },
    {
      name: 'features-only-through-their-index',
      severity: 'error',
      comment: "A feature uses another feature only through that feature's index.ts, its public entry.",
      from: { path: `^src/${FEATURES}/` },
      to: { path: `^src/${FEATURES}/`, pathNot: ['^src/$1/', `^src/${FEATURES}/index\\.ts$`] },
    },
    {
      name: 'deps-only-in-entries',
      severity: 'error',
      comment:
        'Deps (src/deps.ts: config and its secrets, platform clients, the inbox) is seen only where it is wired: the composition root and entries (src/server, src/app.ts), the Lark channel and the ops routes. Commands, jobs, features, dispatch, the scheduler, the console and the CLI get narrow ports (src/ports.ts, DispatchPorts).',
      from: { pathNot: ['^src/(server|lark|ops)/', '^src/app\\.ts$'] },
      to: { path: '^src/deps\\.ts$' },
    },
    {
      name: 'config-only-in-entries',
      severity: 'error',
      comment:
        "The config (credentials, secrets) is read by the composition root and entries, the Lark client's wiring and the CLI's runner, which hands narrow ports on; everything else gets what it needs passed in.",
      from: { pathNot: ['^src/(server|lark)/', '^src/cli/(run|command)\\.ts$', '^src/deps\\.ts$'] },
      to: { path: '^src/config\\.ts$' },
    },
    {
      name: 'db-imports-nothing-above-it',
      severity: 'error',
      comment:
        'db/ is storage: it imports nothing from src/, commands/ or jobs/ but the pure vocabulary it stores (src/rules, src/calendar, src/messages: types and pure functions, themselves free of IO).',
      from: { path: '^db/' },
      to: { path: '^(src|commands|jobs)/', pathNot: '^src/(rules|calendar|messages)/' },
    },
    {
      name: 'pure-core-has-no-io',
      severity: 'error',
      comment: 'src/rules, src/calendar and src/messages are pure: no database, no files, no network, no server.',
      from: { path: '^src/(rules|calendar|messages)/' },
      to: {
        path: [
          '^db/',
          '^src/(server|lark|console|delivery|inbox|ops|metrics|cli|scheduler|dispatch|demo)/',
          '^(commands|jobs)/',
          '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|os|cluster)$',
          'node_modules/(drizzle-orm|postgres|@electric-sql|hono|@hono|@larksuiteoapi|node-cron|exceljs|ws)/',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
