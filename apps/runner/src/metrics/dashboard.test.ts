import { readFileSync } from 'node:fs';
import { noopLogger, systemClock } from '@arbitrage/core';
import { createPaperEngine } from '@arbitrage/engine';
import { describe, expect, it } from 'vitest';
import type { RunnerProvider } from '../providers/create-provider.js';
import { testConfig } from '../test-support/support.js';
import { TEST_VENUES } from '../test-support/venues.js';
import { RunnerMetrics } from './runner-metrics.js';

interface Dashboard {
  readonly panels: readonly {
    readonly title: string;
    readonly targets: readonly { readonly expr: string }[];
  }[];
}

const provider: RunnerProvider = {
  start: async () => {},
  stop: async () => {},
  getLatestSnapshot: () => undefined,
  onSnapshot: () => () => {},
  health: () => ({ at: 0, allLive: true, instruments: {} }),
};

describe('grafana/dashboard.json', () => {
  it('queries only metrics the runner exports', () => {
    const dashboard = JSON.parse(
      readFileSync(new URL('../../grafana/dashboard.json', import.meta.url), 'utf8'),
    ) as Dashboard;
    const config = testConfig();
    const { engine } = createPaperEngine({
      engine: { ...config.engine, assets: config.assets },
      venues: TEST_VENUES,
      limits: config.limits,
      logger: noopLogger,
    });
    const metrics = new RunnerMetrics(engine, provider, systemClock);
    const exported = new Set(metrics.registry.getMetricsAsArray().map((metric) => metric.name));
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) {
        for (const name of target.expr.match(/arb_[a-z_]+/g) ?? []) {
          used.add(name.replace(/_(bucket|sum|count)$/, ''));
        }
      }
    }
    for (const name of used) expect(exported, name).toContain(name);
    // Everything the issue names has a panel: messages, reconnects, resyncs, snapshot age, loop time, premium, PnL.
    for (const name of [
      'arb_feed_messages_total',
      'arb_feed_reconnects_total',
      'arb_feed_resyncs_total',
      'arb_snapshot_age_seconds',
      'arb_loop_seconds',
      'arb_premium_ratio',
      'arb_pnl_krw',
    ]) {
      expect(used).toContain(name);
    }
  });
});
