// web/format.js — how the page writes money, ratios, counts, months and times, in the
// current language (locale.js): Dutch as nl-NL ("€ 4.238.575,67", "84,1%", "oktober 2026"),
// English as en-GB ("€4,238,575.67", "84.1%", "October 2026"), all through Intl.
//
// Money arrives from the API as integer cents and never becomes a binary fraction here:
// cents are written out as a decimal string ("4238575.67") and Intl formats that string,
// which current engines read as an exact decimal. Times are shown in Europe/Amsterdam, the
// controllers' time zone; calendar dates and months carry no time zone at all.
//
// Words are not this module's business: "uur"/"h", "van"/"of" and the like are in the text
// tables (text.nl.js, text.en.js).

import { intlLocale } from './locale.js';

/** One cache of Intl formatters per locale and kind: building them is not free. */
const cache = new Map();

function formatter(kind, make) {
  const key = `${intlLocale()}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    f = make(intlLocale());
    cache.set(key, f);
  }
  return f;
}

/** True for a finite number; the API may omit a field or send null. */
export function isNumber(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Integer cents → the exact decimal string "-1234.56". */
export function centsToDecimal(cents) {
  const abs = Math.abs(Math.round(cents));
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Integer cents → "€ 1.234.567,89" (nl) or "€1,234,567.89" (en); "—" when absent. */
export function formatMoney(cents) {
  if (!isNumber(cents)) return '—';
  return formatter('money', (l) => new Intl.NumberFormat(l, {
    style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2,
  })).format(centsToDecimal(cents));
}

/**
 * Integer cents → whole euros "€ 4.500.000" / "€4,500,000", rounded half away from zero in
 * integers before Intl sees them (axes, ranges, differences).
 */
export function formatEuros(cents) {
  if (!isNumber(cents)) return '—';
  const euros = Math.floor((Math.abs(Math.round(cents)) + 50) / 100);
  return formatter('euros', (l) => new Intl.NumberFormat(l, {
    style: 'currency', currency: 'EUR', minimumFractionDigits: 0, maximumFractionDigits: 0,
  })).format(cents < 0 ? -euros : euros);
}

/** Ratio 0..1 → "86,9%" / "86.9%" with exactly `digits` decimals. */
export function formatRatio(ratio, digits = 1) {
  if (!isNumber(ratio)) return '—';
  return formatter(`ratio${digits}`, (l) => new Intl.NumberFormat(l, {
    style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits,
  })).format(ratio);
}

/** A threshold ratio → "90%", "75%", "87,5%": as many decimals as it has, at most two. */
export function formatThreshold(ratio) {
  if (!isNumber(ratio)) return '—';
  return formatter('threshold', (l) => new Intl.NumberFormat(l, {
    style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 2,
  })).format(ratio);
}

/** A count → "12.345" / "12,345". */
export function formatCount(n) {
  if (!isNumber(n)) return '—';
  return formatter('count', (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 }))
    .format(Math.round(n));
}

/** "2026-10" → {year: 2026, month: 10}, or null for anything else. */
export function parseMonth(ym) {
  const m = /^(\d{4})-(\d{2})$/.exec(ym || '');
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { year: Number(m[1]), month } : null;
}

/** A calendar month as a Date at noon UTC: no time zone can move it to another month. */
function monthDate(p) {
  return new Date(Date.UTC(p.year, p.month - 1, 15, 12));
}

function formatMonth(ym, kind, options) {
  const p = parseMonth(ym);
  if (!p) return String(ym ?? '—');
  return formatter(kind, (l) => new Intl.DateTimeFormat(l, { timeZone: 'UTC', ...options }))
    .format(monthDate(p));
}

/** "2026-10" → "okt" / "Oct" (chart axis). */
export function monthShort(ym) {
  return formatMonth(ym, 'monthShort', { month: 'short' });
}

/** "2026-10" → "oktober 2026" / "October 2026". */
export function monthLong(ym) {
  return formatMonth(ym, 'monthLong', { month: 'long', year: 'numeric' });
}

/** "2026-10" → "okt 2026" / "Oct 2026". */
export function monthShortYear(ym) {
  return formatMonth(ym, 'monthShortYear', { month: 'short', year: 'numeric' });
}

/** "2026-12-23" → "23 dec 2026" / "23 Dec 2026" (a calendar date, no time zone involved). */
export function formatDate(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd || '');
  if (!m) return ymd ? String(ymd) : '—';
  return formatter('date', (l) => new Intl.DateTimeFormat(l, {
    timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric',
  })).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12)));
}

/** Amsterdam time, or UTC where the engine has no time zone data. */
function amsterdam(kind, options) {
  return formatter(kind, (l) => {
    try {
      return new Intl.DateTimeFormat(l, { timeZone: 'Europe/Amsterdam', ...options });
    } catch {
      return new Intl.DateTimeFormat(l, { timeZone: 'UTC', ...options });
    }
  });
}

/** ISO timestamp → "23 nov 2026, 11:00 CET" (Amsterdam time); "—" when absent. */
export function formatDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return amsterdam('dateTime', {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
    hour12: false, timeZoneName: 'short',
  }).format(d);
}

/** A Date → "12:45:33" (Amsterdam time), for "last checked". */
export function formatClock(date) {
  return amsterdam('clock', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
    .format(date);
}
