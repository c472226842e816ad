import http from 'node:http';
import https from 'node:https';

/** One keep-alive agent for the protocol of `baseUrl`, shared by every request of one REST client. */
export function keepAliveAgent(baseUrl: string, maxSockets = 8): http.Agent {
  return baseUrl.startsWith('https:')
    ? new https.Agent({ keepAlive: true, maxSockets })
    : new http.Agent({ keepAlive: true, maxSockets });
}
