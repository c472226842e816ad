import { createRequire } from 'node:module';
import type { AxiosStatic } from 'axios';

/**
 * Node defines these globals lazily: the first read of `FormData`, `Headers`, `Request` or
 * `Response` loads undici (with web streams, perf_hooks and worker_threads). axios reads them while
 * it loads (its FormData check; its fetch adapter builds a Request and a Response to probe
 * features), so importing axios used to load all of undici. The pipeline only uses axios's `http`
 * adapter, so they are hidden while axios loads. Peak RSS of a REST client after three requests
 * (bench/probes/rest-rss.mjs): 60.9 MB on node:http alone, 72.7 MB with `import axios`, 68.2 MB with
 * axios's CommonJS build, 65.5 MB with that build and these globals hidden.
 */
const LAZY_WEB_GLOBALS = ['fetch', 'FormData', 'Headers', 'Request', 'Response'] as const;

let loaded: AxiosStatic | undefined;

/**
 * axios's own Node build (one CommonJS file, lighter than its ESM entry of ~80 modules), loaded
 * once, synchronously, with the lazy web globals hidden for exactly that long and then put back as
 * they were. Side effects for other code in the process that requires the same axios: its `fetch`
 * adapter reports "not supported", and `isFormData` recognises native FormData by its tag only;
 * the default adapter on Node (`http`) is unaffected.
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
