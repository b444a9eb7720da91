// web/view-report.js — the month-end workbook for a controller: one button that downloads
// GET /api/v1/report.xlsx for the year and "as of" day on screen (today when none is
// chosen), with the token, and saves it under the name the API gives it.

import { apiPath, download } from './api.js';
import { $ } from './dom.js';
import { errorText } from './errors.js';
import { t } from './i18n.js';

let current = { year: null, asOf: null };
let busy = false;

/**
 * Show the button for a controller, for the year and day shown.
 * @param {boolean} visible controller only
 * @param {number|null} year the year on screen
 * @param {string|null} asOf the "as of" day chosen, or null (today)
 */
export function renderReport(visible, year, asOf) {
  $('report-row').hidden = !visible;
  current = { year, asOf };
  if (!busy) $('report-button').textContent = t(asOf ? 'report.downloadAsOf' : 'report.download');
}

async function fetchReport() {
  if (busy || !current.year) return;
  busy = true;
  const button = $('report-button');
  const status = $('report-status');
  button.disabled = true;
  status.textContent = t('report.busy');
  try {
    const { blob, filename } = await download(apiPath('/api/v1/report.xlsx',
                                                      { year: current.year, as_of: current.asOf }));
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = filename || `lvhcmon-${current.year}.xlsx`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
    status.textContent = t('report.done', { file: a.download });
  } catch (e) {
    status.textContent = t('report.failed', { reason: errorText(e) });
  } finally {
    busy = false;
    button.disabled = false;
    button.textContent = t(current.asOf ? 'report.downloadAsOf' : 'report.download');
  }
}

export function initReport() {
  $('report-button').addEventListener('click', fetchReport);
}
