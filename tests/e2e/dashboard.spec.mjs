#!/usr/bin/env node
// tests/e2e/dashboard.spec.mjs — the dashboard (web/) end to end, in a real Chromium, in
// Dutch (the default) and in English.
//
// A plain node script (no test runner): it prints TAP-style "ok N - ..." lines
// and exits 0 when every check passed, 1 otherwise (2 on bad usage).
//
// Environment:
//   LVHCMON_URL         base URL of lvhcmond (or tests/e2e/mock_server.py), e.g. http://127.0.0.1:8080
//   LVHCMON_TOKEN       a controller token
//   LVHCMON_SCREENSHOT  where to write the full-page PNGs (default ./dashboard.png): one per
//                       language, named with -nl / -en before the extension
//                       (dashboard-nl.png, dashboard-en.png)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   LVHCMON_ACK_NAME    the name typed when the page asks who acknowledges
//   LVHCMON_REQUIRE_ALERTS=1  fail, rather than skip, when nothing is firing to acknowledge
//
// The expected figures come from the API itself, fetched with the same token, and are
// formatted here independently of the page's own code; the expected words are written
// here, not taken from the page's text tables.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BASE = (process.env.LVHCMON_URL || '').replace(/\/+$/, '');
const TOKEN = process.env.LVHCMON_TOKEN || '';
const SHOT = path.resolve(process.env.LVHCMON_SCREENSHOT || 'dashboard.png');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ACK_NAME = process.env.LVHCMON_ACK_NAME || 'E2E check (dashboard.spec)';
const REQUIRE_ALERTS = process.env.LVHCMON_REQUIRE_ALERTS === '1';

if (!/^https?:\/\/[^/]+$/.test(BASE) || !TOKEN) {
  console.error('usage: LVHCMON_URL=http://host:port LVHCMON_TOKEN=controller-token '
    + '[LVHCMON_SCREENSHOT=out.png] node dashboard.spec.mjs');
  process.exit(2);
}

/** dashboard.png → dashboard-nl.png */
function shotPath(lang) {
  const ext = path.extname(SHOT) || '.png';
  return `${SHOT.slice(0, SHOT.length - path.extname(SHOT).length)}-${lang}${ext}`;
}

// --- reporting ------------------------------------------------------------------------------

let count = 0;
let failures = 0;
function check(ok, what, detail) {
  count += 1;
  console.log(`${ok ? 'ok' : 'not ok'} ${count} - ${what}`);
  if (!ok) {
    failures += 1;
    if (detail !== undefined) {
      const text = typeof detail === 'string' ? detail : JSON.stringify(detail, null, 2);
      console.log(text.split('\n').map((l) => `  # ${l}`).join('\n'));
    }
  }
  return ok;
}
const note = (msg) => console.log(`# ${msg}`);
const skip = (what, why) => { count += 1; console.log(`ok ${count} - ${what} # SKIP ${why}`); };

// --- expectations, formatted independently of web/format.js ----------------------------------

/** Collapse every kind of space (NBSP, narrow NBSP) so "€ 1.234,56" compares as text. */
const norm = (s) => String(s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();

function groupDigits(whole, sep) {
  const groups = [];
  let rest = String(whole);
  while (rest.length > 3) {
    groups.unshift(rest.slice(-3));
    rest = rest.slice(0, -3);
  }
  groups.unshift(rest);
  return groups.join(sep);
}

/** Integer cents in each language: nl "€ 1.234.567,89", en "€1,234,567.89". */
const euro = {
  nl(cents) {
    if (typeof cents !== 'number' || !Number.isFinite(cents)) return '—';
    const abs = Math.abs(cents);
    return `€ ${cents < 0 ? '-' : ''}${groupDigits(Math.floor(abs / 100), '.')},${String(abs % 100).padStart(2, '0')}`;
  },
  en(cents) {
    if (typeof cents !== 'number' || !Number.isFinite(cents)) return '—';
    const abs = Math.abs(cents);
    return `${cents < 0 ? '-' : ''}€${groupDigits(Math.floor(abs / 100), ',')}.${String(abs % 100).padStart(2, '0')}`;
  },
};

/**
 * A ratio as a percentage with one decimal, "84.1", rounded half away from zero on the
 * decimal the number prints as (0.8405 → 84.1, as Intl does; toFixed would see the binary
 * 0.84049999… and give 84.0).
 */
function percentOneDecimal(r) {
  const [whole, frac] = Math.abs(r).toFixed(12).split('.');
  let tenths = BigInt(whole + frac.slice(0, 3));
  if (frac[3] >= '5') tenths += 1n;
  const s = String(tenths).padStart(2, '0');
  return `${r < 0 ? '-' : ''}${s.slice(0, -1)}.${s.slice(-1)}`;
}

/** Ratio → nl "84,1%", en "84.1%". */
const pct = {
  nl: (r) => (typeof r === 'number' ? `${percentOneDecimal(r).replace('.', ',')}%` : '—'),
  en: (r) => (typeof r === 'number' ? `${percentOneDecimal(r)}%` : '—'),
};

/** A money axis tick in whole euros. */
const TICK = { nl: /^€ \d{1,3}(\.\d{3})+$/, en: /^€\d{1,3}(,\d{3})+$/ };

const MONTH_NAMES = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september',
       'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
       'October', 'November', 'December'],
};
const monthLong = (lang, ym) => `${MONTH_NAMES[lang][Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`;

