// web/months.js — which months of the status document the chart and the monthly table
// show, and the profile at the end of each. No DOM: the unit tests import it.

import { parseMonth } from './format.js';

/**
 * The months that have figures to plot: those of the status year up to the month the
 * figures are as of (the document's "as_of" day, or the month it was generated in). The current, unfinished month is left out while it has no
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
  const asOf = new Date(status?.as_of ? `${status.as_of}T12:00:00Z`
    : status?.generated_at || status?.data_as_of || Date.now());
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

/**
 * The profile at the end of month n (1..12) as the API computed it (months[].profile_cents:
 * the planned monthly profile of the reference data, or the even spread over the days), or,
 * from a document without it, the even spread over the months.
 * @param {object} status the status document
 * @param {number} n the month, 1..12
 */
export function profileAt(status, n) {
  const m = (Array.isArray(status?.months) ? status.months : [])
    .find((x) => parseMonth(x?.month)?.month === n && parseMonth(x.month).year === status.year);
  if (m && Number.isFinite(m.profile_cents)) return m.profile_cents;
  return Number.isFinite(status?.cap_cents) ? profileThrough(status.cap_cents, n) : null;
}

/** True when the status follows a planned monthly profile rather than the even spread. */
export function profilePlanned(status) {
  return status?.profile_kind === 'planned';
}
