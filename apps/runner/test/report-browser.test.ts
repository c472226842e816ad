import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/index.js';
import type { ReportData } from '../src/report/report-data.js';
import { HeadlessChromium } from './headless-chromium.js';
import { emptyReport, HOSTILE_TEXT, oneAssetReport, syntheticReport } from './report-fixtures.js';

interface ChartPixels {
  readonly id: string;
  /** Non-transparent pixels on the chart's canvas. */
  readonly painted: number;
  /** Opaque pixels near each of the page's series colours. */
  readonly blue: number;
  readonly orange: number;
  readonly green: number;
  readonly red: number;
}

interface PageReport {
  readonly charts: string[];
  readonly drawn: string[];
  readonly pixels: ChartPixels[];
  readonly problems: string[];
  readonly requests: string[];
  readonly evaluate: (expression: string) => Promise<unknown>;
}

const COUNT_PIXELS = `JSON.stringify(window.__charts.map(function (id) {
  var canvas = document.querySelector('#' + id + ' canvas');
  var out = { id: id, painted: 0, blue: 0, orange: 0, green: 0, red: 0 };
  if (!canvas) return out;
  var px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  function near(i, r, g, b) { return Math.abs(px[i] - r) < 40 && Math.abs(px[i + 1] - g) < 40 && Math.abs(px[i + 2] - b) < 40; }
  for (var i = 0; i < px.length; i += 4) {
    if (px[i + 3] === 0) continue;
    out.painted++;
    if (px[i + 3] < 200) continue;
    if (near(i, 37, 99, 235)) out.blue++;
    else if (near(i, 217, 119, 6)) out.orange++;
    else if (near(i, 22, 163, 74)) out.green++;
    else if (near(i, 220, 38, 38)) out.red++;
  }
  return out;
}))`;

const WAIT_MS = 20_000;

