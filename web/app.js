// web/app.js — the dashboard's behaviour: sign-in, polling the API, rendering.
//
// The page talks only to its own origin (the CSP allows nothing else):
//   GET  /api/v1/status?year=Y          budget status document (controller, dashboard)
//   GET  /api/v1/alerts?state=firing    firing alerts (controller, dashboard)
//   GET  /api/v1/providers?year=Y       per provider; 403 for a dashboard token, which is
//                                       also how the page learns it may not acknowledge
//   POST /api/v1/alerts/{fp}/ack        {"by": name, "comment": ""} (controller)
//   GET  /readyz                        503 = the service says it is degraded
// Each GET remembers the ETag of its URL and sends If-None-Match; a 304 keeps
// the figures already shown. When a request fails (network, 5xx) the last
// figures stay on screen under a banner saying so.
//
// The token lives in sessionStorage only (gone with the tab, never in the URL
// or localStorage). All DOM is built with createElement/textContent: names in
// the data never become markup.

import { formatCents, formatClock, formatCount, formatDate, formatDateTime, formatEuros, formatHours,
         formatRatio, isNumber, monthLong, monthShortYear, plural } from './format.js';
import { plottedMonths, renderChart } from './chart.js';

const TOKEN_KEY = 'lvhcmon.token';
const NAME_KEY = 'lvhcmon.ackName';
const YEAR_KEY = 'lvhcmon.year';
/** The national C&A cap applies from 2025 (DOMAIN.md): the first year worth offering. */
const FIRST_YEAR = 2025;

const $ = (id) => document.getElementById(id);

/** Build an HTML element: h('p', {class: 'x'}, 'text', child). */
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) node.append(c);
  }
  return node;
}

const SVGNS = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** A <time> element showing an ISO timestamp in Amsterdam time. */
function timeEl(iso) {
  return h('time', { datetime: iso || null }, formatDateTime(iso));
}

// ---------------------------------------------------------------------------
// Session storage: the token, the acknowledging name, the chosen year.

const store = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(v) { if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY); },
  get name() { return sessionStorage.getItem(NAME_KEY); },
  set name(v) { if (v) sessionStorage.setItem(NAME_KEY, v); else sessionStorage.removeItem(NAME_KEY); },
  get year() { const y = Number(sessionStorage.getItem(YEAR_KEY)); return Number.isInteger(y) && y > 0 ? y : null; },
  set year(v) { if (v) sessionStorage.setItem(YEAR_KEY, String(v)); else sessionStorage.removeItem(YEAR_KEY); },
};

const state = {
  role: 'unknown',      // 'controller' | 'dashboard' | 'unknown': learnt from GET /providers
  status: null,         // last good status document
  alerts: null,         // last good list of firing alerts
  providers: null,      // last good providers document (controller only)
  checkedAt: null,      // when the last refresh finished
  running: null,        // the refresh in flight, if any
  again: false,         // another refresh was asked for while one ran
  timer: 0,
};

/** URL → {etag, data}: what If-None-Match revalidates. */
const etags = new Map();

// ---------------------------------------------------------------------------
// HTTP.

class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;   // 0 = no answer at all
    this.code = code;
    this.field = field;
  }

  /** Network failures and 5xx: the service is degraded, not the request wrong. */
  get degraded() { return this.status === 0 || this.status >= 500; }

  static async from(res) {
    let err = {};
    try { err = (await res.json())?.error || {}; } catch { /* not JSON */ }
    return new ApiError(res.status, err.code || `http_${res.status}`,
                        err.message || `HTTP ${res.status}`, err.field);
  }
}

/**
 * One API request with the bearer token. GETs revalidate with the URL's last
 * ETag and return the remembered document on 304.
 */
