#!/usr/bin/env node
// tests/e2e/provider.spec.mjs — a provider's own page (web/view-provider*.js) end to end, in a
// real Chromium: signed in with a provider token it shows the national figures the API
// gives, its own year, its submissions and their lines; it uploads a hand-built AW319 file
// with one bad line and shows both lines' answers, finds the new submission in its list,
// shows a replay and a file rejected whole, downloads its lines as CSV; keyboard only and
// axe-core clean; and nothing of another provider (AGB, name, spend) is in any response of
// the session or on the page. The same check, run on a controller's session that opens a
// provider's page from the providers table, must find other providers: proof it can fail.
//
// A plain node script: TAP-style "ok N - ..." lines, exit 0 (all passed), 1 (a check
// failed) or 2 (bad usage).
//
// Environment:
//   LVHCMON_URL               base URL of lvhcmond (or mock_server.py)
//   LVHCMON_PROVIDER_TOKEN    a provider token (its AGB is learnt from /api/v1/whoami)
//   LVHCMON_TOKEN             a controller token (the expected figures, the other providers)
//   LVHCMON_AW319_SPEC        provider.json written by make_aw319.py (the files to upload)
//   LVHCMON_PROVIDER_SCREENSHOT  where to save the provider page (default ./provider.png)
//   CHROMIUM                  the browser (default /usr/bin/chromium)

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { findLeaks, needlesFor, numbersIn, recordResponses } from './leaks.mjs';

const BASE = (process.env.LVHCMON_URL || '').replace(/\/+$/, '');
const PTOKEN = process.env.LVHCMON_PROVIDER_TOKEN || '';
const CTOKEN = process.env.LVHCMON_TOKEN || '';
const SPEC = process.env.LVHCMON_AW319_SPEC || '';
const SHOT = path.resolve(process.env.LVHCMON_PROVIDER_SCREENSHOT || 'provider.png');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

if (!/^https?:\/\/[^/]+$/.test(BASE) || !PTOKEN || !CTOKEN || !SPEC) {
  console.error('usage: LVHCMON_URL=http://host:port LVHCMON_PROVIDER_TOKEN=... LVHCMON_TOKEN=controller '
    + 'LVHCMON_AW319_SPEC=provider.json [LVHCMON_PROVIDER_SCREENSHOT=out.png] node provider.spec.mjs');
  process.exit(2);
}
const FILES = JSON.parse(fs.readFileSync(SPEC, 'utf8'));

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
      console.log(text.split('\n').slice(0, 60).map((l) => `  # ${l}`).join('\n'));
    }
  }
  return ok;
}
const started = Date.now();
const note = (msg) => console.log(`# ${msg}`);
/** A step of the run, with the seconds since the start (where a slow run spends its time). */
const step = (msg) => console.log(`# [${((Date.now() - started) / 1000).toFixed(1)} s] ${msg}`);

// --- expectations, written here independently of web/format.js -------------------------------