/** The words the page must show, per language. */
const WORDS = {
  nl: {
    tokenLabel: 'Toegangstoken', refused: /niet geaccepteerd/i, refresh: 'Nu verversen',
    signOut: 'Afmelden', ack: 'Bevestigen', ackedBy: 'Bevestigd door', switchTo: 'Nederlands',
    degraded: /dienst verstoord, de laatst bekende cijfers worden getoond/i,
    headings: { 'groups-heading': 'Doelgroepen', 'alerts-heading': 'Actieve meldingen',
                'providers-heading': 'Zorgaanbieders met ontbrekende of te late declaraties' },
    providersNote: (f, t) => new RegExp(`^${f} van de ${t} zorgaanbieders? (heeft|hebben) ontbrekende of te late declaraties`),
    groupCount: (n) => new RegExp(`^${n} (melding|meldingen)$`),
    titles: {
      BudgetThresholdReached: 'Budgetdrempel bereikt', BudgetForecastOverrun: 'Prognose boven het plafond',
      BudgetAheadOfProfile: 'Uitgaven voor op het profiel',
      ProviderDeclarationMissing: 'Declaratie van zorgaanbieder ontbreekt',
      ProviderSpendSpike: 'Uitgavenpiek bij een zorgaanbieder', GroupSpendSpike: 'Uitgavenpiek in een doelgroep',
      ExtraCapReached: 'Extra plafond bereikt',
    },
  },
  en: {
    tokenLabel: 'Access token', refused: /not accepted/i, refresh: 'Refresh now', signOut: 'Sign out',
    ack: 'Acknowledge', ackedBy: 'Acknowledged by', switchTo: 'English',
    degraded: /service degraded, showing last known figures/i,
    headings: { 'groups-heading': 'Target groups', 'alerts-heading': 'Firing alerts',
                'providers-heading': 'Providers with missing or late declarations' },
    providersNote: (f, t) => new RegExp(`^${f} of ${t} providers? (has|have) missing or late declarations`),
    groupCount: (n) => new RegExp(`^${n} alerts?$`),
    titles: {
      BudgetThresholdReached: 'Budget threshold reached', BudgetForecastOverrun: 'Forecast over the cap',
      BudgetAheadOfProfile: 'Spend ahead of the profile', ProviderDeclarationMissing: 'Provider declaration missing',
      ProviderSpendSpike: 'Provider spend spike', GroupSpendSpike: 'Target group spend spike',
      ExtraCapReached: 'Extra cap reached',
    },
  },
};

/**
 * The alert texts the page should show: the Dutch annotations_nl on a Dutch page when the
 * alert has them, else the English annotations with the daemon's amounts ("4238575.67
 * EUR", "1.00 to 2.00 EUR") in the page's money format.
 */
function expectedAlertTexts(a, lang) {
  const nl = a.annotations_nl;
  if (lang === 'nl' && nl && (nl.summary || nl.description)) {
    return { summary: nl.summary || '', description: nl.description || '', lang: 'nl' };
  }
  const toCents = (s) => {
    const [w, f] = s.replace('-', '').split('.');
    return (s.startsWith('-') ? -1 : 1) * (Number(w) * 100 + Number(f));
  };
  const money = (text) => String(text || '').replace(/(?<![\w.,])-?\d+\.\d{2}(?:\s+to\s+-?\d+\.\d{2})*\s+EUR\b/g,
    (m) => m.replace(/\s+EUR$/, '').replace(/-?\d+\.\d{2}/g, (n) => euro[lang](toCents(n))));
  return { summary: money(a.annotations?.summary), description: money(a.annotations?.description), lang: 'en' };
}

/**
 * The months the chart should plot: those of the status year up to the month
 * of generated_at, the current month only once it has spend (see web/months.js).
 */
function monthsWithFigures(st) {
  const months = (st.months || []).filter((m) => String(m.month).startsWith(`${st.year}-`));
  const asOf = new Date(st.generated_at || st.data_as_of || Date.now());
  const y = asOf.getUTCFullYear();
  const mo = asOf.getUTCMonth() + 1;
  if (st.year < y) return months;
  if (st.year > y) return [];
  return months.filter((m) => {
    const n = Number(String(m.month).slice(5, 7));
    return n < mo || (n === mo && (m.spent_cents || 0) > 0);
  });
}

const alertsOf = (doc) => (Array.isArray(doc) ? doc : Array.isArray(doc?.alerts) ? doc.alerts : []);

/** Alerts per alertname: Map name → [alert]. */
function byAlertname(alerts) {
  const m = new Map();
  for (const a of alerts) {
    const n = String(a.labels?.alertname ?? '');
    if (!m.has(n)) m.set(n, []);
    m.get(n).push(a);
  }
  return m;
}

/**
 * The providers the page must report: those with a missing month or a line declared late,
 * out of those that have to declare this year (months_expected) or did (months_declared).
 */
function providerExpectation(doc) {
  const all = (Array.isArray(doc) ? doc : doc.providers || []);
  const active = all.filter((p) => (!Array.isArray(p.months_expected) && !Array.isArray(p.months_declared))
    || (p.months_expected || []).length || (p.months_declared || []).length);
  const missing = (p) => (p.missing_months || []).length;
  const flagged = active.filter((p) => missing(p) > 0 || p.late_lines > 0);
  return { total: active.length, flagged, withMissing: flagged.filter((p) => missing(p) > 0).length,
           withLate: flagged.filter((p) => p.late_lines > 0).length };
}

