import type { InstrumentCounters } from '@arbitrage/core';
import type { ExchangeName, SimulatorOptions } from '@arbitrage/simulator';
import type { CaseContext } from './case-context.js';
import type { ProviderKind } from './providers.js';

/** When the fault was injected and when it ended (equal for one-shot faults). */
export interface FaultWindow {
  readonly injectedAt: number;
  readonly liftedAt: number;
}

/** One scenario of docs/faults.md as the matrix runs it. */
export interface Scenario {
  /** docs/faults.md number. */
  readonly number: number;
  /** Short id, unique in the matrix ('01', '27b'). */
  readonly id: string;
  readonly name: string;
  readonly exchanges: readonly ExchangeName[];
  readonly providers: readonly ProviderKind[];
  /** Narrows exchanges × providers further (e.g. Upbit streams make no REST calls). */
  readonly applies?: (exchange: ExchangeName, kind: ProviderKind) => boolean;
  /** Recovery bound after the fault ends, test scale (ms). */
  readonly boundMs: number;
  /** The bound as docs/faults.md states it. */
  readonly bound: string;
  /** Market step period for this scenario (default STEP_MS). */
  readonly stepMs?: number;
  /** Extra simulator options. */
  readonly sim?: (exchange: ExchangeName) => SimulatorOptions;
  /** Extra stream options for the plugin. */
  readonly stream?: (exchange: ExchangeName) => Record<string, unknown>;
  /** Injects the fault, holds it, lifts it. */
  run(ctx: CaseContext): Promise<FaultWindow>;
  /** Scenario-specific checks (error classes, counters, states); returns failures. */
  verify?(ctx: CaseContext, window: { injectedAt: number; countersBefore: InstrumentCounters }): string[];
}
