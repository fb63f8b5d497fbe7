import { el } from '../dom';
import { ALERT_TYPES, type AlertType } from '../types';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, type Delivery, type Webhook } from './adminapi';
import { button, checkGroup, choice, confirmButton, InlineForm, reason, row, section, Table, textInput, when } from './forms';

const DELIVERIES_SHOWN = 200;

/** Webhooks (create, delete) and, for the one picked, its deliveries: state, attempts, the last error. */
export class WebhooksTab {
  readonly element: HTMLElement;
  private readonly table = new Table('webhooks-table', ['URL', 'Agency', 'Alert types', 'Created (UTC)', '', '', ''], 'No webhooks');
  private readonly deliveries = new Table(
    'deliveries-table',
    ['Alert', 'State', 'Attempts', 'Queued', 'Next attempt', 'Delivered / dead', 'Last error'],
    'No deliveries',
  );
  private readonly deliveriesTitle = el('h2', { class: 'admin-heading', testid: 'deliveries-title' });
  private readonly deliveriesSection: HTMLElement;
  private readonly state = choice('deliveries-state', [['', 'Every state'], 'pending', 'delivered', 'dead']);
  private shown: Webhook | null = null;

  constructor(private readonly signal: AbortSignal) {
    const url = textInput('webhook-url', { type: 'url', maxlength: '2048', placeholder: 'https://…' });
    const secret = el('input', { testid: 'webhook-secret', attrs: { type: 'password', autocomplete: 'new-password', placeholder: '8+ characters' } });
    const types = checkGroup<AlertType>('webhook-types', ALERT_TYPES);
    const form = new InlineForm(
      'webhook-form',
      [
        ['URL', 'url', url],
        ['Secret (signs each delivery)', 'secret', secret],
        ['Alert types (none: all)', 'types', types.element],
      ],
      'Add webhook',
      async () => {
        await createWebhook(this.signal, {
          url: url.value.trim(),
          secret: secret.value,
          ...(types.values().length === 0 ? {} : { types: types.values() }),
        });
        url.value = '';
        secret.value = '';
        types.clear();
        await this.load();
      },
    );
    const refresh = button('Refresh', 'deliveries-refresh');
    refresh.addEventListener('click', () => void this.loadDeliveries());
    this.state.addEventListener('change', () => void this.loadDeliveries());
    this.deliveriesSection = el(
      'section',
      { class: 'admin-section', attrs: { hidden: '' } },
      this.deliveriesTitle,
      el('div', { class: 'admin-toolbar' }, this.state, refresh),
      this.deliveries.element,
    );
    this.element = el('div', { class: 'admin-tab' }, section('New webhook', form.element), section('Webhooks', this.table.element), this.deliveriesSection);
  }

  async load(): Promise<void> {
    const hooks = await listWebhooks(this.signal);
    this.table.rows(hooks.map((hook) => this.hookRow(hook)));
    if (this.shown !== null && !hooks.some((hook) => hook.id === this.shown?.id)) {
      this.shown = null;
      this.deliveriesSection.hidden = true;
    }
  }

  private hookRow(hook: Webhook): HTMLTableRowElement {
    const result = el('span', { class: 'admin-result failed', attrs: { role: 'status' } });
    const show = button('Deliveries', 'webhook-deliveries');
    show.addEventListener('click', () => {
      this.shown = hook;
      void this.loadDeliveries().catch((error: unknown) => {
        result.textContent = reason(error);
      });
    });
    const remove = confirmButton(
      'Delete…',
      'Its pending deliveries are dropped. Delete?',
      'webhook-delete',
      async () => {
        await deleteWebhook(this.signal, hook.id);
        await this.load();
      },
      (error) => {
        result.textContent = reason(error);
      },
    );
    const url = el('span', { class: 'admin-url', text: hook.url, attrs: { title: hook.url } });
    return row('webhook-row', hook.id, url, hook.agency, hook.types?.join(', ') ?? 'all', when(hook.createdAt), show, remove, result);
  }

  private async loadDeliveries(): Promise<void> {
    const hook = this.shown;
    if (hook === null) {
      return;
    }
    const list = await listDeliveries(this.signal, hook.id, this.state.value, DELIVERIES_SHOWN);
    this.deliveriesTitle.textContent = `Deliveries to ${hook.url} (newest first)`;
    this.deliveries.rows(list.map((delivery) => deliveryRow(delivery)));
    this.deliveriesSection.hidden = false;
  }
}

function deliveryRow(delivery: Delivery): HTMLTableRowElement {
  const state = el('span', { class: 'admin-state', text: delivery.state, attrs: { 'data-state': delivery.state } });
  return row(
    'delivery-row',
    delivery.alertId,
    el('code', { text: delivery.alertId.slice(0, 8), attrs: { title: delivery.alertId } }),
    state,
    String(delivery.attempts),
    when(delivery.queuedAt),
    when(delivery.nextAttemptAt),
    when(delivery.deliveredAt ?? delivery.deadAt),
    delivery.lastError ?? '',
  );
}