async function request(method, url, body) {
  const headers = { Accept: 'application/json' };
  const token = store.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  const remembered = method === 'GET' ? etags.get(url) : undefined;
  if (remembered?.etag) headers['If-None-Match'] = remembered.etag;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, {
      method, headers, cache: 'no-store', credentials: 'same-origin', redirect: 'error',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The service could not be reached.');
  }
  if (res.status === 304 && remembered) return remembered.data;
  if (!res.ok) throw await ApiError.from(res);
  let data = null;
  if (res.status !== 204) {
    try { data = await res.json(); } catch {
      throw new ApiError(res.status >= 500 ? res.status : 502, 'bad_json', 'The answer was not valid JSON.');
    }
  }
  if (method === 'GET') etags.set(url, { etag: res.headers.get('ETag'), data });
  return data;
}

/** GET /readyz: {ok, status}; never throws. */
async function probeReady() {
  try {
    const res = await fetch('/readyz', { cache: 'no-store', credentials: 'omit' });
    return { ok: res.ok, status: res.status };
  } catch {
    return { ok: false, status: 0 };
  }
}

const settle = (p) => p.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error }));

// ---------------------------------------------------------------------------
// Refreshing.

function pollSeconds() {
  const n = Number(document.body.dataset.pollSeconds);
  return Number.isFinite(n) && n >= 5 ? n : 30;
}

function schedule() {
  clearTimeout(state.timer);
  if (store.token) state.timer = setTimeout(() => (document.hidden ? schedule() : refresh()),
                                            pollSeconds() * 1000);
}

/** Refresh everything; concurrent calls share one run, plus one more if asked for meanwhile. */
function refresh() {
  if (state.running) {
    state.again = true;
    return state.running;
  }
  clearTimeout(state.timer);
  const button = $('refresh-button');
  button.disabled = true;
  button.textContent = 'Refreshing…';
  state.running = (async () => {
    try {
      do {
        state.again = false;
        await refreshOnce();
      } while (state.again && store.token);
    } finally {
      state.running = null;
      button.disabled = false;
      button.textContent = 'Refresh now';
      schedule();
    }
  })();
  return state.running;
}

async function refreshOnce() {
  const token = store.token;
  if (!token) {
    showSignIn();
    return;
  }
  const year = store.year;
  const [status, alerts, ready] = await Promise.all([
    settle(request('GET', `/api/v1/status${year ? `?year=${year}` : ''}`)),
    settle(request('GET', '/api/v1/alerts?state=firing')),
    probeReady(),
  ]);
  const shownYear = status.ok ? status.value?.year : state.status?.year;
  let providers = null;
  if (state.role !== 'dashboard' && shownYear && ![status, alerts].some(is401)) {
    providers = await settle(request('GET', `/api/v1/providers?year=${shownYear}`));
  }
  if (store.token !== token) return; // signed out meanwhile
  if ([status, alerts, providers].some(is401)) {
    signOut('The token was not accepted (it may have expired or been withdrawn). Please sign in again.');
    return;
  }

  const problems = [];
  if (status.ok) state.status = status.value;
  else problems.push(['status', status.error]);
  if (alerts.ok) state.alerts = alertList(alerts.value);
  else problems.push(['alerts', alerts.error]);
  if (providers?.ok) {
    state.role = 'controller';
    state.providers = providers.value;
  } else if (providers && providers.error.status === 403) {
    state.role = 'dashboard';
    state.providers = null;
  } else if (providers) {
    problems.push(['providers', providers.error]);
  }
  state.checkedAt = new Date();
  render();
  renderBanner(problems, ready);
}

const is401 = (r) => r && !r.ok && r.error.status === 401;

/** The alerts endpoint answers an array or {"alerts": [...]}: accept both. */
function alertList(doc) {
  const list = Array.isArray(doc) ? doc : Array.isArray(doc?.alerts) ? doc.alerts : [];
  return list.filter((a) => a && typeof a === 'object');
}

// ---------------------------------------------------------------------------
// Views: sign-in or dashboard.

function showSignIn(message) {
  clearTimeout(state.timer);
  $('loading').hidden = true;
  $('dashboard').hidden = true;
  $('session-controls').hidden = true;
  $('section-nav').hidden = true;
  $('banner').hidden = true;
  $('signin').hidden = false;
  const err = $('signin-error');
  err.textContent = message || '';
  err.hidden = !message;
  if (message) $('token-input').focus();
}

