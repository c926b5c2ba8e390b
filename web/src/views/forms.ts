/** Shared pieces of the account forms: labelled fields, a password field with its live rules, busy buttons. */
import { h } from '../dom';
import { passwordRules, type PasswordPolicy } from '../passwordPolicy';

export function field(
  id: string,
  label: string,
  input: Record<string, string | boolean>,
): { wrapper: HTMLElement; input: HTMLInputElement } {
  const element = h('input', { id, name: id, required: true, ...input });
  return { wrapper: h('div', { class: 'field' }, h('label', { for: id }, label), element), input: element };
}

/** A new-password field with the pool's rules listed under it, ticked off as the person types. */
export function newPasswordField(id: string, label: string, policy: PasswordPolicy): { wrapper: HTMLElement; input: HTMLInputElement } {
  const { wrapper, input } = field(id, label, { type: 'password', autocomplete: 'new-password', 'aria-describedby': `${id}-rules` });
  const rules = h('ul', { id: `${id}-rules`, class: 'rules' });
  const draw = () =>
    rules.replaceChildren(
      ...passwordRules(input.value, policy).map((rule) =>
        h('li', { class: rule.met ? 'met' : 'unmet' }, `${rule.met ? '✓' : '•'} ${rule.text}`),
      ),
    );
  input.addEventListener('input', draw);
  draw();
  wrapper.append(rules);
  return { wrapper, input };
}

/** Runs `action` with the form's submit button disabled and marked busy. */
export async function busy(form: HTMLFormElement, action: () => Promise<void>): Promise<void> {
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  try {
    await action();
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}