const norm = (s) => String(s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const group = (whole, sep) => String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
const euro = {
  nl: (c) => (Number.isInteger(c) ? `€ ${c < 0 ? '-' : ''}${group(Math.floor(Math.abs(c) / 100), '.')},${String(Math.abs(c) % 100).padStart(2, '0')}` : '—'),
  en: (c) => (Number.isInteger(c) ? `${c < 0 ? '-' : ''}€${group(Math.floor(Math.abs(c) / 100), ',')}.${String(Math.abs(c) % 100).padStart(2, '0')}` : '—'),
};
const WORDS = {
  nl: { tokenLabel: 'Toegangstoken', accepted: 'Geaccepteerd', rejected: 'Afgewezen', replay: /herhaling/i,
        whole: /het hele bestand is afgewezen/i, csvHead: 'Ontvangen;Factuurnummer;Regel;Prestatie;Doelgroep;Van;'
          + 'Tot en met;Minuten;Reiskosten;Bedrag;Debet/credit;Status;Codes;Reden;Te laat' },
};

async function api(token, pathAndQuery) {
  const res = await fetch(BASE + pathAndQuery, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${pathAndQuery}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** The national figures of a status document (what a provider shares with a controller). */
function national(st) {
  const { zorgkantoren, generated_at: g, data_as_of: d, alerts_firing: a, ...rest } = st;
  return JSON.stringify({ ...rest, months: (st.months || []).map(({ providers_missing: pm, ...m }) => m) });
}

// --- the browser ------------------------------------------------------------------------------

async function browserContext() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lvhcmon-e2e-provider-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 }, locale: 'en-GB', timezoneId: 'Europe/Amsterdam', acceptDownloads: true,
  });
  context.setDefaultTimeout(15000);
  const log = { requests: [], console: [], pageErrors: [], csp: [] };
  context.on('request', (r) => log.requests.push({ url: r.url(), method: r.method() }));
  await context.exposeBinding('__e2eCspViolation', (_src, v) => log.csp.push(v));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__e2eCspViolation({ directive: e.violatedDirective, blocked: e.blockedURI });
    });
  });
  const { collect: responses, supply } = recordResponses(context);
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') log.console.push(m.text()); });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  return { context, page, log, responses, supply, close: async () => { await context.close(); fs.rmSync(profile, { recursive: true, force: true }); } };
}

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

async function tabUntil(page, isTarget, arg, max = 150) {
  for (let tabs = 0; tabs <= max; tabs++) {
    if (await page.evaluate(isTarget, arg)) return tabs;
    await page.keyboard.press('Tab');
  }
  return -1;
}

async function waitRefreshed(page) {
  await page.waitForFunction(() => { const b = document.getElementById('refresh-button'); return b && !b.disabled; });
}

/** Sign in with the keyboard only: Tab to the field, type, Enter. */
async function signIn(page, token) {
  await page.goto(`${BASE}/`, { waitUntil: 'load' });
  await page.getByLabel(WORDS.nl.tokenLabel, { exact: true }).waitFor({ state: 'visible' });
  const tabs = await tabUntil(page, () => document.activeElement?.id === 'token-input', null, 15);
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.locator('#dashboard').waitFor({ state: 'visible' });
  await page.waitForSelector('#spend-chart[data-points]', { state: 'attached' });
  await waitRefreshed(page);
  return tabs;
}

/** Upload a file the way a keyboard user does: Tab to the file field, choose, Tab to Send, Enter. */
async function upload(page, file, supply) {
  const n = await tabUntil(page, () => document.activeElement?.id === 'upload-file');
  await page.setInputFiles('#upload-file', file);
  await page.keyboard.press('Tab');
  const onSend = await page.evaluate(() => document.activeElement?.id === 'upload-button');
  // The answer as the page received it: the request goes through Playwright (route.fetch),
  // which keeps its body (the DevTools cache may drop the body of a POST answer).
  let answered;
  const seen = new Promise((resolve) => { answered = resolve; });
  const handler = async (route) => {
    const res = await route.fetch();
    const text = await res.text();
    answered({ status: res.status(), path: new URL(route.request().url()).pathname, text });
    supply(route.request().method(), route.request().url(), res.status(), text);
    await route.fulfill({ response: res, body: text });
  };
  await page.route(/\/api\/v1\/declarations(\/csv|\/aw319)?$/, handler);
  await page.keyboard.press('Enter');
  const res = await seen;
  await page.unroute(/\/api\/v1\/declarations(\/csv|\/aw319)?$/, handler);
  let body = null;
  try { body = JSON.parse(res.text); } catch (e) { note(`the upload answer is not JSON: ${e}`); }
  await page.waitForFunction(() => document.getElementById('upload-status').dataset.outcome);
  return { tabs: n, onSend, status: res.status, path: res.path, body };
}

// --- the provider's session ---------------------------------------------------------------------

