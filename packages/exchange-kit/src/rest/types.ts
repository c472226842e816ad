import type { RateBudget } from '@arbitrage/core';
import type { QueryParams } from './query-string.js';

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** An answer with any status, its body whole and already decompressed. */
export interface RestResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Buffer;
  /** Clock time the answer arrived. */
  readonly receivedAt: number;
}

/** Weight a request takes from a budget before it is sent. */
export interface BudgetCharge {
  readonly budget: RateBudget;
  readonly weight: number;
}

/** What a signer sees: the query exactly as it will be sent (see `queryString`). */
export interface UnsignedRequest {
  readonly method: RestMethod;
  readonly path: string;
  readonly query: string;
  readonly body: string | undefined;
}

/** The query to send instead (e.g. with `&signature=` appended) and headers to add. */
export interface SignedParts {
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Signs each attempt anew (a fresh nonce or timestamp per attempt is the signer's business). */
export type RequestSigner = (request: UnsignedRequest) => SignedParts;

export interface RestRequest<T> {
  /** Default GET. */
  readonly method?: RestMethod;
  /** Path below the pipeline's base URL, starting with `/`. */
  readonly path: string;
  readonly params?: QueryParams;
  /** A body already serialised (e.g. JSON); send `Content-Type` in `headers`. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Budgets to take weight from before sending; the pipeline waits for them (bounded). */
  readonly charges?: readonly BudgetCharge[];
  readonly sign?: RequestSigner;
  /** Deadline of each attempt, ms; default the pipeline's. */
  readonly timeoutMs?: number;
  /** Aborting rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * Whether 5xx, timeouts and network errors are tried again. Default: yes for GET, no otherwise
   * (an order whose outcome is unknown must not be sent twice blindly).
   */
  readonly retry?: boolean;
  /** Turns a 2xx answer into the result; throw an InvalidMessageError for a body that makes no sense. */
  readonly parse: (response: RestResponse) => T;
}

/** What one exchange plugs into the pipeline: how to read its answers and its errors. */
export interface RestExchangeHooks {
  /** Exchange id carried by errors ('binance'). */
  readonly exchange: string;
  /** Name used in messages ('Binance'). */
  readonly label: string;
  /** Sees every answer first, whatever its status: usage headers correct the budgets here. */
  readonly observe?: (response: RestResponse) => void;
  /**
   * The error for an answer that is neither 2xx nor 429/418 (exchange error body, redirect,
   * 5xx). A 5xx is retried whatever error this returns.
   */
  readonly failedResponse: (response: RestResponse, operation: string) => Error;
  /** The exchange's own error text in a body (`-1003 Too many requests`), for rate-limit messages. */
  readonly describeBody?: (body: Buffer) => string | undefined;
}
