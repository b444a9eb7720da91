// web/view-provider-upload.js — sending a declaration file from a provider's page (its own
// token only: a controller does not submit) and showing the answer at once: per
// submission whether it was stored, a replay (the first answer again, nothing changed) or
// refused, with every line's status, codes and reason; or the reason a file was rejected
// whole. upload.js picks the endpoint by the file's name and reads the answer.

import { send } from './api.js';
import { $, h } from './dom.js';
import { errorText } from './errors.js';
import { formatCount } from './format.js';
import { t, tParts } from './i18n.js';
import { readAnswer, uploadTarget } from './upload.js';
import { apiText, lineHead, lineRows } from './view-provider-lines.js';

let busy = false;
/** The last answer shown, {file, answer} or {file, failed}, redrawn on a language switch. */
let last = null;
let hooks = { sent: () => {}, unauthorized: () => {} };

function where(e) {
  const line = e.line ?? e.detail?.line ?? null;
  if (e.field && line) return t('upload.whereFieldLine', { field: e.field, line });
  if (e.field) return t('upload.whereField', { field: e.field });
  if (line) return t('upload.whereLine', { line });
  return '';
}

function submissionBlock(s) {
  const ref = s.reference || '—';
  let head;
  if (s.error) {
    head = h('p', { class: 'upload-outcome outcome-refused' }, ...tParts('upload.refused', {
      reference: ref,
      message: apiText(`${s.error.message || s.error.code}${s.error.field ? ` (${s.error.field})` : ''}`) }));
  } else if (s.replayed) {
    head = h('p', { class: 'upload-outcome outcome-replayed' }, t('upload.replayed', { reference: ref }));
  } else {
    head = h('p', { class: 'upload-outcome outcome-stored' }, t('upload.stored', {
      reference: ref, accepted: t('count.lines', { n: s.accepted }), rejected: formatCount(s.rejected) }));
  }
  const table = s.lines.length
    ? h('div', { class: 'table-scroll', tabindex: '0', 'aria-label': t('upload.caption', { reference: ref }) },
      h('table', { class: 'data-table upload-lines' },
        lineHead(t('upload.caption', { reference: ref }), false), h('tbody', {}, lineRows(s.lines, false))))
    : null;
  return h('div', { class: 'upload-submission', dataset: { reference: ref, status: String(s.status),
                                                           replayed: String(s.replayed) } }, head, table);
}

/** Draw the last answer (also after a language switch). */
export function renderUpload() {
  const status = $('upload-status');
  const result = $('upload-result');
  if (busy) return;
  if (!last) {
    status.textContent = '';
    result.replaceChildren();
    return;
  }
  if (last.failed) {
    status.textContent = t('upload.failed', { reason: errorText(last.failed) });
    result.replaceChildren();
    return;
  }
  const { whole, submissions } = last.answer;
  if (whole) {
    status.replaceChildren(...tParts('upload.whole', {
      file: last.file, message: apiText(whole.message || whole.code), where: where(whole) }));
    status.dataset.outcome = 'rejected-whole';
    result.replaceChildren();
    return;
  }
  status.textContent = t('upload.done', { file: last.file, count: t('count.declarations', { n: submissions.length }) });
  status.dataset.outcome = 'answered';
  result.replaceChildren(...submissions.map(submissionBlock));
}

async function submit(ev) {
  ev.preventDefault();
  if (busy) return;
  const input = $('upload-file');
  const file = input.files?.[0];
  const status = $('upload-status');
  if (!file) {
    last = null;
    renderUpload();
    status.textContent = t('upload.noFile');
    input.focus();
    return;
  }
  const target = uploadTarget(file.name);
  busy = true;
  $('upload-button').disabled = true;
  status.textContent = t('upload.sending', { file: file.name });
  delete status.dataset.outcome;
  $('upload-result').replaceChildren();
  try {
    const res = await send(target.path, file, target.contentType);
    if (res.status === 401) {
      hooks.unauthorized();
      return;
    }
    last = { file: file.name, answer: readAnswer(target.kind, res.status, res.body) };
    input.value = '';
  } catch (e) {
    last = { file: file.name, failed: e };
  } finally {
    busy = false;
    $('upload-button').disabled = false;
  }
  renderUpload();
  hooks.sent();
}

/** Show the form for a provider's own page only. */
export function showUpload(visible) {
  $('upload-form').hidden = !visible;
}

/** Forget the last answer (sign-out). */
export function resetUpload() {
  last = null;
  renderUpload();
}

/**
 * Wire the form.
 * @param {{sent: function(), unauthorized: function()}} given sent: after an answer (refresh
 *   the lists); unauthorized: the token was refused
 */
export function initUpload(given) {
  hooks = { ...hooks, ...given };
  $('upload-form').addEventListener('submit', submit);
}
