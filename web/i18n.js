// web/i18n.js — the page's words: one text table per language (text.nl.js, text.en.js),
// looked up by key in the current language (locale.js), Dutch by default.
//
// A table entry is either a string with {placeholders} or a function of one parameter
// object (for plurals and word order); t() fills in either. Static text in index.html is
// named by attributes and filled in by applyStatic():
//   data-t="key"                          the element's text
//   data-t-attr="aria-label:key;title:k2" attributes, as name:key pairs
// Everything else is built by the views with t().
//
// A key missing from the current table is a defect, never a quiet fallback to the other
// language: it is reported on the console (which fails the browser test) and shown as
// ⟦key⟧ so it is seen. tests/web/text_tables.test.mjs checks that both tables have the
// same keys with the same placeholders, and that every key index.html names exists.

import en from './text.en.js';
import nl from './text.nl.js';
import { isLanguage, language, setCurrentLanguage } from './locale.js';

const TABLES = Object.freeze({ nl, en });
const reported = new Set();
const listeners = [];

function missing(what) {
  if (!reported.has(what)) {
    reported.add(what);
    console.error(`lvhcmon text: ${what}`);
  }
}

function entry(key) {
  const table = TABLES[language()];
  if (!Object.prototype.hasOwnProperty.call(table, key)) {
    missing(`no text "${key}" in the ${language()} table`);
    return null;
  }
  return table[key];
}

/** Splits "a {x} b" into ["a ", value of x, " b"]. */
function fill(key, template, params) {
  return template.split(/(\{\w+\})/).filter((part) => part !== '').map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (!name) return part;
    if (params[name] === undefined || params[name] === null) {
      missing(`text "${key}" (${language()}) needs the parameter {${name}}`);
      return part;
    }
    return params[name];
  });
}

/**
 * The text of `key` in the current language.
 * @param {string} key a key of the text tables, e.g. "alerts.heading"
 * @param {object} [params] values for the entry's {placeholders} or its function
 * @return {string} the text; "⟦key⟧" (and a console error) when the key is missing
 */
export function t(key, params = {}) {
  const e = entry(key);
  if (e === null) return `⟦${key}⟧`;
  if (typeof e === 'function') return String(e(params));
  return fill(key, e, params).map(String).join('');
}

/**
 * Like t(), but the values may be DOM nodes (a <time>, a <strong>), kept as nodes in
 * their place: returns an array for element.append(...parts). Entries used this way are
 * templates, not functions.
 */
export function tParts(key, params = {}) {
  const e = entry(key);
  if (e === null) return [`⟦${key}⟧`];
  if (typeof e === 'function') return [String(e(params))];
  return fill(key, e, params);
}

/** True when the current table has `key` (for optional, data-driven texts such as alert names). */
export function hasText(key) {
  return Object.prototype.hasOwnProperty.call(TABLES[language()], key);
}

/** Fill in every data-t / data-t-attr element under `root` in the current language. */
export function applyStatic(root) {
  for (const el of root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll('[data-t-attr]')) {
    for (const pair of el.dataset.tAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

/**
 * Switch the page to `lang`: <html lang>, the static text, then every listener (the views
 * redraw from the data they already have).
 * @param {string} lang "nl" or "en"
 */
export function setLanguage(lang) {
  setCurrentLanguage(lang);
  document.documentElement.lang = lang;
  applyStatic(document);
  for (const fn of listeners) fn(lang);
}

/** Call `fn(lang)` after every language switch. */
export function onLanguageChange(fn) {
  listeners.push(fn);
}

export { isLanguage, language };