async function api(pathAndQuery) {
  const res = await fetch(BASE + pathAndQuery, {
    headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${pathAndQuery}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

// --- the run --------------------------------------------------------------------------------

async function main() {
  note(`dashboard at ${BASE}/ with Chromium ${CHROMIUM}`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lvhcmon-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
    // An English-speaking browser: the page must still start in Dutch.
    locale: 'en-GB',
    timezoneId: 'Europe/Amsterdam',
  });
  context.setDefaultTimeout(15000);

  // Everything the page does, for the checks at the end.
  let phase = 'load';
  const requests = [];
  const responses = [];
  const consoleErrors = [];
  const pageErrors = [];
  const cspViolations = [];
  context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), phase, request: r }));
  context.on('response', (r) => responses.push({ url: r.url(), status: r.status(), request: r.request() }));
  await context.exposeBinding('__e2eCspViolation', (_src, v) => cspViolations.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__e2eCspViolation({ directive: e.violatedDirective, blocked: e.blockedURI,
                                 source: e.sourceFile, line: e.lineNumber, sample: e.sample });
    });
  });

  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push({ text: m.text(), url: m.location()?.url, phase });
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  try {
    await run(page, { phase: (p) => { phase = p; }, requests, responses });
  } catch (e) {
    check(false, 'the run completed without an exception', e.stack || String(e));
  }

  // --- what the whole run did ---
  const offsite = requests.filter((r) => !/^(data|blob|about):/.test(r.url) && !r.url.startsWith(`${BASE}/`));
  check(offsite.length === 0, `every request stayed on ${BASE} (${requests.length} requests)`,
        offsite.map((r) => `${r.method} ${r.url}`).join('\n'));
  // Deliberate failures log "Failed to load resource" in their own phase: a wrong
  // token is a 401, the simulated outage a 503. Anything else is a defect, a missing
  // text ("lvhcmon text: no text ...") included.
  const allowed = { 'signin-wrong': /status of 401/, degraded: /status of 503/ };
  const unexpected = consoleErrors.filter((c) => !(allowed[c.phase] && allowed[c.phase].test(c.text)));
  check(unexpected.length === 0, 'no console errors', unexpected);
  check(pageErrors.length === 0, 'no uncaught exceptions in the page', pageErrors);
  check(cspViolations.length === 0, 'no Content-Security-Policy violations', cspViolations);

  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  console.log(`1..${count}`);
  note(failures ? `${failures} of ${count} checks failed` : `all ${count} checks passed`);
  return failures ? 1 : 0;
}

/**
 * Run axe-core (WCAG 2.1 A/AA and best practices) in the page; report the violations.
 * It is evaluated through the DevTools protocol, which the page's CSP does not govern.
 */
const AXE_SOURCE = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
async function axeCheck(page, what) {
  if (!await page.evaluate(() => typeof window.axe === 'object')) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  check(result.violations.length === 0, `axe-core finds no accessibility violations (${what})`,
        result.violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })));
}

async function waitRefreshed(page) {
  await page.waitForFunction(() => {
    const b = document.getElementById('refresh-button');
    return b && !b.disabled;
  });
}

/** Press Tab until `isTarget()` (evaluated in the page) holds; returns the presses, or -1. */
async function tabUntil(page, isTarget, arg, max = 80) {
  for (let tabs = 0; tabs <= max; tabs++) {
    if (await page.evaluate(isTarget, arg)) return tabs;
    await page.keyboard.press('Tab');
  }
  return -1;
}

const activeId = (page) => page.evaluate(() => document.activeElement?.id);

/**
 * The page speaks `lang` only: <html lang>, no text of the other language's table outside
 * elements marked with that language (the API's English alert texts on a Dutch page, the
 * Dutch names of groups and providers on an English one), and no ⟦key⟧ marker of a text
 * missing from a table. The tables are only used to know what the other language's
 * strings are.
 */
async function checkOneLanguage(page, lang, where) {
  check(await page.evaluate(() => document.documentElement.lang) === lang, `<html lang="${lang}"> (${where})`);
  const other = lang === 'nl' ? 'en' : 'nl';
  const found = await page.evaluate(async ({ mine, theirs }) => {
    const load = async (l) => (await import(`/text.${l}.js`)).default;
    const own = await load(mine);
    const foreign = new Set(Object.entries(await load(theirs))
      .filter(([k, v]) => typeof v === 'string' && !/\{\w+\}/.test(v) && v !== own[k] && v.trim().length >= 3)
      .map(([, v]) => v.replace(/\s+/g, ' ').trim()));
    const hits = [];
    for (const el of document.querySelectorAll('title, body *')) {
      if (el.closest('[lang]')?.getAttribute('lang') === theirs) continue;
      const text = el.textContent.replace(/\s+/g, ' ').trim();
      if (foreign.has(text)) hits.push(`<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> ${text}`);
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = el.getAttribute(a);
        if (v && foreign.has(v.trim())) hits.push(`${a}="${v}"`);
      }
    }
    const text = `${document.title} ${document.body.innerText}`;
    return { hits, foreign: foreign.size, marker: text.includes('⟦') ? text.slice(text.indexOf('⟦'), text.indexOf('⟦') + 60) : null };
  }, { mine: lang, theirs: other });
  check(found.foreign > 50 && found.hits.length === 0,
        `no ${other === 'en' ? 'English' : 'Dutch'} text of the page on the ${lang === 'nl' ? 'Dutch' : 'English'} page (${where})`,
        found);
  check(found.marker === null, `no text is missing from the ${lang} table (${where})`, found.marker);
}

