import { el, utcTime } from '../dom';
import type { CursorReadout } from '../map/cursor';
import type { ConnectionState } from '../socket';
import { UNIT_STATUSES, type Session, type UnitStatus } from '../types';

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
};

/** The top strip: connection state, units by status, problems, the signed-in user and the UTC clock. */
export class StatusBar {
  readonly element: HTMLElement;
  private readonly connection: HTMLElement;
  private readonly counts = new Map<UnitStatus, HTMLElement>();
  private readonly problem: HTMLElement;
  private readonly clock: HTMLElement;
  private readonly cursorDecimal: HTMLElement;
  private readonly cursorMgrs: HTMLElement;
  private readonly clockTimer: number;
  private readonly unitsToggle: HTMLButtonElement;
  private readonly replayToggle: HTMLButtonElement;
  private toggled: (shown: boolean) => void = () => undefined;
  private replayToggled: (on: boolean) => void = () => undefined;
  private readonly adminButton: HTMLButtonElement | null;
  private admin: () => void = () => undefined;

  constructor(session: Session, logout: () => void) {
    this.connection = el('span', { class: 'connection', testid: 'connection-state' });
    this.problem = el('span', { class: 'problem', testid: 'status-problem', attrs: { role: 'status' } });
    this.clock = el('span', { class: 'clock', testid: 'utc-clock' });
    this.cursorDecimal = el('span', {
      class: 'cursor-decimal',
      testid: 'cursor-decimal',
      attrs: { title: 'Latitude, longitude (WGS 84)' },
    });
    this.cursorMgrs = el('span', { class: 'cursor-mgrs', testid: 'cursor-mgrs', attrs: { title: 'MGRS (1 m)' } });
    const counts = el('span', { class: 'unit-counts', testid: 'unit-counts' });
    for (const status of UNIT_STATUSES) {
      const value = el('b', { text: '0' });
      this.counts.set(status, value);
      counts.append(el('span', { class: `count count-${status}`, attrs: { title: `${status} units` } }, value, document.createTextNode(` ${status}`)));
    }
    this.unitsToggle = el('button', {
      class: 'units-toggle',
      text: 'Units',
      testid: 'units-toggle',
      attrs: { type: 'button', 'aria-pressed': 'true', title: 'Show or hide the unit list' },
    });
    this.unitsToggle.addEventListener('click', () => {
      const shown = this.unitsToggle.getAttribute('aria-pressed') !== 'true';
      this.unitsToggle.setAttribute('aria-pressed', String(shown));
      this.toggled(shown);
    });
    this.replayToggle = el('button', {
      class: 'units-toggle replay-toggle',
      text: 'Replay',
      testid: 'replay-toggle',
      attrs: { type: 'button', 'aria-pressed': 'false', title: 'Replay stored tracks instead of the live picture' },
    });
    this.replayToggle.addEventListener('click', () => {
      const on = this.replayToggle.getAttribute('aria-pressed') !== 'true';
      this.setReplay(on);
      this.replayToggled(on);
    });
    // Only admins get the door; the server refuses everyone else anyway.
    this.adminButton =
      session.role === 'admin'
        ? el('button', { class: 'admin-toggle', text: 'Admin', testid: 'admin-toggle', attrs: { type: 'button', 'aria-pressed': 'false' } })
        : null;
    this.adminButton?.addEventListener('click', () => this.admin());
    const logoutButton = el('button', { class: 'logout', text: 'Sign out', testid: 'logout', attrs: { type: 'button' } });
    logoutButton.addEventListener('click', logout);
    this.element = el(
      'header',
      { class: 'statusbar', testid: 'status-bar' },
      el('span', { class: 'brand', text: 'BORDERWATCH' }),
      this.unitsToggle,
      this.replayToggle,
      this.connection,
      counts,
      this.problem,
      el('span', { class: 'cursor', testid: 'cursor-readout' }, this.cursorDecimal, this.cursorMgrs),
      el('span', { class: 'user', text: `${session.username} · ${session.role}` }),
      ...(this.adminButton === null ? [] : [this.adminButton]),
      logoutButton,
      this.clock,
    );
    this.setConnection('connecting');
    this.tick();
    this.clockTimer = window.setInterval(() => this.tick(), 1000);
  }

  onToggleUnits(handler: (shown: boolean) => void): void {
    this.toggled = handler;
  }

  onReplay(handler: (on: boolean) => void): void {
    this.replayToggled = handler;
  }

  setReplay(on: boolean): void {
    this.replayToggle.setAttribute('aria-pressed', String(on));
  }

  onAdmin(handler: () => void): void {
    this.admin = handler;
  }

  /** Lights the Admin button while the administration page is open. */
  setAdminOpen(open: boolean): void {
    this.adminButton?.setAttribute('aria-pressed', String(open));
  }

  setConnection(state: ConnectionState): void {
    this.connection.textContent = CONNECTION_TEXT[state];
    this.connection.dataset['state'] = state;
  }

  setCounts(counts: Readonly<Record<UnitStatus, number>>): void {
    for (const [status, element] of this.counts) {
      element.textContent = String(counts[status]);
    }
  }

  /** The position under the mouse pointer; null (pointer off the map) leaves the last reading dimmed. */
  setCursor(position: CursorReadout | null): void {
    if (position === null) {
      this.cursorDecimal.parentElement?.classList.add('cursor-off');
      return;
    }
    this.cursorDecimal.parentElement?.classList.remove('cursor-off');
    this.cursorDecimal.textContent = position.decimal;
    this.cursorMgrs.textContent = position.mgrs ?? '—';
  }

  /** Shows what is failing (null clears it): watch-floor users never see a console. */
  setProblem(message: string | null): void {
    this.problem.textContent = message ?? '';
  }

  dispose(): void {
    window.clearInterval(this.clockTimer);
  }

  private tick(): void {
    this.clock.textContent = `${utcTime(new Date())} UTC`;
  }
}