function showDashboard() {
  $('loading').hidden = true;
  $('signin').hidden = true;
  $('dashboard').hidden = false;
  $('session-controls').hidden = false;
  $('section-nav').hidden = false;
}

/** Forget the token and everything it was allowed to see. */
function signOut(message) {
  store.token = null;
  store.name = null;
  etags.clear();
  Object.assign(state, { role: 'unknown', status: null, alerts: null, providers: null, checkedAt: null });
  $('alert-list').replaceChildren();
  $('group-list').replaceChildren();
  $('providers-table').tBodies[0].replaceChildren();
  showSignIn(message);
}

// ---------------------------------------------------------------------------
// Rendering.

function render() {
  if (!state.status) {
    // Nothing loaded yet (the service is down): the banner says why, no empty frame.
    showDashboard();
    $('dashboard').hidden = true;
    $('section-nav').hidden = true;
    $('loading').hidden = false;
    $('loading').textContent = 'No figures to show yet.';
    return;
  }
  showDashboard();
  renderStatus(state.status);
  renderAlerts();
  renderProviders();
  const poll = `refreshed every ${pollSeconds()} s`;
  $('poll-note').textContent = state.checkedAt
    ? `${poll}, last checked ${formatClock(state.checkedAt)}` : poll;
}

function setText(id, text) {
  $(id).textContent = text;
}

function setAmount(id, cents) {
  const node = $(id);
  node.textContent = formatCents(cents);
  node.dataset.cents = isNumber(cents) ? String(cents) : '';
}

function setTime(id, iso) {
  const node = $(id);
  node.textContent = formatDateTime(iso);
  if (iso) node.setAttribute('datetime', iso);
  else node.removeAttribute('datetime');
}

function renderStatus(st) {
  for (const node of document.querySelectorAll('.js-year')) node.textContent = String(st.year ?? '—');
  document.title = `LVHC C&A budget ${st.year ?? ''} · ${formatRatio(st.spent_ratio)} of the cap used`;
  setTime('data-as-of', st.data_as_of);
  setTime('generated-at', st.generated_at);
  syncYearSelect(st.year);

  const cap = st.cap_cents;
  const f = st.forecast || {};

  setAmount('spent-amount', st.spent_cents);
  setText('spent-note', `${formatRatio(st.spent_ratio)} of the cap`);

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
  setText('ratio-note', profileRatio === null ? 'Bar: spent against the cap'
    : `Marker: profile to date, ${formatRatio(profileRatio)}`);

  setAmount('cap-amount', cap);

  setAmount('remaining-amount', st.remaining_cents);
  const remaining = $('kpi-remaining');
  remaining.classList.toggle('is-over', isNumber(st.remaining_cents) && st.remaining_cents < 0);
  setText('remaining-note', !isNumber(st.remaining_cents) || !(cap > 0) ? ''
    : st.remaining_cents < 0 ? `Over the cap by ${formatCents(-st.remaining_cents)}`
      : `${formatRatio(st.remaining_cents / cap)} of the cap left`);

  setAmount('profile-amount', st.profile_ytd_cents);
  // Like for like: the profile runs through the last complete month, so compare it with the
  // spend of those same months (spent_complete_cents) when the API gives it.
  const spentForProfile = isNumber(st.spent_complete_cents) ? st.spent_complete_cents : st.spent_cents;
  if (isNumber(st.profile_ytd_cents) && isNumber(spentForProfile)) {
    const diff = spentForProfile - st.profile_ytd_cents;
    const rel = st.profile_ytd_cents > 0
      ? ` (${diff > 0 ? '+' : '-'}${formatRatio(Math.abs(diff) / st.profile_ytd_cents)})` : '';
    setText('profile-note', diff === 0 ? 'Spent exactly on the profile'
      : `Spent ${formatEuros(Math.abs(diff))} ${diff > 0 ? 'more' : 'less'}${rel}`
        + (st.profile_through ? ` through ${st.profile_through}` : ''));
    $('kpi-profile').classList.toggle('is-ahead', diff > 0);
  } else {
    setText('profile-note', '');
  }

  setAmount('forecast-amount', f.year_end_cents);
  setText('forecast-range', !isNumber(f.low_cents) || !isNumber(f.high_cents) ? 'No range given'
    : f.low_cents === f.high_cents ? 'No spread: low and high are equal'
      : `Range ${formatEuros(f.low_cents)} – ${formatEuros(f.high_cents)}`);
  const flag = $('forecast-flag');
  const over = isNumber(f.year_end_cents) && cap > 0 && f.year_end_cents > cap;
  flag.hidden = !isNumber(f.year_end_cents) || !(cap > 0);
  flag.className = `kpi-flag ${over ? 'flag-over' : 'flag-ok'}`;
  flag.replaceChildren(
    h('span', { class: 'flag-icon', 'aria-hidden': 'true' }, over ? '▲' : '✓'),
    over ? `Over the cap by ${formatEuros(f.year_end_cents - cap)} (${formatRatio(f.year_end_cents / cap)})`
      : `Within the cap, ${formatEuros(cap - (f.year_end_cents || 0))} to spare`);
  $('kpi-forecast').classList.toggle('is-over', over);

  setText('cap-reached', f.cap_reached_on ? formatDate(f.cap_reached_on) : 'Not this year');
  $('kpi-reached').classList.toggle('is-over', Boolean(f.cap_reached_on));
  setText('cap-reached-note', f.cap_reached_on ? 'At the forecast rate' : 'The forecast stays within the cap');

  const volume = [];
  if (isNumber(st.minutes)) volume.push(`${formatHours(st.minutes)} of C&A declared`);
  if (isNumber(st.travel_cents)) volume.push(`travel costs ${formatCents(st.travel_cents)} included in the spend`);
  setText('volume-note', volume.length ? `${volume.join('; ')}.` : '');

  $('chart-caption').textContent = 'Cumulative spend by month against the cap, the pro-rata profile'
    + ' and the year-end forecast' + (f.method ? ` (forecast: ${f.method})` : '');
  renderChart($('spend-chart'), st);
  renderMonthTable(st);
  renderGroups(st.groups);
}