async function run(page, { phase, requests, responses }) {
  // 1. The page and its policy.
  phase('load');
  const first = await page.goto(`${BASE}/`, { waitUntil: 'load' });
  check(first?.status() === 200, `GET / answers 200 (got ${first?.status()})`);
  const csp = first?.headers()['content-security-policy'] || '';
  check(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp),
        'the page is served with a strict Content-Security-Policy', `Content-Security-Policy: ${csp || '(absent)'}`);
  check(/text\/html/.test(first?.headers()['content-type'] || ''), 'index is served as text/html');

  // 2. The sign-in form, in Dutch by default, and in English at a press of the switch.
  const nlInput = page.getByLabel(WORDS.nl.tokenLabel, { exact: true });
  await nlInput.waitFor({ state: 'visible' });
  check(await nlInput.getAttribute('type') === 'password',
        `the page starts in Dutch: the token field is labelled "${WORDS.nl.tokenLabel}" and masked`);
  check(await page.locator('#token-form button[type=submit]').count() === 1, 'the form has a submit <button>');
  await checkOneLanguage(page, 'nl', 'sign-in form');
  await axeCheck(page, 'sign-in form, Dutch');
  await page.getByRole('button', { name: WORDS.en.switchTo }).click();
  await page.getByLabel(WORDS.en.tokenLabel, { exact: true }).waitFor({ state: 'visible' });
  check(await page.evaluate(() => sessionStorage.getItem('lvhcmon.lang')) === 'en',
        `"${WORDS.en.switchTo}" switches the form to English and keeps the choice in sessionStorage`);
  check(await page.getByRole('button', { name: WORDS.en.switchTo }).getAttribute('aria-pressed') === 'true',
        'the switch marks English as pressed');
  await checkOneLanguage(page, 'en', 'sign-in form');
  await axeCheck(page, 'sign-in form, English');
  await page.getByRole('button', { name: WORDS.nl.switchTo }).click();
  await nlInput.waitFor({ state: 'visible' });

  // 3. A wrong token is refused, the form says so (in Dutch), and nothing is kept.
  phase('signin-wrong');
  await nlInput.fill('wrong-token-from-e2e');
  await nlInput.press('Enter');
  await page.locator('#signin-error').waitFor({ state: 'visible' });
  check(WORDS.nl.refused.test(await page.locator('#signin-error').innerText()),
        `a refused token (401) shows "${WORDS.nl.refused.source}" on the form`);
  check(await page.evaluate(() => sessionStorage.getItem('lvhcmon.token')) === null,
        'the refused token is cleared from sessionStorage');
  check(await activeId(page) === 'token-input', 'focus returns to the token field after a refusal');

  // 4. Keyboard only: from a fresh page, Tab to the field, type, Enter.
  phase('keyboard');
  await page.reload({ waitUntil: 'load' });
  await page.locator('#token-input').waitFor({ state: 'visible' });
  const tabs = await tabUntil(page, () => document.activeElement?.id === 'token-input', null, 15);
  check(tabs >= 0, `the token field is reached with the keyboard (${tabs} Tab presses)`);
  const outline = await page.evaluate(() => {
    const cs = getComputedStyle(document.activeElement);
    return { style: cs.outlineStyle, width: cs.outlineWidth };
  });
  check(outline.style !== 'none' && outline.width !== '0px', 'the focused field shows a visible focus outline', outline);
  await page.keyboard.type(TOKEN);
  await page.keyboard.press('Enter');
  phase('main');

  // 5. The dashboard loads.
  await page.locator('#dashboard').waitFor({ state: 'visible' });
  await page.waitForSelector('#spend-chart[data-points]', { state: 'attached' });
  await waitRefreshed(page);
  const storage = await page.evaluate(() => ({
    session: sessionStorage.getItem('lvhcmon.token'), local: localStorage.length, url: location.href,
  }));
  check(storage.session === TOKEN, 'the token is kept in sessionStorage');
  check(storage.local === 0, 'nothing is written to localStorage');
  check(!storage.url.includes(TOKEN), 'the token is not in the URL');
  const authSent = requests.some((r) => r.url.includes('/api/v1/status')
    && r.request.headers().authorization === `Bearer ${TOKEN}`);
  check(authSent, 'API requests carry "Authorization: Bearer <token>"');

  const st = await api('/api/v1/status');
  const provDoc = await api(`/api/v1/providers?year=${st.year}`);
  let firing = alertsOf(await api('/api/v1/alerts?state=firing'));
  note(`API: year ${st.year}, spent ${euro.nl(st.spent_cents)} of ${euro.nl(st.cap_cents)}, `
    + `${(st.months || []).length} months, ${firing.length} firing alerts`);

  // 6-10. Everything on the page, in Dutch.
  await checkDashboard(page, 'nl', st, provDoc);
  await checkAlerts(page, 'nl', st, firing, { keyboard: true });

  // 11. ETag revalidation: a manual refresh sends If-None-Match and gets 304. The daemon
  // rebuilds its figures about once a minute (a new generated_at, a new ETag), so a refresh
  // that happens to cross a rebuild gets a 200; the next one, right after it, a 304.
  const before = responses.length;
  for (let i = 0; i < 3; i++) {
    await page.getByRole('button', { name: WORDS.nl.refresh }).click();
    await page.waitForTimeout(100);
    await waitRefreshed(page);
    const last = responses.slice(before).filter((r) => new URL(r.url).pathname === '/api/v1/status').at(-1);
    if (last?.status === 304) break;
  }
  const statusResp = responses.slice(before).filter((r) => new URL(r.url).pathname === '/api/v1/status');
  const revalidated = statusResp.some((r) => r.request.headers()['if-none-match'] && r.status === 304);
  check(revalidated, 'a refresh revalidates the status with If-None-Match and gets 304',
        statusResp.map((r) => ({ status: r.status, ifNoneMatch: r.request.headers()['if-none-match'] || null })));

  // 12. Acknowledge the first open alert through its button (its group is open).
  await acknowledgeOne(page, firing, requests);
  firing = alertsOf(await api('/api/v1/alerts?state=firing'));

  // 13. The Dutch page, its accessibility and its screenshot (one alert group open).
  await checkOneLanguage(page, 'nl', 'dashboard');
  await collapseAllButFirst(page);
  await axeCheck(page, 'dashboard in Dutch with figures, alerts and providers');
  await screenshot(page, 'nl');

  // 14. English, chosen with the keyboard; the same figures, written the English way.
  const langTabs = await tabUntil(page, () => document.activeElement?.id === 'lang-en');
  check(langTabs >= 0, `the language switch is reached with the keyboard (${langTabs} Tab presses)`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  check(await page.evaluate(() => sessionStorage.getItem('lvhcmon.lang')) === 'en',
        'the English choice is kept in sessionStorage');
  await checkDashboard(page, 'en', st, provDoc);
  await checkAlerts(page, 'en', st, firing, { keyboard: false });
  const spentNl = euro.nl(st.spent_cents);
  const spentEn = euro.en(st.spent_cents);
  check(spentNl !== spentEn && norm(await page.locator('#spent-amount').innerText()) === spentEn,
        `the same figure reads ${spentNl} in Dutch and ${spentEn} in English`);
  await checkOneLanguage(page, 'en', 'dashboard');

  // 15. A reload keeps English (the session), and the open alert group.
  await page.reload({ waitUntil: 'load' });
  await page.locator('#dashboard').waitFor({ state: 'visible' });
  await waitRefreshed(page);
  check(await page.evaluate(() => document.documentElement.lang) === 'en'
        && norm(await page.locator('#groups-heading').innerText()) === WORDS.en.headings['groups-heading'],
        'after a reload the page is still in English');

  // 16. A failing API keeps the last figures under a "service degraded" banner.
  phase('degraded');
  const failStatus = (route) => route.fulfill({
    status: 503, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'unavailable', message: 'simulated by the e2e test' } }),
  });
  const isStatus = (url) => url.pathname === '/api/v1/status';
  await page.route(isStatus, failStatus);
  await page.getByRole('button', { name: WORDS.en.refresh }).click();
  await page.waitForTimeout(100);
  await waitRefreshed(page);
  const banner = page.locator('#banner');
  const bannerShown = await banner.isVisible();
  const bannerText = bannerShown ? norm(await banner.innerText()) : '';
  check(bannerShown && WORDS.en.degraded.test(bannerText),
        'a 503 from the API shows "Service degraded, showing last known figures"', bannerText);
  check(norm(await page.locator('#spent-amount').innerText()) === euro.en(st.spent_cents),
        'the last known figures stay on screen while degraded');
  await page.getByRole('button', { name: WORDS.nl.switchTo }).click();
  const bannerNl = norm(await banner.innerText());
  check(WORDS.nl.degraded.test(bannerNl), 'the banner follows a switch to Dutch', bannerNl);
  await page.getByRole('button', { name: WORDS.en.switchTo }).click();
  await page.unroute(isStatus, failStatus);
  await page.getByRole('button', { name: WORDS.en.refresh }).click();
  await page.waitForTimeout(100);
  await waitRefreshed(page);
  phase('main');
  const ready = await fetch(`${BASE}/readyz`).then((r) => r.status).catch(() => 0);
  if (ready === 200 && st.stale !== true) {
    check(!(await banner.isVisible()), 'the banner goes away when the API answers again');
  } else {
    note(`/readyz is ${ready} or the data is stale: the banner stays, as it should`);
  }

  // 17. Structure and accessibility: landmarks, headings, buttons, no style attributes.
  const structure = await page.evaluate(() => ({
    header: document.querySelectorAll('header').length,
    nav: document.querySelectorAll('nav').length,
    main: document.querySelectorAll('main').length,
    h1: document.querySelectorAll('h1').length,
    h2: [...document.querySelectorAll('h2')].filter((e) => e.offsetParent !== null).length,
    styled: document.querySelectorAll('[style]').length,
    clickableNonButtons: [...document.querySelectorAll('[onclick], div[tabindex="0"]:not(.table-scroll), span[tabindex="0"]')].length,
  }));
  check(structure.header >= 1 && structure.nav >= 1 && structure.main === 1 && structure.h1 === 1
        && structure.h2 >= 4, 'header, nav and main landmarks with one h1 and section headings', structure);
  check(structure.styled === 0 && structure.clickableNonButtons === 0,
        'no style attributes or clickable non-buttons in the DOM', structure);
  await collapseAllButFirst(page);
  await axeCheck(page, 'dashboard in English with figures, alerts and providers');
  await screenshot(page, 'en');

  // 18. Sign out forgets the token, not the language.
  await page.getByRole('button', { name: WORDS.en.signOut }).click();
  await page.getByLabel(WORDS.en.tokenLabel, { exact: true }).waitFor({ state: 'visible' });
  check(await page.evaluate(() => sessionStorage.getItem('lvhcmon.token')) === null,
        'Sign out clears the token and shows the sign-in form again, still in English');
}

