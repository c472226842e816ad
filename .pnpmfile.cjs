// pnpm loads this file in its own process before it runs any command (pnpm records its checksum in
// pnpm-lock.yaml: after editing it, run `pnpm install --no-frozen-lockfile` once).
//
// `pnpm paper --json | jq …` must see only the program's output on stdout, but pnpm prints its
// "> pkg@ paper /path" script header there first, and no .npmrc setting moves it to stderr. So for
// the root scripts that run a program (those going through scripts/build-then-run.mjs), pnpm's own
// reporter is silenced for that one command; the program's stdout and stderr are untouched.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

function scriptName(argv) {
  const positional = argv.filter((arg) => !arg.startsWith('-'));
  return positional[0] === 'run' || positional[0] === 'run-script' ? positional[1] : positional[0];
}

function runsAProgram(name) {
  if (name === undefined) return false;
  const { scripts = {} } = JSON.parse(readFileSync(join(__dirname, 'package.json'), 'utf8'));
  return Object.hasOwn(scripts, name) && scripts[name].includes('scripts/build-then-run.mjs');
}

module.exports = {
  hooks: {
    updateConfig(config) {
      if (runsAProgram(scriptName(process.argv.slice(2)))) config.reporter = 'silent';
      return config;
    },
  },
};
