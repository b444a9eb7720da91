// web/format.js — how the dashboard writes money, ratios, months and times.
//
// Money arrives from the API as integer cents and is written in the Dutch way
// ("€ 4.500.000,00"). We format it ourselves rather than through
// Intl.NumberFormat: the exact text is part of what the end-to-end test
// compares with the API, and ICU builds differ in spacing and in which locales
// they carry. Times are shown in Europe/Amsterdam, the controllers' time zone.

const NBSP = '\u00a0';
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun',
                      'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
                     'August', 'September', 'October', 'November', 'December'];

/** "1234567" → "1.234.567" */
function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** True for a finite number; the API may omit a field or send null. */
export function isNumber(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Integer cents → "€ 1.234.567,89" ("—" when absent). */
export function formatCents(cents) {
  if (!isNumber(cents)) return '—';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  const euros = Math.floor(abs / 100);
  const rest = abs % 100;
  return `€${NBSP}${sign}${groupThousands(String(euros))},${String(rest).padStart(2, '0')}`;
}

/** Integer cents → whole euros "€ 4.500.000", rounded half away from zero (axes, ranges). */
export function formatEuros(cents) {
  if (!isNumber(cents)) return '—';
  const sign = cents < 0 ? '-' : '';
  const euros = Math.floor((Math.abs(cents) + 50) / 100);
  return `€${NBSP}${sign}${groupThousands(String(euros))}`;
}

/** Ratio 0..1 → "86,9%" (Dutch decimal comma). */
export function formatRatio(ratio, digits = 1) {
  if (!isNumber(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits).replace('.', ',')}%`;
}

/** A plain count → "12.345". */
export function formatCount(n) {
  if (!isNumber(n)) return '—';
  const sign = n < 0 ? '-' : '';
  return sign + groupThousands(String(Math.abs(Math.round(n))));
}

/** Minutes → whole hours "1.234 h". */
export function formatHours(minutes) {
  if (!isNumber(minutes)) return '—';
  return `${formatCount(Math.round(minutes / 60))}${NBSP}h`;
}

/** "2026-10" → {year: 2026, month: 10} or null. */
export function parseMonth(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(ym || '');
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { year: Number(m[1]), month } : null;
}

/** "2026-10" → "Oct" */
export function monthShort(ym) {
  const p = parseMonth(ym);
  return p ? MONTHS_SHORT[p.month - 1] : String(ym ?? '—');
}

/** "2026-10" → "October 2026" */
export function monthLong(ym) {
  const p = parseMonth(ym);
  return p ? `${MONTHS_LONG[p.month - 1]} ${p.year}` : String(ym ?? '—');
}

/** "2026-10" → "Oct 2026" */
export function monthShortYear(ym) {
  const p = parseMonth(ym);
  return p ? `${MONTHS_SHORT[p.month - 1]} ${p.year}` : String(ym ?? '—');
}

/** "2026-12-12" → "12 Dec 2026" (a calendar date, no time zone involved). */
export function formatDate(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd || '');
  if (!m) return ymd ? String(ymd) : '—';
  return `${Number(m[3])} ${MONTHS_SHORT[Number(m[2]) - 1]} ${m[1]}`;
}

let dateTimeFormat = null;
try {
  dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'short', year: 'numeric',
    hour: '2-digit', minute: '2-digit', timeZoneName: 'short',
  });
} catch {
  dateTimeFormat = null; // no time zone data: fall back to UTC below
}

/** ISO timestamp → "23 Nov 2026, 11:00 CET" (Amsterdam time); "—" when absent. */
export function formatDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  if (dateTimeFormat) return dateTimeFormat.format(d);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

let clockFormat = null;
try {
  clockFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  });
} catch {
  clockFormat = null;
}

/** A Date → "12:45:33" (Amsterdam time), for "last checked". */
export function formatClock(date) {
  return clockFormat ? clockFormat.format(date) : date.toISOString().slice(11, 19);
}

/** Plural helper: plural(3, 'alert') → "3 alerts". */
export function plural(n, word, many = `${word}s`) {
  return `${formatCount(n)} ${n === 1 ? word : many}`;
}