/** The overview, the groups and the providers against the API, in `lang`. */
async function checkDashboard(page, lang, st, provDoc) {
  const L = lang === 'nl' ? 'Dutch' : 'English';
  const W = WORDS[lang];
  for (const [id, want] of Object.entries(W.headings)) {
    const got = norm(await page.locator(`#${id}`).innerText());
    check(got === want, `${L}: the heading #${id} reads "${want}"`, `shown: ${got}`);
  }

  // The chart.
  const months = monthsWithFigures(st);
  const chart = page.locator('#spend-chart');
  check(await chart.getAttribute('role') === 'img', `${L}: the chart is an <svg role="img">`);
  const points = await page.locator('#spend-chart circle.point').count();
  check(points === months.length, `${L}: the chart plots ${months.length} month points (found ${points})`);
  const titleText = norm(await page.locator('#spend-chart > title').textContent());
  const descText = norm(await page.locator('#spend-chart > desc').textContent());
  check(titleText.length > 10 && descText.includes(euro[lang](st.cap_cents)),
        `${L}: the chart has a <title> and a <desc> that states the cap as ${euro[lang](st.cap_cents)}`,
        { titleText, descText });
  if (months.length) {
    const last = months.at(-1);
    check(descText.includes(euro[lang](last.cumulative_cents)) && descText.includes(monthLong(lang, last.month)),
          `${L}: the chart <desc> states the cumulative spend through ${monthLong(lang, last.month)}`, descText);
  }
  const ticks = (await page.locator('#spend-chart .tick-label').allTextContents()).map(norm);
  check(ticks.some((t) => TICK[lang].test(t)), `${L}: the money axis reads in whole euros (${ticks[1]})`, ticks);
  check(await page.locator('#spend-chart .line-cap').count() === 1
        && await page.locator('#spend-chart .line-profile').count() === 1,
        `${L}: the cap and the pro-rata profile are drawn`);
  if (months.length < 12 && st.forecast && Number.isFinite(st.forecast.year_end_cents)) {
    check(await page.locator('#spend-chart .line-forecast').count() === 1
          && await page.locator('#spend-chart .forecast-band').count() === 1,
          `${L}: the forecast is drawn as a line with a range band`);
  }
  const rows = page.locator('#month-table tbody tr');
  const tableRows = await rows.count();
  check(tableRows === Math.max(1, months.length), `${L}: the monthly table has ${months.length} rows (found ${tableRows})`);
  if (months.length) {
    const firstMonth = norm(await rows.first().locator('th').innerText());
    check(firstMonth === monthLong(lang, months[0].month), `${L}: the table's first month reads "${monthLong(lang, months[0].month)}"`,
          `shown: ${firstMonth}`);
  }

  // Headline figures equal the API's, written the language's way.
  const figures = {
    'spent-amount': euro[lang](st.spent_cents), 'cap-amount': euro[lang](st.cap_cents),
    'remaining-amount': euro[lang](st.remaining_cents), 'profile-amount': euro[lang](st.profile_ytd_cents),
    'forecast-amount': euro[lang](st.forecast?.year_end_cents), 'spent-ratio': pct[lang](st.spent_ratio),
  };
  for (const [id, want] of Object.entries(figures)) {
    const got = norm(await page.locator(`#${id}`).innerText());
    check(got === want, `${L}: headline ${id} shows ${want}`, `shown: ${got}`);
  }

  // Six target groups, in the API's order, with its amounts.
  const codes = await page.locator('[data-group]').evaluateAll((els) => els.map((e) => e.dataset.group));
  check(codes.length === 6 && codes.join() === st.groups.map((g) => g.code).join(),
        `${L}: six target groups shown in order (${codes.join(', ')})`);
  for (const g of st.groups) {
    const shown = norm(await page.locator(`[data-group="${g.code}"] .group-amount`).innerText());
    check(shown === euro[lang](g.spent_cents), `${L}: group ${g.code} shows ${euro[lang](g.spent_cents)}`, `shown: ${shown}`);
  }

  // Providers: only those that really have a missing month or a late line are counted and listed.
  const want = providerExpectation(provDoc);
  const tr = page.locator('#providers-table tbody tr');
  const shownRows = await tr.count();
  check(shownRows === (want.flagged.length ? want.flagged.length : 0),
        `${L}: ${want.flagged.length} providers with missing or late declarations listed (found ${shownRows})`);
  const shownAgbs = (await tr.evaluateAll((els) => els.map((e) => e.dataset.agb))).sort().join();
  check(shownAgbs === want.flagged.map((p) => p.agb).sort().join(),
        `${L}: the listed providers are those with a missing month or a late line`);
  const noteText = norm(await page.locator('#providers-note').innerText());
  if (want.flagged.length) {
    check(W.providersNote(want.flagged.length, want.total).test(noteText),
          `${L}: the note counts ${want.flagged.length} of ${want.total} providers`
          + ` (${want.withMissing} with missing months, ${want.withLate} with late lines)`, noteText);
    check(noteText.includes(` ${want.withMissing} `) && noteText.includes(` ${want.withLate} `),
          `${L}: the note splits them into missing months and late lines`, noteText);
  }
  await checkMissingMonths(page, lang, want.flagged);
}

