// web/app.js — the dashboard's entry point: it holds the state, refreshes it from the API
// and hands it to the views, which draw it in the current language.
//
// What the page asks the API (all on its own origin; api.js):
//   GET  /api/v1/whoami                 the token's role and, for a provider, its AGB (once
//                                       per token)
//   GET  /api/v1/status?year=Y[&as_of=D]  budget status document (controller, dashboard),
//                                       as of the day chosen next to the year
//   GET  /api/v1/alerts?state=firing    firing alerts (controller, dashboard): always today's
//   GET  /api/v1/providers?year=Y[&as_of=D][&zorgkantoor=Z]
//                                       per provider, or one zorgkantoor's; 403 for a dashboard
//                                       token, which is also how the page learns it may not
//                                       acknowledge
//   GET  /api/v1/report.xlsx?year=Y[&as_of=D]  the month-end workbook (controller; view-report.js)
//   GET  /api/v1/providers/{agb}?year=Y[&as_of=D]   a provider's own year (its page: its
//                                       own token, or a controller at "#provider/<agb>")
//   GET  /api/v1/providers/{agb}/submissions?year=Y&limit=N   its submissions, newest first
//   GET  /api/v1/declarations/{id}?status&month&limit&after   one submission's lines
//                                       (view-provider-lines.js)
//   POST /api/v1/declarations[/csv|/aw319]   an upload from its page (view-provider-upload.js)
//   GET  /api/v1/providers/{agb}/declarations.csv?year=Y&lang=L   its lines for Excel
//   POST /api/v1/alerts/{fp}/ack        {"by": name, "comment": ""} (controller; view-alerts.js)
//   GET  /readyz                        503 = the service says it is degraded
// When a request fails (network, 5xx) the last figures stay on screen under a banner.
//
// The modules, one job each:
//   locale.js, i18n.js, text.nl.js, text.en.js   the language and every word of the page
//   format.js                                    money, ratios, counts, months, times (Intl)
//   session.js, api.js, errors.js                the tab's session; requests; errors in words
//   months.js, alerts-model.js, providers-model.js   what to show, from the documents (no DOM)
//   provider-model.js, upload.js                 a provider's page and its upload (no DOM)
//   dom.js                                       building elements
//   view-*.js                                    one part of the page each
// A new part of the page (a zorgkantoor filter, a provider's page) is a view-*.js with
// a render function called from render() below, its data fetched in refreshOnce() through
// apiPath(), and its words added to both text tables.

import { apiPath, forgetDocuments, probeReady, request, settle } from './api.js';
import { formatDate } from './format.js';
import { alertList } from './alerts-model.js';
import { routeAgb } from './provider-model.js';
import { $ } from './dom.js';
import { onLanguageChange, setLanguage, t } from './i18n.js';
import { session } from './session.js';
import { initAckName } from './view-ackname.js';
import { initAlerts, renderAlerts, resetAlerts } from './view-alerts.js';
import { renderBanner } from './view-banner.js';
import { renderChart } from './view-chart.js';
import { initControls, renderLanguageSwitch, renderRefreshButton, syncAsOfInput, syncYearSelect }
  from './view-controls.js';
import { renderGroups } from './view-groups.js';
import { renderAsOf, renderHeadline } from './view-headline.js';
import { initMonthToggle, renderMonthTable, renderMonthToggle } from './view-months.js';
import { renderProviders } from './view-providers.js';
import { focusProviderPage, renderProviderPage } from './view-provider.js';
import { initExport, resetExport } from './view-provider-export.js';
import { initProviderLines, resetProviderLines } from './view-provider-lines.js';
import { initSubmissions, resetSubmissions } from './view-provider-submissions.js';
import { initUpload, resetUpload } from './view-provider-upload.js';
import { submissionRows } from './provider-model.js';
import { initReport, renderReport } from './view-report.js';
import { initZkPicker, renderZkPicker, renderZkSummary } from './view-zorgkantoren.js';
import { initSignIn, renderSignInMessage, showDashboard, showLoading, showNothingYet, showSignIn }
  from './view-signin.js';

/** Submissions listed at first, and added by "more" (the API allows up to 500). */
const SUBMISSIONS_PAGE = 50;

const state = {
  role: 'unknown',      // 'controller' | 'dashboard' | 'provider' | ...: from GET /whoami
                        // (or, from a daemon without it, learnt from GET /providers)
  whoami: null,         // the token's GET /whoami answer
  routeAgb: null,       // the provider a controller opened ("#provider/<agb>"), or null
  provider: null,       // the provider page shown: {agb, doc, error, subs, subsError}
  submissionsLimit: SUBMISSIONS_PAGE,
  status: null,         // last good status document
  alerts: null,         // last good list of firing alerts
  providers: null,      // last good providers document (controller only)
  problems: [],         // the last refresh's failed requests: [request, ApiError]
  ready: { ok: true, status: 200 },   // the last answer of /readyz
  checkedAt: null,      // when the last refresh finished
  running: null,        // the refresh in flight, if any
  again: false,         // another refresh was asked for while one ran
  timer: 0,
};

