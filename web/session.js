// web/session.js — what the page keeps for this browser tab: the token, the name that
// acknowledges alerts, the chosen year and the chosen language. sessionStorage only: gone
// with the tab, never in the URL or in localStorage.

import { DEFAULT_LANGUAGE, isLanguage } from './locale.js';

const TOKEN_KEY = 'lvhcmon.token';
const NAME_KEY = 'lvhcmon.ackName';
const YEAR_KEY = 'lvhcmon.year';
const LANG_KEY = 'lvhcmon.lang';

function put(key, value) {
  if (value) sessionStorage.setItem(key, String(value));
  else sessionStorage.removeItem(key);
}

export const session = {
  /** The bearer token, or null when signed out. */
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(v) { put(TOKEN_KEY, v); },
  /** The name recorded with acknowledgements, or null until asked. */
  get name() { return sessionStorage.getItem(NAME_KEY); },
  set name(v) { put(NAME_KEY, v); },
  /** The year chosen in the selector, or null for the API's default year. */
  get year() {
    const y = Number(sessionStorage.getItem(YEAR_KEY));
    return Number.isInteger(y) && y > 0 ? y : null;
  },
  set year(v) { put(YEAR_KEY, v); },
  /** The page's language: Dutch unless English was chosen in this tab. */
  get lang() {
    const v = sessionStorage.getItem(LANG_KEY);
    return isLanguage(v) ? v : DEFAULT_LANGUAGE;
  },
  set lang(v) { put(LANG_KEY, isLanguage(v) ? v : null); },
};
