// web/view-chart.js — the cumulative spend chart, drawn as plain SVG, in the page's language.
//
// One year runs left to right in twelve monthly slots. A month's cumulative
// spend is plotted at the END of its slot (cumulative through that month), so
// the pro-rata profile, cap × m / 12, is the straight line from 0 in January
// to the cap at the end of December and meets every month boundary exactly.
// The forecast continues from the last month with figures to the end of
// December, with its low–high range as a shaded wedge.
//
// Everything is drawn with SVG attributes and CSS classes: the page runs
// under a Content-Security-Policy without 'unsafe-inline', so no style
// attributes. Meaning never rests on colour alone: each series has its own
// dash pattern and a text label, and the numbers are in <desc> and in the
// table next to the chart (view-months.js).

import { svg as svgEl } from './dom.js';
import { formatDate, formatEuros, formatMoney, formatRatio, isNumber, monthLong, monthShort,
         parseMonth } from './format.js';
import { t } from './i18n.js';
import { plottedMonths } from './months.js';

// Geometry in viewBox units; the SVG scales to its container's width.
const W = 800;
const H = 390;
const M = { top: 20, right: 100, bottom: 32, left: 84 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

function text(x, y, content, cls, anchor = 'start') {
  return svgEl('text', { x, y, class: cls, 'text-anchor': anchor }, content);
}

/** Pick a round tick step (1, 2, 2.5 or 5 × 10^k) giving at most `maxTicks` intervals. */
function tickStep(max, maxTicks = 6) {
  const raw = max / maxTicks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const f of [1, 2, 2.5, 5, 10]) {
    if (f * pow >= raw) return f * pow;
  }
  return 10 * pow;
}

/** Position of a calendar date within the year in months (0 = 1 Jan, 12 = 31 Dec end). */
function dateToMonths(ymd, year) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd || '');
  if (!m || Number(m[1]) !== year) return null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month - 1 + (day - 0.5) / days;
}

/**
 * A one-paragraph summary of the chart for <desc> and for screen readers.
 * @param {object} status the status document
 * @param {Array} months the plotted months
 */
export function chartSummary(status, months) {
  const parts = [];
  const last = months[months.length - 1];
  const cap = formatMoney(status.cap_cents);
  if (last) {
    parts.push(t('chart.summary.spent', {
      amount: formatMoney(last.cumulative_cents), month: monthLong(last.month),
      ratio: formatRatio(status.spent_ratio), cap,
    }));
  } else {
    parts.push(t('chart.summary.none', { year: status.year, cap }));
  }
  if (isNumber(status.profile_ytd_cents)) {
    parts.push(t('chart.summary.profile', { amount: formatMoney(status.profile_ytd_cents) }));
  }
  const f = status.forecast || {};
  if (isNumber(f.year_end_cents)) {
    parts.push(isNumber(f.low_cents) && isNumber(f.high_cents)
      ? t('chart.summary.forecastRange', { amount: formatMoney(f.year_end_cents),
                                           low: formatMoney(f.low_cents), high: formatMoney(f.high_cents) })
      : t('chart.summary.forecast', { amount: formatMoney(f.year_end_cents) }));
  }
  parts.push(f.cap_reached_on ? t('chart.summary.reached', { date: formatDate(f.cap_reached_on) })
    : t('chart.summary.notReached'));
  return parts.join(' ');
}

/**
 * Draw the chart into `svg` (its <title> and <desc> are kept and updated).
 * @param {SVGSVGElement} svg the target element, with role="img"
 * @param {object} status the status document
 * @return {number} the number of month points drawn
 */
