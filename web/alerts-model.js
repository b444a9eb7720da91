// web/alerts-model.js — the firing alerts as the page shows them: grouped by `alertname`
// (Alertmanager's habit), sorted so that what needs attention comes first, and the texts
// to show for each alert in the page's language. No DOM: the unit tests import it.

import { formatMoney } from './format.js';

/** The alert names of the API contract (doc/api.md §7); each has a title in the text tables. */
export const ALERT_NAMES = Object.freeze([
  'BudgetThresholdReached', 'BudgetForecastOverrun', 'BudgetAheadOfProfile',
  'ProviderDeclarationMissing', 'ProviderSpendSpike', 'GroupSpendSpike', 'ExtraCapReached',
]);

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 };

/** critical < warning < info < anything else, for sorting. */
export function severityRank(severity) {
  return SEVERITY_RANK[String(severity || '').toLowerCase()] ?? 3;
}

/** The alerts of an answer of GET /api/v1/alerts: {"alerts": [...]} or a bare array. */
export function alertList(doc) {
  const list = Array.isArray(doc) ? doc : Array.isArray(doc?.alerts) ? doc.alerts : [];
  return list.filter((a) => a && typeof a === 'object');
}

/** The alert's name: labels.alertname, or "" when it has none. */
export function alertName(a) {
  return String(a.labels?.alertname ?? '');
}

const isOpen = (a) => !a.acknowledged_by;

function compareAlerts(a, b) {
  return Number(isOpen(b)) - Number(isOpen(a))
    || severityRank(a.labels?.severity) - severityRank(b.labels?.severity)
    || String(b.startsAt || '').localeCompare(String(a.startsAt || ''))
    || String(a.fingerprint ?? '').localeCompare(String(b.fingerprint ?? ''));
}

/**
 * Group alerts by alertname.
 * @param {Array} alerts alert objects (alertList())
 * @return {Array<{alertname: string, alerts: Array, open: number, severity: string}>}
 *   groups with unacknowledged alerts first, then by their most severe alert, then by
 *   name; inside a group unacknowledged first, most severe, newest. `open` counts the
 *   unacknowledged alerts, `severity` is the group's most severe one.
 */
export function groupAlerts(alerts) {
  const byName = new Map();
  for (const a of alerts) {
    const name = alertName(a);
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name).push(a);
  }
  const groups = [...byName].map(([alertname, list]) => {
    list.sort(compareAlerts);
    const severity = list.map((a) => String(a.labels?.severity || '').toLowerCase())
      .sort((x, y) => severityRank(x) - severityRank(y))[0] || '';
    return { alertname, alerts: list, open: list.filter(isOpen).length, severity };
  });
  return groups.sort((a, b) => Number(b.open > 0) - Number(a.open > 0)
    || severityRank(a.severity) - severityRank(b.severity)
    || a.alertname.localeCompare(b.alertname));
}

/**
 * The summary and description to show, and their language.
 *
 * The API's `annotations` are English. When the page speaks Dutch and the alert also has
 * `annotations_nl` (the Dutch texts the API contract plans beside the English ones), those
 * are shown instead; an alert without them, or the page in English, shows `annotations`.
 * The result's `lang` is the language of the texts, for the lang attribute of the element
 * that shows them (screen readers then pronounce English text as English on a Dutch page).
 * @param {object} a an alert
 * @param {string} pageLang "nl" or "en"
 * @return {{summary: string, description: string, lang: string}}
 */
export function annotationsFor(a, pageLang) {
  const text = (o, k) => (o && typeof o[k] === 'string' ? o[k] : '');
  const nl = a.annotations_nl;
  if (pageLang === 'nl' && nl && typeof nl === 'object' && (text(nl, 'summary') || text(nl, 'description'))) {
    return { summary: text(nl, 'summary'), description: text(nl, 'description'), lang: 'nl' };
  }
  return { summary: text(a.annotations, 'summary'), description: text(a.annotations, 'description'), lang: 'en' };
}

/** "4238575.67" or "-12.50" → integer cents, exactly (no binary fractions). */
export function decimalToCents(s) {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(s);
  if (!m) return NaN;
  const cents = Number(m[2]) * 100 + Number(m[3]);
  return m[1] ? -cents : cents;
}

/*
 * The daemon writes money in alert texts as "4238575.67 EUR" (lib/money.c money_format()
 * followed by " EUR"), a range as "4933659.35 to 5170287.61 EUR". Only that notation is
 * matched: a number with exactly two decimals, not part of a longer token, followed
 * (through any " to <amount>") by the word EUR.
 */
const DAEMON_MONEY = /(?<![\w.,])-?\d+\.\d{2}(?:\s+to\s+-?\d+\.\d{2})*\s+EUR\b/g;

/**
 * Rewrite the daemon's amounts in an alert text in the page's money format: "4238575.67
 * EUR" becomes "€ 4.238.575,67" in Dutch and "€4,238,575.67" in English. The words around
 * them are left as they are; a text without such amounts comes back unchanged.
 * @param {string} text a summary or description
 * @return {string}
 */
export function localiseAmounts(text) {
  return String(text).replace(DAEMON_MONEY, (match) => match.replace(/\s+EUR$/, '')
    .replace(/-?\d+\.\d{2}/g, (n) => formatMoney(decimalToCents(n))));
}
