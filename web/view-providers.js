// web/view-providers.js — the providers with a missing month or a line declared late
// (providers-model.js decides which), for a controller: name and AGB, zorgkantoor, spend,
// last month declared, the missing months (a wrapping list, never cut off) and the late
// lines; each name opens that provider's page ("#provider/<agb>", view-provider.js). With a
// zorgkantoor picked (view-zorgkantoren.js) it lists every provider of that zorgkantoor
// instead, flagged or not. A dashboard token sees aggregates only and gets a sentence
// instead; a provider token sees its own page, not this section.

import { $, h, timeEl } from './dom.js';
import { formatCount, formatMoney, isNumber, monthShortYear } from './format.js';
import { t, tParts } from './i18n.js';
import { lateLines, missingMonths, providerSummary } from './providers-model.js';

function providerRow(p) {
  const months = missingMonths(p);
  const late = lateLines(p);
  return h('tr', { dataset: { agb: p.agb ?? '' } },
    h('th', { scope: 'row' },
      // the provider's own page (view-provider.js), for a controller
      h('a', { class: 'provider-name provider-link', href: /^\d{8}$/.test(p.agb ?? '') ? `#provider/${p.agb}` : null,
               lang: p.name ? 'nl' : null }, p.name ? String(p.name) : t('providers.unnamed')),
      h('span', { class: 'provider-agb' }, t('providers.agb', { agb: p.agb ?? '—' }))),
    h('td', {}, p.zorgkantoor ? String(p.zorgkantoor) : '—'),
    h('td', { class: 'num' }, formatMoney(p.spent_cents)),
    h('td', {}, p.last_month_declared ? monthShortYear(p.last_month_declared) : t('providers.noneYet')),
    h('td', { class: 'missing-cell' }, months.length
      ? h('ul', { class: 'chips chips-missing', 'aria-label': t('providers.missingList', { n: months.length }) },
        months.map((m) => h('li', { class: 'chip chip-missing' }, monthShortYear(m))))
      : h('span', { class: 'muted' }, t('providers.noMissing'))),
    h('td', { class: `num${late ? ' is-late' : ''}` }, isNumber(p.late_lines) ? formatCount(p.late_lines) : '—'));
}

/**
 * Draw the providers section.
 * @param {object|null} doc the providers document, or null when there is none
 * @param {string} role "controller", "dashboard" or "unknown" (not learnt yet)
 */
export function renderProviders(doc, role) {
  const wrap = $('providers-table-wrap');
  const note = $('providers-note');
  const zk = doc?.zorgkantoor?.code ?? null;
  const heading = $('providers-heading');
  // (a data-t of its own would lose the code on a language switch: render() redraws it)
  heading.textContent = zk ? t('providers.headingZk', { zk }) : t('providers.heading');
  // A dashboard token sees no provider data: the alerts then take the full width. A
  // provider sees its own page instead (view-provider.js), and no list of providers.
  document.querySelector('.two-col.main-cols').classList.toggle('is-single', role === 'dashboard' || role === 'provider');
  $('providers').hidden = role === 'provider';
  if (role === 'provider') return;
  if (role === 'dashboard') {
    wrap.hidden = true;
    note.textContent = t('providers.dashboardRole');
    return;
  }
  if (!doc) {
    wrap.hidden = true;
    note.textContent = role === 'unknown' ? t('providers.loadFailed') : '';
    return;
  }
  const { total, flagged, withMissing, withLate, all } = providerSummary(doc);
  const asOf = doc.data_as_of ? [' ', ...tParts('providers.asOf', { time: timeEl(doc.data_as_of) })] : [];
  note.dataset.flagged = String(flagged.length);
  note.dataset.total = String(total);
  if (zk) {
    // one zorgkantoor: all its providers, the flagged ones first
    note.replaceChildren(t('providers.noteZk', { n: all.length, flagged: flagged.length }), ...asOf);
    wrap.hidden = !all.length;
    $('providers-table').tBodies[0].replaceChildren(...all.map(providerRow));
    return;
  }
  if (!flagged.length) {
    wrap.hidden = true;
    note.replaceChildren(total ? t('providers.allGood', { n: total }) : t('providers.none'), ...asOf);
    return;
  }
  note.replaceChildren(t('providers.note', { flagged: flagged.length, total, missing: withMissing, late: withLate }),
                       ...asOf);
  wrap.hidden = false;
  $('providers-table').tBodies[0].replaceChildren(...flagged.map(providerRow));
}
