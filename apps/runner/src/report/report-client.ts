/**
 * The page's own script (plain browser JavaScript, run after the inlined uPlot). It reads the JSON block
 * `#report-data` (a ChartPayload), draws every chart, and records each chart id in `window.__charts`
 * when mounted and in `window.__drawn` once uPlot has drawn it, which the browser test checks.
 * Written without template placeholders so it can live in a template literal unchanged.
 */
export const REPORT_CLIENT_JS = `
(function () {
  'use strict';
  var payload = JSON.parse(document.getElementById('report-data').textContent);
  var drawn = (window.__drawn = []);
  var mounted = (window.__charts = []);
  var plots = [];
  var anyTrades = payload.premiums.some(function (p) { return p.trades.length > 0; });
  var COLOR = {
    mid: '#2563eb', reference: '#6b7280', entry: '#d97706', win: '#16a34a', loss: '#dc2626',
    flat: '#6b7280', equity: '#2563eb', drawdown: '#dc2626', total: '#2563eb', held: 'rgba(75,85,99,0.7)'
  };
  var compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
  var whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

  /** Tick placement in UTC, whatever the viewer's time zone. */
  function utc(ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); }
  function krwValue(u, v) { return v == null ? '\\u2014' : whole.format(v) + ' KRW'; }
  function pctValue(u, v) { return v == null ? '\\u2014' : v.toFixed(3) + ' %'; }
  function krwTicks(u, splits) { return splits.map(function (v) { return v == null ? '' : compact.format(v); }); }
  function pctTicks(u, splits) { return splits.map(function (v) { return v == null ? '' : v.toFixed(2); }); }
  function px(n) { return n * uPlot.pxRatio; }

  /** Two samples spanning the run, for a time chart that has none of its own. */
  function emptyTimes() {
    if (payload.span) return [payload.span[0], payload.span[1]];
    var now = Math.floor(Date.now() / 1000);
    return [now - 3600, now];
  }

  function note(el, text) {
    var p = document.createElement('p');
    p.className = 'note chart-note';
    p.textContent = text;
    el.appendChild(p);
  }

  function mount(id, opts, data) {
    var el = document.getElementById(id);
    mounted.push(id);
    opts.width = Math.max(320, Math.floor(el.getBoundingClientRect().width));
    opts.hooks = opts.hooks || {};
    opts.hooks.draw = (opts.hooks.draw || []).concat([function () {
      if (drawn.indexOf(id) < 0) drawn.push(id);
    }]);
    plots.push({ plot: new uPlot(opts, data, el), el: el });
  }

  /** 24-hour UTC tick labels, the date under the first tick and under each new day. */
  function timeTicks(u, splits, axisIdx, space, incr) {
    var lastDay = null;
    return splits.map(function (ts) {
      if (ts == null) return '';
      var iso = new Date(ts * 1e3).toISOString();
      var day = iso.slice(0, 10);
      var clock = incr < 60 ? iso.slice(11, 19) : iso.slice(11, 16);
      var label = day !== lastDay ? clock + '\\n' + day : clock;
      lastDay = day;
      return label;
    });
  }
  function timeValue(u, ts) {
    return ts == null ? '\\u2014' : new Date(ts * 1e3).toISOString().slice(0, 19).replace('T', ' ');
  }
  function timeAxis() {
    return { label: 'time (UTC)', labelSize: 18, size: 52, space: 80, values: timeTicks, stroke: '#374151', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#e5e7eb' } };
  }
  function valueAxis(label, ticks, size) {
    return { label: label, labelSize: 18, size: size, values: ticks, stroke: '#374151', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#e5e7eb' } };
  }

  /** The y range of a premium chart also covers its trade markers. */
  function premiumRange(trades, empty) {
    var lo = Infinity, hi = -Infinity;
    trades.forEach(function (t) {
      [t.entry, t.exit].forEach(function (v) {
        if (v != null && isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      });
    });
    return function (u, min, max) {
      if (empty && lo === Infinity) return [-1, 1];
      var a = min == null ? lo : Math.min(min, lo), b = max == null ? hi : Math.max(max, hi);
      if (!isFinite(a) || !isFinite(b)) return [-1, 1];
      return uPlot.rangeNum(a, b, 0.1, true);
    };
  }

  function triangle(ctx, x, y, r, down, color) {
    ctx.beginPath();
    if (down) { ctx.moveTo(x - r, y - r * 0.9); ctx.lineTo(x + r, y - r * 0.9); ctx.lineTo(x, y + r * 0.9); }
    else { ctx.moveTo(x - r, y + r * 0.9); ctx.lineTo(x + r, y + r * 0.9); ctx.lineTo(x, y - r * 0.9); }
    ctx.closePath();
    ctx.fillStyle = color;
    ctx.fill();
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = px(1);
    ctx.stroke();
  }

  function dot(ctx, x, y, r, color) {
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = color;
    ctx.fill();
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = px(1);
    ctx.stroke();
  }

  /** Entries as triangles (down: sold KRW on a high premium, up: bought KRW), exits as dots coloured by PnL. */
  function tradeMarkers(trades) {
    return { hooks: { draw: [function (u) {
      if (trades.length === 0) return;
      var ctx = u.ctx, r = px(6.5), right = u.scales.x.max;
      ctx.save();
      ctx.beginPath();
      ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
      ctx.clip();
      trades.forEach(function (t) {
        var closed = t.close != null && t.exit != null;
        var x0 = u.valToPos(t.open, 'x', true), y0 = u.valToPos(t.entry, 'y', true);
        var x1 = u.valToPos(closed ? t.close : right, 'x', true), y1 = closed ? u.valToPos(t.exit, 'y', true) : y0;
        ctx.beginPath();
        ctx.setLineDash([px(3), px(3)]);
        ctx.strokeStyle = COLOR.held;
        ctx.lineWidth = px(1);
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
        ctx.setLineDash([]);
        if (closed) dot(ctx, x1, y1, r * 0.85, t.pnlKrw == null ? COLOR.flat : t.pnlKrw >= 0 ? COLOR.win : COLOR.loss);
        triangle(ctx, x0, y0, r, t.side === 'sell', COLOR.entry);
      });
      ctx.restore();
    }] } };
  }

  function premiumChart(p) {
    var el = document.getElementById(p.id);
    var empty = p.t.length === 0;
    if (empty) note(el, 'No premium samples for ' + p.asset + '.');
    else if (p.trades.length === 0 && anyTrades) note(el, 'No trades in ' + p.asset + '.');
    var data = empty ? [emptyTimes(), [null, null], [null, null]] : [p.t, p.mid, p.reference];
    mount(p.id, {
      height: 260,
      tzDate: utc,
      scales: { x: { time: true }, y: { range: premiumRange(p.trades, empty) } },
      series: [
        { label: 'time (UTC)', value: timeValue },
        { label: 'mid premium', stroke: COLOR.mid, width: 1.25, value: pctValue, spanGaps: false },
        { label: 'reference', stroke: COLOR.reference, width: 1.5, dash: [6, 4], value: pctValue, spanGaps: false }
      ],
      axes: [timeAxis(), valueAxis('premium, %', pctTicks, 64)],
      plugins: [tradeMarkers(p.trades)]
    }, data);
  }

  function krwChart(series, label, color, fill) {
    var el = document.getElementById(series.id);
    var empty = series.t.length === 0;
    if (empty) note(el, 'No equity samples in this run.');
    var data = empty ? [emptyTimes(), [null, null]] : [series.t, series.krw];
    mount(series.id, {
      height: 220,
      tzDate: utc,
      scales: { x: { time: true }, y: empty ? { range: [-1, 1] } : {} },
      series: [
        { label: 'time (UTC)', value: timeValue },
        { label: label, stroke: color, fill: fill, width: 1.5, value: krwValue, spanGaps: false }
      ],
      axes: [timeAxis(), valueAxis('KRW', krwTicks, 72)]
    }, data);
  }

  /** Signed amounts over each bar of the waterfall. */
  function barLabels(steps) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.font = px(12) + 'px sans-serif';
      ctx.textAlign = 'center';
      ctx.fillStyle = '#111827';
      steps.forEach(function (s, i) {
        var x = u.valToPos(i, 'x', true), up = s.y1 >= s.y0;
        var y = u.valToPos(up ? Math.max(s.y0, s.y1) : Math.min(s.y0, s.y1), 'y', true);
        var amount = s.kind === 'total' ? s.y1 : s.y1 - s.y0;
        ctx.textBaseline = up ? 'bottom' : 'top';
        ctx.fillText((amount > 0 && s.kind !== 'total' ? '+' : '') + compact.format(amount), x, y + (up ? -px(4) : px(4)));
      });
      ctx.restore();
    };
  }

  function costsChart(c) {
    var steps = c.steps;
    var xs = steps.map(function (s, i) { return i; });
    var y0 = steps.map(function (s) { return s.y0; });
    var y1 = steps.map(function (s) { return s.y1; });
    var fills = steps.map(function (s) { return s.kind === 'total' ? COLOR.total : s.kind === 'loss' ? COLOR.loss : COLOR.win; });
    var all = y0.concat(y1, [0]).filter(function (v) { return v != null && isFinite(v); });
    var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all);
    if (lo === hi) { lo -= 1; hi += 1; }
    var pad = (hi - lo) * 0.15;
    mount(c.id, {
      height: 260,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, steps.length - 0.5] }, y: { range: [lo - pad, hi + pad] } },
      series: [
        {},
        {
          label: 'KRW', stroke: COLOR.total, fill: COLOR.total, width: 0, points: { show: false },
          paths: uPlot.paths.bars({
            size: [0.6, 140],
            disp: {
              fill: { unit: 3, values: function () { return fills; } },
              y0: { unit: 1, values: function () { return y0; } },
              y1: { unit: 1, values: function () { return y1; } }
            }
          })
        }
      ],
      axes: [
        { stroke: '#374151', grid: { show: false }, ticks: { show: false }, splits: function () { return xs; },
          values: function (u, splits) { return splits.map(function (i) { return steps[i] ? steps[i].label : ''; }); } },
        valueAxis('KRW', krwTicks, 72)
      ],
      hooks: { draw: [barLabels(steps)] }
    }, [xs, y1]);
  }

  payload.premiums.forEach(premiumChart);
  krwChart(payload.equity, 'equity', COLOR.equity, 'rgba(37,99,235,0.12)');
  krwChart(payload.drawdown, 'drawdown', COLOR.drawdown, 'rgba(220,38,38,0.18)');
  costsChart(payload.costs);

  var resizing = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(function () {
      plots.forEach(function (p) {
        p.plot.setSize({ width: Math.max(320, Math.floor(p.el.getBoundingClientRect().width)), height: p.plot.height });
      });
    });
  });
})();
`;