function renderMonthTable(st) {
  const cap = st.cap_cents;
  const rows = plottedMonths(st).map((m) => {
    const n = Number(m.month.slice(5, 7));
    const declared = isNumber(m.providers_declared)
      ? `${formatCount(m.providers_declared)}${isNumber(m.providers_expected) ? ` of ${formatCount(m.providers_expected)}` : ''}`
      : '—';
    return h('tr', {},
      h('th', { scope: 'row' }, monthLong(m.month)),
      h('td', { class: 'num' }, formatCents(m.spent_cents)),
      h('td', { class: 'num' }, formatCents(m.cumulative_cents)),
      h('td', { class: 'num' }, isNumber(cap) ? formatCents(Math.round((cap * n) / 12)) : '—'),
      h('td', { class: 'num' }, declared));
  });
  if (!rows.length) rows.push(h('tr', {}, h('td', { colspan: '5' }, 'No months with figures yet.')));
  $('month-table').tBodies[0].replaceChildren(...rows);
}

function renderGroups(groups) {
  const list = Array.isArray(groups) ? groups : [];
  $('group-list').replaceChildren(...list.map((g) => {
    const share = isNumber(g.share_ratio) ? Math.max(0, Math.min(1, g.share_ratio)) : 0;
    const bar = s('svg', { class: 'meter', viewBox: '0 0 100 8', preserveAspectRatio: 'none',
                           'aria-hidden': 'true' });
    bar.append(s('rect', { class: 'meter-track', x: 0, y: 0, width: 100, height: 8 }),
               s('rect', { class: 'meter-fill', x: 0, y: 0, width: (share * 100).toFixed(2), height: 8 }));
    return h('li', { class: 'group-card', dataset: { group: g.code ?? '' } },
      h('h3', { class: 'group-title' },
        h('span', { class: 'group-code' }, g.code ?? '—'),
        h('span', { class: 'group-name', lang: 'nl' }, g.name ?? '')),
      h('p', { class: 'group-amount', 'data-cents': isNumber(g.spent_cents) ? g.spent_cents : '' },
        formatCents(g.spent_cents)),
      bar,
      h('p', { class: 'group-share' },
        h('span', { class: 'group-share-pct' }, formatRatio(g.share_ratio)), ' of spend',
        isNumber(g.minutes) ? ` · ${formatHours(g.minutes)}` : ''));
  }));
}

