#!/usr/bin/env node
// pnpm test:release: a real release, end to end, on this machine only. A local npm registry
// (verdaccio on 127.0.0.1), `changeset version` + `changeset publish` in a clone of HEAD, then a fresh
// npm project outside the workspace installs the released packages by version and streams a live
// book from the simulator. Every temporary directory and process is gone when it ends.
// `--fresh-build` builds the clone without reading the workspace's turbo cache.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { installConsumer, streamOneBook } from './consumer.mjs';
import { configuredRegistry, registryEnv } from './npm-env.mjs';
import { elapsed, step } from './progress.mjs';
import { expectPublished } from './published.mjs';
import { startRegistry } from './registry.mjs';
import { prepareCopy, versionAndPublish } from './repo-copy.mjs';
import { killRunning } from './run.mjs';

const workspace = resolve(fileURLToPath(import.meta.url), '../../..');
const freshBuild = process.argv.includes('--fresh-build');
const root = await mkdtemp(join(tmpdir(), 'arbitrage-release-'));
/** @type {(() => Promise<void>)[]} */
const stops = [];

/** @type {Promise<void> | undefined} */
let cleaning;

/** Once, whether the run ends, fails or is interrupted: children, then servers, then files. */
function cleanUp() {
  cleaning ??= (async () => {
    await killRunning();
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await rm(root, { recursive: true, force: true, maxRetries: 3 }).catch((error) => {
      step(`could not remove ${root}: ${error.message}`);
      process.exitCode = 1;
    });
  })();
  return cleaning;
}

// `on`, not `once`: a second signal must not kill the process mid clean-up (one was seen arriving
// while the pnpm children ended).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    step(`${signal}: stopping`);
    cleanUp().finally(() => process.exit(130));
  });
}

try {
  const uplink = configuredRegistry();
  const registryDir = join(root, 'registry');
  await mkdir(registryDir);
  const registry = await startRegistry({ dir: registryDir, uplink });
  stops.push(registry.stop);
  step(
    `verdaccio listening on ${registry.url} (@arbitrage/* local only, the rest proxied to npm's registry)`,
  );

  const repo = join(root, 'repo');
  await prepareCopy({ workspace, dir: repo, freshBuild });

  const npmDir = join(root, 'npm');
  await mkdir(npmDir);
  const env = await registryEnv({ dir: npmDir, registryUrl: registry.url });
  const versions = await versionAndPublish({ dir: repo, env });
  await expectPublished({ registryUrl: registry.url, versions });
  step(`the registry serves all ${versions.size} packages at those versions`);

  const { startSimulator } = await import(pathToFileURL(join(repo, 'packages/simulator/dist/index.js')).href);
  const sim = await startSimulator({ seed: 17, sendTimeCapacity: 0, binance: { depthLevels: 100 } });
  stops.push(() => sim.stop());
  step(`simulator (from the copy's build) serving Binance at ${sim.binance.restUrl}`);

  const consumer = join(root, 'consumer');
  await mkdir(consumer);
  await installConsumer({ dir: consumer, env, versions });
  const book = await streamOneBook({ dir: consumer, env, binance: sim.binance });
  process.stdout.write(`${JSON.stringify(book)}\n`);
  step(
    `live book from the released packages: ${book.instrument} bid ${book.bids[0][0]} ask ${book.asks[0][0]}`,
  );
} catch (error) {
  step(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
  step(`${process.exitCode ? 'failed' : 'passed'} in ${elapsed()}, temporary files removed`);
  // The plain closing line CI reads as a test count.
  process.stderr.write(process.exitCode ? 'release: 0 passed, 1 failed\n' : 'release: 1 passed, 0 failed\n');
}
