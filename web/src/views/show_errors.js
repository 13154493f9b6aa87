import { h } from '../dom.js';

// The button that sent each form last (« Soumettre » or « Enregistrer en brouillon »): a retry
// sends the form again by the same button.
const lastSubmitter = new WeakMap();
document.addEventListener('submit', (event) => { if (event.submitter) lastSubmitter.set(event.target, event.submitter); }, true);

// A failure that may pass the next time: the server unreachable or failing, or busy.
export const retryable = (error) => !error.status || error.status >= 500 || error.status === 429;

// Puts each API problem next to its field (data-field), the rest in `general`; when the
// server did not answer or failed, « Réessayer » sends the same form again.
export function showErrors(form, error, general) {
  for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  const rest = [];
  for (const { field, message } of error.fields || []) {
    // "tiers[0].unit_price" is shown by "tiers[0].unit_price", else by "tiers".
    const holder = form.querySelector(`[data-field="${CSS.escape(field)}"]`) ||
      form.querySelector(`[data-field="${CSS.escape(field.split(/[.[]/)[0])}"]`);
    if (holder) {
      const slot = holder.querySelector('.field-error');
      slot.textContent = slot.textContent ? `${slot.textContent} ; ${message}` : message;
      holder.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
    } else {
      rest.push(`${field} : ${message}`);
    }
  }
  general.textContent = [error.fields?.length ? '' : error.message, ...rest].filter(Boolean).join(' — ');
  if (retryable(error) && form instanceof HTMLFormElement) {
    const again = () => {
      const submitter = lastSubmitter.get(form);
      form.requestSubmit(submitter && form.contains(submitter) ? submitter : undefined);
    };
    general.append(' ', h('button', { type: 'button', class: 'secondary', onclick: again }, 'Réessayer'));
  }
  form.querySelector('[aria-invalid]')?.focus();
}

// A refusal or a failure said in `slot` (the field messages when there are some), with
// « Réessayer » running `retry` again when the server did not answer or failed.
export function showFailure(slot, error, retry) {
  slot.textContent = error.fields?.length ? error.fields.map((f) => f.message).join(' ; ') : error.message;
  if (retry && retryable(error)) slot.append(' ', h('button', { type: 'button', class: 'secondary', onclick: retry }, 'Réessayer'));
}