function pollSeconds() {
  const n = Number(document.body.dataset.pollSeconds);
  return Number.isFinite(n) && n >= 5 ? n : 30;
}

function schedule() {
  clearTimeout(state.timer);
  if (session.token) {
    state.timer = setTimeout(() => (document.hidden ? schedule() : refresh()), pollSeconds() * 1000);
  }
}

/** Refresh everything; concurrent calls share one run, plus one more if asked for meanwhile. */
function refresh() {
  if (state.running) {
    state.again = true;
    return state.running;
  }
  clearTimeout(state.timer);
  state.running = (async () => {
    try {
      do {
        state.again = false;
        await refreshOnce();
      } while (state.again && session.token);
    } finally {
      state.running = null;
      renderRefreshButton(false);
      schedule();
    }
  })();
  renderRefreshButton(true);
  return state.running;
}

const is401 = (r) => r && !r.ok && r.error.status === 401;

/** The provider whose page is shown: a provider's own, or the one a controller opened. */
function providerAgb() {
  if (state.role === 'provider') return state.whoami?.provider_agb || null;
  if (state.role === 'controller') return state.routeAgb;
  return null;
}

/** Who the token is, once per token; null when the daemon cannot say (role learnt later). */
async function learnRole(token) {
  if (state.whoami) return true;
  const who = await settle(request('GET', '/api/v1/whoami'));
  if (session.token !== token) return false;
  if (is401(who)) {
    signOut('signin.refused');
    return false;
  }
  if (who.ok && typeof who.value?.role === 'string') {
    state.whoami = who.value;
    state.role = who.value.role;
  }
  return true;
}

/** A provider's year and submissions, or null when no provider page is shown. */
async function fetchProvider(year, asOf) {
  const agb = providerAgb();
  if (!agb || !year) return null;
  const base = `/api/v1/providers/${encodeURIComponent(agb)}`;
  const [doc, subs] = await Promise.all([
    settle(request('GET', apiPath(base, { year, as_of: asOf }))),
    settle(request('GET', apiPath(`${base}/submissions`, { year, limit: state.submissionsLimit }))),
  ]);
  return { agb, doc, subs };
}