/** Every missing month is listed, and long lists wrap inside the table instead of being cut off. */
async function checkMissingMonths(page, lang, flagged) {
  const L = lang === 'nl' ? 'Dutch' : 'English';
  const layout = await page.evaluate(() => {
    const wrap = document.getElementById('providers-table-wrap');
    const box = wrap.getBoundingClientRect();
    return {
      scroll: wrap.scrollWidth, client: wrap.clientWidth,
      rows: [...wrap.querySelectorAll('tbody tr')].map((tr) => {
        const chips = [...tr.querySelectorAll('.chip-missing')].map((c) => c.getBoundingClientRect());
        return { agb: tr.dataset.agb, chips: chips.length,
                 lines: new Set(chips.map((r) => Math.round(r.top))).size,
                 outside: chips.filter((r) => r.right > box.right + 0.5 || r.left < box.left - 0.5).length };
      }),
    };
  });
  const wrong = flagged.filter((p) => layout.rows.find((r) => r.agb === p.agb)?.chips !== (p.missing_months || []).length);
  check(wrong.length === 0, `${L}: every provider's missing months are all listed`, wrong.map((p) => p.agb));
  check(layout.scroll <= layout.client + 1 && layout.rows.every((r) => r.outside === 0),
        `${L}: the providers table fits its panel, no missing month is cut off`, layout);
  const longest = layout.rows.reduce((a, r) => (r.chips > (a?.chips ?? 0) ? r : a), null);
  if (longest && longest.chips >= 6) {
    check(longest.lines > 1, `${L}: a long list of missing months (${longest.chips}) wraps onto ${longest.lines} lines`, longest);
  } else {
    note(`no provider misses six months or more: wrapping not exercised (${longest?.chips ?? 0} at most)`);
  }
}