async function providerSession(expect) {
  const { page, log, responses, supply, close } = await browserContext();
  const { agb, year } = expect;
  const tabs = await signIn(page, PTOKEN);
  check(tabs >= 0, `a provider signs in with the keyboard only (${tabs} Tab presses)`);
  await page.locator('#provider').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.getElementById('submissions-note').dataset.count !== undefined);

  step('the national picture');
  // 1. The national picture: the same figures a controller gets.
  const pst = await api(PTOKEN, `/api/v1/status?year=${year}`);
  check(national(pst) === national(expect.status),
        'the provider\'s /api/v1/status holds the same national figures as the controller\'s');
  check(!('zorgkantoren' in pst), 'the provider\'s status leaves out the zorgkantoren');
  for (const [id, cents] of Object.entries({ 'spent-amount': pst.spent_cents, 'cap-amount': pst.cap_cents,
    'remaining-amount': pst.remaining_cents, 'profile-amount': pst.profile_ytd_cents,
    'forecast-amount': pst.forecast?.year_end_cents })) {
    const shown = norm(await page.locator(`#${id}`).innerText());
    check(shown === euro.nl(cents), `national ${id} shows ${euro.nl(cents)}, as /api/v1/status`, `shown: ${shown}`);
  }
  const points = await page.locator('#spend-chart circle.point').count();
  check(points > 0 && points <= 12, `the national burn-up chart plots the months (${points})`);
  const chartTitle = norm(await page.locator('#chart-title').textContent());
  check(chartTitle.includes(euro.nl(pst.cap_cents).replace(',00', '')) || chartTitle.includes(euro.nl(pst.cap_cents)),
        'the chart states the national cap', chartTitle);
  const groups = await page.locator('#group-list .group-amount').evaluateAll((els) => els.map((e) => Number(e.dataset.cents)));
  check(JSON.stringify(groups) === JSON.stringify(pst.groups.map((g) => g.spent_cents)),
        'the six target groups show the national spend of each', { shown: groups });
  check(await page.locator('#providers').isHidden() && await page.locator('#nav-providers').isHidden(),
        'a provider sees no list of providers');
  check(await page.locator('#report-row').isHidden() && await page.locator('.ack-button').count() === 0,
        'a provider gets neither the month-end report nor an acknowledge button');

  step('its own year');
  // 2. Its own year.
  const own = await api(PTOKEN, `/api/v1/providers/${agb}?year=${year}`);
  const heading = norm(await page.locator('#provider-heading').innerText());
  check(heading.includes(agb) && (!own.name || heading.includes(own.name)), `the page is the provider's own (${heading})`);
  const spent = await page.locator('#provider-kpi-spent .kpi-value').getAttribute('data-cents');
  check(Number(spent) === own.spent_cents && norm(await page.locator('#provider-kpi-spent .kpi-value').innerText()) === euro.nl(own.spent_cents),
        `its spend this year: ${euro.nl(own.spent_cents)}`);
  const monthRows = await page.locator('#provider-months tbody tr').evaluateAll((els) => els.map((e) => ({
    month: e.dataset.month, state: e.dataset.state, cents: Number(e.querySelector('td.num').dataset.cents) })));
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
  const wantStates = own.months.map((m) => {
    const end = new Date(Date.UTC(Number(m.month.slice(0, 4)), Number(m.month.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const state = m.declared ? 'declared' : m.missing ? 'missing' : !m.expected ? 'none' : end < today ? 'due' : 'open';
    return { month: m.month, state, cents: m.spent_cents };
  });
  check(JSON.stringify(monthRows) === JSON.stringify(wantStates),
        'its months: spend, and declared / missing / still due / in progress, as the API says', { shown: monthRows, want: wantStates });
  const due = await page.locator('#provider-due .due-chip').evaluateAll((els) => els.map((e) => e.dataset.month));
  check(JSON.stringify(due.sort()) === JSON.stringify(wantStates.filter((m) => m.state === 'due').map((m) => m.month).sort()),
        `the months still due are listed with their deadlines (${due.join(', ') || 'none'})`);
  const groupRows = await page.locator('#provider-groups tbody tr[data-group]').evaluateAll((els) => els.map((e) => e.dataset.group));
  check(JSON.stringify(groupRows) === JSON.stringify((own.groups || []).map((g) => g.code)),
        `its spend per target group (${groupRows.join(', ')})`);
  const late = norm(await page.locator('#provider-kpi-late .kpi-value').innerText());
  check(late === String(own.late_lines), `its late lines: ${own.late_lines}`);

  step('the upload');
  // 3. Upload one AW319 file with one bad line: both lines' answers at once.
  const up = await upload(page, FILES.file, supply);
  check(up.tabs >= 0 && up.onSend, `the file field and the Send button are reached with the keyboard (${up.tabs} Tab presses)`);
  check(up.path === '/api/v1/declarations/aw319' && up.status === 201,
        `the .aw319 file went to POST /api/v1/declarations/aw319 and was stored (HTTP ${up.status})`, up.body);
  const lines = up.body?.lines || [];
  const good = lines.find((l) => l.line_ref === FILES.good);
  const bad = lines.find((l) => l.line_ref === FILES.bad);
  check(good?.status === 'accepted' && bad?.status === 'rejected' && (bad?.codes || []).includes(FILES.bad_code)
        && typeof bad?.reason === 'string' && bad.reason.length > 0,
        `the API accepted line ${FILES.good} and rejected ${FILES.bad} with ${FILES.bad_code} and a reason`, up.body);
  const shownLines = await page.locator('#upload-result .upload-lines tbody tr').evaluateAll((els) => els.map((e) => ({
    ref: e.dataset.lineRef, status: e.dataset.status, statusText: e.querySelector('.state')?.textContent,
    codes: e.querySelector('.codes')?.textContent, reason: e.querySelector('.reason')?.textContent.trim() })));
  check(shownLines.length === 2, 'the page shows the answer of both lines', shownLines);
  const sg = shownLines.find((l) => l.ref === FILES.good);
  const sb = shownLines.find((l) => l.ref === FILES.bad);
  check(sg?.statusText === WORDS.nl.accepted, `line ${FILES.good}: "${WORDS.nl.accepted}"`, sg);
  check(sb?.statusText === WORDS.nl.rejected && sb.codes.includes(FILES.bad_code) && sb.reason === bad?.reason,
        `line ${FILES.bad}: "${WORDS.nl.rejected}", code ${FILES.bad_code} and the API's reason "${bad?.reason}"`, sb);
  const outcome = norm(await page.locator('#upload-result .upload-outcome').first().innerText());
  check(outcome.includes(FILES.reference), `the answer names invoice ${FILES.reference}`, outcome);

  step('the submission and its lines');
  // 4. The new submission in its list, newest first; its lines, filtered.
  const row = page.locator(`#submissions-table tr.submission[data-reference="${FILES.reference}"]`);
  await row.waitFor({ state: 'attached' });
  const subs = await api(PTOKEN, `/api/v1/providers/${agb}/submissions?year=${year}`);
  const first = (subs.submissions || []).find((s) => !s.rejected_whole);
  check(first?.reference === FILES.reference && first.accepted === 1 && first.rejected === 1,
        'the API lists the new submission first, 1 accepted and 1 rejected', first);
  const cells = await row.evaluate((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()));
  const firstShown = await page.locator('#submissions-table tr.submission').first().getAttribute('data-reference');
  check(firstShown === FILES.reference && cells[3] === '1' && cells[4] === '1' && norm(cells[5]) === euro.nl(up.body.amount_cents),
        `the page lists it first: 1 accepted, 1 rejected, ${euro.nl(up.body.amount_cents)}`, { firstShown, cells });
  await row.locator('.open-lines').focus();
  await page.keyboard.press('Enter');
  await page.locator('#lines-panel').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelectorAll('#lines-table tbody tr').length > 0);
  const listed = await page.locator('#lines-table tbody tr').evaluateAll((els) => els.map((e) => e.dataset.lineRef));
  check(listed.sort().join() === [FILES.good, FILES.bad].sort().join(), 'opening it with Enter lists its two lines', listed);
  check(await page.evaluate(() => document.activeElement?.id) === 'lines-heading', 'the focus moves to the lines');
  await page.selectOption('#lines-status', 'rejected');
  await page.waitForFunction(() => [...document.querySelectorAll('#lines-table tbody tr')].every((r) => r.dataset.status === 'rejected'));
  const onlyBad = await page.locator('#lines-table tbody tr').evaluateAll((els) => els.map((e) => ({
    ref: e.dataset.lineRef, reason: e.querySelector('.reason').textContent.trim(), codes: e.querySelector('.codes').textContent })));
  check(onlyBad.length === 1 && onlyBad[0].ref === FILES.bad && onlyBad[0].reason === bad?.reason,
        'filtered by status "rejected": only the bad line, with its readable reason', onlyBad);
  await page.selectOption('#lines-status', '');
  await page.selectOption('#lines-month', FILES.month);
  await page.waitForFunction(() => document.querySelectorAll('#lines-table tbody tr').length !== 1);
  const inMonth = await page.locator('#lines-table tbody tr').evaluateAll((els) => els.map((e) => e.dataset.lineRef));
  check(inMonth.sort().join() === [FILES.good, FILES.bad].sort().join(), `filtered by month ${FILES.month}: both lines`, inMonth);

  step('accessibility and the screenshot');
  // 4b. Accessibility, and the screenshot of the page with the answer and the lines open.
  await axeCheck(page, "the provider's page in Dutch, with an upload's answer and lines open");
  await page.evaluate(() => document.getElementById('provider').scrollIntoView());
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement?.blur());
  fs.mkdirSync(path.dirname(SHOT), { recursive: true });
  await page.screenshot({ path: SHOT, fullPage: true });
  const size = fs.existsSync(SHOT) ? fs.statSync(SHOT).size : 0;
  check(size > 20000, `full-page screenshot of the provider's page saved to ${SHOT} (${size} bytes)`);

  step('replay and whole-file rejection');
  // 5. The same file again is a replay; a broken trailer rejects the whole file.
  const replay = await upload(page, FILES.file, supply);
  check(replay.status === 200 && replay.body?.replayed === true, 'sent again, the API answers the replay (200, "replayed": true)', replay.body);
  check(WORDS.nl.replay.test(norm(await page.locator('#upload-result .outcome-replayed').innerText().catch(() => ''))),
        'the page says it was a replay');
  const whole = await upload(page, FILES.bad_file, supply);
  check(whole.status === 422 && whole.body?.error?.message, `a wrong trailer rejects the whole file (HTTP ${whole.status})`, whole.body);
  const wholeText = norm(await page.locator('#upload-status').innerText());
  check(WORDS.nl.whole.test(wholeText) && wholeText.includes(whole.body?.error?.message || '\u0000'),
        'the page shows the whole-file rejection with the API\'s reason', wholeText);
  const listedWhole = await page.waitForFunction((msg) => [...document.querySelectorAll('#submissions-table tr.rejected-whole')]
    .some((tr) => tr.textContent.includes(msg)), whole.body?.error?.message || '\u0000', { timeout: 10000 }).then(() => true, () => false);
  check(listedWhole, 'the list shows the rejected file with its reason');

  step('the CSV download');
  // 6. Its lines as CSV, with the keyboard.
  const exportTabs = await tabUntil(page, () => document.activeElement?.id === 'export-button');
  // the download, or the page saying it failed (then the checks of its content fail fast)
  const failed = page.waitForFunction(() => /\S/.test(document.getElementById('export-status').textContent)
    && !document.getElementById('export-button').disabled && !/lvhcmon-.*\.csv/.test(document.getElementById('export-status').textContent),
  null, { timeout: 60000 }).then(async () => ({ failed: norm(await page.locator('#export-status').innerText()) }), () => null);
  const [download] = await Promise.all([
    Promise.race([page.waitForEvent('download', { timeout: 60000 }).catch(() => null), failed]),
    page.keyboard.press('Enter')]);
  const saved = download && !download.failed ? await download.path() : null;
  check(Boolean(saved), 'the CSV download completes', download?.failed ?? 'no download');
  const bytes = saved ? fs.readFileSync(saved) : Buffer.alloc(0);
  const text = bytes.toString('utf8');
  const rows = text.replace(/^\ufeff/, '').split('\r\n').filter((l) => l.length);
  check(exportTabs >= 0 && saved && download.suggestedFilename() === `lvhcmon-${agb}-${year}.csv`,
        `the download button (reached by keyboard) saves lvhcmon-${agb}-${year}.csv`, saved && download.suggestedFilename());
  check(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) && rows[0] === WORDS.nl.csvHead,
        'the CSV starts with a BOM and the Dutch header, separated by ";"', rows[0]);
  check(!/[^\r]\n/.test(text), 'the CSV ends its lines with CRLF');
  const goodRow = rows.find((r) => r.split(';')[2] === FILES.good)?.split(';');
  const badRow = rows.find((r) => r.split(';')[2] === FILES.bad)?.split(';');
  const money = (c) => `${Math.floor(c / 100)},${String(c % 100).padStart(2, '0')}`;
  check(goodRow && goodRow[1] === FILES.reference && goodRow[11] === 'geaccepteerd' && goodRow[9] === money(good?.amount_cents ?? -1),
        `the CSV has line ${FILES.good}: geaccepteerd, ${money(good?.amount_cents ?? 0)}`, goodRow);
  check(badRow && badRow[11] === 'afgewezen' && badRow[12].includes(FILES.bad_code) && badRow[13].length > 0,
        `the CSV has line ${FILES.bad}: afgewezen, ${FILES.bad_code}, with its reason`, badRow);
  check(Boolean(saved) && !text.includes(FILES.bsn), 'the CSV holds no BSN');

  step('accessibility in English');
  // 7. Accessibility again, in English, after the whole-file rejection.
  await axeCheck(page, 'the provider\'s page in Dutch, with a whole-file rejection');
  await page.locator('#lang-en').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  const enText = await page.evaluate(() => document.body.innerText);
  check(!enText.includes('⟦') && /Declarations sent/.test(enText) && /Send a declaration/.test(enText),
        'in English the provider\'s page has every text');
  await axeCheck(page, 'the provider\'s page in English');

  step('what the session did');
  // 8. What the session did.
  check(!log.requests.some((r) => new URL(r.url).pathname === '/api/v1/providers'),
        'the provider\'s page never asks for the list of providers');
  const offsite = log.requests.filter((r) => !/^(data|blob|about):/.test(r.url) && !r.url.startsWith(`${BASE}/`));
  check(offsite.length === 0, `every request stayed on ${BASE}`, offsite);
  const expectedErrors = /status of (422|409)/; // the whole-file rejection is a 422 on purpose
  const unexpected = log.console.filter((c) => !expectedErrors.test(c));
  check(unexpected.length === 0, 'no console errors', unexpected);
  check(log.pageErrors.length === 0, 'no uncaught exceptions', log.pageErrors);
  check(log.csp.length === 0, 'no Content-Security-Policy violations (the CSV download included)', log.csp);
  step('collecting the responses');
  const haystacks = await responses();
  step(`${haystacks.length} responses collected`);
  const unread = haystacks.filter((h) => h.unread);
  check(unread.length === 0, `the body of every one of the ${haystacks.length} responses was read`, unread);
  haystacks.push({ where: 'the page (HTML)', text: await page.content() });
  haystacks.push({ where: 'the downloaded CSV', text });
  await close();
  return { haystacks, responses: haystacks.length };
}

