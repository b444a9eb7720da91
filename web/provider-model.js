// web/provider-model.js — what a provider's own page shows, read from the API's documents
// (no DOM: the unit tests import it):
//   GET /api/v1/providers/{agb}?year=Y               its year: months[] with spent_cents,
//       declared, expected, missing, deadline; groups[]; late_lines (snapshot_docs.c)
//   GET /api/v1/providers/{agb}/submissions?year=Y   its submissions, newest first; a file
//       rejected whole has "rejected_whole": true and its "error"
//
// A month of the provider's year is, in this order: declared (it has sent lines for it),
// missing (it was due and the deadline passed: the API's "missing"), due (it was expected,
// the month is over and its deadline has not passed: still to be sent, by the deadline),
// open (expected, the month has not ended yet), or not expected (no designation then).

import { isNumber, parseMonth } from './format.js';

/** The month's last day, "YYYY-MM-DD". */
function monthEnd(ym) {
  const p = parseMonth(ym);
  if (!p) return null;
  const last = new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
  return `${ym}-${String(last).padStart(2, '0')}`;
}

/**
 * The state of one month of the provider document.
 * @param {object} m a months[] entry
 * @param {string} today "YYYY-MM-DD" (Amsterdam)
 * @return {string} "declared" | "missing" | "due" | "open" | "none"
 */
export function monthState(m, today) {
  if (m?.declared) return 'declared';
  if (m?.missing) return 'missing';
  if (!m?.expected) return 'none';
  const end = monthEnd(m.month);
  return end && end < today ? 'due' : 'open';
}

/**
 * The provider's months in calendar order, each with its state.
 * @return {Array<{month, spent_cents, deadline, state}>}
 */
export function providerMonths(doc, today) {
  const months = Array.isArray(doc?.months) ? doc.months : [];
  return months.filter((m) => parseMonth(m?.month))
    .slice().sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0))
    .map((m) => ({ month: m.month, spent_cents: isNumber(m.spent_cents) ? m.spent_cents : 0,
                   deadline: m.deadline || null, state: monthState(m, today) }));
}

/**
 * The year in a few numbers: spend, months declared, missing and still due (with their
 * deadlines, earliest first), late lines.
 */
export function providerYear(doc, today) {
  const months = providerMonths(doc, today);
  const of = (s) => months.filter((m) => m.state === s);
  const spent = isNumber(doc?.spent_cents) ? doc.spent_cents
    : months.reduce((sum, m) => sum + m.spent_cents, 0);
  return {
    spent_cents: spent,
    declared: of('declared').map((m) => m.month),
    missing: of('missing').map((m) => ({ month: m.month, deadline: m.deadline })),
    due: of('due').map((m) => ({ month: m.month, deadline: m.deadline }))
      .sort((a, b) => String(a.deadline).localeCompare(String(b.deadline))),
    late_lines: isNumber(doc?.late_lines) ? doc.late_lines : 0,
    months,
  };
}

/** The provider's spend per target group, as the document lists it (code, name, spent, minutes). */
export function providerGroups(doc) {
  return (Array.isArray(doc?.groups) ? doc.groups : [])
    .filter((g) => g && typeof g === 'object')
    .map((g) => ({ code: String(g.code ?? ''), name: g.name ?? '', spent_cents: isNumber(g.spent_cents) ? g.spent_cents : 0,
                   minutes: isNumber(g.minutes) ? g.minutes : null }));
}

/**
 * The submissions, newest first, each as the page shows it: stored ones with their counts
 * and amount; a file rejected whole with its error (and no id).
 */
export function submissionRows(doc) {
  const list = Array.isArray(doc?.submissions) ? doc.submissions : [];
  return list.filter((s) => s && typeof s === 'object').map((s) => ({
    id: isNumber(s.id) ? s.id : null,
    attemptId: isNumber(s.attempt_id) ? s.attempt_id : null,
    reference: s.reference ?? '',
    source: s.source ?? '',
    receivedAt: s.received_at ?? null,
    rejectedWhole: s.rejected_whole === true,
    error: s.error && typeof s.error === 'object' ? s.error : null,
    lines: isNumber(s.lines) ? s.lines : null,
    accepted: isNumber(s.accepted) ? s.accepted : null,
    rejected: isNumber(s.rejected) ? s.rejected : null,
    credited: isNumber(s.credited) ? s.credited : 0,
    late: isNumber(s.late) ? s.late : 0,
    amount_cents: isNumber(s.amount_cents) ? s.amount_cents : null,
    months: Array.isArray(s.months) ? s.months.map(String) : [],
  })).sort((a, b) => String(b.receivedAt ?? '').localeCompare(String(a.receivedAt ?? '')));
}

/** The line statuses a submission's lines can be filtered by (doc/api.md). */
export const LINE_STATUSES = Object.freeze(['accepted', 'rejected', 'credited']);

/**
 * The months a submission's lines can be filtered by: the submission's own months, else
 * those of the lines shown, in calendar order.
 */
export function lineMonths(submission, lines = []) {
  const set = new Set(Array.isArray(submission?.months) ? submission.months.filter((m) => parseMonth(m)) : []);
  if (!set.size) {
    for (const l of lines) {
      const ym = String(l?.date_from ?? '').slice(0, 7);
      if (parseMonth(ym)) set.add(ym);
    }
  }
  return [...set].sort();
}

/** The route of a provider's page: "#provider/41000001" → "41000001", else null. */
export function routeAgb(hash) {
  const m = /^#provider\/(\d{8})$/.exec(hash || '');
  return m ? m[1] : null;
}
