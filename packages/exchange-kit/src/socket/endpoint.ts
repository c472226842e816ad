/**
 * A WebSocket URL given as an origin alone (`ws://127.0.0.1:41235`, what a simulator or a proxy
 * hands out) means the exchange's usual path on that host; a URL with a path is used as it is.
 */
export function withDefaultPath(url: string, path: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '' || parsed.pathname === '/') parsed.pathname = path;
  return parsed.toString();
}
