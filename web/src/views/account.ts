/**
 * Register, confirm (with resend), log in, and forgotten password. What Cognito answers after the person has moved
 * to another page neither navigates nor shows a message there.
 */
import { currentRoute, navigate, type App } from '../app';
import { h, messageBox } from '../dom';
import type { Visit } from '../navigation';
import { passwordProblems } from '../passwordPolicy';
import { busy, field, newPasswordField } from './forms';

export function registerView(app: App, visit: Visit): void {
  const message = messageBox();
  const email = field('email', 'Email', { type: 'email', autocomplete: 'email' });
  const password = newPasswordField('password', 'Password', app.config.passwordPolicy);
  const confirmation = field('password-confirm', 'Confirm password', { type: 'password', autocomplete: 'new-password' });
  const form = h(
    'form',
    { class: 'account', novalidate: true },
    email.wrapper,
    password.wrapper,
    confirmation.wrapper,
    h('button', { type: 'submit', class: 'primary' }, 'Register'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.clear();
    if (!email.input.value.includes('@')) return message.show('Enter your email address.');
    const problems = passwordProblems(password.input.value, confirmation.input.value, app.config.passwordPolicy);
    if (problems.length > 0) {
      message.show(problems);
      return (problems[problems.length - 1]?.includes('match') && problems.length === 1 ? confirmation : password).input.focus();
    }
    void busy(form, async () => {
      try {
        await app.auth.signUp(email.input.value, password.input.value);
        if (visit.current) navigate(`#/confirm?email=${encodeURIComponent(email.input.value.trim().toLowerCase())}&sent=1`);
      } catch (error) {
        message.show((error as Error).message);
      }
    });
  });
  visit.draw(
    h('h1', {}, 'Create your account'),
    message.element,
    form,
    h('p', {}, 'Already registered? ', h('a', { href: '#/login' }, 'Log in'), '.'),
  );
}

export function confirmView(app: App, visit: Visit): void {
  const { query } = currentRoute();
  const message = messageBox();
  const email = field('email', 'Email', { type: 'email', autocomplete: 'email', value: query.get('email') ?? '' });
  const code = field('code', 'Confirmation code', { inputmode: 'numeric', autocomplete: 'one-time-code' });
  const resend = h('button', { type: 'button', class: 'secondary' }, 'Send a new code');
  const form = h(
    'form',
    { class: 'account', novalidate: true },
    email.wrapper,
    code.wrapper,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Confirm'), resend),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.clear();
    if (!email.input.value || !code.input.value.trim()) return message.show('Enter your email and the code from the email we sent.');
    void busy(form, async () => {
      try {
        await app.auth.confirm(email.input.value, code.input.value);
        if (visit.current) navigate(`#/login?email=${encodeURIComponent(email.input.value.trim().toLowerCase())}&confirmed=1`);
      } catch (error) {
        message.show((error as Error).message);
      }
    });
  });
  resend.addEventListener('click', async () => {
    message.clear();
    if (!email.input.value) return message.show('Enter your email first.');
    resend.disabled = true;
    try {
      await app.auth.resendCode(email.input.value);
      message.show(`We sent a new code to ${email.input.value}.`, 'info');
    } catch (error) {
      message.show((error as Error).message);
    } finally {
      resend.disabled = false;
    }
  });
  visit.draw(h('h1', {}, 'Confirm your email'), message.element, form);
  if (query.get('sent')) message.show(`We emailed a confirmation code to ${query.get('email') ?? 'you'}.`, 'info');
}

export function loginView(app: App, visit: Visit): void {
  const { query } = currentRoute();
  const message = messageBox();
  const email = field('email', 'Email', { type: 'email', autocomplete: 'username', value: query.get('email') ?? '' });
  const password = field('password', 'Password', { type: 'password', autocomplete: 'current-password' });
  const form = h(
    'form',
    { class: 'account', novalidate: true },
    email.wrapper,
    password.wrapper,
    h('button', { type: 'submit', class: 'primary' }, 'Log in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.clear();
    if (!email.input.value || !password.input.value) return message.show('Enter your email and password.');
    void busy(form, async () => {
      try {
        await app.auth.logIn(email.input.value, password.input.value);
        await app.refreshUser();
        if (visit.current) navigate(query.get('next') ?? '#/');
      } catch (error) {
        message.show((error as Error).message);
        if ((error as { code?: string }).code === 'UserNotConfirmedException') {
          message.element.append(
            h('p', {}, h('a', { href: `#/confirm?email=${encodeURIComponent(email.input.value)}` }, 'Confirm your email')),
          );
        }
      }
    });
  });
  visit.draw(
    h('h1', {}, 'Log in'),
    message.element,
    form,
    h('p', {}, h('a', { href: '#/forgot' }, 'Forgot password?'), ' · New here? ', h('a', { href: '#/register' }, 'Register'), '.'),
  );
  if (query.get('confirmed')) message.show('Your email is confirmed. Log in to like and adopt.', 'info');
  else if (query.get('reset')) message.show('Your password is changed. Log in with the new one.', 'info');
  else if (query.get('next')) message.show('Please log in to do that.', 'info');
}

export function forgotView(app: App, visit: Visit): void {
  const message = messageBox();
  const email = field('email', 'Email', { type: 'email', autocomplete: 'username' });
  const ask = h(
    'form',
    { class: 'account', novalidate: true },
    email.wrapper,
    h('button', { type: 'submit', class: 'primary' }, 'Email me a code'),
  );
  const code = field('code', 'Code from the email', { inputmode: 'numeric', autocomplete: 'one-time-code' });
  const password = newPasswordField('password', 'New password', app.config.passwordPolicy);
  const confirmation = field('password-confirm', 'Confirm new password', { type: 'password', autocomplete: 'new-password' });
  const reset = h(
    'form',
    { class: 'account', novalidate: true, hidden: true },
    code.wrapper,
    password.wrapper,
    confirmation.wrapper,
    h('button', { type: 'submit', class: 'primary' }, 'Change password'),
  );
  ask.addEventListener('submit', (event) => {
    event.preventDefault();
    message.clear();
    if (!email.input.value.includes('@')) return message.show('Enter your email address.');
    void busy(ask, async () => {
      try {
        await app.auth.forgotPassword(email.input.value);
        reset.hidden = false;
        message.show(`If ${email.input.value} has an account, we emailed it a code.`, 'info');
        code.input.focus();
      } catch (error) {
        message.show((error as Error).message);
      }
    });
  });
  reset.addEventListener('submit', (event) => {
    event.preventDefault();
    message.clear();
    const problems = passwordProblems(password.input.value, confirmation.input.value, app.config.passwordPolicy);
    if (!code.input.value.trim()) problems.unshift('Enter the code from the email.');
    if (problems.length > 0) return message.show(problems);
    void busy(reset, async () => {
      try {
        await app.auth.resetPassword(email.input.value, code.input.value, password.input.value);
        if (visit.current) navigate(`#/login?email=${encodeURIComponent(email.input.value.trim().toLowerCase())}&reset=1`);
      } catch (error) {
        message.show((error as Error).message);
      }
    });
  });
  visit.draw(h('h1', {}, 'Forgot your password?'), message.element, ask, reset);
}
