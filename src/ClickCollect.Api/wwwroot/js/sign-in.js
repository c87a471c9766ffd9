// The sign-in form of both pages: labelled fields, one submit, the server's refusal read out
// (aria-live) and the secret field cleared and focused for another try.
import { api } from './api.js';
import { clear, el, field } from './dom.js';
import { clearFieldErrors, refuse } from './field-errors.js';
import { bind } from './i18n.js';

// spec: { endpoint, fields: [{ name, id, label, hint?, attrs }], secret: 'pin', signedIn: async () => {} }
export function signInForm(spec) {
  const inputs = {};
  const fields = spec.fields.map((f) => {
    inputs[f.name] = el('input', Object.assign({ name: f.name, required: true }, f.attrs));
    return field(f.id, f.label, inputs[f.name], f.hint);
  });
  const error = el('div', { className: 'form-error', 'aria-live': 'assertive' });
  const button = el('button', { type: 'submit', className: 'primary', i18n: 'signIn.submit' });

  async function submit(event) {
    event.preventDefault();
    clear(error);
    error.classList.remove('shown');
    clearFieldErrors(form);
    button.disabled = true;
    bind(button, 'signIn.pending');
    const body = {};
    Object.keys(inputs).forEach((name) => {
      body[name] = name === spec.secret ? inputs[name].value : inputs[name].value.trim(); // a password keeps its spaces
    });
    try {
      await api(spec.endpoint, { method: 'POST', body: body });
      await spec.signedIn();
    } catch (failure) {
      // Wrong credentials: both fields are marked (which one is wrong is not said, #14), the secret first.
      const others = Object.keys(inputs).filter((name) => name !== spec.secret).map((name) => inputs[name]);
      refuse(form, error, failure, { sign_in_failed: [inputs[spec.secret]].concat(others) });
      inputs[spec.secret].value = '';
      inputs[spec.secret].focus();
    } finally {
      button.disabled = false;
      bind(button, 'signIn.submit');
    }
  }

  const form = el('form', { className: 'sign-in', onSubmit: submit }, fields, error, button);
  return form;
}
