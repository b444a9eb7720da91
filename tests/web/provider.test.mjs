// tests/web/provider.test.mjs — what a provider's page decides, without a browser: the state
// of each month of its year and the months still due (web/provider-model.js), its
// submissions newest first with files rejected whole, the route of a provider's page, and
// the upload: which endpoint a file goes to and every kind of answer read into one shape
// (web/upload.js). Run by ctest as unit.web_provider.

import assert from 'node:assert/strict';
import test from 'node:test';

import { loadWeb } from './web_modules.mjs';

const model = await loadWeb('provider-model.js');
const upload = await loadWeb('upload.js');

/** A provider document as GET /api/v1/providers/{agb} gives it (daemon/snapshot/snapshot_docs.c). */
function providerDoc() {
  const months = [];
  for (let m = 1; m <= 12; m++) {
    const ym = `2026-${String(m).padStart(2, '0')}`;
    months.push({ month: ym, spent_cents: m <= 9 && m !== 7 ? 1000 * m : 0, declared: m <= 9 && m !== 7,
                  expected: m >= 2, missing: m === 7, deadline: `2026-${String(Math.min(12, m + 1)).padStart(2, '0')}-23`,
                  complete: m <= 10 });
  }
  return { agb: '41000001', name: 'Expertisecentrum Korsakov Noord', year: 2026, spent_cents: 38000,
           late_lines: 2, months, groups: [{ code: 'KOR', name: 'Korsakov', spent_cents: 38000, minutes: 600 }] };
}

test('each month of a provider\'s year has one state, from the API\'s flags and today', () => {
  const months = model.providerMonths(providerDoc(), '2026-11-15');
  const states = Object.fromEntries(months.map((m) => [m.month, m.state]));
  assert.equal(states['2026-01'], 'declared');  // declared although not expected: it sent lines
  assert.equal(states['2026-07'], 'missing');
  assert.equal(states['2026-10'], 'due');       // over, not declared, deadline not passed
  assert.equal(states['2026-11'], 'open');      // not over yet
  assert.equal(states['2026-12'], 'open');
  const early = model.providerMonths({ months: [{ month: '2026-01', expected: false }] }, '2026-11-15');
  assert.equal(early[0].state, 'none');
});

