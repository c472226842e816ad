import { describe, expect, it } from 'vitest';
import { buildChartPayload, costSteps } from './chart-payload.js';
import { drawdownKrw, maxDrawdownKrw } from './drawdown.js';
import { jsonForScript } from './inline-json.js';
import { renderReport } from './render-report.js';
import { REPORT_CLIENT_JS } from './report-client.js';
import type { ReportData } from './report-data.js';

const HOSTILE = '</script><script>alert(1)</script><!--';

function report(overrides: Partial<ReportData> = {}): ReportData {
  return {
    title: 'Backtest: test',
    source: { data: 'rec', from: '2026-12-06T00:00:00Z', to: '2026-12-06T00:01:00Z', config: 'default' },
    assets: ['BTC'],
    premiums: {
      BTC: { t: [1_000, 2_000, 3_000], mid: [0.02, Number.NaN, 0.021], reference: [Number.NaN, 0.02, 0.02] },
    },
    trades: [
      {
        id: 't1',
        asset: 'BTC',
        direction: 'sell_krw_buy_usdt',
        openedAt: 1_000,
        closedAt: undefined,
        entryPremium: 0.02,
        exitPremium: undefined,
        pnlKrw: undefined,
        closeReason: undefined,
      },
    ],
    equity: { t: [1_000, 2_000, 3_000], krw: [0, -50, 25] },
    costs: { premiumKrw: 100, rateKrw: -10, feesKrw: 40, spreadKrw: 25, pnlKrw: 25 },
    summary: { trades: 1 },
    ...overrides,
  };
}

describe('jsonForScript', () => {
  it('cannot close its script block and reads back unchanged, with non-finite numbers as null', () => {
    const value = {
      text: HOSTILE,
      amp: 'a & b > c',
      line: 'a\u2028b',
      values: [1, Number.NaN, Number.POSITIVE_INFINITY],
    };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ ...value, values: [1, null, null] });
  });
});

describe('drawdown', () => {
  it('is the distance below the running peak, skipping unknown equity', () => {
    expect(drawdownKrw([0, 100, 40, Number.NaN, 120, 90])).toEqual([0, 0, -60, Number.NaN, 0, -30]);
    expect(maxDrawdownKrw([0, 100, 40, Number.NaN, 120, 90])).toBe(-60);
    expect(maxDrawdownKrw([])).toBe(0);
  });
});

describe('costSteps', () => {
  it('walks premium, rate, fees and spread down to the PnL', () => {
    expect(costSteps({ premiumKrw: 100, rateKrw: -10, feesKrw: 40, spreadKrw: 25, pnlKrw: 25 })).toEqual([
      { label: 'Premium', y0: 0, y1: 100, kind: 'gain' },
      { label: 'USDT/KRW move', y0: 100, y1: 90, kind: 'loss' },
      { label: 'Fees', y0: 90, y1: 50, kind: 'loss' },
      { label: 'Spread', y0: 50, y1: 25, kind: 'loss' },
      { label: 'PnL', y0: 0, y1: 25, kind: 'total' },
    ]);
  });

  it('shows what the four do not explain as "Other" rather than hiding it', () => {
    const steps = costSteps({ premiumKrw: 100, rateKrw: 0, feesKrw: 0, spreadKrw: 0, pnlKrw: 70 });
    expect(steps.map((step) => step.label)).toEqual([
      'Premium',
      'USDT/KRW move',
      'Fees',
      'Spread',
      'Other',
      'PnL',
    ]);
    expect(steps[4]).toEqual({ label: 'Other', y0: 100, y1: 70, kind: 'loss' });
  });
});

describe('buildChartPayload', () => {
  it('gives uPlot seconds and percent, and puts each trade on its asset', () => {
    const payload = buildChartPayload(report());
    const btc = payload.premiums[0]!;
    expect(btc.id).toBe('premium-0');
    expect(btc.t).toEqual([1, 2, 3]);
    expect(btc.mid[0]).toBeCloseTo(2);
    expect(btc.mid[1]).toBeNaN();
    expect(btc.trades).toEqual([
      { id: 't1', side: 'sell', open: 1, close: null, entry: 2, exit: null, pnlKrw: null },
    ]);
    expect(payload.drawdown.krw).toEqual([0, -50, 0]);
    expect(payload.span).toEqual([1, 3]);
  });

  it('falls back to the source span when there are no samples', () => {
    const empty = buildChartPayload(
      report({ assets: [], premiums: {}, trades: [], equity: { t: [], krw: [] } }),
    );
    expect(empty.span).toEqual([
      Date.parse('2026-12-06T00:00:00Z') / 1000,
      Date.parse('2026-12-06T00:01:00Z') / 1000,
    ]);
    expect(empty.premiums).toEqual([]);
  });
});

describe('renderReport', () => {
  it('is one page with uPlot, its data and its script inline, and nothing to fetch', () => {
    const html = renderReport(report());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['"]?https?:/i);
    expect(html).toContain('uPlot');
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(() => new Function(REPORT_CLIENT_JS)).not.toThrow();
  });

  it('escapes text from the data everywhere it appears', () => {
    const hostile = report({
      title: HOSTILE,
      summary: { [HOSTILE]: HOSTILE },
      trades: [{ ...report().trades[0]!, id: HOSTILE, closeReason: HOSTILE }],
    });
    const html = renderReport(hostile);
    expect(html).not.toContain('<script>alert(1)');
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('says so when there are no trades', () => {
    expect(renderReport(report({ trades: [] }))).toContain('No trades in this run.');
  });
});
