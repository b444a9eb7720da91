// tests/web/models.test.mjs — what the dashboard decides to show, without a browser:
// alerts grouped by alertname and their texts (web/alerts-model.js), the providers counted
// as having missing or late declarations (web/providers-model.js) and the months the chart
// plots (web/months.js). Run by ctest as unit.web_models.

import assert from 'node:assert/strict';
import test from 'node:test';

import { loadWeb, plain } from './web_modules.mjs';

const alerts = await loadWeb('alerts-model.js');
const providers = await loadWeb('providers-model.js');
const months = await loadWeb('months.js');
const { setCurrentLanguage } = await loadWeb('locale.js');

// The daemon's own texts (lib/alert_rules.c), as GET /api/v1/alerts returns them.
const THRESHOLD = '4238575.67 EUR spent of the 2026 cap of 4500000.00 EUR (94.2 %) as of 2026-12-04. '
  + 'Fires at 0.9 of the cap, resolves below 0.88.';
const FORECAST = 'Forecast year end 5086290.80 EUR (range 4933659.35 to 5170287.61 EUR) against a cap of '
  + '4500000.00 EUR; cap reached on 2026-11-19. Method: run-rate of complete months, min/max monthly '
  + 'range; as of 2026-12-04.';
const SPIKE = 'provider 41000001: 12000.00 EUR in 2026-09 after 5000.00 EUR in 2026-08 (x2.40). As of 2026-12-04.';
const MISSING = 'Provider 73850524 was designated in 2026-07 but has declared nothing for it; the deadline '
  + 'was 2026-08-25 (101 days ago, as of 2026-12-04). A provider that stops declaring is a signal, not silence.';

test('the daemon\'s amounts in alert texts are written the Dutch way in Dutch', () => {
  setCurrentLanguage('nl');
  assert.equal(plain(alerts.localiseAmounts(THRESHOLD)), '€ 4.238.575,67 spent of the 2026 cap of '
    + '€ 4.500.000,00 (94.2 %) as of 2026-12-04. Fires at 0.9 of the cap, resolves below 0.88.');
  assert.equal(plain(alerts.localiseAmounts(FORECAST)), 'Forecast year end € 5.086.290,80 (range '
    + '€ 4.933.659,35 to € 5.170.287,61) against a cap of € 4.500.000,00; cap reached on 2026-11-19. '
    + 'Method: run-rate of complete months, min/max monthly range; as of 2026-12-04.');
  assert.equal(plain(alerts.localiseAmounts(SPIKE)), 'provider 41000001: € 12.000,00 in 2026-09 after '
    + '€ 5.000,00 in 2026-08 (x2.40). As of 2026-12-04.');
});

test('and the English way in English', () => {
  setCurrentLanguage('en');
  try {
    assert.equal(alerts.localiseAmounts(THRESHOLD), '€4,238,575.67 spent of the 2026 cap of €4,500,000.00 '
      + '(94.2 %) as of 2026-12-04. Fires at 0.9 of the cap, resolves below 0.88.');
    assert.match(alerts.localiseAmounts(FORECAST), /\(range €4,933,659\.35 to €5,170,287\.61\)/);
    assert.equal(alerts.localiseAmounts('-12.50 EUR credited'), '-€12.50 credited');
  } finally {
    setCurrentLanguage('nl');
  }
});

test('only the daemon\'s money notation is rewritten', () => {
  setCurrentLanguage('nl');
  for (const text of [MISSING, 'Fires at 0.9 of the cap', '(x2.40)', 'ratio 1.00 of the cap', '12.50EUR',
                      'v1.25 EUR', '3.14159 EUR', 'no amounts here', '']) {
    assert.equal(alerts.localiseAmounts(text), text);
  }
  assert.equal(alerts.decimalToCents('4238575.67'), 423857567);
  assert.equal(alerts.decimalToCents('-0.05'), -5);
  assert.ok(Number.isNaN(alerts.decimalToCents('1.5')));
});

test('Dutch annotations are preferred on a Dutch page when the alert has them', () => {
  const en = { summary: 'Provider X has not declared 2026-07', description: 'English.' };
  const nl = { summary: 'Zorgaanbieder X heeft 2026-07 niet gedeclareerd', description: 'Nederlands.' };
  assert.deepEqual(alerts.annotationsFor({ annotations: en, annotations_nl: nl }, 'nl'), { ...nl, lang: 'nl' });
  assert.deepEqual(alerts.annotationsFor({ annotations: en, annotations_nl: nl }, 'en'), { ...en, lang: 'en' });
  assert.deepEqual(alerts.annotationsFor({ annotations: en }, 'nl'), { ...en, lang: 'en' });
  assert.deepEqual(alerts.annotationsFor({ annotations: en, annotations_nl: {} }, 'nl'), { ...en, lang: 'en' });
  assert.deepEqual(alerts.annotationsFor({ annotations: en, annotations_nl: 'nonsense' }, 'nl'), { ...en, lang: 'en' });
  assert.deepEqual(alerts.annotationsFor({}, 'nl'), { summary: '', description: '', lang: 'en' });
});

