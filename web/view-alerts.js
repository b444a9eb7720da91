// web/view-alerts.js — the firing alerts, grouped by alertname as Alertmanager groups them.
//
// Each group is a heading whose button opens and closes it (the disclosure pattern: a
// <button aria-expanded aria-controls> inside an <h3>, so it is reached by Tab and by
// heading navigation alike). The button names the group in words (a title per alertname
// from the text tables), how many alerts it holds and how many are not acknowledged. The
// open group lists its alerts, each with what it is about (from its labels, in the page's
// language), the API's summary and description (see annotationsFor() for the language,
// amounts rewritten in the page's money format), its labels, since when it fires, and the
// acknowledge button for a controller.
//
// The list is rebuilt on every refresh; which groups are open, and which button had the
// keyboard focus, survive that.

import { annotationsFor, groupAlerts, localiseAmounts } from './alerts-model.js';
import { request } from './api.js';
import { $, h, setText, timeEl } from './dom.js';
import { errorText } from './errors.js';
import { formatCount, formatThreshold, monthLong } from './format.js';
import { hasText, language, t, tParts } from './i18n.js';
import { askName, renderAckAs } from './view-ackname.js';
import { session } from './session.js';

/** The alertnames whose group is open, for this page's life. */
const openGroups = new Set();

/** What the view needs from the page: set by initAlerts(). */
let hooks = { refresh: async () => {}, unauthorized: () => {} };

/** The readable title of an alertname; the name itself for one the tables do not know. */
export function alertTitle(name) {
  if (!name) return t('alerts.unnamed');
  return hasText(`alert.title.${name}`) ? t(`alert.title.${name}`) : name;
}

/** What one alert is about, from its labels: "Drempel 90%", "Zorgcentrum X · AGB … · juli 2026". */
function alertSubject(labels, providerNames) {
  const parts = [];
  if (labels.threshold !== undefined) {
    const v = Number(labels.threshold);
    parts.push(t('alert.subject.threshold', { value: Number.isFinite(v) ? formatThreshold(v) : String(labels.threshold) }));
  }
  if (labels.provider !== undefined) {
    const name = providerNames.get(String(labels.provider));
    if (name) parts.push(h('span', { lang: 'nl' }, name));
    parts.push(t('alert.subject.agb', { agb: String(labels.provider) }));
  }
  if (labels.target_group !== undefined) parts.push(t('alert.subject.group', { code: String(labels.target_group) }));
  if (labels.month !== undefined) parts.push(monthLong(String(labels.month)));
  if (!parts.length && labels.year !== undefined) parts.push(t('alert.subject.year', { year: String(labels.year) }));
  return parts.flatMap((p, i) => (i ? [' · ', p] : [p]));
}

/** One label as a chip, its name and value in the page's words where the tables have them. */
function labelChip(key, value) {
  const v = String(value);
  let shown = v;
  if (key === 'severity' && hasText(`alert.severity.${v.toLowerCase()}`)) shown = t(`alert.severity.${v.toLowerCase()}`);
  else if (key === 'threshold' && Number.isFinite(Number(v))) shown = formatThreshold(Number(v));
  else if (key === 'month') shown = monthLong(v);
  return h('li', { class: 'chip' },
    h('span', { class: 'chip-key' }, hasText(`alert.label.${key}`) ? t(`alert.label.${key}`) : key), shown);
}

function ackPart(a, ids, canAck) {
  const fp = String(a.fingerprint ?? '');
  if (a.acknowledged_by) {
    return h('p', { class: 'ack-done', tabindex: '-1' },
      h('span', { class: 'ack-icon', 'aria-hidden': 'true' }, '✓'),
      t('alerts.ackedBy', { name: String(a.acknowledged_by) }),
      a.acknowledged_at ? [' · ', timeEl(a.acknowledged_at)] : []);
  }
  if (!canAck) return h('p', { class: 'ack-open' }, t('alerts.notAcked'));
  const button = h('button', { type: 'button', class: 'button button-primary ack-button',
                               'aria-describedby': ids }, t('alerts.ack'));
  button.addEventListener('click', () => acknowledge(fp, button));
  return h('div', { class: 'ack-row' }, button, h('p', { class: 'ack-error', role: 'alert', hidden: true }));
}

function alertItem(a, idPrefix, groupTitleId, canAck, providerNames) {
  const labels = a.labels || {};
  const text = annotationsFor(a, language());
  const textLang = text.lang === language() ? null : text.lang;
  const subjectId = `${idPrefix}-subject`;
  const chips = Object.entries(labels).filter(([k]) => k !== 'alertname').map(([k, v]) => labelChip(k, v));
  const severity = String(labels.severity || '').toLowerCase();
  return h('li', { class: `alert-item${a.acknowledged_by ? ' is-acked' : ''}`,
                   dataset: { fingerprint: String(a.fingerprint ?? ''), severity: severity || 'none' } },
    h('div', { class: 'alert-head' },
      h('span', { class: `state-chip state-${a.acknowledged_by ? 'acked' : 'firing'}` },
        t(a.acknowledged_by ? 'alerts.state.acked' : 'alerts.state.firing')),
      h('h4', { class: 'alert-subject', id: subjectId }, alertSubject(labels, providerNames))),
    text.summary ? h('p', { class: 'alert-summary', lang: textLang }, localiseAmounts(text.summary)) : null,
    text.description ? h('p', { class: 'alert-desc', lang: textLang }, localiseAmounts(text.description)) : null,
    chips.length ? h('ul', { class: 'chips', 'aria-label': t('alerts.labels') }, chips) : null,
    h('p', { class: 'alert-meta' }, ...tParts('alerts.since', { time: timeEl(a.startsAt) })),
    ackPart(a, `${groupTitleId} ${subjectId}`, canAck));
}

