// web/view-ackname.js — who acknowledges: the modal dialog that asks for the name (kept in
// the session, sent with every acknowledgement) and the "Acknowledging as NAME (Change
// name)" line above the alerts.

import { $, h } from './dom.js';
import { tParts } from './i18n.js';
import { session } from './session.js';

/** Show "Acknowledging as NAME" to a controller who gave a name. */
export function renderAckAs(canAck) {
  $('ack-as').hidden = !(canAck && session.name);
  $('ack-as-text').replaceChildren(...tParts('alerts.ackAs', {
    name: h('strong', { id: 'ack-name' }, session.name || ''),
  }));
}

/**
 * Ask for the acknowledging name in a modal dialog.
 * @return {Promise<string|null>} the name, or null when cancelled
 */
export function askName() {
  const dialog = $('name-dialog');
  const input = $('name-input');
  input.value = session.name || '';
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      renderAckAs(true);
      resolve(dialog.returnValue === 'ok' ? session.name : null);
    }, { once: true });
    dialog.showModal();
    input.focus();
  });
}

/** Wire the dialog's form, its Cancel button and "Change name". */
export function initAckName() {
  $('name-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('name-input').value.trim();
    if (!name) return;
    session.name = name;
    $('name-dialog').close('ok');
  });
  $('name-cancel').addEventListener('click', () => $('name-dialog').close('cancel'));
  $('change-name').addEventListener('click', () => askName());
}
