// The confirmation asked before an act that cannot be taken back (an award, a tender
// declared without follow-up, an early closing, a refused justification, a withdrawn
// need, a revoked access): a native modal <dialog>, labelled by its title, saying what
// will happen, and asking for the reason where the law or the audit needs one.
// « Annuler » (or Échap) closes it and changes nothing; « confirm » runs `act(reason)`,
// whose refusal is shown inside the dialog, which then stays open.
import { h, field, uid } from '../dom.js';

// Letters and digits in a reason: « ... » or « -- » is not a reason.
export const letterCount = (text) => (String(text).match(/[\p{L}\p{N}]/gu) || []).length;

export function confirmDialog({ title, lines = [], confirmLabel, danger = false, reason = null, act }) {
  return new Promise((resolve) => {
    const titleId = uid('dialogue-titre');
    const textId = uid('dialogue-texte');
    const reasonInput = reason ? h('textarea', { rows: 3, maxlength: reason.maxLength || 2000, name: 'reason' }) : null;
    const general = h('p', { class: 'error', role: 'alert' });
    const cancel = h('button', { type: 'button', class: 'secondary' }, 'Annuler');
    const confirmButton = h('button', { type: 'submit', class: danger ? 'danger' : '' }, confirmLabel);
    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    const reasonError = (message) => {
      const slot = dialog.querySelector('[data-field="reason"] .field-error');
      slot.textContent = message;
      reasonInput.setAttribute('aria-invalid', 'true');
      reasonInput.focus();
    };
    const form = h('form', {
      class: 'confirm-form', 'aria-labelledby': titleId,
      onsubmit: async (event) => {
        event.preventDefault();
        general.textContent = '';
        const text = reasonInput ? reasonInput.value.trim() : '';
        if (reasonInput) {
          reasonInput.removeAttribute('aria-invalid');
          dialog.querySelector('[data-field="reason"] .field-error').textContent = '';
          const minimum = reason.minLetters ?? (reason.required ? 1 : 0);
          if (letterCount(text) < minimum) {
            reasonError(minimum > 1
              ? `Donnez le motif : ${minimum} lettres ou chiffres au moins.`
              : 'Donnez le motif : il est obligatoire.');
            return;
          }
        }
        confirmButton.disabled = true;
        try {
          await act(text);
          finish(true);
        } catch (error) {
          confirmButton.disabled = false;
          const onReason = (error.fields || []).filter((f) => f.field === 'reason');
          if (reasonInput && onReason.length) reasonError(onReason.map((f) => f.message).join(' ; '));
          else general.textContent = error.fields?.length ? error.fields.map((f) => f.message).join(' ; ') : error.message;
        }
      },
    },
    h('h2', { id: titleId }, title),
    h('div', { id: textId }, lines.filter(Boolean).map((line) => h('p', {}, line))),
    reasonInput ? field(reason.label, reasonInput, { name: 'reason', hint: reason.hint }) : null,
    general,
    h('div', { class: 'actions' }, confirmButton, cancel));
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': titleId, 'aria-describedby': textId }, form);
    cancel.addEventListener('click', () => finish(false));
    // Échap: the browser closes the dialog; the promise says nothing was done.
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); finish(false); });
    document.body.append(dialog);
    dialog.showModal();
    (reasonInput || cancel).focus();
  });
}