function groupItem(group, index, canAck, providerNames) {
  const id = `alert-group-${index}`;
  const title = alertTitle(group.alertname);
  const open = openGroups.has(group.alertname);
  const list = h('ul', { class: 'alert-list', id: `${id}-list`, hidden: !open,
                         'aria-label': t('alerts.groupList', { title }) },
    group.alerts.map((a, i) => alertItem(a, `${id}-${i}`, `${id}-title`, canAck, providerNames)));
  const toggle = h('button', { type: 'button', class: 'alert-group-toggle', id: `${id}-toggle`,
                               'aria-expanded': String(open), 'aria-controls': list.id },
    h('span', { class: 'disclosure-icon', 'aria-hidden': 'true' }),
    h('span', { class: 'alert-group-title', id: `${id}-title` }, title),
    h('span', { class: 'alert-group-count' }, t('alerts.groupCount', { n: group.alerts.length })),
    h('span', { class: `alert-group-open${group.open ? '' : ' is-all-acked'}` }, t('alerts.groupOpen', { open: group.open })));
  toggle.addEventListener('click', () => {
    const show = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(show));
    list.hidden = !show;
    if (show) openGroups.add(group.alertname);
    else openGroups.delete(group.alertname);
  });
  return h('li', { class: 'alert-group', dataset: { alertname: group.alertname, count: String(group.alerts.length),
                                                    severity: group.severity || 'none' } },
    h('h3', { class: 'alert-group-heading' }, toggle), list);
}

/** The group element of an alertname, and the alert element of a fingerprint, if shown. */
const groupElement = (name) => [...$('alert-groups').children].find((li) => li.dataset.alertname === name);
const alertElement = (fp) => [...$('alert-groups').querySelectorAll('.alert-item')].find((li) => li.dataset.fingerprint === fp);

/**
 * Draw the alerts section.
 * @param {Array|null} alerts the firing alerts, or null when they could not be loaded
 * @param {{canAck: boolean, providers: Array|null}} options canAck: a controller (shows
 *   the acknowledge buttons); providers: the providers document's rows, to name providers
 */
export function renderAlerts(alerts, { canAck, providers }) {
  const groups = groupAlerts(alerts || []);
  const total = (alerts || []).length;
  const open = (alerts || []).filter((a) => !a.acknowledged_by).length;
  $('nav-alert-count').textContent = alerts ? `(${formatCount(total)})` : '';
  setText('alerts-note', !alerts ? t('alerts.loadFailed') : !total ? t('alerts.none')
    : t('alerts.note', { n: total, groups: groups.length, open }));
  renderAckAs(canAck);

  // Rebuilding replaces the elements: keep the keyboard focus where it was.
  const active = document.activeElement;
  const focusFp = active?.closest?.('.alert-item')?.dataset.fingerprint;
  const focusGroup = active?.classList?.contains('alert-group-toggle')
    ? active.closest('.alert-group')?.dataset.alertname : undefined;
  const providerNames = new Map((providers || []).filter((p) => p.name).map((p) => [String(p.agb), String(p.name)]));
  $('alert-groups').replaceChildren(...groups.map((g, i) => groupItem(g, i, canAck, providerNames)));
  if (focusFp !== undefined) alertElement(focusFp)?.querySelector('.ack-button, .ack-done')?.focus();
  else if (focusGroup !== undefined) groupElement(focusGroup)?.querySelector('.alert-group-toggle')?.focus();
}

/** Acknowledge one alert through its button: ask for a name once, POST, refresh. */
async function acknowledge(fingerprint, button) {
  const name = session.name || await askName();
  if (!name) return;
  const error = button.parentElement.querySelector('.ack-error');
  if (button.isConnected) {
    button.disabled = true;
    button.textContent = t('alerts.acking');
  }
  try {
    await request('POST', `/api/v1/alerts/${encodeURIComponent(fingerprint)}/ack`, { by: name, comment: '' });
  } catch (e) {
    if (e.status === 401) {
      hooks.unauthorized();
      return;
    }
    const item = alertElement(fingerprint);
    const err = item?.querySelector('.ack-error') || error;
    const btn = item?.querySelector('.ack-button') || button;
    btn.disabled = false;
    btn.textContent = t('alerts.ack');
    err.hidden = false;
    err.textContent = e.status === 403 ? t('alerts.ackForbidden') : t('alerts.ackFailed', { reason: errorText(e) });
    return;
  }
  await hooks.refresh();
  // The button is gone; keep keyboard users on the alert they acknowledged.
  alertElement(fingerprint)?.querySelector('.ack-done')?.focus();
}

/**
 * Connect the view to the page.
 * @param {{refresh: function(): Promise, unauthorized: function()}} h refresh: reload
 *   everything; unauthorized: the token was refused (sign out)
 */
export function initAlerts({ refresh, unauthorized }) {
  hooks = { refresh, unauthorized };
}

/** Forget which groups were open (on sign-out). */
export function resetAlerts() {
  openGroups.clear();
  $('alert-groups').replaceChildren();
}
