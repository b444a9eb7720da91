// web/view-provider.js — a provider's page as a whole, under the national figures: shown
// for a provider's own token (its AGB from /api/v1/whoami) and for a controller who opened
// a provider from the providers table ("#provider/<agb>", with a link back). It draws the
// parts: its year (view-provider-year.js), the upload (view-provider-upload.js, its own
// token only), the CSV download (view-provider-export.js), its submissions
// (view-provider-submissions.js) and the lines of one (view-provider-lines.js).

import { $ } from './dom.js';
import { errorText } from './errors.js';
import { todayAmsterdam } from './view-controls.js';
import { t } from './i18n.js';
import { renderExport } from './view-provider-export.js';
import { renderProviderLines } from './view-provider-lines.js';
import { renderSubmissions } from './view-provider-submissions.js';
import { renderUpload, showUpload } from './view-provider-upload.js';
import { renderProviderYear } from './view-provider-year.js';

/**
 * Draw or hide the provider's page.
 * @param {object|null} p {agb, doc, error, subs, subsError}: the provider shown, or null
 * @param {object|null} status the national status document
 * @param {string} role the token's role
 */
export function renderProviderPage(p, status, role) {
  const panel = $('provider');
  panel.hidden = !p;
  $('nav-provider').hidden = !p;
  // a provider sees no list of providers: its own page instead
  $('nav-providers').hidden = role === 'provider';
  if (!p) return;
  const own = role === 'provider';
  $('provider-back').hidden = own;
  showUpload(own);
  const err = $('provider-error');
  const year = p.doc?.year ?? status?.year ?? null;
  if (!p.doc) {
    $('provider-heading').textContent = t('provider.headingNoName', { agb: p.agb });
    $('provider-note').textContent = '';
    for (const id of ['provider-kpis', 'provider-due', 'provider-months', 'provider-groups']) $(id).replaceChildren();
  } else {
    renderProviderYear(p.doc, status, { own, today: todayAmsterdam() });
  }
  err.hidden = !p.error;
  err.textContent = !p.error ? ''
    : p.error.status === 404 ? t('provider.notFound', { agb: p.agb })
      : t('provider.loadFailed', { reason: errorText(p.error) });
  document.querySelector('.provider-tables').hidden = !p.doc;
  $('export-row').hidden = !p.doc;
  renderExport(p.agb, year);
  renderSubmissions(p.subs, year, p.subsError, errorText);
  renderProviderLines();
  renderUpload();
}

/** Bring the provider's page into view with the focus on it (opened from the table). */
export function focusProviderPage() {
  const panel = $('provider');
  if (panel.hidden) return;
  panel.focus({ preventScroll: true });
  panel.scrollIntoView({ block: 'start' });
}

