// web/providers-model.js — which providers the page reports as having missing or late
// declarations, read from GET /api/v1/providers (daemon/snapshot/snapshot_docs.c,
// provider_json()). No DOM: the unit tests import it.
//
// What marks a provider: `missing_months` (months that were due, whose deadline passed,
// and that it has not declared; `n_missing` counts them) and `late_lines` (its accepted
// lines that arrived after their month's deadline, code 0586). A provider is counted only
// when one of them is non-zero. The total it is counted against is the providers that have
// to declare this year (`months_expected`) or did declare (`months_declared`): a provider
// of the reference list without a designation this year is not part of it.

import { isNumber } from './format.js';

/** The provider objects of the document (an array, or {"providers": [...]}). */
export function providerRows(doc) {
  const list = Array.isArray(doc) ? doc : Array.isArray(doc?.providers) ? doc.providers : [];
  return list.filter((p) => p && typeof p === 'object');
}

/** The months the provider has not declared although they were due ("YYYY-MM"). */
export function missingMonths(p) {
  return Array.isArray(p.missing_months) ? p.missing_months.map(String) : [];
}

/** The number of months missing: the list's length, or n_missing when there is no list. */
export function missingCount(p) {
  if (Array.isArray(p.missing_months)) return p.missing_months.length;
  return isNumber(p.n_missing) ? p.n_missing : 0;
}

/** The provider's lines declared late, 0 when absent. */
export function lateLines(p) {
  return isNumber(p.late_lines) && p.late_lines > 0 ? p.late_lines : 0;
}

/** True when the provider really has a missing month or a line declared late. */
export function isFlagged(p) {
  return missingCount(p) > 0 || lateLines(p) > 0;
}

/** True when the provider has to declare this year, or did (documents without the fields: true). */
export function declaresThisYear(p) {
  const has = (k) => Array.isArray(p[k]);
  if (!has('months_expected') && !has('months_declared')) return true;
  return (p.months_expected?.length || 0) > 0 || (p.months_declared?.length || 0) > 0;
}

/**
 * The providers section in numbers.
 * @param {object} doc the providers document
 * @return {{total: number, flagged: Array, withMissing: number, withLate: number}}
 *   total: providers that declare this year; flagged: those with a missing month or a late
 *   line, most missing months first, then most late lines, then by name
 */
export function providerSummary(doc) {
  const active = providerRows(doc).filter(declaresThisYear);
  const flagged = active.filter(isFlagged).sort((a, b) => missingCount(b) - missingCount(a)
    || lateLines(b) - lateLines(a)
    || String(a.name || a.agb).localeCompare(String(b.name || b.agb)));
  return {
    total: active.length,
    flagged,
    withMissing: flagged.filter((p) => missingCount(p) > 0).length,
    withLate: flagged.filter((p) => lateLines(p) > 0).length,
  };
}
