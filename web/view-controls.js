// web/view-controls.js — the header's controls: the language switch (always there, also
// before sign-in), the year selector, "Refresh now" and "Sign out".

import { $, h } from './dom.js';
import { t } from './i18n.js';
import { LANGUAGES, language } from './locale.js';

/** The national C&A cap applies from 2025 (DOMAIN.md): the first year worth offering. */
const FIRST_YEAR = 2025;

/** Mark the current language's button as pressed. */
export function renderLanguageSwitch() {
  for (const lang of LANGUAGES) {
    $(`lang-${lang}`).setAttribute('aria-pressed', String(lang === language()));
  }
}

/**
 * Offer the years from 2025 up to this year (or the year shown, if later) and select one.
 * @param {number|null} shownYear the year of the status document on screen
 * @param {number|null} chosenYear the year chosen in this session
 */
export function syncYearSelect(shownYear, chosenYear) {
  const select = $('year-select');
  const last = Math.max(new Date().getFullYear(), shownYear || 0);
  const years = [];
  for (let y = Math.min(FIRST_YEAR, shownYear || FIRST_YEAR); y <= last; y++) years.push(y);
  const current = [...select.options].map((o) => Number(o.value));
  if (current.join() !== years.join()) {
    select.replaceChildren(...years.map((y) => h('option', { value: y }, String(y))));
  }
  select.value = String(chosenYear || shownYear || new Date().getFullYear());
}

/** "Refresh now", or "Refreshing…" (disabled) while a refresh runs. */
export function renderRefreshButton(running) {
  const button = $('refresh-button');
  button.disabled = running;
  button.textContent = t(running ? 'controls.refreshing' : 'controls.refresh');
}

/**
 * Wire the controls.
 * @param {{language: function(string), year: function(number), refresh: function(),
 *          signOut: function()}} on what each control does
 */
export function initControls(on) {
  for (const lang of LANGUAGES) $(`lang-${lang}`).addEventListener('click', () => on.language(lang));
  $('year-select').addEventListener('change', (ev) => on.year(Number(ev.target.value)));
  $('refresh-button').addEventListener('click', () => on.refresh());
  $('signout-button').addEventListener('click', () => on.signOut());
}
