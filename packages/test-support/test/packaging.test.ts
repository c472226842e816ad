import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What a user gets from npm, checked on the tarballs `pnpm pack` makes (the same packing
 * `pnpm publish`, and so `changeset publish`, uses): the LICENSE, source maps that resolve, an
 * install section that says ESM only, and a `require()` that says so too. Needs `pnpm build` first.
 */
const run = promisify(execFile);
const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
}

interface Packed {
  readonly name: string;
  /** The package as npm would install it: `<root>/node_modules/@arbitrage/<name>`. */
  readonly dir: string;
}

let root: string | undefined;
const packed: Packed[] = [];

async function publishable(): Promise<{ dir: string; manifest: Manifest }[]> {
  const found = [];
  for (const entry of await readdir(join(workspace, 'packages'))) {
    const dir = join(workspace, 'packages', entry);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    if (!manifest.private) found.push({ dir, manifest });
  }
  return found;
}

beforeAll(async () => {
  const packages = await publishable();
  for (const { dir, manifest } of packages) {
    if (!existsSync(join(dir, 'dist', 'index.js'))) {
      throw new Error(`${manifest.name}: dist is missing; run \`pnpm build\` before this test`);
    }
  }
  root = await mkdtemp(join(tmpdir(), 'arbitrage-packaging-'));
  const tarballs = join(root, 'tarballs');
  await mkdir(tarballs);
  const filters = packages.flatMap(({ manifest }) => ['--filter', manifest.name]);
  await run('pnpm', ['-r', ...filters, 'pack', '--pack-destination', tarballs], { cwd: workspace });
  for (const { manifest } of packages) {
    const tarball = join(tarballs, `${manifest.name.slice(1).replace('/', '-')}-${manifest.version}.tgz`);
    const dir = join(root, 'node_modules', manifest.name);
    await mkdir(dir, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
    packed.push({ name: manifest.name, dir });
  }
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

interface SourceMap {
  readonly sourceRoot?: string;
  readonly sources: readonly string[];
  readonly sourcesContent?: readonly (string | null)[];
}

/** The sources a map names that a debugger could not show: outside the package or not in it, with no content. */
async function unresolvedSources(pkgDir: string, mapFile: string): Promise<string[]> {
  const map = JSON.parse(await readFile(mapFile, 'utf8')) as SourceMap;
  return map.sources.filter((source, i) => {
    if (typeof map.sourcesContent?.[i] === 'string') return false;
    const path = resolve(dirname(mapFile), map.sourceRoot ?? '', source);
    const inside = !relative(pkgDir, path).startsWith(`..${sep}`);
    return !(inside && existsSync(path));
  });
}

describe('the packed tarball of every publishable package', () => {
  it('finds the publishable packages', () => {
    expect(packed.map((pkg) => pkg.name)).toContain('@arbitrage/core');
    expect(packed.length).toBeGreaterThanOrEqual(10);
  });

  it('carries the repository LICENSE', async () => {
    const license = await readFile(join(workspace, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License/);
    for (const { name, dir } of packed) {
      const file = join(dir, 'LICENSE');
      expect(existsSync(file), `${name} has no LICENSE`).toBe(true);
      expect(await readFile(file, 'utf8'), name).toBe(license);
    }
  });

  it('ships no source map that points outside the tarball without carrying its sources', async () => {
    for (const { name, dir } of packed) {
      const maps = (await filesUnder(dir)).filter((file) => file.endsWith('.map'));
      expect(maps.length, `${name} ships no .js.map`).toBeGreaterThan(0);
      for (const map of maps) {
        expect(await unresolvedSources(dir, map), `${name}: ${relative(dir, map)}`).toEqual([]);
      }
    }
  });

  it('says in its README that it is ESM only, for Node >= 20.19, loaded with import', async () => {
    for (const { name, dir } of packed) {
      const readme = await readFile(join(dir, 'README.md'), 'utf8');
      expect(readme, name).toMatch(/ESM only: it needs Node >= 20\.19 and is loaded with `import`/);
    }
  });

  it('answers require() with an error that says it is ESM-only and how to import it', async () => {
    // A plain CommonJS `node` beside the installed packages, as a user would run it.
    const script = `
      const results = {};
      for (const name of JSON.parse(process.argv[1])) {
        try {
          require(name);
          results[name] = { loaded: true };
        } catch (error) {
          results[name] = { message: error.message, code: error.code };
        }
      }
      console.log(JSON.stringify(results));`;
    const names = packed.map((pkg) => pkg.name);
    const { stdout } = await run('node', ['-e', script, JSON.stringify(names)], { cwd: root });
    const results = JSON.parse(stdout) as Record<string, { loaded?: true; message?: string; code?: string }>;
    for (const name of names) {
      expect(results[name], name).toEqual({
        message: `${name} is ESM-only (Node >= 20.19): use import { … } from '${name}', or await import('${name}') from CommonJS`,
        code: 'ERR_REQUIRE_ESM',
      });
    }
  });

  it('still loads with import (core, which needs nothing else installed)', async () => {
    const script = "const core = await import('@arbitrage/core'); console.log(typeof core.OrderBook);";
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: root });
    expect(stdout.trim()).toBe('function');
  });
});
