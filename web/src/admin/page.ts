import { isBenign } from '../api';
import { el } from '../dom';
import type { Agency } from '../types';
import { AgenciesTab } from './agencies';
import { AuditTab } from './audit';
import { button, reason } from './forms';
import { UnitsTab } from './units';
import { UsersTab } from './users';
import { WebhooksTab } from './webhooks';

type TabName = 'users' | 'units' | 'agencies' | 'webhooks' | 'audit';

interface Tab {
  element: HTMLElement;
  load(): Promise<void>;
}

const TITLES: Record<TabName, string> = {
  users: 'Users',
  units: 'Units & keys',
  agencies: 'Agencies & shares',
  webhooks: 'Webhooks',
  audit: 'Audit log',
};

/**
 * Administration for admins, over the workspace (the status bar stays in sight): one tab per thing an admin manages.
 * A tab reads the server each time it is shown; the server decides what this admin may see and change.
 */
export class AdminPage {
  readonly element: HTMLElement;
  private readonly tabs: Record<TabName, Tab>;
  private readonly buttons = new Map<TabName, HTMLButtonElement>();
  private readonly problem = el('p', { class: 'admin-error admin-problem', testid: 'admin-problem', attrs: { role: 'alert' } });
  private readonly body = el('div', { class: 'admin-body' });
  private readonly units: UnitsTab;
  private current: TabName = 'users';

  constructor(signal: AbortSignal, private readonly closed: () => void) {
    const users = new UsersTab(signal);
    this.units = new UnitsTab(signal);
    const shareAgencies = (agencies: Agency[]) => {
      users.setAgencies(agencies);
      this.units.setAgencies(agencies);
    };
    this.tabs = {
      users,
      units: this.units,
      agencies: new AgenciesTab(signal, shareAgencies),
      webhooks: new WebhooksTab(signal),
      audit: new AuditTab(signal),
    };
    // The agency choosers of the user and unit forms.
    void this.tabs.agencies.load().catch(() => undefined);
    const nav = el('nav', { class: 'admin-tabs', attrs: { 'aria-label': 'Administration' } });
    for (const name of Object.keys(TITLES) as TabName[]) {
      const tab = el('button', { class: 'admin-tab-button', text: TITLES[name], testid: `admin-tab-${name}`, attrs: { type: 'button', 'aria-selected': 'false', role: 'tab' } });
      tab.addEventListener('click', () => this.select(name));
      this.buttons.set(name, tab);
      nav.append(tab);
    }
    const close = button('Back to the map', 'admin-close', 'primary');
    close.addEventListener('click', () => this.closed());
    this.element = el(
      'section',
      { class: 'admin', testid: 'admin-page', attrs: { 'aria-label': 'Administration', hidden: '' } },
      el('header', { class: 'admin-head' }, el('h1', { class: 'admin-title', text: 'Administration' }), nav, close),
      this.problem,
      this.body,
    );
  }

  get shown(): boolean {
    return !this.element.hidden;
  }

  show(): void {
    this.element.hidden = false;
    this.select(this.current);
  }

  hide(): void {
    this.element.hidden = true;
    this.units.hideKey();
  }

  private select(name: TabName): void {
    this.current = name;
    for (const [key, tab] of this.buttons) {
      tab.setAttribute('aria-selected', String(key === name));
    }
    this.problem.textContent = '';
    this.body.replaceChildren(this.tabs[name].element);
    this.tabs[name].load().catch((error: unknown) => {
      if (!isBenign(error)) {
        this.problem.textContent = reason(error);
      }
    });
  }
}
