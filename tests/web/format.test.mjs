// tests/web/format.test.mjs — web/format.js writes money, ratios, counts, months, dates and
// times the Dutch way in Dutch and the English way in English. Expected texts are written
// out by hand (Intl's non-breaking spaces read as plain spaces). Run by ctest as
// unit.web_format.

import assert from 'node:assert/strict';
import test from 'node:test';

import { loadWeb, plain } from './web_modules.mjs';

const f = await loadWeb('format.js');
const { setCurrentLanguage } = await loadWeb('locale.js');

/** Run `fn` with the page in `lang`, back to Dutch afterwards. */
function inLanguage(lang, fn) {
  setCurrentLanguage(lang);
  try {
    return fn();
  } finally {
    setCurrentLanguage('nl');
  }
}

test('money in cents, to the cent: Dutch "€ 4.238.575,67", English "€4,238,575.67"', () => {
  const cases = [
    [423857567, '€ 4.238.575,67', '€4,238,575.67'],
    [450000000, '€ 4.500.000,00', '€4,500,000.00'],
    [5, '€ 0,05', '€0.05'],
    [0, '€ 0,00', '€0.00'],
    [-123450, '€ -1.234,50', '-€1,234.50'],
    [123456789012345, '€ 1.234.567.890.123,45', '€1,234,567,890,123.45'],
  ];
  for (const [cents, nl, en] of cases) {
    assert.equal(plain(f.formatMoney(cents)), nl, `nl ${cents}`);
    assert.equal(inLanguage('en', () => f.formatMoney(cents)), en, `en ${cents}`);
  }
  assert.equal(f.formatMoney(null), '—');
  assert.equal(f.formatMoney(undefined), '—');
  assert.equal(f.formatMoney(Number.NaN), '—');
});

test('cents become an exact decimal string, never a binary fraction', () => {
  assert.equal(f.centsToDecimal(423857567), '4238575.67');
  assert.equal(f.centsToDecimal(-5), '-0.05');
  assert.equal(f.centsToDecimal(100), '1.00');
  assert.equal(f.centsToDecimal(900719925474099), '9007199254740.99');
});

test('whole euros round half away from zero, in integers', () => {
  assert.equal(plain(f.formatEuros(150)), '€ 2');
  assert.equal(plain(f.formatEuros(149)), '€ 1');
  assert.equal(plain(f.formatEuros(-150)), '€ -2');
  assert.equal(plain(f.formatEuros(450000000)), '€ 4.500.000');
  assert.equal(inLanguage('en', () => f.formatEuros(450000000)), '€4,500,000');
  assert.equal(inLanguage('en', () => f.formatEuros(-250)), '-€3');
});

test('ratios, thresholds and counts', () => {
  assert.equal(f.formatRatio(0.9419057044), '94,2%');
  assert.equal(f.formatRatio(0.8405), '84,1%', 'a tie on the printed decimal rounds up, as the test of the page expects');
  assert.equal(f.formatRatio(1.0226), '102,3%');
  assert.equal(f.formatRatio(0.5, 0), '50%');
  assert.equal(inLanguage('en', () => f.formatRatio(0.9419057044)), '94.2%');
  assert.equal(f.formatThreshold(0.9), '90%');
  assert.equal(f.formatThreshold(0.875), '87,5%');
  assert.equal(inLanguage('en', () => f.formatThreshold(0.875)), '87.5%');
  assert.equal(f.formatCount(12345), '12.345');
  assert.equal(inLanguage('en', () => f.formatCount(12345)), '12,345');
  assert.equal(f.formatRatio(null), '—');
  assert.equal(f.formatCount(undefined), '—');
});

test('months and dates in the language, with no time zone moving them', () => {
  assert.deepEqual(f.parseMonth('2026-10'), { year: 2026, month: 10 });
  assert.equal(f.parseMonth('2026-13'), null);
  assert.equal(f.parseMonth('oct'), null);
  assert.equal(f.monthLong('2026-10'), 'oktober 2026');
  assert.equal(f.monthLong('2026-01'), 'januari 2026');
  assert.equal(f.monthShort('2026-03'), 'mrt');
  assert.equal(f.monthShortYear('2026-05'), 'mei 2026');
  assert.equal(inLanguage('en', () => f.monthLong('2026-10')), 'October 2026');
  assert.equal(inLanguage('en', () => f.monthShortYear('2026-05')), 'May 2026');
  assert.equal(f.monthLong('not a month'), 'not a month');
  assert.equal(f.formatDate('2026-12-23'), '23 dec 2026');
  assert.equal(f.formatDate('2026-01-01'), '1 jan 2026');
  assert.equal(inLanguage('en', () => f.formatDate('2026-12-23')), '23 Dec 2026');
  assert.equal(f.formatDate(null), '—');
});

test('times are Amsterdam time, winter and summer', () => {
  const winter = plain(f.formatDateTime('2026-11-23T10:00:00Z'));
  assert.match(winter, /^23 nov 2026,? 11:00 CET$/);
  const summer = plain(inLanguage('en', () => f.formatDateTime('2026-07-01T10:00:00Z')));
  assert.match(summer, /^1 Jul 2026,? 12:00 CEST$/);
  assert.equal(f.formatClock(new Date('2026-11-23T10:05:07Z')), '11:05:07');
  assert.equal(f.formatDateTime(''), '—');
  assert.equal(f.formatDateTime('garbage'), 'garbage');
});