test('the year in numbers: declared, missing and still-due months with deadlines, late lines', () => {
  const y = model.providerYear(providerDoc(), '2026-12-05');
  assert.equal(y.spent_cents, 38000);
  assert.deepEqual(y.declared, ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-08', '2026-09']);
  assert.deepEqual(y.missing, [{ month: '2026-07', deadline: '2026-08-23' }]);
  assert.deepEqual(y.due, [{ month: '2026-10', deadline: '2026-11-23' }, { month: '2026-11', deadline: '2026-12-23' }]);
  assert.equal(y.late_lines, 2);
  // months out of order and without figures are still read in calendar order
  const shuffled = { months: [{ month: '2026-03', declared: true }, { month: 'junk' }, { month: '2026-01', declared: true, spent_cents: 5 }] };
  const z = model.providerYear(shuffled, '2026-12-05');
  assert.deepEqual(z.months.map((m) => m.month), ['2026-01', '2026-03']);
  assert.equal(z.spent_cents, 5); // no spent_cents on the document: the sum of its months
});

test('the target groups as the document lists them', () => {
  assert.deepEqual(model.providerGroups(providerDoc()), [{ code: 'KOR', name: 'Korsakov', spent_cents: 38000, minutes: 600 }]);
  assert.deepEqual(model.providerGroups({}), []);
});

test('submissions newest first; a file rejected whole keeps its error and has no id', () => {
  const rows = model.submissionRows({ submissions: [
    { id: 17, reference: '2026-10-A', source: 'aw319', received_at: '2026-11-03T09:12:00Z', lines: 12,
      accepted: 11, rejected: 1, credited: 0, late: 0, amount_cents: 50138, months: ['2026-10'] },
    { id: null, attempt_id: 88, reference: '2026-10-B', source: 'aw319', received_at: '2026-11-04T08:00:00Z',
      rejected_whole: true, error: { code: '0131', message: 'trailer wrong', field: 'trailer.n04' } },
    { id: 9, reference: '2026-09-A', source: 'csv', received_at: '2026-10-01T08:00:00Z', lines: 2,
      accepted: 2, rejected: 0, amount_cents: 100, months: ['2026-09'] },
  ] });
  assert.deepEqual(rows.map((r) => r.reference), ['2026-10-B', '2026-10-A', '2026-09-A']);
  assert.equal(rows[0].rejectedWhole, true);
  assert.equal(rows[0].id, null);
  assert.equal(rows[0].attemptId, 88);
  assert.equal(rows[0].error.field, 'trailer.n04');
  assert.equal(rows[1].accepted, 11);
  assert.equal(rows[1].rejected, 1);
  assert.equal(rows[1].amount_cents, 50138);
  assert.equal(rows[2].credited, 0);
  assert.deepEqual(model.submissionRows(null), []);
});

test('the months a submission\'s lines can be filtered by', () => {
  assert.deepEqual(model.lineMonths({ months: ['2026-10', '2026-09'] }), ['2026-09', '2026-10']);
  assert.deepEqual(model.lineMonths({ months: [] }, [{ date_from: '2026-08-02' }, { date_from: '2026-07-30' },
                                                     { date_from: '2026-08-09' }, { date_from: null }]),
                   ['2026-07', '2026-08']);
});

test('the route of a provider\'s page', () => {
  assert.equal(model.routeAgb('#provider/41000001'), '41000001');
  for (const h of ['', '#providers', '#provider/', '#provider/4100000', '#provider/41000001x', '#provider/../1']) {
    assert.equal(model.routeAgb(h), null, h);
  }
});

test('a file goes to the endpoint of its type: .json, .csv, anything else AW319', () => {
  assert.equal(upload.uploadTarget('declaratie.json').path, '/api/v1/declarations');
  assert.equal(upload.uploadTarget('declaratie.json').contentType, 'application/json');
  assert.equal(upload.uploadTarget('MAAND.CSV').path, '/api/v1/declarations/csv');
  assert.equal(upload.uploadTarget('MAAND.CSV').contentType, 'text/csv');
  for (const name of ['epd.aw319', 'EPD.ASC', 'factuur.txt', 'zonder-extensie', 'a.json.bak', '']) {
    assert.equal(upload.uploadTarget(name).path, '/api/v1/declarations/aw319', name);
  }
});

const STORED = { id: 17, provider_agb: '41000001', reference: '2026-11-E2E', replayed: false, accepted: 1,
                 rejected: 1, amount_cents: 50138, lines: [
                   { line_ref: '1', status: 'accepted', codes: [], amount_cents: 50138, late: false },
                   { line_ref: '2', status: 'rejected', codes: ['0582'], amount_cents: 0, late: false,
                     reason: '0582: prestatie XXKOR is not on the 2026 list', field: 'lines[1].prestatie' }] };

test('a stored submission: each line\'s answer with the reason of the rejected one', () => {
  const a = upload.readAnswer('aw319', 201, STORED);
  assert.equal(a.whole, null);
  assert.equal(a.submissions.length, 1);
  const s = a.submissions[0];
  assert.equal(s.replayed, false);
  assert.equal(s.error, null);
  assert.deepEqual(s.lines.map((l) => [l.line_ref, l.status]), [['1', 'accepted'], ['2', 'rejected']]);
  assert.match(s.lines[1].reason, /^0582: /);
  assert.deepEqual(upload.answerTotals(a), { stored: 1, replayed: 0, refused: 0, accepted: 1, rejected: 1 });
});

test('a replay says so', () => {
  const a = upload.readAnswer('json', 200, { ...STORED, replayed: true });
  assert.equal(a.submissions[0].replayed, true);
  assert.deepEqual(upload.answerTotals(a), { stored: 0, replayed: 1, refused: 0, accepted: 1, rejected: 1 });
});

test('a file rejected whole (422) or refused (403) carries the API\'s error; a conflict refuses the submission', () => {
  const err = { error: { code: '0131', message: 'the trailer counts 4 service records', field: 'trailer.n04', line: 9 } };
  const whole = upload.readAnswer('aw319', 422, err);
  assert.deepEqual(whole.whole, err.error);
  assert.deepEqual(whole.submissions, []);
  assert.equal(upload.readAnswer('json', 403, { error: { code: 'forbidden', message: 'm' } }).whole.code, 'forbidden');
  assert.equal(upload.readAnswer('aw319', 500, null).whole.code, 'http_500');
  const conflict = upload.readAnswer('json', 409, { error: { code: 'conflict', message: 'other content', field: 'lines' } });
  assert.equal(conflict.whole, null);
  assert.equal(conflict.submissions[0].error.code, 'conflict');
  assert.equal(upload.answerTotals(conflict).refused, 1);
});

test('a CSV answer lists each submission with its own status', () => {
  const a = upload.readAnswer('csv', 409, { submissions: [
    { ...STORED, http_status: 201 },
    { ...STORED, reference: '2026-11-F', replayed: true, http_status: 200 },
    { reference: '2026-11-G', http_status: 409, error: { code: 'conflict', message: 'other content' } },
  ], stored: 1, replayed: 1, refused: 1 });
  assert.equal(a.whole, null);
  assert.deepEqual(a.submissions.map((s) => [s.reference, s.status, s.replayed, s.error?.code ?? null]),
                   [['2026-11-E2E', 201, false, null], ['2026-11-F', 200, true, null], ['2026-11-G', 409, false, 'conflict']]);
  assert.deepEqual(upload.answerTotals(a), { stored: 1, replayed: 1, refused: 1, accepted: 2, rejected: 2 });
  // a CSV file rejected whole is a 422 with the error object and no list
  assert.equal(upload.readAnswer('csv', 422, { error: { code: '0451', message: 'header', field: 'header' } }).whole.code, '0451');
});
