// web/view-provider-submissions.js — a provider's submissions on its page, newest first,
// from GET /api/v1/providers/{agb}/submissions: when each came in, its invoice number, its
// format, its lines accepted and rejected, its amount and months; a file rejected whole
// with the reason. A stored one's button opens its lines (view-provider-lines.js).
//
// The table is only rebuilt when what it shows changed, so a poll does not take the
// keyboard focus away from a button in it.

import { $, h, timeEl } from './dom.js';
import { formatCount, formatMoney, monthShortYear } from './format.js';
import { language, t } from './i18n.js';
import { submissionRows } from './provider-model.js';
import { apiText, openSubmission, openSubmissionId } from './view-provider-lines.js';

let drawn = '';

function row(s, openId) {
  const received = h('td', {}, timeEl(s.receivedAt));
  const source = h('td', {}, String(s.source || '—').toUpperCase());
  if (s.rejectedWhole || s.id === null) {
    const e = s.error || {};
    return h('tr', { class: 'submission rejected-whole', dataset: { reference: s.reference, attempt: String(s.attemptId ?? '') } },
      h('th', { scope: 'row' }, s.reference || '—'), received, source,
      h('td', { colspan: '5', class: 'reason' },
        h('span', { class: 'state state-rejected' }, t('submissions.wholeLabel')), ': ',
        apiText(`${e.message || e.code || '—'}${e.field ? ` (${e.field})` : ''}`)));
  }
  const open = openId === s.id;
  return h('tr', { class: 'submission', dataset: { id: String(s.id), reference: s.reference } },
    h('th', { scope: 'row' },
      h('span', { class: 'submission-ref' }, s.reference || '—'), ' ',
      h('button', { type: 'button', class: 'button button-link open-lines', dataset: { id: String(s.id) },
                    'aria-controls': 'lines-panel', 'aria-expanded': String(open) },
        // the visible words first, then which invoice for a screen reader
        t('submissions.open'), h('span', { class: 'visually-hidden' }, t('submissions.openRef', { reference: s.reference })))),
    received, source,
    h('td', { class: 'num' }, formatCount(s.lines)),
    h('td', { class: 'num', dataset: { n: String(s.accepted ?? '') } }, formatCount(s.accepted)),
    h('td', { class: `num${s.rejected ? ' is-late' : ''}`, dataset: { n: String(s.rejected ?? '') } }, formatCount(s.rejected)),
    h('td', { class: 'num', dataset: { cents: String(s.amount_cents ?? '') } }, formatMoney(s.amount_cents)),
    h('td', {}, s.months.map(monthShortYear).join(', ') || '—'));
}

/**
 * Draw the list.
 * @param {object|null} doc the submissions document
 * @param {number} year the year shown
 * @param {Error|null} error why the list could not be loaded, or null
 * @param {function(Error): string} errorText an error in words
 */
export function renderSubmissions(doc, year, error, errorText) {
  const rows = submissionRows(doc);
  const openId = openSubmissionId();
  const key = JSON.stringify([language(), year, rows, openId, error ? errorText(error) : null, doc?.next ?? null]);
  if (key === drawn) return;
  drawn = key;
  const note = $('submissions-note');
  note.textContent = error ? t('submissions.loadFailed', { reason: errorText(error) })
    : rows.length ? t('submissions.note', { count: t('count.declarations', { n: rows.length }), year })
      : t('submissions.none', { year });
  note.dataset.count = String(rows.length);
  $('submissions-wrap').hidden = !rows.length;
  const focused = document.activeElement?.closest?.('.open-lines')?.dataset.id;
  $('submissions-table').replaceChildren(
    h('caption', { class: 'visually-hidden' }, t('submissions.caption')),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('submissions.col.reference')),
      h('th', { scope: 'col' }, t('submissions.col.received')),
      h('th', { scope: 'col' }, t('submissions.col.source')),
      h('th', { scope: 'col', class: 'num' }, t('submissions.col.lines')),
      h('th', { scope: 'col', class: 'num' }, t('submissions.col.accepted')),
      h('th', { scope: 'col', class: 'num' }, t('submissions.col.rejected')),
      h('th', { scope: 'col', class: 'num' }, t('submissions.col.amount')),
      h('th', { scope: 'col' }, t('submissions.col.months')))),
    h('tbody', {}, rows.map((s) => row(s, openId))));
  if (focused) document.querySelector(`.open-lines[data-id="${focused}"]`)?.focus();
  $('submissions-more-row').hidden = !doc?.next;
}

/** Forget what was drawn (sign-out, another provider). */
export function resetSubmissions() {
  drawn = '';
  $('submissions-table').replaceChildren();
}

/**
 * Wire the list: a submission's button opens its lines; "more" asks for more.
 * @param {{rows: function(): Array, more: function()}} on
 */
export function initSubmissions(on) {
  $('submissions-table').addEventListener('click', (ev) => {
    const button = ev.target.closest('.open-lines');
    if (!button) return;
    const sub = on.rows().find((s) => String(s.id) === button.dataset.id);
    if (sub) openSubmission(sub);
  });
  $('submissions-more').addEventListener('click', () => on.more());
}
