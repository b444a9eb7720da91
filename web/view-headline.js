// web/view-headline.js — the overview's words and figures around the chart: the "data as
// of" line, the headline figures (spent, share, cap, remaining, profile, cap reached,
// forecast), the volume note, the chart caption and the document title.

import { $, h, setText, timeEl } from './dom.js';
import { formatClock, formatDate, formatEuros, formatMoney, formatRatio, formatCount, isNumber }
  from './format.js';
import { language, t, tParts } from './i18n.js';

function setAmount(id, cents) {
  const node = $(id);
  node.textContent = formatMoney(cents);
  node.dataset.cents = isNumber(cents) ? String(cents) : '';
}

/**
 * "Data as of … · figures generated … · refreshed every 30 s, last checked 12:00:00".
 * @param {object} st the status document
 * @param {Date|null} checkedAt when the last refresh finished
 * @param {number} pollSeconds the refresh interval
 */
export function renderAsOf(st, checkedAt, pollSeconds) {
  const sep = () => h('span', { class: 'sep', 'aria-hidden': 'true' }, '·');
  const poll = checkedAt ? t('asof.pollChecked', { seconds: pollSeconds, clock: formatClock(checkedAt) })
    : t('asof.poll', { seconds: pollSeconds });
  $('asof').replaceChildren(
    ...tParts('asof.data', { time: timeEl(st.data_as_of) }), ' ', sep(), ' ',
    ...tParts('asof.generated', { time: timeEl(st.generated_at) }), ' ', sep(), ' ',
    h('span', { id: 'poll-note' }, poll));
}

function renderProfileNote(st) {
  // Like for like: the profile runs through the last complete month, so compare it with the
  // spend of those same months (spent_complete_cents) when the API gives it.
  const spent = isNumber(st.spent_complete_cents) ? st.spent_complete_cents : st.spent_cents;
  if (!isNumber(st.profile_ytd_cents) || !isNumber(spent)) {
    setText('profile-note', '');
    return;
  }
  const diff = spent - st.profile_ytd_cents;
  const rel = st.profile_ytd_cents > 0
    ? `${diff > 0 ? '+' : '-'}${formatRatio(Math.abs(diff) / st.profile_ytd_cents)}` : '';
  setText('profile-note', diff === 0 ? t('kpi.profileExact') : t('kpi.profileDiff', {
    more: diff > 0, amount: formatEuros(Math.abs(diff)), rel,
    through: st.profile_through ? formatDate(st.profile_through) : '',
  }));
  $('kpi-profile').classList.toggle('is-ahead', diff > 0);
}

function renderForecast(st) {
  const cap = st.cap_cents;
  const f = st.forecast || {};
  setAmount('forecast-amount', f.year_end_cents);
  setText('forecast-range', !isNumber(f.low_cents) || !isNumber(f.high_cents) ? t('kpi.forecastNoRange')
    : f.low_cents === f.high_cents ? t('kpi.forecastNoSpread')
      : t('kpi.forecastRange', { low: formatEuros(f.low_cents), high: formatEuros(f.high_cents) }));
  const flag = $('forecast-flag');
  const over = isNumber(f.year_end_cents) && cap > 0 && f.year_end_cents > cap;
  flag.hidden = !isNumber(f.year_end_cents) || !(cap > 0);
  flag.className = `kpi-flag ${over ? 'flag-over' : 'flag-ok'}`;
  flag.replaceChildren(
    h('span', { class: 'flag-icon', 'aria-hidden': 'true' }, over ? '▲' : '✓'),
    over ? t('kpi.forecastOver', { amount: formatEuros(f.year_end_cents - cap),
                                   ratio: formatRatio(f.year_end_cents / cap) })
      : t('kpi.forecastWithin', { amount: formatEuros(cap - (f.year_end_cents || 0)) }));
  $('kpi-forecast').classList.toggle('is-over', over);

  setText('cap-reached', f.cap_reached_on ? formatDate(f.cap_reached_on) : t('kpi.reachedNot'));
  $('kpi-reached').classList.toggle('is-over', Boolean(f.cap_reached_on));
  setText('cap-reached-note', f.cap_reached_on ? t('kpi.reachedNote') : t('kpi.reachedNoteNot'));
}

/**
 * Fill in the headline figures, the notes under them and the document title.
 * @param {object} st the status document
 */
export function renderHeadline(st) {
  setText('overview-heading', t('overview.heading', { year: st.year ?? '—' }));
  setText('month-table-caption', t('months.caption', { year: st.year ?? '—' }));
  document.title = t('page.titleWithFigures', { year: st.year ?? '', ratio: formatRatio(st.spent_ratio) });
  const cap = st.cap_cents;

  setAmount('spent-amount', st.spent_cents);
  setText('spent-note', t('kpi.spentNote', { ratio: formatRatio(st.spent_ratio) }));

  setText('spent-ratio', formatRatio(st.spent_ratio));
  const ratioPct = isNumber(st.spent_ratio) ? Math.min(100, Math.max(0, st.spent_ratio * 100)) : 0;
  $('ratio-fill').setAttribute('width', ratioPct.toFixed(2));
  const profileRatio = isNumber(st.profile_ytd_cents) && cap > 0 ? st.profile_ytd_cents / cap : null;
  const marker = $('ratio-profile');
  marker.classList.toggle('is-hidden', profileRatio === null);
  if (profileRatio !== null) {
    const px = Math.min(100, profileRatio * 100).toFixed(2);
    marker.setAttribute('x1', px);
    marker.setAttribute('x2', px);
  }
  setText('ratio-note', profileRatio === null ? t('kpi.ratioBar')
    : t('kpi.ratioMarker', { ratio: formatRatio(profileRatio) }));

  setAmount('cap-amount', cap);
  setAmount('remaining-amount', st.remaining_cents);
  $('kpi-remaining').classList.toggle('is-over', isNumber(st.remaining_cents) && st.remaining_cents < 0);
  setText('remaining-note', !isNumber(st.remaining_cents) || !(cap > 0) ? ''
    : st.remaining_cents < 0 ? t('kpi.remainingOver', { amount: formatMoney(-st.remaining_cents) })
      : t('kpi.remainingLeft', { ratio: formatRatio(st.remaining_cents / cap) }));

  setAmount('profile-amount', st.profile_ytd_cents);
  renderProfileNote(st);
  renderForecast(st);

  const volume = [];
  if (isNumber(st.minutes)) {
    volume.push(t('kpi.hoursDeclared', { hours: t('unit.hours', { n: formatCount(Math.round(st.minutes / 60)) }) }));
  }
  if (isNumber(st.travel_cents)) volume.push(t('kpi.travelIncluded', { amount: formatMoney(st.travel_cents) }));
  setText('volume-note', volume.length ? `${volume.join('; ')}.` : '');

  // The forecast method is the API's own (English) words: marked as such on a Dutch page.
  const method = st.forecast?.method;
  $('chart-caption').replaceChildren(t('chart.caption'), ...(method ? [' ', ...tParts('chart.method', {
    method: h('span', { lang: language() === 'en' ? null : 'en' }, String(method)),
  })] : []));
}
