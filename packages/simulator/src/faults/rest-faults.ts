import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../server/tracked-server.js';
import type { TimerGroup } from '../timers.js';

/** A fault for REST requests: applied to the next `count` matching requests (or until cleared). */
export interface RestFaultSpec {
  /** Only requests whose path starts with this (e.g. '/api/v3/depth'); default every path. */
  readonly path?: string;
  /** Answer with this HTTP status (500, 503, 429, 418, ...) instead of the real response. */
  readonly status?: number;
  /** Retry-After header (seconds) for the status answer. Default 60 for 429/418. */
  readonly retryAfterS?: number;
  /** Wait this long before answering (the real or the fault answer). */
  readonly delayMs?: number;
  /** Never answer (the socket stays open until the client gives up or the simulator stops). */
  readonly hang?: boolean;
  /** Number of requests affected; default: every request until the fault is cleared. */
  readonly count?: number;
}

interface RestRule {
  readonly spec: RestFaultSpec;
  remaining: number;
}

/** The REST fault rules of one exchange. */
export class RestFaultRules {
  private rules: RestRule[] = [];

  add(spec: RestFaultSpec): () => void {
    const rule: RestRule = { spec, remaining: spec.count ?? Number.POSITIVE_INFINITY };
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((candidate) => candidate !== rule);
    };
  }

  /** The fault for this request, if any (consuming one use of it). */
  take(path: string): RestFaultSpec | undefined {
    for (const rule of this.rules) {
      if (rule.spec.path !== undefined && !path.startsWith(rule.spec.path)) continue;
      rule.remaining--;
      if (rule.remaining <= 0) this.rules = this.rules.filter((candidate) => candidate !== rule);
      return rule.spec;
    }
    return undefined;
  }

  get size(): number {
    return this.rules.length;
  }

  clear(): void {
    this.rules = [];
  }
}

/** How a refused connection is refused. */
export type RefuseMode = 'reset' | 'http-503' | 'close-after-open';

/** Connection refusal of one exchange (a fault with an end time). */
export class RefuseState {
  until = 0;
  mode: RefuseMode = 'reset';
  closeCode = 1000;
  includeRest = false;

  active(now: number): boolean {
    return now < this.until;
  }

  clear(): void {
    this.until = 0;
  }
}

/**
 * Serves one REST request under an exchange's fault rules: a `hang` never answers, `delayMs` waits,
 * a `status` answers with that status and the exchange's own error body (`faultBody`), with
 * Retry-After (default 60 s for 429/418); anything else goes to `serve`.
 */
export function serveWithFaults(
  request: IncomingMessage,
  response: ServerResponse,
  rules: RestFaultRules,
  timers: TimerGroup,
  faultBody: (status: number) => string,
  serve: (request: IncomingMessage, response: ServerResponse, url: URL) => void,
): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const fault = rules.take(url.pathname);
  if (fault?.hang) return;
  const respond = (): void => {
    if (fault?.status !== undefined) {
      const retryAfter = fault.retryAfterS ?? (fault.status === 429 || fault.status === 418 ? 60 : undefined);
      sendJson(
        response,
        fault.status,
        faultBody(fault.status),
        retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
      );
      return;
    }
    serve(request, response, url);
  };
  if (fault?.delayMs) timers.after(fault.delayMs, respond);
  else respond();
}
