// web/view-banner.js — the banner under the header: the service degraded (the last figures
// stay on screen), unavailable (nothing to show yet), a request refused, or data the
// daemon itself marks as stale.

import { $, setText } from './dom.js';
import { errorText, statusText } from './errors.js';
import { formatDateTime } from './format.js';
import { t } from './i18n.js';

/**
 * Draw or hide the banner.
 * @param {Array<[string, ApiError]>} problems failed requests as [request, error], where
 *   request is "status", "alerts" or "providers"
 * @param {{ok: boolean, status: number}} ready the answer of /readyz
 * @param {object|null} status the last good status document
 * @param {number} pollSeconds the refresh interval
 */
export function renderBanner(problems, ready, status, pollSeconds) {
  const messages = [];
  let level = 'warn';
  const degraded = problems.filter(([, e]) => e.degraded);
  const refused = problems.filter(([, e]) => !e.degraded);
  if (degraded.length || !ready.ok) {
    const what = degraded.map(([name, e]) => t('banner.failing', { what: t(`request.${name}`), why: statusText(e.status) }));
    if (!ready.ok) what.push(t('banner.failing', { what: t('request.ready'), why: statusText(ready.status) }));
    if (status) {
      messages.push(t('banner.degraded', { time: formatDateTime(status.data_as_of), what: what.join(', ') }));
    } else {
      level = 'error';
      messages.push(t('banner.unavailable', { what: what.join(', '), seconds: pollSeconds }));
    }
  }
  for (const [name, e] of refused) {
    level = 'error';
    messages.push(t('banner.refused', { what: t(`request.${name}`), message: errorText(e), status: e.status }));
  }
  if (status?.stale === true) messages.push(t('banner.stale', { time: formatDateTime(status.data_as_of) }));
  const banner = $('banner');
  banner.hidden = !messages.length;
  banner.className = `banner banner-${level}`;
  setText('banner-text', messages.join(' '));
}
