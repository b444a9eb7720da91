// web/view-provider-year.js — a provider's own year on its page: who it is, its spend (and
// its part of the national spend), the months declared, missing and still due with their
// deadlines, its lines declared late, and two tables: per month and per target group.
// The figures come from GET /api/v1/providers/{agb} (provider-model.js reads them).

import { $, h, setText } from './dom.js';
import { formatCount, formatDate, formatMoney, formatRatio, isNumber, monthLong, monthShortYear }
  from './format.js';
import { t, tParts } from './i18n.js';
import { providerGroups, providerYear } from './provider-model.js';

function kpi(id, label, value, note = null, cents = null) {
  return h('div', { class: 'kpi', id },
    h('dt', {}, label),
    h('dd', { class: 'kpi-value', dataset: cents === null ? {} : { cents: String(cents) } }, value),
    note ? h('dd', { class: 'kpi-note' }, note) : null);
}

function monthsTable(year, months) {
  const head = h('thead', {}, h('tr', {},
    h('th', { scope: 'col' }, t('provider.col.month')),
    h('th', { scope: 'col', class: 'num' }, t('provider.col.spent')),
    h('th', { scope: 'col' }, t('provider.col.state')),
    h('th', { scope: 'col' }, t('provider.col.deadline'))));
  const rows = months.map((m) => h('tr', { dataset: { month: m.month, state: m.state } },
    h('th', { scope: 'row' }, monthLong(m.month)),
    h('td', { class: 'num', dataset: { cents: String(m.spent_cents) } }, formatMoney(m.spent_cents)),
    h('td', {}, h('span', { class: `state state-${m.state}` }, t(`provider.state.${m.state}`))),
    h('td', {}, m.deadline ? formatDate(m.deadline) : '—')));
  return [h('caption', {}, t('provider.months.caption', { year })), head, h('tbody', {}, rows)];
}

function groupsTable(year, groups) {
  const head = h('thead', {}, h('tr', {},
    h('th', { scope: 'col' }, t('provider.col.group')),
    h('th', { scope: 'col', class: 'num' }, t('provider.col.spent')),
    h('th', { scope: 'col', class: 'num' }, t('provider.col.hours'))));
  const rows = groups.length ? groups.map((g) => h('tr', { dataset: { group: g.code } },
    h('th', { scope: 'row' }, h('span', { class: 'group-code' }, g.code), ' ',
      h('span', { class: 'group-name', lang: 'nl' }, String(g.name))),
    h('td', { class: 'num', dataset: { cents: String(g.spent_cents) } }, formatMoney(g.spent_cents)),
    h('td', { class: 'num' }, isNumber(g.minutes) ? formatCount(Math.round(g.minutes / 60)) : '—')))
    : [h('tr', {}, h('td', { colspan: '3' }, t('provider.groups.none')))];
  return [h('caption', {}, t('provider.groups.caption', { year })), head, h('tbody', {}, rows)];
}

function monthList(cls, heading, items) {
  return h('div', { class: `due-block ${cls}` },
    h('h3', {}, heading),
    h('ul', { class: 'chips' }, items.map((m) => h('li', { class: `chip ${cls}-chip`, dataset: { month: m.month } },
      t(cls === 'missing' ? 'provider.missing.item' : 'provider.due.item',
        { month: monthShortYear(m.month), deadline: m.deadline ? formatDate(m.deadline) : '—' })))));
}

/**
 * Draw the provider's heading and year.
 * @param {object} doc the provider document
 * @param {object|null} status the national status document (for the share of the spend)
 * @param {{own: boolean, today: string}} opts own: the provider's own token (else a controller)
 */
export function renderProviderYear(doc, status, { own, today }) {
  const year = doc.year ?? status?.year ?? '—';
  const agb = String(doc.agb ?? '');
  $('provider-heading').replaceChildren(...(doc.name
    ? tParts('provider.heading', { name: h('span', { lang: 'nl' }, String(doc.name)), agb })
    : [t('provider.headingNoName', { agb })]));
  setText('provider-note', t(own ? 'provider.noteOwn' : 'provider.noteController', { year }));
  const y = providerYear(doc, today);
  const expected = y.months.filter((m) => m.state !== 'none' && m.state !== 'open').length;
  const share = isNumber(status?.spent_cents) && status.spent_cents > 0
    ? t('provider.kpi.spentNote', { share: formatRatio(y.spent_cents / status.spent_cents) }) : null;
  $('provider-kpis').replaceChildren(
    kpi('provider-kpi-spent', t('provider.kpi.spent', { year }), formatMoney(y.spent_cents), share, y.spent_cents),
    kpi('provider-kpi-declared', t('provider.kpi.declared'),
        t('provider.kpi.declaredValue', { declared: formatCount(y.declared.length), expected: formatCount(expected) })),
    kpi('provider-kpi-missing', t('provider.kpi.missing'), formatCount(y.missing.length)),
    kpi('provider-kpi-late', t('provider.kpi.late'), formatCount(y.late_lines)));
  $('provider-kpi-missing').classList.toggle('is-over', y.missing.length > 0);
  $('provider-kpi-late').classList.toggle('is-over', y.late_lines > 0);

  const due = [];
  if (y.missing.length) due.push(monthList('missing', t('provider.missing.heading'), y.missing));
  if (y.due.length) due.push(monthList('due', t('provider.due.heading'), y.due));
  else due.push(h('p', { class: 'section-note due-none' }, t('provider.due.none')));
  $('provider-due').replaceChildren(...due);

  $('provider-months').replaceChildren(...monthsTable(year, y.months));
  $('provider-groups').replaceChildren(...groupsTable(year, providerGroups(doc)));
}
