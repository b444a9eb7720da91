// web/view-provider-lines.js — the lines of one submission on a provider's page, from GET
// /api/v1/declarations/{id}?limit&after&status&month: each with its status, codes, the
// readable reason (the API's own words, in English, BSN masked), prestatie, period, amount
// and whether it came late; filterable by status and by month, paged with "more". Also
// the table of lines an upload answered (view-provider-upload.js), built the same way.

import { apiPath, request } from './api.js';
import { $, h } from './dom.js';
import { errorText } from './errors.js';
import { formatDate, formatMoney, monthLong } from './format.js';
import { language, t } from './i18n.js';
import { LINE_STATUSES, lineMonths } from './provider-model.js';

const PAGE = 200;

/** The submission whose lines are shown: {id, reference, months}, the filters, the lines. */
let shown = null;
/** What the view needs from the page: set by initProviderLines(). */
let hooks = { unauthorized: () => {}, opened: () => {} };

/** Text the API gives in English, marked as such on a Dutch page. */
export function apiText(text) {
  return h('span', { lang: language() === 'en' ? null : 'en' }, String(text));
}

/**
 * Table rows for lines, as the submission answer (§4) or the line listing gives them.
 * @param {Array} lines the lines
 * @param {boolean} full with prestatie and period (the listing), else the answer's columns
 */
export function lineRows(lines, full) {
  return lines.map((l) => {
    const status = String(l.status ?? '');
    const codes = Array.isArray(l.codes) ? l.codes.map(String) : [];
    return h('tr', { class: `line line-${status}`, dataset: { lineRef: String(l.line_ref ?? ''), status } },
      h('th', { scope: 'row' }, String(l.line_ref ?? '—')),
      h('td', {}, h('span', { class: `state state-${status}` },
        LINE_STATUSES.includes(status) ? t(`line.status.${status}`) : status || '—')),
      h('td', { class: 'codes' }, codes.length ? codes.join(' ') : '—'),
      h('td', { class: 'reason' }, l.reason ? apiText(l.reason) : '—'),
      full ? h('td', {}, l.prestatie ? String(l.prestatie) : '—') : null,
      full ? h('td', {}, l.date_from ? t('lines.period', { from: formatDate(l.date_from), to: formatDate(l.date_to) }) : '—') : null,
      h('td', { class: 'num', dataset: { cents: Number.isFinite(l.amount_cents) ? String(l.amount_cents) : '' } },
        formatMoney(l.amount_cents)),
      h('td', {}, l.late ? t('line.late') : '—'));
  });
}

/** The table's caption and header for lineRows(). */
export function lineHead(caption, full) {
  return [h('caption', {}, caption), h('thead', {}, h('tr', {},
    h('th', { scope: 'col' }, t('lines.col.ref')),
    h('th', { scope: 'col' }, t('lines.col.status')),
    h('th', { scope: 'col' }, t('lines.col.codes')),
    h('th', { scope: 'col' }, t('lines.col.reason')),
    full ? h('th', { scope: 'col' }, t('lines.col.prestatie')) : null,
    full ? h('th', { scope: 'col' }, t('lines.col.period')) : null,
    h('th', { scope: 'col', class: 'num' }, t('lines.col.amount')),
    h('th', { scope: 'col' }, t('lines.col.late'))))];
}

function options(select, values, current, label) {
  select.replaceChildren(h('option', { value: '' }, t('lines.filter.all')),
    ...values.map((v) => h('option', { value: v }, label(v))));
  select.value = values.includes(current) ? current : '';
}

/** Draw the panel from what is held (also after a language switch). */
export function renderProviderLines() {
  const panel = $('lines-panel');
  panel.hidden = !shown;
  if (!shown) return;
  $('lines-heading').textContent = t('lines.heading', { reference: shown.reference });
  options($('lines-status'), [...LINE_STATUSES], shown.status, (s) => t(`line.status.${s}`));
  options($('lines-month'), lineMonths(shown), shown.month, (m) => monthLong(m));
  const note = $('lines-note');
  note.textContent = shown.error ? t('lines.loadFailed', { reason: errorText(shown.error) })
    : shown.loading ? t('lines.loading')
      : shown.lines.length ? t('lines.note', { n: shown.lines.length, more: shown.next !== null }) : t('lines.none');
  $('lines-table').replaceChildren(...lineHead(t('lines.caption', { reference: shown.reference }), true),
                                   h('tbody', {}, lineRows(shown.lines, true)));
  $('lines-wrap').hidden = !shown.lines.length;
  $('lines-more-row').hidden = shown.next === null || shown.loading;
}

async function load(more) {
  const s = shown;
  if (!s) return;
  s.loading = true;
  s.error = null;
  renderProviderLines();
  try {
    const doc = await request('GET', apiPath(`/api/v1/declarations/${encodeURIComponent(s.id)}`, {
      limit: PAGE, after: more ? s.next : null, status: s.status || null, month: s.month || null }));
    if (shown !== s) return;
    const lines = Array.isArray(doc?.lines) ? doc.lines : [];
    s.lines = more ? [...s.lines, ...lines] : lines;
    // the months to filter by: the submission's, else those its unfiltered lines show
    if (!s.months.length && !s.status && !s.month) s.months = lineMonths(null, s.lines);
    s.next = doc?.page?.next_after ?? null;
  } catch (e) {
    if (shown !== s) return;
    if (e.status === 401) {
      hooks.unauthorized();
      return;
    }
    s.error = e;
  } finally {
    s.loading = false;
  }
  renderProviderLines();
}

/**
 * Open one submission's lines (a stored one: it has an id).
 * @param {{id: number, reference: string, months: string[]}} sub
 */
export function openSubmission(sub) {
  shown = { id: sub.id, reference: sub.reference, months: sub.months || [], status: '', month: '',
            lines: [], next: null, loading: true, error: null };
  hooks.opened(sub.id);
  load(false);
  renderProviderLines();
  $('lines-heading').focus();
}

/** The id of the submission whose lines are open, or null. */
export function openSubmissionId() {
  return shown ? shown.id : null;
}

/** Close the lines (another provider, sign-out). */
export function resetProviderLines() {
  shown = null;
  renderProviderLines();
}

/**
 * Wire the filters, "more" and "close".
 * @param {{unauthorized: function(), opened: function(number|null)}} given
 */
export function initProviderLines(given) {
  hooks = { ...hooks, ...given };
  $('lines-status').addEventListener('change', (ev) => {
    if (!shown) return;
    shown.status = ev.target.value;
    load(false);
  });
  $('lines-month').addEventListener('change', (ev) => {
    if (!shown) return;
    shown.month = ev.target.value;
    load(false);
  });
  $('lines-more').addEventListener('click', () => load(true));
  $('lines-close').addEventListener('click', () => {
    const id = shown?.id;
    shown = null;
    renderProviderLines();
    hooks.opened(null);
    document.querySelector(`.open-lines[data-id="${id}"]`)?.focus();
  });
}
