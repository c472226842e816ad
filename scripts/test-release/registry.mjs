import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * A real npm registry (verdaccio) on 127.0.0.1 at a free port, its storage and config in `dir`.
 * @arbitrage/* is served only from this registry (anyone may publish, nothing is proxied), so a
 * published package can only come from the release under test. Everything else is proxied to
 * `uplink`, the registry npm is configured with on this machine, read at run time.
 *
 * @param {{ dir: string, uplink: string }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startRegistry({ dir, uplink }) {
  const storage = join(dir, 'storage');
  await mkdir(storage, { recursive: true });
  const config = {
    self_path: join(dir, 'config.yaml'),
    storage,
    uplinks: { upstream: { url: uplink } },
    packages: {
      '@arbitrage/*': { access: '$all', publish: '$all', unpublish: '$all' },
      '**': { access: '$all', publish: '$authenticated', proxy: 'upstream' },
    },
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: -1 } },
    log: { type: 'stdout', format: 'pretty', level: 'warn' },
    web: { enable: false },
  };
  await writeFile(config.self_path, JSON.stringify(config, null, 2));
  const { runServer } = require('verdaccio');
  const server = await runServer(config);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