/**
 * The firing alerts, grouped by alertname: one group per name with the API's count and a
 * title in words; opening a group (with the keyboard when asked) lists exactly its alerts,
 * with their texts in the page's language and the daemon's amounts in its money format.
 */
async function checkAlerts(page, lang, st, firing, { keyboard }) {
  const L = lang === 'nl' ? 'Dutch' : 'English';
  const W = WORDS[lang];
  const want = byAlertname(firing);
  const groups = await page.locator('.alert-group').evaluateAll((els) => els.map((e) => ({
    name: e.dataset.alertname, count: Number(e.dataset.count),
    title: e.querySelector('.alert-group-title')?.textContent.trim(),
    countText: e.querySelector('.alert-group-count')?.textContent.replace(/[\s\u00a0]+/g, ' ').trim(),
  })));
  check(groups.length === want.size && groups.every((g) => want.get(g.name)?.length === g.count),
        `${L}: ${want.size} alert groups, each with the API's number of firing alerts per alertname`,
        { shown: groups.map((g) => `${g.name}: ${g.count}`), api: [...want].map(([n, l]) => `${n}: ${l.length}`) });
  const badCounts = groups.filter((g) => !W.groupCount(g.count).test(g.countText || ''));
  check(badCounts.length === 0, `${L}: each group shows its count in words ("${groups[0]?.countText}")`, badCounts);
  const badTitles = groups.filter((g) => W.titles[g.name] && g.title !== W.titles[g.name]);
  check(groups.length === 0 || badTitles.length === 0,
        `${L}: each group is titled in words (${groups.map((g) => g.title).join('; ')})`, badTitles);
  if (!groups.length) return;

  // Open the first group with the keyboard (or find it open), then all the others.
  const firstToggle = page.locator('.alert-group-toggle').first();
  if (keyboard) {
    check(await firstToggle.getAttribute('aria-expanded') === 'false', `${L}: the alert groups start closed`);
    const n = await tabUntil(page, () => document.activeElement?.classList.contains('alert-group-toggle'));
    check(n >= 0, `${L}: the first alert group's button is reached with the keyboard (${n} Tab presses)`);
    await page.keyboard.press('Enter');
    check(await firstToggle.getAttribute('aria-expanded') === 'true'
          && await page.locator('.alert-group').first().locator('.alert-list').isVisible(),
          `${L}: Enter opens the group (aria-expanded="true", its alerts shown)`);
    await page.keyboard.press('Enter');
    check(await firstToggle.getAttribute('aria-expanded') === 'false'
          && !await page.locator('.alert-group').first().locator('.alert-list').isVisible(),
          `${L}: Enter again closes it`);
    await page.keyboard.press('Space');
  }
  const closed = page.locator('.alert-group-toggle[aria-expanded="false"]');
  for (let n = await closed.count(); n > 0; n--) await closed.first().click();
  const listed = await page.locator('.alert-group').evaluateAll((els) => els.map((e) => ({
    name: e.dataset.alertname,
    open: !e.querySelector('.alert-list').hidden,
    items: [...e.querySelectorAll('.alert-item')].map((li) => {
      const s = li.querySelector('.alert-summary');
      const d = li.querySelector('.alert-desc');
      return { fp: li.dataset.fingerprint, summary: s?.textContent ?? '', description: d?.textContent ?? '',
               lang: (s || d)?.closest('[lang]')?.getAttribute('lang') };
    }),
  })));
  const wrongSets = listed.filter((g) => !g.open || g.items.map((i) => i.fp).sort().join()
    !== (want.get(g.name) || []).map((a) => String(a.fingerprint)).sort().join());
  check(wrongSets.length === 0, `${L}: opening each group lists exactly its firing alerts`, wrongSets);

  const byFp = new Map(firing.map((a) => [String(a.fingerprint), a]));
  const wrongTexts = [];
  for (const item of listed.flatMap((g) => g.items)) {
    const exp = expectedAlertTexts(byFp.get(item.fp) || {}, lang);
    if (norm(item.summary) !== norm(exp.summary) || norm(item.description) !== norm(exp.description)
        || item.lang !== exp.lang) {
      wrongTexts.push({ fp: item.fp, shown: item, expected: exp });
    }
  }
  check(wrongTexts.length === 0, `${L}: every alert shows its summary and description, amounts written the ${L} way`,
        wrongTexts.slice(0, 3));
  const leftovers = listed.flatMap((g) => g.items).filter((i) => /\d\.\d{2} EUR/.test(`${i.summary} ${i.description}`));
  check(leftovers.length === 0, `${L}: no amount is left in the daemon's "1234.56 EUR" notation`, leftovers.slice(0, 3));
  const threshold = firing.find((a) => a.labels?.alertname === 'BudgetThresholdReached' && !(lang === 'nl' && a.annotations_nl)
    && /EUR/.test(a.annotations?.description || ''));
  if (threshold) {
    const shown = listed.flatMap((g) => g.items).find((i) => i.fp === String(threshold.fingerprint));
    check(norm(shown?.description).includes(euro[lang](st.spent_cents)),
          `${L}: the threshold alert states the spend as ${euro[lang](st.spent_cents)}`, shown);
  }
  const withNl = firing.filter((a) => a.annotations_nl?.summary);
  if (withNl.length && lang === 'nl') {
    note(`${withNl.length} alert(s) carry annotations_nl: shown in Dutch above`);
  }
}

