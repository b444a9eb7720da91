// web/months.js — which months of the status document the chart and the monthly table
// show, and the pro-rata profile at the end of each. No DOM: the unit tests import it.

import { parseMonth } from './format.js';

/**
 * The months that have figures to plot: those of the status year up to the month the
 * document was generated in. The current, unfinished month is left out while it has no
 * spend (its declarations are not due yet), so the line does not dip into a flat step
 * that only means "not declared yet".
 * @param {object} status the status document
 * @return {Array} months in calendar order
 */
export function plottedMonths(status) {
  const year = status?.year;
  const all = (Array.isArray(status?.months) ? status.months : [])
    .filter((m) => parseMonth(m?.month)?.year === year)
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  const asOf = new Date(status?.generated_at || status?.data_as_of || Date.now());
  if (Number.isNaN(asOf.getTime())) return all;
  const asOfYear = asOf.getUTCFullYear();
  const asOfMonth = asOf.getUTCMonth() + 1;
  if (year < asOfYear) return all;
  if (year > asOfYear) return [];
  return all.filter((m) => {
    const n = parseMonth(m.month).month;
    return n < asOfMonth || (n === asOfMonth && (m.spent_cents || 0) > 0);
  });
}

/** The even pro-rata profile at the end of month n (1..12): cap × n / 12, in whole cents. */
export function profileThrough(capCents, n) {
  return Math.round((capCents * n) / 12);
}
