// web/view-groups.js — the six target groups: code, Dutch name (as the API gives it), spend,
// share of the spend as a bar, hours.

import { $, h, svg } from './dom.js';
import { formatCount, formatMoney, formatRatio, isNumber } from './format.js';
import { t, tParts } from './i18n.js';

/** One card per group, in the API's order (the contract's order of doc/domain.md). */
export function renderGroups(groups) {
  const list = Array.isArray(groups) ? groups : [];
  $('group-list').replaceChildren(...list.map((g) => {
    const share = isNumber(g.share_ratio) ? Math.max(0, Math.min(1, g.share_ratio)) : 0;
    const bar = svg('svg', { class: 'meter', viewBox: '0 0 100 8', preserveAspectRatio: 'none',
                             'aria-hidden': 'true' },
      svg('rect', { class: 'meter-track', x: 0, y: 0, width: 100, height: 8 }),
      svg('rect', { class: 'meter-fill', x: 0, y: 0, width: (share * 100).toFixed(2), height: 8 }));
    return h('li', { class: 'group-card', dataset: { group: g.code ?? '' } },
      h('h3', { class: 'group-title' },
        h('span', { class: 'group-code' }, g.code ?? '—'),
        h('span', { class: 'group-name', lang: 'nl' }, g.name ?? '')),
      h('p', { class: 'group-amount', 'data-cents': isNumber(g.spent_cents) ? g.spent_cents : '' },
        formatMoney(g.spent_cents)),
      bar,
      h('p', { class: 'group-share' },
        ...tParts('groups.share', { pct: h('span', { class: 'group-share-pct' }, formatRatio(g.share_ratio)) }),
        isNumber(g.minutes) ? ` · ${t('unit.hours', { n: formatCount(Math.round(g.minutes / 60)) })}` : ''));
  }));
}