// --- a controller opens a provider's page; the leak check must trip on this session ------------

async function controllerSession(expect) {
  const { page, log, responses, close } = await browserContext();
  await signIn(page, CTOKEN);
  await page.locator('#providers-table-wrap').waitFor({ state: 'visible' });
  const link = page.locator('#providers-table .provider-link').first();
  const agb = await page.locator('#providers-table tbody tr').first().getAttribute('data-agb');
  await link.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((a) => !document.getElementById('provider').hidden
    && document.getElementById('provider-heading').textContent.includes(a), agb);
  await page.waitForFunction(() => document.getElementById('submissions-note').dataset.count !== undefined);
  check(new URL(page.url()).hash === `#provider/${agb}`, `a controller opens provider ${agb}'s page from the providers table`);
  check(await page.evaluate(() => document.activeElement?.id) === 'provider', 'the focus moves to that page');
  check(await page.locator('#upload-form').isHidden() && await page.locator('#provider-back').isVisible()
        && await page.locator('#export-button').isVisible(),
        'a controller gets the download and a way back, no upload');
  const doc = await api(CTOKEN, `/api/v1/providers/${agb}?year=${expect.year}`);
  check(Number(await page.locator('#provider-kpi-spent .kpi-value').getAttribute('data-cents')) === doc.spent_cents,
        `it shows provider ${agb}'s spend, ${euro.nl(doc.spent_cents)}`);
  await axeCheck(page, 'a provider\'s page opened by a controller');
  await page.locator('#provider-back').click();
  await page.waitForFunction(() => document.getElementById('provider').hidden);
  check(true, 'the way back closes the provider\'s page');
  check(log.pageErrors.length === 0 && log.csp.length === 0, 'the controller session has no exceptions or CSP violations',
        [...log.pageErrors, ...log.csp]);
  const haystacks = await responses();
  await close();
  return haystacks;
}

