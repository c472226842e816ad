import { describe, expect, it } from 'vitest';
import { withDefaultPath } from './endpoint.js';

describe('withDefaultPath', () => {
  it('adds the path to an origin alone, with or without the trailing slash', () => {
    expect(withDefaultPath('ws://127.0.0.1:4000', '/ws/v5/public')).toBe('ws://127.0.0.1:4000/ws/v5/public');
    expect(withDefaultPath('ws://127.0.0.1:4000/', '/ws/v5/public')).toBe('ws://127.0.0.1:4000/ws/v5/public');
  });

  it('keeps a URL that has a path', () => {
    expect(withDefaultPath('wss://ws.okx.com:8443/ws/v5/public', '/x')).toBe(
      'wss://ws.okx.com:8443/ws/v5/public',
    );
    expect(withDefaultPath('ws://127.0.0.1:4000/other', '/x')).toBe('ws://127.0.0.1:4000/other');
  });
});
