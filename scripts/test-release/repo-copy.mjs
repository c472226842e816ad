import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { step } from './progress.mjs';
import { run } from './run.mjs';

/**
 * A clone of the workspace's HEAD in `dir`, installed from the local pnpm store and built: what a
 * maintainer has on a clean checkout before releasing. Uncommitted changes are not part of it.
 *
 * The build reads (never writes) the workspace's turbo cache when there is one: identical inputs give
 * identical outputs, and a cold build of every package takes about 90 s on two cores. `freshBuild`
 * skips the cache.
 *
 * @param {{ workspace: string, dir: string, freshBuild: boolean }} options
 */
export async function prepareCopy({ workspace, dir, freshBuild }) {
  const env = process.env;
  const head = git(workspace, 'rev-parse', 'HEAD');
  const dirty = git(workspace, 'status', '--porcelain') !== '';
  step(`clone ${head.slice(0, 10)} into ${dir}${dirty ? ' (uncommitted changes are not part of it)' : ''}`);
  await run('git', ['clone', '--quiet', '--no-checkout', workspace, dir], { cwd: workspace, env });
  await run('git', ['checkout', '--quiet', head], { cwd: dir, env });

  step('pnpm install --frozen-lockfile --offline');
  await run('pnpm', ['install', '--frozen-lockfile', '--offline'], { cwd: dir, env });

  const cache = freshBuild ? undefined : turboCacheOf(workspace);
  step(
    `build the packages${cache ? ` (turbo, reading the workspace cache ${cache})` : ' (turbo, no cache)'}`,
  );
  const cacheArgs = cache ? ['--cache-dir', cache, '--cache=local:r'] : ['--force'];
  const summary = await run(
    'pnpm',
    ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only', ...cacheArgs],
    { cwd: dir, env },
  );
  const cached = /Cached:\s+(\d+) cached, (\d+) total/.exec(summary);
  if (cached) step(`built: ${cached[2]} tasks, ${cached[1]} from the cache`);
}

/** Turbo's local cache of the workspace: `.turbo/cache` of the main checkout (git worktrees share it). */
function turboCacheOf(workspace) {
  const common = git(workspace, 'rev-parse', '--path-format=absolute', '--git-common-dir');
  const cache = join(dirname(common), '.turbo', 'cache');
  return existsSync(cache) ? cache : undefined;
}

function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/**
 * `changeset version` then `changeset publish` in the copy, against the registry `env` points at.
 * Resolves with the version `changeset version` wrote for each publishable package.
 *
 * @param {{ dir: string, env: NodeJS.ProcessEnv }} options
 * @returns {Promise<Map<string, string>>}
 */
export async function versionAndPublish({ dir, env }) {
  const pending = (await readdir(join(dir, '.changeset'))).filter(
    (file) => file.endsWith('.md') && file !== 'README.md',
  );
  const before = await publishableVersions(dir);
  step(`pnpm changeset version (${pending.length} pending changesets)`);
  await run('pnpm', ['changeset', 'version'], { cwd: dir, env });
  const versions = await publishableVersions(dir);
  step(`versions: ${[...versions].map(([name, version]) => `${name}@${version}`).join(', ')}`);
  expectReleaseOfPrerelease(before, versions);

  step('pnpm changeset publish');
  await run('pnpm', ['changeset', 'publish'], { cwd: dir, env });
  return versions;
}

/**
 * A package still at the pre-release of its first version (`0.1.0-0`, see .changeset/README.md) must
 * come out at exactly that version: the first release is 0.1.0, not 0.1.1 or 1.0.0.
 */
function expectReleaseOfPrerelease(before, after) {
  for (const [name, version] of before) {
    const prerelease = /^(\d+\.\d+\.\d+)-/.exec(version);
    if (prerelease && after.get(name) !== prerelease[1]) {
      throw new Error(
        `${name} was ${version}; changeset version made it ${after.get(name)}, not ${prerelease[1]}`,
      );
    }
  }
}

async function publishableVersions(dir) {
  const versions = new Map();
  for (const name of await readdir(join(dir, 'packages'))) {
    const file = join(dir, 'packages', name, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    if (!manifest.private) versions.set(manifest.name, manifest.version);
  }
  return versions;
}