// Alerts ---------------------------------------------------------------------

function renderAlerts() {
  const alerts = [...(state.alerts || [])].sort((a, b) => {
    const ack = Number(Boolean(a.acknowledged_by)) - Number(Boolean(b.acknowledged_by));
    return ack || String(b.startsAt || '').localeCompare(String(a.startsAt || ''));
  });
  $('nav-alert-count').textContent = state.alerts ? `(${alerts.length})` : '';
  const open = alerts.filter((a) => !a.acknowledged_by).length;
  setText('alerts-note', !state.alerts ? 'Alerts could not be loaded.'
    : !alerts.length ? 'No alerts are firing.'
      : `${plural(alerts.length, 'alert')} firing (all years), ${formatCount(open)} not yet acknowledged.`);

  renderAckAs();

  // Re-rendering replaces the list: keep keyboard focus on the same alert.
  const focused = document.activeElement?.closest?.('[data-fingerprint]')?.dataset.fingerprint;
  $('alert-list').replaceChildren(...alerts.map((a, i) => alertItem(a, i, state.role === 'controller')));
  if (focused !== undefined) {
    alertElement(focused)?.querySelector('.ack-button, .ack-done')?.focus();
  }
}

/** The list item of the alert with this fingerprint, if it is shown. */
function alertElement(fingerprint) {
  return [...$('alert-list').children].find((li) => li.dataset.fingerprint === fingerprint);
}

/** "Acknowledging as NAME (Change name)", for a controller who gave a name. */
function renderAckAs() {
  $('ack-as').hidden = !(state.role === 'controller' && store.name);
  $('ack-name').textContent = store.name || '';
}

function alertItem(a, index, canAck) {
  const labels = a.labels || {};
  const ann = a.annotations || {};
  const fp = String(a.fingerprint ?? '');
  const nameId = `alert-name-${index}`;
  const chips = Object.entries(labels).filter(([k]) => k !== 'alertname')
    .map(([k, v]) => h('li', { class: 'chip' }, h('span', { class: 'chip-key' }, k), String(v)));
  const severity = String(labels.severity || '').toLowerCase();

  let ack;
  if (a.acknowledged_by) {
    ack = h('p', { class: 'ack-done', tabindex: '-1' },
      h('span', { class: 'ack-icon', 'aria-hidden': 'true' }, '✓'),
      `Acknowledged by ${a.acknowledged_by}`,
      a.acknowledged_at ? [' · ', timeEl(a.acknowledged_at)] : []);
  } else if (canAck) {
    const button = h('button', { type: 'button', class: 'button button-primary ack-button',
                                 'aria-describedby': nameId }, 'Acknowledge');
    button.addEventListener('click', () => acknowledge(fp, button));
    ack = h('div', { class: 'ack-row' }, button, h('p', { class: 'ack-error', role: 'alert', hidden: true }));
  } else {
    ack = h('p', { class: 'ack-open' }, 'Not acknowledged');
  }

  return h('li', { class: `alert-item${a.acknowledged_by ? ' is-acked' : ''}`,
                   dataset: { fingerprint: fp, severity: severity || 'none' } },
    h('div', { class: 'alert-head' },
      h('span', { class: `state-chip state-${a.acknowledged_by ? 'acked' : 'firing'}` },
        a.acknowledged_by ? 'Firing · acknowledged' : 'Firing'),
      h('h3', { class: 'alert-name', id: nameId }, String(labels.alertname || 'Alert'))),
    ann.summary ? h('p', { class: 'alert-summary' }, String(ann.summary)) : null,
    ann.description ? h('p', { class: 'alert-desc' }, String(ann.description)) : null,
    chips.length ? h('ul', { class: 'chips', 'aria-label': 'Labels' }, chips) : null,
    h('p', { class: 'alert-meta' }, 'Since ', timeEl(a.startsAt)),
    ack);
}

