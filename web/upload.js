// web/upload.js — sending a declaration file from the page, and its answer in one shape
// (no DOM: the unit tests import it).
//
// The file's name picks the endpoint (doc/api.md §4):
//   *.json  POST /api/v1/declarations       application/json
//   *.csv   POST /api/v1/declarations/csv   text/csv (one or more submissions)
//   else    POST /api/v1/declarations/aw319 the AW319 file as the raw body
// The answers: a submission answer (201 stored, 200 replay), a refusal (409 conflict, 422
// rejected whole; 403 another provider's AGB, ...) with the error object of §9, or for CSV
// {"submissions": [answer + http_status (+ error)], "stored", "replayed", "refused"}.
// readAnswer() turns any of them into {whole, submissions[]}: `whole` is the error of a
// file refused as a whole, else null; each submission is {reference, status, replayed,
// accepted, rejected, amount_cents, lines[], error}.

import { isNumber } from './format.js';

/**
 * Where a file goes.
 * @param {string} name the file's name
 * @return {{kind: string, path: string, contentType: string}} kind "json", "csv" or "aw319"
 */
export function uploadTarget(name) {
  const ext = /\.([^./\\]+)$/.exec(String(name || ''))?.[1]?.toLowerCase() ?? '';
  if (ext === 'json') return { kind: 'json', path: '/api/v1/declarations', contentType: 'application/json' };
  if (ext === 'csv') return { kind: 'csv', path: '/api/v1/declarations/csv', contentType: 'text/csv' };
  return { kind: 'aw319', path: '/api/v1/declarations/aw319', contentType: 'application/octet-stream' };
}

const errorOf = (body) => (body && typeof body.error === 'object' && body.error ? body.error : null);

/** One line of a submission answer. */
function lineOf(l) {
  return {
    line_ref: String(l?.line_ref ?? ''),
    status: String(l?.status ?? ''),
    codes: Array.isArray(l?.codes) ? l.codes.map(String) : [],
    reason: typeof l?.reason === 'string' ? l.reason : '',
    field: typeof l?.field === 'string' ? l.field : '',
    amount_cents: isNumber(l?.amount_cents) ? l.amount_cents : null,
    late: l?.late === true,
  };
}

/** One submission answer (§4), with the HTTP status it had. */
function submissionOf(s, status) {
  const lines = Array.isArray(s?.lines) ? s.lines.map(lineOf) : [];
  return {
    id: isNumber(s?.id) ? s.id : null,
    reference: String(s?.reference ?? ''),
    status,
    replayed: s?.replayed === true || status === 200,
    accepted: isNumber(s?.accepted) ? s.accepted : lines.filter((l) => l.status === 'accepted').length,
    rejected: isNumber(s?.rejected) ? s.rejected : lines.filter((l) => l.status === 'rejected').length,
    amount_cents: isNumber(s?.amount_cents) ? s.amount_cents : null,
    lines,
    error: status >= 400 ? errorOf(s) : null,
  };
}

/**
 * The answer to an upload in one shape.
 * @param {string} kind "json", "csv" or "aw319" (uploadTarget())
 * @param {number} status the HTTP status
 * @param {object|null} body the answer's JSON, null when it was not JSON
 * @return {{whole: object|null, submissions: Array}}
 */
export function readAnswer(kind, status, body) {
  if (kind === 'csv' && Array.isArray(body?.submissions)) {
    return {
      whole: null,
      submissions: body.submissions.map((s) => submissionOf(s, isNumber(s?.http_status) ? s.http_status : status)),
    };
  }
  if (status === 200 || status === 201) return { whole: null, submissions: [submissionOf(body, status)] };
  const error = errorOf(body) || { code: `http_${status}`, message: `HTTP ${status}`, field: null };
  // 409: this submission (the same reference with other content) was refused; anything
  // else refuses the file as it is.
  if (status === 409 && kind !== 'csv') {
    return { whole: null, submissions: [{ ...submissionOf({}, status), reference: '', error }] };
  }
  return { whole: error, submissions: [] };
}

/** Totals over an answer's submissions: lines accepted and rejected, replays, refusals. */
export function answerTotals(answer) {
  const subs = answer?.submissions || [];
  const stored = subs.filter((s) => s.status === 201);
  return {
    stored: stored.length,
    replayed: subs.filter((s) => s.replayed && !s.error).length,
    refused: subs.filter((s) => s.error).length,
    accepted: subs.filter((s) => !s.error).reduce((n, s) => n + s.accepted, 0),
    rejected: subs.filter((s) => !s.error).reduce((n, s) => n + s.rejected, 0),
  };
}
