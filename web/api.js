// web/api.js — every request the page makes, to its own origin only (the CSP allows
// nothing else), with the session's bearer token.
//
// GETs remember the ETag of their URL and send If-None-Match; a 304 returns the document
// already held, so a poll that finds nothing new costs the daemon almost nothing. Failures
// become an ApiError with the HTTP status (0: no answer) and the API's error code and
// message; the page's own codes are "network" (no answer) and "bad_json" (an answer that
// is not JSON), which the views put into words (ApiError carries no language).

import { session } from './session.js';

/** ETag and document per GET URL, for If-None-Match. */
const etags = new Map();

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the service did not answer
   * @param {string} code the API's error code, "network" or "bad_json"
   * @param {string} message the API's message (English), or a technical description
   * @param {string|null} field the request field the API names, if any
   */
  constructor(status, code, message, field = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    /** A degraded service (no answer, 5xx): the last figures stay on screen. */
    this.degraded = status === 0 || status >= 500;
  }

  static async from(res) {
    let err = {};
    try { err = (await res.json())?.error || {}; } catch { /* not JSON */ }
    return new ApiError(res.status, err.code || `http_${res.status}`,
                        err.message || `HTTP ${res.status}`, err.field ?? null);
  }
}

/**
 * A path with its query: apiPath('/api/v1/providers', {year: 2026, zorgkantoor: null})
 * gives "/api/v1/providers?year=2026" (null and undefined parameters are left out).
 */
export function apiPath(path, params = {}) {
  const query = Object.entries(params)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return query.length ? `${path}?${query.join('&')}` : path;
}

/**
 * One API request with the bearer token.
 * @param {string} method "GET" or "POST"
 * @param {string} url a path on this origin (apiPath())
 * @param {object} [body] sent as JSON
 * @return {Promise<any>} the JSON answer (null for 204); throws ApiError
 */
export async function request(method, url, body) {
  const headers = { Accept: 'application/json' };
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  const remembered = method === 'GET' ? etags.get(url) : undefined;
  if (remembered?.etag) headers['If-None-Match'] = remembered.etag;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, {
      method, headers, cache: 'no-store', credentials: 'same-origin', redirect: 'error',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'no answer');
  }
  if (res.status === 304 && remembered) return remembered.data;
  if (!res.ok) throw await ApiError.from(res);
  let data = null;
  if (res.status !== 204) {
    try { data = await res.json(); } catch {
      throw new ApiError(res.status >= 500 ? res.status : 502, 'bad_json', 'answer is not JSON');
    }
  }
  if (method === 'GET') etags.set(url, { etag: res.headers.get('ETag'), data });
  return data;
}

/**
 * Download a file the API makes (the month-end workbook), with the bearer token.
 * @param {string} url a path on this origin (apiPath())
 * @return {Promise<{blob: Blob, filename: string|null}>} the file and the name the answer's
 *   Content-Disposition suggests; throws ApiError
 */
export async function download(url) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let res;
  try {
    res = await fetch(url, { headers, cache: 'no-store', credentials: 'same-origin', redirect: 'error' });
  } catch {
    throw new ApiError(0, 'network', 'no answer');
  }
  if (!res.ok) throw await ApiError.from(res);
  const disposition = res.headers.get('Content-Disposition') || '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { blob: await res.blob(), filename };
}

/**
 * Send a file's bytes (an upload) with the bearer token; the answer whatever its status.
 * @param {string} url a path on this origin
 * @param {Blob|ArrayBuffer|string} body the file as it is
 * @param {string} contentType the body's Content-Type
 * @return {Promise<{status: number, body: any}>} body: the JSON answer, or null when it is
 *   not JSON; throws ApiError only when the service did not answer
 */
export async function send(url, body, contentType) {
  const headers = { Accept: 'application/json', 'Content-Type': contentType };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let res;
  try {
    res = await fetch(url, { method: 'POST', headers, body, cache: 'no-store', credentials: 'same-origin',
                             redirect: 'error' });
  } catch {
    throw new ApiError(0, 'network', 'no answer');
  }
  let data = null;
  try { data = await res.json(); } catch { /* not JSON: the caller says so */ }
  return { status: res.status, body: data };
}

/** Forget every remembered ETag and document (on sign-out: they belonged to that token). */
export function forgetDocuments() {
  etags.clear();
}

/** GET /readyz: {ok, status}; never throws. */
export async function probeReady() {
  try {
    const res = await fetch('/readyz', { cache: 'no-store', credentials: 'omit' });
    await res.text().catch(() => {}); // read to the end: the request is then finished
    return { ok: res.ok, status: res.status };
  } catch {
    return { ok: false, status: 0 };
  }
}

/** A promise's outcome as {ok: true, value} or {ok: false, error}; never rejects. */
export const settle = (p) => p.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error }));
