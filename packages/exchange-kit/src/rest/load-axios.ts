import { createRequire } from 'node:module';
import type { AxiosStatic } from 'axios';

/**
 * Node defines these globals lazily: the first read of `FormData`, `Headers`, `Request` or
 * `Response` loads undici (its web streams, perf_hooks and worker_threads come along). axios reads
 * them while it loads (its FormData check, and its fetch adapter builds a Request and a Response to
 * probe features), which cost each client about 4 MB of RSS and pushed V8's young generation from
 * 4 to 8 MB. The REST pipeline only uses axios's `http` adapter, so they are hidden while axios loads.
 */
const LAZY_WEB_GLOBALS = ['fetch', 'FormData', 'Headers', 'Request', 'Response'] as const;

let loaded: AxiosStatic | undefined;

/**
 * axios's own Node build (one CommonJS file: about 4 MB less RSS than its ESM entry of ~80 modules),
 * loaded once, synchronously, with the lazy web globals hidden for exactly that long and then put
 * back as they were. A side effect for other code in the process that requires axios: its `fetch`
 * adapter reports "not supported"; the default adapter on Node (`http`) is unaffected.
 */
export function loadAxios(): AxiosStatic {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  const hidden = new Map<string, PropertyDescriptor>();
  for (const name of LAZY_WEB_GLOBALS) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
    if (descriptor?.configurable !== true) continue;
    hidden.set(name, descriptor);
    Object.defineProperty(globalThis, name, { value: undefined, configurable: true, writable: true });
  }
  try {
    loaded = require('axios') as AxiosStatic;
  } finally {
    for (const [name, descriptor] of hidden) Object.defineProperty(globalThis, name, descriptor);
  }
  return loaded;
}