export function renderChart(svg, status) {
  const year = status.year;
  const cap = isNumber(status.cap_cents) ? status.cap_cents : 0;
  const months = plottedMonths(status);
  const f = status.forecast || {};

  const title = svg.querySelector('title');
  const desc = svg.querySelector('desc');
  title.textContent = t('chart.title', { year, cap: formatEuros(cap) });
  desc.textContent = chartSummary(status, months);
  for (const node of [...svg.childNodes]) {
    if (node !== title && node !== desc) node.remove();
  }
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);

  const values = [cap, ...months.map((m) => m.cumulative_cents || 0)];
  for (const v of [f.year_end_cents, f.high_cents]) if (isNumber(v)) values.push(v);
  const yMax = Math.max(...values, 1) * 1.06;
  const x = (m) => M.left + (m / 12) * PLOT_W;
  const y = (c) => M.top + PLOT_H - (Math.max(0, c) / yMax) * PLOT_H;

  // Grid and axes.
  const grid = svgEl('g', { class: 'chart-grid', 'aria-hidden': 'true' });
  const step = tickStep(yMax);
  for (let v = 0; v <= yMax; v += step) {
    grid.append(svgEl('line', { x1: M.left, x2: M.left + PLOT_W, y1: y(v), y2: y(v),
                                class: v === 0 ? 'axis-line' : 'grid-line' }));
    grid.append(text(M.left - 8, y(v) + 4, formatEuros(v), 'tick-label', 'end'));
  }
  for (let m = 1; m <= 12; m++) {
    grid.append(svgEl('line', { x1: x(m), x2: x(m), y1: M.top + PLOT_H, y2: M.top + PLOT_H + 5,
                                class: 'axis-line' }));
    grid.append(text(x(m), M.top + PLOT_H + 20, monthShort(`${year}-${String(m).padStart(2, '0')}`),
                     'tick-label', 'middle'));
  }
  svg.append(grid);

  const series = svgEl('g', { 'aria-hidden': 'true' });
  svg.append(series);

  // Pro-rata profile: 0 → cap over the year.
  series.append(svgEl('line', { x1: x(0), y1: y(0), x2: x(12), y2: y(cap), class: 'line-profile' }));

  // Cap.
  series.append(svgEl('line', { x1: x(0), x2: x(12), y1: y(cap), y2: y(cap), class: 'line-cap' }));
  series.append(text(x(0) + 6, y(cap) - 7, t('chart.label.cap', { amount: formatEuros(cap) }), 'series-label label-cap'));

  // Actual cumulative spend, starting from zero on 1 January.
  const pts = [[x(0), y(0)], ...months.map((m) => [x(parseMonth(m.month).month),
                                                  y(m.cumulative_cents || 0)])];
  const lastMonthNo = months.length ? parseMonth(months[months.length - 1].month).month : 0;
  const lastCum = months.length ? months[months.length - 1].cumulative_cents || 0 : 0;

  // Forecast wedge and line, from the last month with figures to year end.
  if (lastMonthNo < 12 && isNumber(f.year_end_cents)) {
    if (isNumber(f.low_cents) && isNumber(f.high_cents)) {
      series.append(svgEl('polygon', {
        class: 'forecast-band',
        points: `${x(lastMonthNo)},${y(lastCum)} ${x(12)},${y(f.high_cents)} ${x(12)},${y(f.low_cents)}`,
      }));
      series.append(svgEl('line', { x1: x(12), x2: x(12), y1: y(f.high_cents), y2: y(f.low_cents),
                                    class: 'forecast-range' }));
    }
    series.append(svgEl('line', { x1: x(lastMonthNo), y1: y(lastCum), x2: x(12),
                                  y2: y(f.year_end_cents), class: 'line-forecast' }));
    series.append(svgEl('circle', { cx: x(12), cy: y(f.year_end_cents), r: 4,
                                    class: 'point-forecast' }));
    // Keep the year-end label clear of the cap label and line.
    let ly = y(f.year_end_cents) + 4;
    if (Math.abs(ly - y(cap)) < 12) ly = y(cap) + (f.year_end_cents >= cap ? -10 : 16);
    series.append(text(x(12) + 8, ly - 8, t('chart.label.forecast'), 'series-label label-forecast'));
    series.append(text(x(12) + 8, ly + 7, formatEuros(f.year_end_cents), 'series-value'));
  }

  if (pts.length > 1) {
    const d = pts.map(([px, py], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
    series.append(svgEl('path', {
      class: 'area-actual',
      d: `${d} L${pts[pts.length - 1][0].toFixed(1)},${y(0)} Z`,
    }));
    series.append(svgEl('path', { class: 'line-actual', d }));
  }

  // Profile to date, on the profile line.
  if (isNumber(status.profile_ytd_cents) && cap > 0) {
    const pm = Math.min(12, (status.profile_ytd_cents / cap) * 12);
    const px = x(pm);
    const py = y(status.profile_ytd_cents);
    // Marked, not labelled: next to the spend line a label only collides; the legend names it.
    const diamond = svgEl('rect', { x: px - 5, y: py - 5, width: 10, height: 10,
                                    transform: `rotate(45 ${px} ${py})`, class: 'point-profile' });
    diamond.append(svgEl('title', {}, t('chart.tip.profile', { amount: formatMoney(status.profile_ytd_cents) })));
    series.append(diamond);
  }

  // Month points, each with a tooltip.
  const points = svgEl('g', { class: 'points' });
  for (const m of months) {
    const n = parseMonth(m.month).month;
    const c = svgEl('circle', { cx: x(n), cy: y(m.cumulative_cents || 0), r: 4.5, class: 'point',
                                'data-month': m.month });
    c.append(svgEl('title', {}, t('chart.tip.month', {
      month: monthLong(m.month), cumulative: formatMoney(m.cumulative_cents), spent: formatMoney(m.spent_cents),
    })));
    points.append(c);
  }
  series.append(points);

  // Label the last actual point.
  if (months.length) {
    series.append(text(x(lastMonthNo) - 8, y(lastCum) - 12, formatEuros(lastCum),
                       'series-value value-actual', 'end'));
  }

  // The date the cap would be reached.
  const reached = dateToMonths(f.cap_reached_on, year);
  if (reached !== null) {
    const rx = x(reached);
    series.append(svgEl('line', { x1: rx, x2: rx, y1: y(cap), y2: M.top + PLOT_H, class: 'line-reached' }));
    series.append(svgEl('circle', { cx: rx, cy: y(cap), r: 5, class: 'point-reached' }));
    const anchor = reached > 9 ? 'end' : 'start';
    series.append(text(rx + (anchor === 'end' ? -8 : 8), y(cap) - 22,
                       t('chart.label.reached', { date: formatDate(f.cap_reached_on) }), 'series-label label-reached', anchor));
  }

  svg.dataset.points = String(months.length);
  return months.length;
}
