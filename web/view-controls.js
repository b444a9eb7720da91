// web/view-controls.js — the header's controls: the language switch (always there, also
// before sign-in), the year selector, the "as of" day next to it, "Refresh now" and "Sign
// out".

import { $, h } from './dom.js';
import { t } from './i18n.js';
import { LANGUAGES, language } from './locale.js';

/** The national C&A cap applies from 2025 (doc/domain.md): the first year worth offering. */
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

/** Today in Amsterdam, "YYYY-MM-DD": the last day the API answers "as of" for. */
export function todayAmsterdam(now = new Date()) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(now);
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The "as of" day: limited to the year shown (from its 1 January) up to today; empty means
 * today's figures. The "Today" button clears it.
 * @param {number|null} year the year shown
 * @param {string|null} asOf the day chosen in this session, or null
 */
export function syncAsOfInput(year, asOf) {
  const input = $('asof-input');
  const today = todayAmsterdam();
  input.min = year ? `${year}-01-01` : '';
  input.max = today;
  if (input.value !== (asOf || '')) input.value = asOf || '';
  $('asof-today').hidden = !asOf;
}

/** "Refresh now", or "Refreshing…" (disabled) while a refresh runs. */
export function renderRefreshButton(running) {
  const button = $('refresh-button');
  button.disabled = running;
  button.textContent = t(running ? 'controls.refreshing' : 'controls.refresh');
}

/**
 * Wire the controls.
 * @param {{language: function(string), year: function(number), asOf: function(string|null),
 *          refresh: function(), signOut: function()}} on what each control does
 */
export function initControls(on) {
  for (const lang of LANGUAGES) $(`lang-${lang}`).addEventListener('click', () => on.language(lang));
  $('year-select').addEventListener('change', (ev) => on.year(Number(ev.target.value)));
  // "change" fires once a whole date is chosen (typing or the picker); an incomplete or
  // cleared field gives "".
  $('asof-input').addEventListener('change', (ev) => {
    const v = ev.target.value;
    on.asOf(/^\d{4}-\d{2}-\d{2}$/.test(v) && v <= todayAmsterdam() ? v : null);
  });
  $('asof-today').addEventListener('click', () => on.asOf(null));
  $('refresh-button').addEventListener('click', () => on.refresh());
  $('signout-button').addEventListener('click', () => on.signOut());
}
