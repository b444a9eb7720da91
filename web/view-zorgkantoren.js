// web/view-zorgkantoren.js — the zorgkantoor picker of the providers section (controller):
// "all zorgkantoren", or one of those the status document lists; with one chosen, a line
// with its spend, its share of the national spend and its providers. The cap is national:
// a zorgkantoor has a share, no budget of its own, and the line says so.

import { $, h } from './dom.js';
import { formatMoney, formatRatio } from './format.js';
import { t } from './i18n.js';

/** The zorgkantoren of the status document that have a code, by code. */
export function zorgkantoren(status) {
  return (Array.isArray(status?.zorgkantoren) ? status.zorgkantoren : [])
    .filter((z) => z && typeof z.code === 'string' && /^\d{4}$/.test(z.code))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** "5509" or "5509 · Zorgkantoor Utrecht" */
export function zorgkantoorLabel(z) {
  return z.name ? `${z.code} \u00b7 ${z.name}` : z.code;
}

/**
 * Fill the picker and select the chosen zorgkantoor.
 * @param {object|null} status the status document
 * @param {string|null} chosen the code chosen in this session, or null for all
 * @param {boolean} visible whether this token may see providers (controller)
 */
export function renderZkPicker(status, chosen, visible) {
  const picker = $('zk-picker');
  picker.hidden = !visible;
  if (!visible) return;
  const select = $('zk-select');
  const options = [h('option', { value: '' }, t('zk.all')),
                   ...zorgkantoren(status).map((z) => h('option', { value: z.code }, zorgkantoorLabel(z)))];
  if (chosen && !zorgkantoren(status).some((z) => z.code === chosen)) {
    options.push(h('option', { value: chosen }, chosen));
  }
  select.replaceChildren(...options);
  select.value = chosen || '';
}

/**
 * The chosen zorgkantoor's line: spend, share of the national spend, providers.
 * @param {object|null} doc the providers document of one zorgkantoor, or null for all
 */
export function renderZkSummary(doc) {
  const line = $('zk-summary');
  const z = doc?.zorgkantoor;
  line.hidden = !z;
  if (!z) return;
  line.dataset.code = z.code;
  line.dataset.spent = String(z.spent_cents);
  line.replaceChildren(t('zk.summary', {
    zk: zorgkantoorLabel(z), amount: formatMoney(z.spent_cents), share: formatRatio(z.share_ratio),
    providers: t('zk.providers', { n: z.providers }),
  }));
}

/** Wire the picker: @a onPick(code or null). */
export function initZkPicker(onPick) {
  $('zk-select').addEventListener('change', (ev) => onPick(ev.target.value || null));
}
