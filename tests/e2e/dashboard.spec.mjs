#!/usr/bin/env node
// tests/e2e/dashboard.spec.mjs — the dashboard (web/) end to end, in a real Chromium.
//
// A plain node script (no test runner): it prints TAP-style "ok N - ..." lines
// and exits 0 when every check passed, 1 otherwise (2 on bad usage).
//
// Environment:
//   LVHCMON_URL         base URL of lvhcmond (or tests/e2e/mock_server.py), e.g. http://127.0.0.1:8080
//   LVHCMON_TOKEN       a controller token
//   LVHCMON_SCREENSHOT  where to write the full-page PNG (default ./dashboard.png)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   LVHCMON_ACK_NAME    the name typed when the page asks who acknowledges
//   LVHCMON_REQUIRE_ALERTS=1  fail, rather than skip, when nothing is firing to acknowledge
//
// The expected figures come from the API itself, fetched with the same token,
// and are formatted here independently of the page's own code.

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

/** Integer cents → "€ 1.234.567,89" (nl-NL). */
function euro(cents) {
  if (typeof cents !== 'number' || !Number.isFinite(cents)) return '—';
  const neg = cents < 0;
  const abs = Math.abs(cents);
  let whole = String(Math.floor(abs / 100));
  const groups = [];
  while (whole.length > 3) {
    groups.unshift(whole.slice(-3));
    whole = whole.slice(0, -3);
  }
  groups.unshift(whole);
  return `€ ${neg ? '-' : ''}${groups.join('.')},${String(abs % 100).padStart(2, '0')}`;
}

/** Ratio → "84,1%". */
const pct = (r) => (typeof r === 'number' ? `${(r * 100).toFixed(1).replace('.', ',')}%` : '—');

