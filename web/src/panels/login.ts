import { login, UnauthorizedError } from '../api';
import { el } from '../dom';
import type { Session } from '../types';

function loginFailure(error: unknown): string {
  if (error instanceof UnauthorizedError) {
    return 'Wrong username or password.';
  }
  if (error instanceof TypeError) {
    return 'Cannot reach the server.';
  }
  return `Cannot sign in: ${error instanceof Error ? error.message : String(error)}`;
}

/** Shows the sign-in form in `root` until the server accepts a username and password. */
export function showLogin(root: HTMLElement, notice?: string): Promise<Session> {
  const username = el('input', {
    testid: 'login-username',
    attrs: { id: 'login-username', name: 'username', autocomplete: 'username', required: '' },
  });
  const password = el('input', {
    testid: 'login-password',
    attrs: { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: '' },
  });
  const submit = el('button', { testid: 'login-submit', text: 'Sign in', attrs: { type: 'submit' } });
  const message = el('p', { class: 'login-message', testid: 'login-error', attrs: { role: 'alert' } });
  message.textContent = notice ?? '';
  const form = el(
    'form',
    { class: 'login-card', testid: 'login-form' },
    el('h1', { text: 'BORDERWATCH' }),
    el('p', { class: 'login-subtitle', text: 'Live border surveillance' }),
    el('label', { text: 'Username', attrs: { for: 'login-username' } }),
    username,
    el('label', { text: 'Password', attrs: { for: 'login-password' } }),
    password,
    submit,
    message,
  );
  root.replaceChildren(el('div', { class: 'login-screen' }, form));
  username.focus();

  return new Promise((resolve) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit.disabled = true;
      message.textContent = '';
      login(username.value.trim(), password.value)
        .then(resolve)
        .catch((error: unknown) => {
          message.textContent = loginFailure(error);
          password.select();
        })
        .finally(() => {
          submit.disabled = false;
        });
    });
  });
}
