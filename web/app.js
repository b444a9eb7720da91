// web/app.js — the dashboard's entry point: it holds the state, refreshes it from the API
// and hands it to the views, which draw it in the current language.
//
// What the page asks the API (all on its own origin; api.js):
//   GET  /api/v1/status?year=Y          budget status document (controller, dashboard)
//   GET  /api/v1/alerts?state=firing    firing alerts (controller, dashboard)
//   GET  /api/v1/providers?year=Y       per provider; 403 for a dashboard token, which is
//                                       also how the page learns it may not acknowledge
//   POST /api/v1/alerts/{fp}/ack        {"by": name, "comment": ""} (controller; view-alerts.js)
//   GET  /readyz                        503 = the service says it is degraded
// When a request fails (network, 5xx) the last figures stay on screen under a banner.
//
// The modules, one job each:
//   locale.js, i18n.js, text.nl.js, text.en.js   the language and every word of the page
//   format.js                                    money, ratios, counts, months, times (Intl)
//   session.js, api.js, errors.js                the tab's session; requests; errors in words
//   months.js, alerts-model.js, providers-model.js   what to show, from the documents (no DOM)
//   dom.js                                       building elements
//   view-*.js                                    one part of the page each
// A new part of the page (a provider's own page, a zorgkantoor filter) is a view-*.js with
// a render function called from render() below, its data fetched in refreshOnce() through
// apiPath(), and its words added to both text tables.

import { apiPath, forgetDocuments, probeReady, request, settle } from './api.js';
import { alertList } from './alerts-model.js';
import { $ } from './dom.js';
import { onLanguageChange, setLanguage, t } from './i18n.js';
import { session } from './session.js';
import { initAckName } from './view-ackname.js';
import { initAlerts, renderAlerts, resetAlerts } from './view-alerts.js';
import { renderBanner } from './view-banner.js';
import { renderChart } from './view-chart.js';
import { initControls, renderLanguageSwitch, renderRefreshButton, syncYearSelect } from './view-controls.js';
import { renderGroups } from './view-groups.js';
import { renderAsOf, renderHeadline } from './view-headline.js';
import { initMonthToggle, renderMonthTable, renderMonthToggle } from './view-months.js';
import { renderProviders } from './view-providers.js';
import { initSignIn, renderSignInMessage, showDashboard, showLoading, showNothingYet, showSignIn }
  from './view-signin.js';

const state = {
  role: 'unknown',      // 'controller' | 'dashboard' | 'unknown': learnt from GET /providers
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

async function refreshOnce() {
  const token = session.token;
  if (!token) {
    showSignIn();
    return;
  }
  const [status, alerts, ready] = await Promise.all([
    settle(request('GET', apiPath('/api/v1/status', { year: session.year }))),
    settle(request('GET', apiPath('/api/v1/alerts', { state: 'firing' }))),
    probeReady(),
  ]);
  const shownYear = status.ok ? status.value?.year : state.status?.year;
  let providers = null;
  if (state.role !== 'dashboard' && shownYear && ![status, alerts].some(is401)) {
    providers = await settle(request('GET', apiPath('/api/v1/providers', { year: shownYear })));
  }
  if (session.token !== token) return; // signed out meanwhile
  if ([status, alerts, providers].some(is401)) {
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
  renderHeadline(st);
  renderChart($('spend-chart'), st);
  renderMonthTable(st);
  renderGroups(st.groups);
  const rows = Array.isArray(state.providers?.providers) ? state.providers.providers : null;
  renderAlerts(state.alerts, { canAck: state.role === 'controller', providers: rows });
  renderProviders(state.providers, state.role);
}

/** Forget the token and everything it was allowed to see; `key`: a message for the form. */
function signOut(key = null) {
  session.token = null;
  session.name = null;
  forgetDocuments();
  clearTimeout(state.timer);
  Object.assign(state, { role: 'unknown', status: null, alerts: null, providers: null, problems: [],
                         ready: { ok: true, status: 200 }, checkedAt: null });
  resetAlerts();
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
      refresh();
    },
    refresh: () => refresh(),
    signOut: () => signOut(),
  });
  initMonthToggle();
  initAckName();
  initAlerts({ refresh, unauthorized: () => signOut('signin.refused') });

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
