import { el } from '../dom';
import type { Agency, Role } from '../types';
import { changeUser, createUser, listUsers, type User } from './adminapi';
import { button, choice, InlineForm, reason, row, section, Table, textInput, when } from './forms';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];

/** Users of the admin's agency (every user for root admins): create, change role, disable or enable, new password. */
export class UsersTab {
  readonly element: HTMLElement;
  private readonly table = new Table('users-table', ['User', 'Role', 'Agency', 'State', 'Created (UTC)', '', ''], 'No users');
  private readonly agency = choice('user-agency', [['', 'My agency']]);

  constructor(private readonly signal: AbortSignal) {
    const username = textInput('user-name', { maxlength: '64' });
    const password = el('input', { testid: 'user-password', attrs: { type: 'password', autocomplete: 'new-password' } });
    const role = choice('user-role', ROLES);
    const form = new InlineForm(
      'user-form',
      [
        ['Username', 'username', username],
        ['Password (12+ characters)', 'password', password],
        ['Role', 'role', role],
        ['Agency', 'agency', this.agency],
      ],
      'Create user',
      async () => {
        await createUser(this.signal, {
          username: username.value.trim(),
          password: password.value,
          role: role.value as Role,
          ...(this.agency.value === '' ? {} : { agency: this.agency.value }),
        });
        username.value = '';
        password.value = '';
        await this.load();
      },
    );
    this.element = el('div', { class: 'admin-tab' }, section('New user', form.element), section('Users', this.table.element));
  }

  setAgencies(agencies: Agency[]): void {
    const chosen = this.agency.value;
    this.agency.replaceChildren(el('option', { text: 'My agency', attrs: { value: '' } }));
    agencies.forEach((agency) => this.agency.append(el('option', { text: `${agency.name} (${agency.id})`, attrs: { value: agency.id } })));
    this.agency.value = chosen;
  }

  async load(): Promise<void> {
    const users = await listUsers(this.signal);
    this.table.rows(users.map((user) => this.userRow(user)));
  }

  private userRow(user: User): HTMLTableRowElement {
    const result = el('span', { class: 'admin-result', testid: 'user-result', attrs: { role: 'status' } });
    const apply = async (change: { role?: Role; password?: string; disabled?: boolean }, done: string) => {
      try {
        const changed = await changeUser(this.signal, user.username, change);
        Object.assign(user, changed);
        result.textContent = done;
        result.classList.remove('failed');
        state.textContent = user.disabled ? 'Disabled' : 'Active';
        state.dataset['state'] = user.disabled ? 'disabled' : 'active';
        toggle.textContent = user.disabled ? 'Enable' : 'Disable';
      } catch (error) {
        result.textContent = reason(error);
        result.classList.add('failed');
        roleSelect.value = user.role;
      }
    };
    const roleSelect = choice('user-row-role', ROLES);
    roleSelect.value = user.role;
    roleSelect.setAttribute('aria-label', `Role of ${user.username}`);
    roleSelect.addEventListener('change', () => void apply({ role: roleSelect.value as Role }, `Role now ${roleSelect.value}; signed out everywhere`));
    const state = el('span', { class: 'admin-state', text: user.disabled ? 'Disabled' : 'Active', attrs: { 'data-state': user.disabled ? 'disabled' : 'active' } });
    const toggle = button(user.disabled ? 'Enable' : 'Disable', 'user-toggle');
    toggle.addEventListener('click', () => void apply({ disabled: !user.disabled }, user.disabled ? 'Enabled' : 'Disabled; signed out everywhere'));
    const reset = button('Reset password', 'user-reset');
    const newPassword = el('input', { testid: 'user-new-password', attrs: { type: 'password', autocomplete: 'new-password', placeholder: 'New password', hidden: '' } });
    const set = button('Set', 'user-set-password', 'primary');
    set.hidden = true;
    reset.addEventListener('click', () => {
      reset.hidden = true;
      newPassword.hidden = false;
      set.hidden = false;
      newPassword.focus();
    });
    set.addEventListener('click', () => {
      void apply({ password: newPassword.value }, 'Password set; signed out everywhere').then(() => {
        if (!result.classList.contains('failed')) {
          newPassword.value = '';
          newPassword.hidden = true;
          set.hidden = true;
          reset.hidden = false;
        }
      });
    });
    return row(
      'user-row',
      user.username,
      el('b', { text: user.username }),
      roleSelect,
      user.agency,
      state,
      when(user.createdAt),
      el('span', { class: 'admin-actions' }, toggle, reset, newPassword, set),
      result,
    );
  }
}
