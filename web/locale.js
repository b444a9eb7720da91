// web/locale.js — which language the page speaks now, and the Intl locale that goes with it.
//
// Only the choice lives here, so that format.js (numbers and dates) and i18n.js (the text
// tables) can both read it without importing each other. Changing the language is
// i18n.setLanguage()'s job; this module only keeps the value.

/** The languages the page speaks, Dutch first: the language of every user. */
export const LANGUAGES = Object.freeze(['nl', 'en']);

/** Dutch unless the session chose English. */
export const DEFAULT_LANGUAGE = 'nl';

/** Each language's Intl locale: Dutch as in the Netherlands, English as in Britain. */
const INTL_LOCALE = Object.freeze({ nl: 'nl-NL', en: 'en-GB' });

let current = DEFAULT_LANGUAGE;

/** @return {string} the current language code, "nl" or "en" */
export function language() {
  return current;
}

/** @return {string} the current Intl locale, "nl-NL" or "en-GB" */
export function intlLocale() {
  return INTL_LOCALE[current];
}

/** @return {boolean} true for a language the page has a text table for */
export function isLanguage(lang) {
  return LANGUAGES.includes(lang);
}

/**
 * Record the current language (i18n.setLanguage() calls this, then redraws).
 * @param {string} lang "nl" or "en"; anything else is refused with an Error
 */
export function setCurrentLanguage(lang) {
  if (!isLanguage(lang)) throw new Error(`unknown language "${lang}"`);
  current = lang;
}
