import { describe, expect, it } from 'vitest';
import { loadAxios } from './load-axios.js';

const UNDICI = 'NativeModule internal/deps/undici/undici';
/** Node's list of the internal modules it has loaded (not in @types/node). */
const loadedModules = (): readonly string[] =>
  (process as NodeJS.Process & { moduleLoadList: string[] }).moduleLoadList;

describe('loadAxios', () => {
  it("loads axios's Node build without loading undici, and puts the lazy web globals back", () => {
    // Vitest runs each test file in a fresh process, so nothing has touched the globals yet.
    expect(loadedModules()).not.toContain(UNDICI);
    const before = ['fetch', 'FormData', 'Headers', 'Request', 'Response'].map((name) =>
      Object.getOwnPropertyDescriptor(globalThis, name),
    );
    const axios = loadAxios();
    expect(typeof axios.create).toBe('function');
    expect(loadAxios()).toBe(axios);
    expect(loadedModules()).not.toContain(UNDICI);
    const after = ['fetch', 'FormData', 'Headers', 'Request', 'Response'].map((name) =>
      Object.getOwnPropertyDescriptor(globalThis, name),
    );
    expect(after).toEqual(before);
    expect(typeof globalThis.fetch).toBe('function');
  });
});
