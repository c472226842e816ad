/** What the parent hands the scale client (argv[2], JSON). */
export interface ScaleClientConfig {
  readonly upbit: { readonly restUrl: string; readonly wsUrl: string };
  readonly binance: { readonly restUrl: string; readonly wsUrl: string };
  /** Give up waiting for every book to be live after this long, ms. */
  readonly liveTimeoutMs: number;
  /** Length of the steady-state window measured once every book is live, ms. */
  readonly steadyMs: number;
}

/** What the scale client measured (sent back over IPC). */
export interface ScaleClientResult {
  /** Upbit KRW and Binance USDT books subscribed. */
  readonly books: number;
  readonly upbitBooks: number;
  readonly binanceBooks: number;
  /** ms from start (loadMarkets included) until every book had been live; NaN if some never was. */
  readonly allLiveMs: number;
  /** ms from start until the last book of each exchange was first live. */
  readonly allLiveMsByExchange: Readonly<Record<string, number>>;
  /** Books that were live at least once within liveTimeoutMs. */
  readonly booksLive: number;
  /** Peak resident set size of the client process, MB. */
  readonly peakRssMb: number;
  /** Steady state: CPU time over wall time, % of one core. */
  readonly cpuPercent: number;
  /** Start-up (until all live): CPU time over wall time, % of one core. */
  readonly startupCpuPercent: number;
  /** Steady state: CPU µs per book update. */
  readonly cpuPerUpdateUs: number;
  /** Steady state: book updates per second, all books. */
  readonly updatesPerSecond: number;
  /** Steady state: event-loop delay p99 and max, ms (monitorEventLoopDelay at 10 ms, the 10 ms period taken out). */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** Before start, idle: event-loop delay p99, ms (the machine's own noise). */
  readonly baselineLoopDelayP99Ms: number;
  /** Start-up: event-loop delay p99, ms. */
  readonly startupLoopDelayP99Ms: number;
  /** Steady state: book age (now − last update applied) p50/p99 over every book, sampled each second, ms. */
  readonly bookAgeP50Ms: number;
  readonly bookAgeP99Ms: number;
  /** Steady state: book age p99 over the busy books (the top tier, updated every 100 ms), ms. */
  readonly busyBookAgeP99Ms: number;
  /** Steady state: mean share of books whose state is live (quiet books go stale by design). */
  readonly liveShare: number;
}