/**
 * The months the chart should plot: those of the status year up to the month
 * of generated_at, the current month only once it has spend (see web/chart.js).
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
    locale: 'nl-NL',
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
  // token is a 401, the simulated outage a 503. Anything else is a defect.
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

async function run(page, { phase, requests, responses }) {
  // 1. The page and its policy.
  phase('load');
  const first = await page.goto(`${BASE}/`, { waitUntil: 'load' });
  check(first?.status() === 200, `GET / answers 200 (got ${first?.status()})`);
  const csp = first?.headers()['content-security-policy'] || '';
  check(/script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp),
        'the page is served with a strict Content-Security-Policy', `Content-Security-Policy: ${csp || '(absent)'}`);
  check(/text\/html/.test(first?.headers()['content-type'] || ''), 'index is served as text/html');

  // 2. The sign-in form.
  const input = page.getByLabel('Access token');
  await input.waitFor({ state: 'visible' });
  check(await input.getAttribute('type') === 'password', 'the token field is labelled "Access token" and masked');
  check(await page.locator('#token-form button[type=submit]').count() === 1, 'the form has a submit <button>');
  await axeCheck(page, 'sign-in form');

  // 3. A wrong token is refused, the form says so, and nothing is kept.
  phase('signin-wrong');
  await input.fill('wrong-token-from-e2e');
  await input.press('Enter');
  await page.locator('#signin-error').waitFor({ state: 'visible' });
  check(/not accepted/i.test(await page.locator('#signin-error').innerText()),
        'a refused token (401) shows "not accepted" on the form');
  check(await page.evaluate(() => sessionStorage.getItem('lvhcmon.token')) === null,
        'the refused token is cleared from sessionStorage');
  check(await page.evaluate(() => document.activeElement?.id) === 'token-input',
        'focus returns to the token field after a refusal');

  // 4. Keyboard only: from a fresh page, Tab to the field, type, Enter.
  phase('keyboard');
  await page.reload({ waitUntil: 'load' });
  await page.locator('#token-input').waitFor({ state: 'visible' });
  let tabs = 0;
  while (tabs < 15 && await page.evaluate(() => document.activeElement?.id) !== 'token-input') {
    await page.keyboard.press('Tab');
    tabs += 1;
  }
  check(await page.evaluate(() => document.activeElement?.id) === 'token-input',
        `the token field is reached with the keyboard (${tabs} Tab presses)`);
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
  const firing = alertsOf(await api('/api/v1/alerts?state=firing'));
  note(`API: year ${st.year}, spent ${euro(st.spent_cents)} of ${euro(st.cap_cents)}, `
    + `${(st.months || []).length} months, ${firing.length} firing alerts`);

  // 6. The chart.
  const expectedPoints = monthsWithFigures(st).length;
  const chart = page.locator('#spend-chart');
  check(await chart.getAttribute('role') === 'img', 'the chart is an <svg role="img">');
  const points = await page.locator('#spend-chart circle.point').count();
  check(points === expectedPoints, `the chart plots ${expectedPoints} month points (found ${points})`);
  const titleText = norm(await page.locator('#spend-chart > title').textContent());
  const descText = norm(await page.locator('#spend-chart > desc').textContent());
  check(titleText.length > 10 && descText.includes(euro(st.cap_cents)),
        'the chart has a <title> and a <desc> that states the cap', { titleText, descText });
  if (expectedPoints) {
    const lastCum = monthsWithFigures(st).at(-1).cumulative_cents;
    check(descText.includes(euro(lastCum)), 'the chart <desc> states the cumulative spend', descText);
  }
  const ticks = (await page.locator('#spend-chart .tick-label').allTextContents()).map(norm);
  check(ticks.some((t) => /^€ \d{1,3}(\.\d{3})+$/.test(t)), 'the money axis reads in euros with "." thousands',
        ticks);
  check(await page.locator('#spend-chart .line-cap').count() === 1
        && await page.locator('#spend-chart .line-profile').count() === 1,
        'the cap and the pro-rata profile are drawn');
  if (expectedPoints < 12 && st.forecast && Number.isFinite(st.forecast.year_end_cents)) {
    check(await page.locator('#spend-chart .line-forecast').count() === 1
          && await page.locator('#spend-chart .forecast-band').count() === 1,
          'the forecast is drawn as a line with a range band');
  }
  const tableRows = await page.locator('#month-table tbody tr').count();
  check(tableRows === Math.max(1, expectedPoints), `the monthly table has ${expectedPoints} rows (found ${tableRows})`);

  // 7. Headline figures equal the API's.
  const figures = {
    'spent-amount': euro(st.spent_cents), 'cap-amount': euro(st.cap_cents),
    'remaining-amount': euro(st.remaining_cents), 'profile-amount': euro(st.profile_ytd_cents),
    'forecast-amount': euro(st.forecast?.year_end_cents), 'spent-ratio': pct(st.spent_ratio),
  };
  for (const [id, want] of Object.entries(figures)) {
    const got = norm(await page.locator(`#${id}`).innerText());
    check(got === want, `headline ${id} shows ${want}`, `shown: ${got}`);
  }

  // 8. Six target groups, in the API's order, with its amounts.
  const groups = page.locator('[data-group]');
  const codes = await groups.evaluateAll((els) => els.map((e) => e.dataset.group));
  check(codes.length === 6 && codes.join() === st.groups.map((g) => g.code).join(),
        `six target groups shown in order (${codes.join(', ')})`);
  for (const g of st.groups) {
    const shown = norm(await page.locator(`[data-group="${g.code}"] .group-amount`).innerText());
    check(shown === euro(g.spent_cents), `group ${g.code} shows ${euro(g.spent_cents)}`, `shown: ${shown}`);
  }

  // 9. Firing alerts: the same set as the API.
  const shownFps = await page.locator('[data-fingerprint]').evaluateAll((els) => els.map((e) => e.dataset.fingerprint));
  check(shownFps.length === firing.length, `${firing.length} firing alerts listed (found ${shownFps.length})`);
  check([...shownFps].sort().join() === firing.map((a) => String(a.fingerprint)).sort().join(),
        'the listed alerts are the firing ones by fingerprint');

  // 10. Providers with missing or late declarations (a controller sees them).
  const provDoc = await api(`/api/v1/providers?year=${st.year}`);
  const provs = Array.isArray(provDoc) ? provDoc : provDoc.providers || [];
  const flagged = provs.filter((p) => (p.missing_months || []).length || p.late_lines > 0);
  const rows = await page.locator('#providers-table tbody tr').count();
  check(rows === flagged.length, `${flagged.length} providers with missing or late declarations listed (found ${rows})`);

  // 11. ETag revalidation: a manual refresh sends If-None-Match and gets 304.
  const before = responses.length;
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await page.waitForTimeout(100);
  await waitRefreshed(page);
  const statusResp = responses.slice(before).filter((r) => new URL(r.url).pathname === '/api/v1/status');
  const revalidated = statusResp.some((r) => r.request.headers()['if-none-match'] && r.status === 304);
  check(revalidated, 'a refresh revalidates the status with If-None-Match and gets 304',
        statusResp.map((r) => ({ status: r.status, ifNoneMatch: r.request.headers()['if-none-match'] || null })));

  // 12. Acknowledge the first open alert through the button.
  const open = page.locator('[data-fingerprint]:has(.ack-button)').first();
  if (await open.count() === 0) {
    if (REQUIRE_ALERTS || firing.some((a) => !a.acknowledged_by)) {
      check(false, 'an open firing alert offers an Acknowledge button');
    } else {
      skip('acknowledge an alert from the page', 'no open firing alert');
    }
  } else {
    const fp = await open.getAttribute('data-fingerprint');
    await open.getByRole('button', { name: 'Acknowledge' }).click();
    const dialog = page.locator('#name-dialog');
    let asked = false;
    try {
      await dialog.waitFor({ state: 'visible', timeout: 2000 });
      asked = true;
    } catch { /* a name was already known */ }
    if (asked) {
      check(await page.evaluate(() => document.activeElement?.id) === 'name-input',
            'the name dialog opens with focus on the name field');
      await page.keyboard.type(ACK_NAME);
      await page.keyboard.press('Enter');
    }
    const item = page.locator(`[data-fingerprint="${fp}"]`);
    await item.locator('.ack-done').waitFor({ state: 'visible' });
    check(norm(await item.locator('.ack-done').innerText()).includes('Acknowledged by'),
          `alert ${fp} shows who acknowledged it`);
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

  // 13. A failing API keeps the last figures under a "service degraded" banner.
  phase('degraded');
  const failStatus = (route) => route.fulfill({
    status: 503, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'unavailable', message: 'simulated by the e2e test' } }),
  });
  const isStatus = (url) => url.pathname === '/api/v1/status';
  await page.route(isStatus, failStatus);
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await page.waitForTimeout(100);
  await waitRefreshed(page);
  const banner = page.locator('#banner');
  const bannerShown = await banner.isVisible();
  const bannerText = bannerShown ? norm(await banner.innerText()) : '';
  check(bannerShown && /service degraded, showing last known figures/i.test(bannerText),
        'a 503 from the API shows "service degraded, showing last known figures"', bannerText);
  check(norm(await page.locator('#spent-amount').innerText()) === euro(st.spent_cents),
        'the last known figures stay on screen while degraded');
  await page.unroute(isStatus, failStatus);
  await page.getByRole('button', { name: 'Refresh now' }).click();
  await page.waitForTimeout(100);
  await waitRefreshed(page);
  phase('main');
  const ready = await fetch(`${BASE}/readyz`).then((r) => r.status).catch(() => 0);
  if (ready === 200 && st.stale !== true) {
    check(!(await banner.isVisible()), 'the banner goes away when the API answers again');
  } else {
    note(`/readyz is ${ready} or the data is stale: the banner stays, as it should`);
  }

  // 14. Structure and accessibility: landmarks, headings, buttons, no style attributes.
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

  await axeCheck(page, 'dashboard with figures, alerts and providers');

  // 15. The screenshot.
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => document.activeElement?.blur());
  fs.mkdirSync(path.dirname(SHOT), { recursive: true });
  await page.screenshot({ path: SHOT, fullPage: true });
  const size = fs.existsSync(SHOT) ? fs.statSync(SHOT).size : 0;
  check(size > 20000, `full-page screenshot saved to ${SHOT} (${size} bytes)`);

  // 16. Sign out forgets the token.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#token-input').waitFor({ state: 'visible' });
  check(await page.evaluate(() => sessionStorage.getItem('lvhcmon.token')) === null,
        'Sign out clears the token and shows the sign-in form again');
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