const alert = (alertname, fingerprint, extra = {}) => ({
  fingerprint, labels: { alertname, severity: extra.severity || 'warning', year: '2026' },
  startsAt: extra.startsAt || '2026-10-01T00:00:00Z', acknowledged_by: extra.acked || null,
});

test('alerts are grouped by alertname, what needs attention first', () => {
  const list = [
    alert('ProviderDeclarationMissing', 'a1', { startsAt: '2026-08-25T00:00:00Z' }),
    alert('BudgetThresholdReached', 'b1', { acked: 'Anna' }),
    alert('ProviderDeclarationMissing', 'a2', { startsAt: '2026-09-23T00:00:00Z' }),
    alert('GroupSpendSpike', 'c1', { severity: 'info' }),
    alert('ProviderDeclarationMissing', 'a3', { acked: 'Anna', startsAt: '2026-10-23T00:00:00Z' }),
    alert('BudgetForecastOverrun', 'd1', { severity: 'critical' }),
  ];
  const groups = alerts.groupAlerts(list);
  assert.deepEqual(groups.map((g) => [g.alertname, g.alerts.length, g.open, g.severity]), [
    ['BudgetForecastOverrun', 1, 1, 'critical'],
    ['ProviderDeclarationMissing', 3, 2, 'warning'],
    ['GroupSpendSpike', 1, 1, 'info'],
    ['BudgetThresholdReached', 1, 0, 'warning'],
  ]);
  // Inside a group: unacknowledged first, then the newest.
  assert.deepEqual(groups[1].alerts.map((a) => a.fingerprint), ['a2', 'a1', 'a3']);
  assert.equal(groups.reduce((n, g) => n + g.alerts.length, 0), list.length);
  assert.deepEqual(alerts.groupAlerts([]), []);
  assert.deepEqual(alerts.alertList({ alerts: [list[0], null, 'x'] }), [list[0]]);
  assert.deepEqual(alerts.alertList([list[1]]), [list[1]]);
});

const provider = (agb, fields) => ({ agb, name: `Provider ${agb}`, months_expected: ['2026-01'],
                                     months_declared: ['2026-01'], missing_months: [], late_lines: 0, ...fields });

test('only providers with a missing month or a late line are counted, out of those that declare', () => {
  const doc = { providers: [
    provider('41000001', {}),
    provider('41000002', { missing_months: ['2026-08', '2026-09'] }),
    provider('41000003', { late_lines: 12 }),
    provider('41000004', { missing_months: ['2026-09'], late_lines: 3 }),
    provider('41000005', { months_expected: [], months_declared: [] }),     // not designated this year
    provider('41000006', { months_expected: [], months_declared: ['2026-02'] }), // declared anyway
    provider('41000007', { late_lines: 0, missing_months: [] }),
  ] };
  const s = providers.providerSummary(doc);
  assert.equal(s.total, 6);
  assert.deepEqual(s.flagged.map((p) => p.agb), ['41000002', '41000004', '41000003']);
  assert.equal(s.withMissing, 2);
  assert.equal(s.withLate, 2);
  // A document without the months fields (an older daemon) counts every provider.
  const old = providers.providerSummary([{ agb: '1', missing_months: [] }, { agb: '2', n_missing: 2 }]);
  assert.equal(old.total, 2);
  assert.deepEqual(old.flagged.map((p) => p.agb), ['2']);
  assert.deepEqual(providers.providerSummary(null), { total: 0, flagged: [], withMissing: 0, withLate: 0 });
});

test('the chart plots the months with figures up to the document\'s month', () => {
  const year = (y, n, spentLast = 0) => ({
    year: y, generated_at: '2026-11-23T10:00:00Z',
    months: Array.from({ length: n }, (_, i) => ({ month: `${y}-${String(i + 1).padStart(2, '0')}`,
                                                   spent_cents: i === n - 1 ? spentLast : 100 })),
  });
  assert.equal(months.plottedMonths(year(2025, 12)).length, 12);
  assert.equal(months.plottedMonths(year(2026, 11, 0)).length, 10, 'November without spend is left out');
  assert.equal(months.plottedMonths(year(2026, 11, 5)).length, 11, 'November with spend is plotted');
  assert.equal(months.plottedMonths(year(2027, 3)).length, 0);
  assert.equal(months.profileThrough(450000000, 10), 375000000);
  assert.equal(months.profileThrough(100, 1), 8);
});