async function main() {
  note(`provider page at ${BASE}/ with Chromium ${CHROMIUM}`);
  const who = await api(PTOKEN, '/api/v1/whoami');
  check(who.role === 'provider' && /^\d{8}$/.test(who.provider_agb || ''), `the provider token is provider ${who.provider_agb}`, who);
  const agb = who.provider_agb;
  const status = await api(CTOKEN, '/api/v1/status');
  const year = status.year;
  const all = (await api(CTOKEN, `/api/v1/providers?year=${year}`)).providers || [];
  const others = all.filter((p) => p.agb !== agb);
  note(`year ${year}; ${others.length} other providers to look for`);
  check(others.length > 0, 'there are other providers whose data must not show');

  const session = await providerSession({ agb, year, status });

  // Amounts a provider may see anyway: the national aggregates, and its own figures.
  const { zorgkantoren, ...nationalDoc } = status;
  const allowed = numbersIn(nationalDoc);
  numbersIn(await api(CTOKEN, `/api/v1/providers/${agb}?year=${year}`), allowed);
  numbersIn(await api(CTOKEN, `/api/v1/providers/${agb}/submissions?year=${year}`), allowed);
  const ownName = all.find((p) => p.agb === agb)?.name ?? null;
  const { needles, excused } = needlesFor(others, allowed, ownName);
  for (const e of excused) note(`not looked for: ${e}`);
  const hits = findLeaks(session.haystacks, needles);
  check(hits.length === 0 && session.haystacks.length > 10,
        `no other provider's AGB, name or spend in any of the ${session.haystacks.length} responses of the `
        + `provider's session, nor on its page (${needles.length} needles, ${others.length} providers)`, hits.slice(0, 10));

  // The same check over a controller's session must find them.
  step('the controller\'s session');
  const controller = await controllerSession({ year });
  const tripped = findLeaks(controller, needles);
  const kinds = new Set(tripped.map((h) => h.what.split(' ')[0]));
  check(tripped.length > 0 && kinds.has('AGB') && kinds.has('name') && kinds.has('spend'),
        `the same check trips on a controller's session: ${tripped.length} hits (AGBs, names and spend)`, [...kinds]);

  console.log(`1..${count}`);
  note(failures ? `${failures} of ${count} checks failed` : `all ${count} checks passed`);
  return failures ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.log(`not ok ${count + 1} - the run completed without an exception`);
  console.log(String(e.stack || e).split('\n').map((l) => `  # ${l}`).join('\n'));
  process.exit(1);
});