describe('backtest report in headless Chromium', () => {
  let browser: HeadlessChromium | undefined;
  let dir: string;
  const pageUrls: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'report-pages-'));
    browser = await HeadlessChromium.launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  /** Writes the page, opens it in a fresh tab and reports what it drew, logged and fetched. */
  async function open(name: string, data: ReportData, screenshot?: string): Promise<PageReport> {
    const chromium = browser!;
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderReport(data));
    const url = pathToFileURL(file).href;
    pageUrls.push(url);
    const { targetId } = await chromium.send<{ targetId: string }>('Target.createTarget', {
      url: 'about:blank',
    });
    const { sessionId } = await chromium.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    const send = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}) =>
      chromium.send<T>(method, params, sessionId);
    const problems: string[] = [];
    const requests: string[] = [];
    let markLoaded: () => void = () => {};
    const loaded = new Promise<void>((resolve) => {
      markLoaded = resolve;
    });
    const stopListening = chromium.onEvent(({ method, params, sessionId: from }) => {
      if (from !== sessionId) return;
      if (method === 'Page.loadEventFired') markLoaded();
      else if (method === 'Network.requestWillBeSent') requests.push((params.request as { url: string }).url);
      else if (method === 'Runtime.exceptionThrown')
        problems.push(`exception: ${JSON.stringify(params.exceptionDetails)}`);
      else if (method === 'Page.javascriptDialogOpening') problems.push(`dialog: ${JSON.stringify(params)}`);
      else if (
        method === 'Runtime.consoleAPICalled' &&
        ['error', 'warning', 'assert'].includes(String(params.type))
      )
        problems.push(`console.${String(params.type)}: ${JSON.stringify(params.args)}`);
      else if (method === 'Log.entryAdded') {
        const entry = params.entry as { level: string; text: string; url?: string };
        if (entry.level === 'error' || entry.level === 'warning')
          problems.push(`log ${entry.level}: ${entry.text}`);
      }
    });
    const evaluate = async (expression: string): Promise<unknown> => {
      const reply = await send<{ result: { value?: unknown }; exceptionDetails?: unknown }>(
        'Runtime.evaluate',
        {
          expression,
          returnByValue: true,
        },
      );
      if (reply.exceptionDetails !== undefined) throw new Error(`evaluate failed: ${JSON.stringify(reply)}`);
      return reply.result.value;
    };
    try {
      await send('Runtime.enable');
      await send('Log.enable');
      await send('Network.enable');
      await send('Page.enable');
      await send('Emulation.setDeviceMetricsOverride', {
        width: 1280,
        height: 900,
        deviceScaleFactor: 1,
        mobile: false,
      });
      const navigation = await send<{ errorText?: string }>('Page.navigate', { url });
      if (navigation.errorText !== undefined)
        throw new Error(`navigation to ${url} failed: ${navigation.errorText}`);
      await Promise.race([
        loaded,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`${url} did not load`)), WAIT_MS).unref(),
        ),
      ]);
      const deadline = Date.now() + WAIT_MS;
      const allDrawn =
        'Array.isArray(window.__charts) && window.__charts.every(function (id) { return window.__drawn.indexOf(id) >= 0; })';
      while (!(await evaluate(allDrawn)) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      if (!(await evaluate(allDrawn))) {
        throw new Error(
          `charts did not all draw within ${WAIT_MS} ms; page problems: ${problems.join('\n') || 'none'}`,
        );
      }
      const charts = (await evaluate('window.__charts')) as string[];
      const drawn = (await evaluate('window.__drawn')) as string[];
      const pixels = JSON.parse((await evaluate(COUNT_PIXELS)) as string) as ChartPixels[];
      if (screenshot !== undefined) {
        const { data: png } = await send<{ data: string }>('Page.captureScreenshot', {
          format: 'png',
          captureBeyondViewport: true,
        });
        writeFileSync(screenshot, Buffer.from(png, 'base64'));
      }
      return { charts, drawn, pixels, problems, requests, evaluate };
    } finally {
      // The tab stays open for the test's own checks; closing Chromium closes it.
      stopListening();
    }
  }

  it('draws every chart of a three-asset run, with markers, no console problem and no request', async () => {
    const report = await open('synthetic', syntheticReport(), process.env.REPORT_SCREENSHOT || undefined);

    expect(report.charts).toEqual(['premium-0', 'premium-1', 'premium-2', 'equity', 'drawdown', 'costs']);
    expect([...report.drawn].sort()).toEqual([...report.charts].sort());
    for (const chart of report.pixels) expect(chart.painted, chart.id).toBeGreaterThan(1000);
    const byId = Object.fromEntries(report.pixels.map((chart) => [chart.id, chart]));
    for (const id of ['premium-0', 'premium-1', 'premium-2']) {
      expect(byId[id]!.blue, `${id}: mid premium line`).toBeGreaterThan(200);
      expect(byId[id]!.orange, `${id}: entry markers`).toBeGreaterThan(20);
      expect(byId[id]!.green + byId[id]!.red, `${id}: exit markers`).toBeGreaterThan(20);
    }
    expect(byId.equity!.blue).toBeGreaterThan(200);
    expect(byId.drawdown!.red).toBeGreaterThan(200);
    expect(byId.costs!.green, 'gains in the waterfall').toBeGreaterThan(200);
    expect(byId.costs!.red, 'costs in the waterfall').toBeGreaterThan(200);
    expect(byId.costs!.blue, 'the PnL bar').toBeGreaterThan(200);

    expect(report.problems).toEqual([]);
    expect(report.requests).toEqual([pageUrls.at(-1)]);
    // Hostile text in the data is shown, not run.
    expect(await report.evaluate('window.__pwned')).toBeUndefined();
    expect(await report.evaluate('document.querySelector("table.trades").textContent')).toContain(
      HOSTILE_TEXT,
    );
    expect(await report.evaluate('document.querySelectorAll("table.trades tbody tr").length')).toBe(12);
  }, 60_000);

  it('renders an empty run: every chart drew, a "no trades" note, no console problem', async () => {
    const report = await open('empty', emptyReport());

    expect(report.charts).toEqual(['equity', 'drawdown', 'costs']);
    expect([...report.drawn].sort()).toEqual([...report.charts].sort());
    for (const chart of report.pixels) expect(chart.painted, chart.id).toBeGreaterThan(100);
    expect(await report.evaluate('document.getElementById("no-trades").textContent')).toBe(
      'No trades in this run.',
    );
    expect(report.problems).toEqual([]);
    expect(report.requests).toEqual([pageUrls.at(-1)]);
  }, 60_000);

  it('renders one asset with no trades and no equity samples', async () => {
    const report = await open('one-asset', oneAssetReport());

    expect(report.charts).toEqual(['premium-0', 'equity', 'drawdown', 'costs']);
    expect([...report.drawn].sort()).toEqual([...report.charts].sort());
    expect(report.pixels.find((chart) => chart.id === 'premium-0')!.blue).toBeGreaterThan(200);
    expect(await report.evaluate('document.getElementById("no-trades") !== null')).toBe(true);
    expect(report.problems).toEqual([]);
  }, 60_000);

  it('closes Chromium with no process and no profile left behind', async () => {
    const chromium = browser!;
    await chromium.close();
    expect(chromium.leftoverProcesses()).toEqual([]);
    expect(existsSync(chromium.profileDir)).toBe(false);
    browser = undefined;
  }, 30_000);
});
