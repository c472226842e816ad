import type { ClientKind } from '../protocol.js';
import type { ClientFactory, ClientPreload } from './client.js';

/** The client's factory; each client imports only its own libraries, so none pays for another's memory. */
export async function clientFactory(kind: ClientKind): Promise<ClientFactory> {
  if (kind === 'floor') return (await import('./floor.js')).startFloor;
  if (kind === 'ccxt') return (await import('./ccxt.js')).startCcxt;
  return (await import('./ours.js')).startOurs; // 'ours' and 'ours-book'
}

/** What a client loads before a timed start (nothing for clients that load all at import). */
export async function clientPreload(kind: ClientKind): Promise<ClientPreload> {
  if (kind === 'floor' || kind === 'ccxt') return async () => {};
  return (await import('./ours.js')).preloadOurs;
}