/** Ask for the acknowledging name in a modal dialog; resolves to the name or null. */
function askName() {
  const dialog = $('name-dialog');
  const input = $('name-input');
  input.value = store.name || '';
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      renderAckAs();
      resolve(dialog.returnValue === 'ok' ? store.name : null);
    }, { once: true });
    dialog.showModal();
    input.focus();
  });
}

async function acknowledge(fingerprint, button) {
  const name = store.name || await askName();
  if (!name) return;
  const error = button.parentElement.querySelector('.ack-error');
  const live = button.isConnected ? button : null;
  if (live) {
    live.disabled = true;
    live.textContent = 'Acknowledging…';
  }
  try {
    await request('POST', `/api/v1/alerts/${encodeURIComponent(fingerprint)}/ack`,
                  { by: name, comment: '' });
  } catch (e) {
    if (e.status === 401) {
      signOut('The token was not accepted. Please sign in again.');
      return;
    }
    const item = alertElement(fingerprint);
    const err = item?.querySelector('.ack-error') || error;
    const btn = item?.querySelector('.ack-button') || button;
    btn.disabled = false;
    btn.textContent = 'Acknowledge';
    err.hidden = false;
    err.textContent = e.status === 403 ? 'This token may not acknowledge alerts.'
      : `Could not acknowledge: ${e.message}`;
    return;
  }
  await refresh();
  // The button is gone; keep keyboard users on the alert they acknowledged.
  alertElement(fingerprint)?.querySelector('.ack-done')?.focus();
}

// Providers ------------------------------------------------------------------

function renderProviders() {
  const wrap = $('providers-table-wrap');
  const note = $('providers-note');
  // A dashboard token sees no provider data: the alerts then take the full width.
  document.querySelector('.two-col').classList.toggle('is-single', state.role === 'dashboard');
  if (state.role === 'dashboard') {
    wrap.hidden = true;
    note.textContent = 'Provider details are for controllers: this token has the dashboard role, which'
      + ' sees aggregate figures only.';
    return;
  }
  const doc = state.providers;
  if (!doc) {
    wrap.hidden = true;
    note.textContent = state.role === 'unknown' ? 'Provider figures could not be loaded.' : '';
    return;
  }
  const all = (Array.isArray(doc) ? doc : Array.isArray(doc.providers) ? doc.providers : [])
    .filter((p) => p && typeof p === 'object');
  const missing = (p) => (Array.isArray(p.missing_months) ? p.missing_months : []);
  const late = (p) => (isNumber(p.late_lines) ? p.late_lines : 0);
  const flagged = all.filter((p) => missing(p).length || late(p))
    .sort((a, b) => missing(b).length - missing(a).length || late(b) - late(a)
      || String(a.name || a.agb).localeCompare(String(b.name || b.agb)));

  const asOf = doc.data_as_of ? [' Data as of ', timeEl(doc.data_as_of), '.'] : [];
  if (!flagged.length) {
    wrap.hidden = true;
    note.replaceChildren(all.length ? `All ${plural(all.length, 'provider')} have declared every month that is due, none late.`
      : 'No providers in this year.', ...asOf);
    return;
  }
  note.replaceChildren(`${formatCount(flagged.length)} of ${plural(all.length, 'provider')} have missing or late declarations.`,
                       ...asOf);
  wrap.hidden = false;
  $('providers-table').tBodies[0].replaceChildren(...flagged.map((p) => {
    const months = missing(p);
    return h('tr', { dataset: { agb: p.agb ?? '' } },
      h('th', { scope: 'row' },
        h('span', { class: 'provider-name', lang: 'nl' }, String(p.name || 'Unnamed provider')),
        h('span', { class: 'provider-agb' }, `AGB ${p.agb ?? '—'}`)),
      h('td', {}, p.zorgkantoor ? String(p.zorgkantoor) : '—'),
      h('td', { class: 'num' }, formatCents(p.spent_cents)),
      h('td', {}, p.last_month_declared ? monthShortYear(p.last_month_declared) : 'None yet'),
      h('td', {}, months.length
        ? h('ul', { class: 'chips chips-missing', 'aria-label': `${plural(months.length, 'missing month')}` },
          months.map((m) => h('li', { class: 'chip chip-missing' }, monthShortYear(m))))
        : h('span', { class: 'muted' }, 'None')),
      h('td', { class: `num${late(p) ? ' is-late' : ''}` }, isNumber(p.late_lines) ? formatCount(p.late_lines) : '—'));
  }));
}

