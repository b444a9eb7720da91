// web/errors.js — an ApiError (api.js) in the page's words. The API's own messages are
// English and shown as they are; the failures the page detects itself have texts of their
// own in the tables.

import { t } from './i18n.js';

/** @return {string} what went wrong, for a banner or a message next to a button */
export function errorText(e) {
  if (e?.code === 'network') return t('error.network');
  if (e?.code === 'bad_json') return t('error.badJson');
  return String(e?.message ?? e);
}

/** @return {string} "HTTP 503" or "no answer" for a failed request */
export function statusText(status) {
  return status ? t('banner.http', { status }) : t('banner.noAnswer');
}
