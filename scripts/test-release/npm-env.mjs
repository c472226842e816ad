import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * pnpm hands its scripts settings of its own as npm_config_* variables, which npm warns about
 * ("Unknown env config"); none of them is npm configuration.
 */
const PNPM_ONLY = /^npm_config_(verify_deps_before_run|npm_globalconfig|_jsr_registry)$/i;

/** This process's environment without pnpm's own npm_config_* settings. */
export function npmEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !PNPM_ONLY.test(key)));
}

/** The registry npm is configured with here (user and global npmrc, env), read before anything is overridden. */
export function configuredRegistry() {
  return execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env: npmEnv() }).trim();
}

/**
 * The environment every npm, pnpm and changeset child runs in: the local registry for everything, a
 * throw-away user npmrc holding a dummy token for it (publishing needs one; verdaccio lets anyone
 * publish @arbitrage/*) and a throw-away npm cache. Nothing outside `dir` is read or written as
 * npm configuration.
 *
 * @param {{ dir: string, registryUrl: string }} options
 * @returns {Promise<NodeJS.ProcessEnv>}
 */
export async function registryEnv({ dir, registryUrl }) {
  const userconfig = join(dir, 'npmrc');
  const host = registryUrl.replace(/^http:/, '');
  await writeFile(userconfig, `registry=${registryUrl}\n${host}:_authToken=release-test\n`);
  const env = Object.fromEntries(
    Object.entries(npmEnv()).filter(([key]) => !/^npm_config_(registry|userconfig|cache)$/i.test(key)),
  );
  return {
    ...env,
    npm_config_registry: registryUrl,
    NPM_CONFIG_USERCONFIG: userconfig,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}