// Banner ---------------------------------------------------------------------

function renderBanner(problems, ready) {
  const messages = [];
  let level = 'warn';
  const degraded = problems.filter(([, e]) => e.degraded);
  const wrong = problems.filter(([, e]) => !e.degraded);
  if (degraded.length || !ready.ok) {
    const what = degraded.map(([name, e]) => `${name} (${e.status ? `HTTP ${e.status}` : 'no answer'})`);
    if (!ready.ok) what.push(`readiness check (${ready.status ? `HTTP ${ready.status}` : 'no answer'})`);
    if (state.status) {
      messages.push(`Service degraded, showing last known figures (data as of ${formatDateTime(state.status.data_as_of)}).`
        + ` Failing: ${what.join(', ')}.`);
    } else {
      level = 'error';
      messages.push(`Service unavailable: no figures could be loaded. Failing: ${what.join(', ')}.`
        + ` Retrying every ${pollSeconds()} s.`);
    }
  }
  for (const [name, e] of wrong) {
    level = 'error';
    messages.push(`The ${name} request was refused: ${e.message} (HTTP ${e.status}).`);
  }
  if (state.status?.stale === true) {
    messages.push(`Figures may be out of date: the monitor marks its data as stale (data as of ${formatDateTime(state.status.data_as_of)}).`);
  }
  const banner = $('banner');
  banner.hidden = !messages.length;
  banner.className = `banner banner-${level}`;
  $('banner-text').textContent = messages.join(' ');
}

// Year selector --------------------------------------------------------------

function syncYearSelect(shownYear) {
  const select = $('year-select');
  const last = Math.max(new Date().getFullYear(), shownYear || 0);
  const years = [];
  for (let y = Math.min(FIRST_YEAR, shownYear || FIRST_YEAR); y <= last; y++) years.push(y);
  const current = [...select.options].map((o) => Number(o.value));
  if (current.join() !== years.join()) {
    select.replaceChildren(...years.map((y) => h('option', { value: y }, String(y))));
  }
  select.value = String(store.year || shownYear || new Date().getFullYear());
}

// ---------------------------------------------------------------------------
// Wiring.

function init() {
  $('token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('token-input');
    const token = input.value.trim();
    if (!token) {
      showSignIn('Enter your access token.');
      return;
    }
    input.value = '';
    signOut(); // start from a clean slate for the new token
    store.token = token;
    $('signin').hidden = true;
    $('loading').textContent = 'Loading the figures…';
    $('loading').hidden = false;
    refresh().then(() => {
      if (!$('dashboard').hidden) $('main').focus({ preventScroll: true });
    });
  });

  $('signout-button').addEventListener('click', () => signOut());
  $('refresh-button').addEventListener('click', () => refresh());
  $('year-select').addEventListener('change', (ev) => {
    store.year = Number(ev.target.value);
    refresh();
  });

  $('month-table-toggle').addEventListener('click', (ev) => {
    const wrap = $('month-table-wrap');
    const show = wrap.classList.contains('visually-hidden');
    wrap.classList.toggle('visually-hidden', !show);
    ev.target.setAttribute('aria-expanded', String(show));
    ev.target.textContent = show ? 'Hide the monthly table' : 'Show monthly figures as a table';
  });

  $('name-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('name-input').value.trim();
    if (!name) return;
    store.name = name;
    $('name-dialog').close('ok');
  });
  $('name-cancel').addEventListener('click', () => $('name-dialog').close('cancel'));
  $('change-name').addEventListener('click', () => askName());

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && store.token && state.checkedAt
        && Date.now() - state.checkedAt.getTime() > pollSeconds() * 1000) refresh();
  });

  syncYearSelect(null);
  if (store.token) {
    $('loading').hidden = false;
    refresh();
  } else {
    showSignIn();
  }
}

init();
