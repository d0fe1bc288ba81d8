import { runCli } from './run.js';

/** The `npm run cli` process: run one command, print its one result, exit 0 or 1. */
runCli(process.argv.slice(2), process.env).then((r) => {
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exit(r.code);
});
