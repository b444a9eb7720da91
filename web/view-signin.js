// web/view-signin.js — the sign-in form and the switch between it and the dashboard. The
// message on the form is kept as a text key, so a language switch redraws it too.

import { $ } from './dom.js';
import { t } from './i18n.js';

/** Show the text of `key` in the loading line; data-t keeps it in step with a language switch. */
function setLoading(key) {
  const el = $('loading');
  el.dataset.t = key;
  el.textContent = t(key);
}

/** The key of the message shown on the form, or null. */
let messageKey = null;

/** Redraw the form's message (after a language switch). */
export function renderSignInMessage() {
  const err = $('signin-error');
  err.textContent = messageKey ? t(messageKey) : '';
  err.hidden = !messageKey;
}

/**
 * Show the sign-in form, with a message when there is something to say.
 * @param {string|null} key a text key such as "signin.refused"
 */
export function showSignIn(key = null) {
  $('loading').hidden = true;
  $('dashboard').hidden = true;
  $('session-controls').hidden = true;
  $('section-nav').hidden = true;
  $('banner').hidden = true;
  $('signin').hidden = false;
  messageKey = key;
  renderSignInMessage();
  if (key) $('token-input').focus();
}

/** Show the dashboard's frame (the views fill it). */
export function showDashboard() {
  $('loading').hidden = true;
  $('signin').hidden = true;
  $('dashboard').hidden = false;
  $('session-controls').hidden = false;
  $('section-nav').hidden = false;
}

/** Nothing loaded yet (the service is down): the banner says why, no empty frame. */
export function showNothingYet() {
  showDashboard();
  $('dashboard').hidden = true;
  $('section-nav').hidden = true;
  $('loading').hidden = false;
  setLoading('loading.none');
}

/** "Loading the figures…" while the first answers are awaited. */
export function showLoading() {
  $('signin').hidden = true;
  setLoading('loading.figures');
  $('loading').hidden = false;
}

/**
 * Wire the form: `onToken(token)` gets a non-empty token; an empty field says so.
 * @param {function(string)} onToken
 */
export function initSignIn(onToken) {
  $('token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = $('token-input');
    const token = input.value.trim();
    if (!token) {
      showSignIn('signin.empty');
      return;
    }
    input.value = '';
    onToken(token);
  });
}