async function acknowledgeOne(page, firing, requests) {
  const open = page.locator('.alert-item:has(.ack-button)').first();
  if (await open.count() === 0) {
    if (REQUIRE_ALERTS || firing.some((a) => !a.acknowledged_by)) {
      check(false, 'an open firing alert offers an acknowledge button');
    } else {
      skip('acknowledge an alert from the page', 'no open firing alert');
    }
    return;
  }
  const fp = await open.getAttribute('data-fingerprint');
  await open.getByRole('button', { name: WORDS.nl.ack }).click();
  const dialog = page.locator('#name-dialog');
  let asked = false;
  try {
    await dialog.waitFor({ state: 'visible', timeout: 2000 });
    asked = true;
  } catch { /* a name was already known */ }
  if (asked) {
    check(await activeId(page) === 'name-input', 'the name dialog opens with focus on the name field');
    await page.keyboard.type(ACK_NAME);
    await page.keyboard.press('Enter');
  }
  const item = page.locator(`[data-fingerprint="${fp}"]`);
  await item.locator('.ack-done').waitFor({ state: 'visible' });
  check(norm(await item.locator('.ack-done').innerText()).includes(WORDS.nl.ackedBy),
        `alert ${fp} shows who acknowledged it ("${WORDS.nl.ackedBy} …")`);
  check(await page.evaluate((f) => document.activeElement?.closest('.alert-item')?.dataset.fingerprint === f, fp),
        'after acknowledging, the keyboard focus stays on that alert');
  const post = requests.find((r) => r.method === 'POST' && r.url === `${BASE}/api/v1/alerts/${encodeURIComponent(fp)}/ack`);
  let body = null;
  try { body = JSON.parse(post?.request.postData() || 'null'); } catch { /* checked below */ }
  check(post && typeof body?.by === 'string' && body.by.length > 0 && body.comment === '',
        `POST /api/v1/alerts/${fp}/ack was sent with {"by": ..., "comment": ""}`, body);
  const after = alertsOf(await api('/api/v1/alerts?state=all')).find((a) => a.fingerprint === fp)
    || alertsOf(await api('/api/v1/alerts?state=firing')).find((a) => a.fingerprint === fp);
  const by = after?.acknowledged_by;
  check(asked ? by === ACK_NAME : Boolean(by), `the API reports acknowledged_by for ${fp} (${by})`, after);
  check(Boolean(after?.acknowledged_at), 'the API reports acknowledged_at', after);
}

/** Close every alert group but the first, for a readable screenshot. */
async function collapseAllButFirst(page) {
  const toggles = await page.locator('.alert-group-toggle').all();
  for (const [i, t] of toggles.entries()) {
    const open = await t.getAttribute('aria-expanded') === 'true';
    if ((i === 0) !== open) await t.click();
  }
}

async function screenshot(page, lang) {
  const file = shotPath(lang);
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => document.activeElement?.blur());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  check(size > 20000, `full-page screenshot (${lang}) saved to ${file} (${size} bytes)`);
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
