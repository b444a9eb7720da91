// web/view-provider-export.js — a provider's lines of the year as CSV for Excel: one button
// that downloads GET /api/v1/providers/{agb}/declarations.csv?year=Y&lang=nl|en with the
// token (fetch → Blob → a download link on this origin: nothing the CSP forbids) and
// saves it under the name the API gives.

import { apiPath, download } from './api.js';
import { $ } from './dom.js';
import { errorText } from './errors.js';
import { language, t } from './i18n.js';

let current = { agb: null, year: null };
let busy = false;

/** Set the provider and year the button downloads. */
export function renderExport(agb, year) {
  current = { agb, year };
  if (!busy) $('export-button').textContent = t('export.download', { year: year ?? '—' });
}

async function fetchCsv() {
  if (busy || !current.agb || !current.year) return;
  busy = true;
  const button = $('export-button');
  const status = $('export-status');
  button.disabled = true;
  status.textContent = t('export.busy');
  try {
    const { blob, filename } = await download(apiPath(
      `/api/v1/providers/${encodeURIComponent(current.agb)}/declarations.csv`,
      { year: current.year, lang: language() }));
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = filename || `lvhcmon-${current.agb}-${current.year}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
    status.textContent = t('export.done', { file: a.download });
  } catch (e) {
    status.textContent = t('export.failed', { reason: errorText(e) });
  } finally {
    busy = false;
    button.disabled = false;
    button.textContent = t('export.download', { year: current.year ?? '—' });
  }
}

/** Forget the last message (sign-out). */
export function resetExport() {
  $('export-status').textContent = '';
}

export function initExport() {
  $('export-button').addEventListener('click', fetchCsv);
}
