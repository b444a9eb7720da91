// tests/web/text_tables.test.mjs — the dashboard's two text tables (web/text.nl.js,
// web/text.en.js) say the same things: exactly the same keys, each a string in both or a
// function in both, strings with the same {placeholders}; every key the page names
// (index.html's data-t attributes, the t()/tParts()/hasText() calls in web/*.js, the alert
// names of the API contract) exists; and i18n.js reports a missing key instead of falling
// back to the other language. Run by ctest as unit.web_text_tables (node, no browser).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { loadWeb, WEB_DIR, webScripts } from './web_modules.mjs';

const nl = (await loadWeb('text.nl.js')).default;
const en = (await loadWeb('text.en.js')).default;
const TABLES = { nl, en };
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

test('both tables have exactly the same keys', () => {
  const onlyNl = Object.keys(nl).filter((k) => !(k in en));
  const onlyEn = Object.keys(en).filter((k) => !(k in nl));
  assert.deepEqual({ onlyNl, onlyEn }, { onlyNl: [], onlyEn: [] });
  assert.ok(Object.keys(nl).length > 150, `only ${Object.keys(nl).length} keys: a table was cut short`);
});

test('each entry is of the same kind in both tables, with the same placeholders', () => {
  const wrong = [];
  for (const key of Object.keys(nl)) {
    const a = nl[key];
    const b = en[key];
    if (typeof a !== typeof b || !['string', 'function'].includes(typeof a)) {
      wrong.push(`${key}: ${typeof a} in nl, ${typeof b} in en`);
    } else if (typeof a === 'string') {
      if (!a.trim() || !b.trim()) wrong.push(`${key}: empty`);
      if (placeholders(a) !== placeholders(b)) wrong.push(`${key}: {${placeholders(a)}} in nl, {${placeholders(b)}} in en`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('function entries give text for one, many and none', () => {
  const wrong = [];
  for (const [lang, table] of Object.entries(TABLES)) {
    for (const [key, fn] of Object.entries(table)) {
      if (typeof fn !== 'function') continue;
      for (const n of [0, 1, 2, 1234]) {
        // Every parameter a function may read: counts as numbers, flags, formatted strings.
        const params = { n, open: n, groups: n, flagged: n, total: n + 1, missing: n, late: n,
                         more: n > 0, amount: '€ 1,00', rel: '+1,0%', through: '31 okt 2026' };
        const out = fn(params);
        if (typeof out !== 'string' || !out.trim() || /undefined|NaN|\[object/.test(out)) {
          wrong.push(`${lang} ${key}(${n}) → ${JSON.stringify(out)}`);
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
});

/** The keys index.html names in data-t and data-t-attr (comments left out). */
function htmlKeys() {
  const html = fs.readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const keys = [...html.matchAll(/\sdata-t="([^"]+)"/g)].map((m) => m[1]);
  for (const m of html.matchAll(/\sdata-t-attr="([^"]+)"/g)) {
    for (const pair of m[1].split(';')) keys.push(pair.split(':')[1].trim());
  }
  return keys;
}

/** The literal keys the scripts of web/ ask for. */
function scriptKeys() {
  const asked = new Set();
  for (const name of webScripts().filter((n) => !n.startsWith('text.'))) {
    const src = fs.readFileSync(path.join(WEB_DIR, name), 'utf8');
    // t('key'), tParts('key'), hasText('key'), and both arms of t(cond ? 'a' : 'b').
    for (const m of src.matchAll(/\b(?:t|tParts|hasText)\(\s*'([^']+)'/g)) asked.add(m[1]);
    for (const m of src.matchAll(/\bt\([^()]*?\?\s*'([^']+)'\s*:\s*'([^']+)'/g)) {
      asked.add(m[1]);
      asked.add(m[2]);
    }
    // Keys handed around as values: showSignIn('signin.refused'), setLoading('loading.none').
    for (const m of src.matchAll(/\b(?:showSignIn|signOut|setLoading)\(\s*'([^']+)'/g)) asked.add(m[1]);
  }
  return asked;
}

/** Keys the scripts build at run time, by prefix: `alert.title.${alertname}` and the like. */
const BUILT_PREFIXES = ['alert.title.', 'alert.label.', 'alert.severity.', 'request.', 'provider.state.',
                        'line.status.'];

test('every key index.html names exists in both tables', () => {
  const keys = htmlKeys();
  assert.ok(keys.length > 60, `only ${keys.length} data-t keys found in index.html: the scan is broken`);
  const missing = keys.filter((k) => !(k in nl) || !(k in en));
  assert.deepEqual(missing, []);
});

test('every key the scripts ask for exists in both tables', () => {
  const asked = scriptKeys();
  assert.ok(asked.size > 80, `only ${asked.size} keys found in the scripts: the scan is broken`);
  const missing = [...asked].filter((k) => !(k in nl) || !(k in en));
  assert.deepEqual(missing, []);
});

test('every key of the tables is used by the page', () => {
  const used = new Set([...htmlKeys(), ...scriptKeys()]);
  const unused = Object.keys(nl).filter((k) => !used.has(k) && !BUILT_PREFIXES.some((p) => k.startsWith(p)));
  assert.deepEqual(unused, []);
});

test('keys built at run time exist: alert titles, failed requests, month and line states', async () => {
  const { ALERT_NAMES } = await loadWeb('alerts-model.js');
  const { LINE_STATUSES } = await loadWeb('provider-model.js');
  assert.equal(ALERT_NAMES.length, 7);
  const built = [...ALERT_NAMES.map((n) => `alert.title.${n}`),
                 ...['status', 'alerts', 'providers', 'ready', 'provider', 'submissions'].map((r) => `request.${r}`),
                 ...['declared', 'missing', 'due', 'open', 'none'].map((s) => `provider.state.${s}`),
                 ...LINE_STATUSES.map((s) => `line.status.${s}`),
                 ...['critical', 'warning', 'info'].map((s) => `alert.severity.${s}`),
                 ...['year', 'severity', 'threshold', 'provider', 'target_group', 'month'].map((l) => `alert.label.${l}`)];
  const missing = built.filter((k) => !(k in nl) || !(k in en));
  assert.deepEqual(missing, []);
  assert.notEqual(nl['alert.title.BudgetThresholdReached'], en['alert.title.BudgetThresholdReached']);
});

test('i18n.t fills placeholders in the current language and reports a missing key', async () => {
  const i18n = await loadWeb('i18n.js');
  const locale = await loadWeb('locale.js');
  locale.setCurrentLanguage('nl');
  assert.equal(i18n.t('months.declared', { declared: '3', expected: '5' }), '3 van 5');
  locale.setCurrentLanguage('en');
  assert.equal(i18n.t('months.declared', { declared: '3', expected: '5' }), '3 of 5');
  assert.equal(i18n.t('alerts.groupCount', { n: 1 }), '1 alert');
  assert.equal(i18n.t('alerts.groupCount', { n: 3 }), '3 alerts');

  const errors = [];
  const saved = console.error;
  console.error = (...args) => errors.push(args.join(' '));
  try {
    assert.equal(i18n.t('no.such.key'), '⟦no.such.key⟧');
    assert.equal(i18n.t('no.such.key'), '⟦no.such.key⟧');
    assert.equal(i18n.hasText('no.such.key'), false);
    const parts = i18n.tParts('asof.data', {});
    assert.deepEqual(parts, ['Data as of ', '{time}']);
  } finally {
    console.error = saved;
    locale.setCurrentLanguage('nl');
  }
  assert.deepEqual(errors, ['lvhcmon text: no text "no.such.key" in the en table',
                            'lvhcmon text: text "asof.data" (en) needs the parameter {time}']);
});