async function refreshOnce() {
  const token = session.token;
  if (!token) {
    showSignIn();
    return;
  }
  if (!await learnRole(token)) return;
  const asOf = session.asOf;
  const [status, alerts, ready] = await Promise.all([
    settle(request('GET', apiPath('/api/v1/status', { year: session.year, as_of: asOf }))),
    settle(request('GET', apiPath('/api/v1/alerts', { state: 'firing' }))),
    probeReady(),
  ]);
  const shownYear = status.ok ? status.value?.year : state.status?.year;
  let providers = null;
  let provider = null;
  if (shownYear && ![status, alerts].some(is401)) {
    [providers, provider] = await Promise.all([
      ['controller', 'unknown'].includes(state.role)
        ? settle(request('GET', apiPath('/api/v1/providers', {
          year: shownYear, as_of: asOf, zorgkantoor: session.zorgkantoor })))
        : null,
      fetchProvider(shownYear, asOf),
    ]);
  }
  if (session.token !== token) return; // signed out meanwhile
  if (asOf && !status.ok && status.error.status === 400 && status.error.field === 'as_of') {
    // a day this year cannot be asked for (kept from another year): today's figures
    session.asOf = null;
    state.again = true;
    return;
  }
  if ([status, alerts, providers, provider?.doc, provider?.subs].some(is401)) {
    signOut('signin.refused');
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
  if (provider) {
    const same = state.provider?.agb === provider.agb ? state.provider : null;
    state.provider = {
      agb: provider.agb,
      doc: provider.doc.ok ? provider.doc.value : same?.doc ?? null,
      error: provider.doc.ok ? null : provider.doc.error,
      subs: provider.subs.ok ? provider.subs.value : same?.subs ?? null,
      subsError: provider.subs.ok ? null : provider.subs.error,
    };
    // an outage shows in the banner; a refusal (404: no such provider) on the page
    if (!provider.doc.ok && provider.doc.error.degraded) problems.push(['provider', provider.doc.error]);
    if (!provider.subs.ok && provider.subs.error.degraded) problems.push(['submissions', provider.subs.error]);
  } else if (!providerAgb()) {
    state.provider = null;
  }
  state.problems = problems;
  state.ready = ready;
  state.checkedAt = new Date();
  render();
}

/** Draw everything from the state, in the current language. */
function render() {
  renderBanner(state.problems, state.ready, state.status, pollSeconds());
  if (!state.status) {
    showNothingYet();
    document.title = t('page.title');
    return;
  }
  showDashboard();
  const st = state.status;
  renderAsOf(st, state.checkedAt, pollSeconds());
  syncYearSelect(st.year, session.year);
  syncAsOfInput(st.year, session.asOf);
  const notice = $('asof-notice');
  notice.hidden = !st.as_of;
  notice.textContent = st.as_of ? t('asof.notice', { date: formatDate(st.as_of) }) : '';
  renderReport(state.role === 'controller', st.year, session.asOf);
  renderZkPicker(st, session.zorgkantoor, state.role === 'controller');
  renderZkSummary(state.providers);
  renderHeadline(st);
  renderChart($('spend-chart'), st);
  renderMonthTable(st);
  renderGroups(st.groups);
  const rows = Array.isArray(state.providers?.providers) ? state.providers.providers : null;
  renderAlerts(state.alerts, { canAck: state.role === 'controller', providers: rows });
  renderProviders(state.providers, state.role);
  renderProviderPage(state.provider, st, state.role);
}

/** Forget the token and everything it was allowed to see; `key`: a message for the form. */
function signOut(key = null) {
  session.token = null;
  session.name = null;
  forgetDocuments();
  clearTimeout(state.timer);
  Object.assign(state, { role: 'unknown', whoami: null, status: null, alerts: null, providers: null,
                         provider: null, submissionsLimit: SUBMISSIONS_PAGE, problems: [],
                         ready: { ok: true, status: 200 }, checkedAt: null });
  resetAlerts();
  resetProviderLines();
  resetSubmissions();
  resetUpload();
  resetExport();
  $('group-list').replaceChildren();
  $('providers-table').tBodies[0].replaceChildren();
  document.title = t('page.title');
  showSignIn(key);
}

/** Switch the language for this tab and redraw from what is already loaded. */
function switchLanguage(lang) {
  session.lang = lang;
  setLanguage(lang);
}

function init() {
  onLanguageChange(() => {
    renderLanguageSwitch();
    renderMonthToggle();
    renderSignInMessage();
    renderRefreshButton(Boolean(state.running));
    if (session.token && state.checkedAt) render();
    else document.title = t('page.title');
  });
  setLanguage(session.lang);

  initSignIn((token) => {
    signOut(); // start from a clean slate for the new token
    session.token = token;
    showLoading();
    refresh().then(() => {
      if (!$('dashboard').hidden) $('main').focus({ preventScroll: true });
    });
  });
  initControls({
    language: switchLanguage,
    year: (y) => {
      session.year = y;
      // a day before the new year's first day cannot be asked for: back to today's figures
      if (session.asOf && session.asOf < `${y}-01-01`) session.asOf = null;
      refresh();
    },
    asOf: (day) => {
      session.asOf = day;
      syncAsOfInput(state.status?.year ?? session.year, day);
      refresh();
    },
    refresh: () => refresh(),
    signOut: () => signOut(),
  });
  initMonthToggle();
  initReport();
  initZkPicker((code) => {
    session.zorgkantoor = code;
    refresh();
  });
  initAckName();
  initAlerts({ refresh, unauthorized: () => signOut('signin.refused') });
  const unauthorized = () => signOut('signin.refused');
  initProviderLines({ unauthorized, opened: () => { if (state.checkedAt) render(); } });
  initSubmissions({
    rows: () => submissionRows(state.provider?.subs),
    more: () => {
      state.submissionsLimit = Math.min(500, state.submissionsLimit + SUBMISSIONS_PAGE);
      refresh();
    },
  });
  initUpload({ sent: () => refresh(), unauthorized });
  initExport();

  // A controller opens a provider's page from the providers table: "#provider/<agb>".
  state.routeAgb = routeAgb(location.hash);
  window.addEventListener('hashchange', () => {
    const agb = routeAgb(location.hash);
    if (!agb || agb === state.routeAgb) return;
    state.routeAgb = agb;
    state.provider = null;
    state.submissionsLimit = SUBMISSIONS_PAGE;
    resetProviderLines();
    resetSubmissions();
    refresh().then(() => focusProviderPage());
  });
  $('provider-back').addEventListener('click', () => {
    state.routeAgb = null;
    state.provider = null;
    resetProviderLines();
    resetSubmissions();
    if (state.checkedAt) render();
  });

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && session.token && state.checkedAt
        && Date.now() - state.checkedAt.getTime() > pollSeconds() * 1000) refresh();
  });

  syncYearSelect(null, session.year);
  if (session.token) {
    showLoading();
    refresh();
  } else {
    showSignIn();
  }
}

init();
