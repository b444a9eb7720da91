// web/view-months.js — the monthly figures as a table next to the chart (the same numbers
// the chart draws, for reading and for screen readers), and the button that shows it.

import { $, h } from './dom.js';
import { formatCount, formatMoney, isNumber, monthLong, parseMonth } from './format.js';
import { t } from './i18n.js';
import { plottedMonths, profileThrough } from './months.js';

/** Fill the table's body from the status document. */
export function renderMonthTable(st) {
  const cap = st.cap_cents;
  const rows = plottedMonths(st).map((m) => {
    const n = parseMonth(m.month).month;
    const declared = !isNumber(m.providers_declared) ? '—'
      : isNumber(m.providers_expected)
        ? t('months.declared', { declared: formatCount(m.providers_declared),
                                 expected: formatCount(m.providers_expected) })
        : formatCount(m.providers_declared);
    return h('tr', {},
      h('th', { scope: 'row' }, monthLong(m.month)),
      h('td', { class: 'num' }, formatMoney(m.spent_cents)),
      h('td', { class: 'num' }, formatMoney(m.cumulative_cents)),
      h('td', { class: 'num' }, isNumber(cap) ? formatMoney(profileThrough(cap, n)) : '—'),
      h('td', { class: 'num' }, declared));
  });
  if (!rows.length) rows.push(h('tr', {}, h('td', { colspan: '5' }, t('months.empty'))));
  $('month-table').tBodies[0].replaceChildren(...rows);
}

/** The toggle's words follow its state (and the language). */
export function renderMonthToggle() {
  const shown = !$('month-table-wrap').classList.contains('visually-hidden');
  $('month-table-toggle').textContent = t(shown ? 'months.hide' : 'months.show');
}

/** Wire the "show the table" button (aria-expanded follows). */
export function initMonthToggle() {
  $('month-table-toggle').addEventListener('click', (ev) => {
    const wrap = $('month-table-wrap');
    const show = wrap.classList.contains('visually-hidden');
    wrap.classList.toggle('visually-hidden', !show);
    ev.currentTarget.setAttribute('aria-expanded', String(show));
    renderMonthToggle();
  });
}
