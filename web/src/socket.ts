import type { ServerMessage } from './types';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  message(message: ServerMessage): void;
  state(state: ConnectionState): void;
  /** Called on every open; the server sends a fresh snapshot, REST state must be re-read too. */
  open(): void;
  /**
   * Called when an attempt closed before it opened. A browser hides the HTTP status of a refused
   * upgrade, so the owner finds out over REST whether the token is still good.
   */
  refused(): void;
}

const MESSAGE_TYPES = new Set(['snapshot', 'positions', 'alert', 'geofence', 'status', 'ack', 'health', 'detection', 'contacts']);
const FIRST_RETRY_MS = 500;
/** A restarted server is back on the map within a few seconds of answering again. */
const MAX_RETRY_MS = 5_000;

function isServerMessage(value: unknown): value is ServerMessage {
  return typeof value === 'object' && value !== null && MESSAGE_TYPES.has((value as { type?: unknown }).type as string);
}

/** The app's only WebSocket: /ws/live with reconnect and exponential backoff. */
export class LiveSocket {
  private socket: WebSocket | null = null;
  private retryTimer: number | undefined;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly token: string,
    private readonly handlers: LiveHandlers,
  ) {}

  start(): void {
    this.connect();
  }

  /** Sends a client message (API.md §7) if the socket is open; false otherwise (re-send it on the next open). */
  send(message: object): boolean {
    if (this.socket === null || this.socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.socket.send(JSON.stringify(message));
    return true;
  }

  close(): void {
    this.closed = true;
    window.clearTimeout(this.retryTimer);
    this.socket?.close(1000);
    this.socket = null;
  }

  private connect(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}/ws/live?access_token=${encodeURIComponent(this.token)}`;
    this.handlers.state(this.failures === 0 ? 'connecting' : 'reconnecting');
    const socket = new WebSocket(url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.handlers.state('live');
      this.handlers.open();
    };
    socket.onmessage = (event: MessageEvent<unknown>) => {
      // Only a delivered frame proves the server accepted us; an upgrade alone may be closed right away.
      this.failures = 0;
      if (typeof event.data !== 'string') {
        return;
      }
      let message: unknown;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // one malformed frame must not take the live map down
      }
      if (isServerMessage(message)) {
        this.handlers.message(message);
      }
    };
    socket.onclose = () => {
      if (this.closed || this.socket !== socket) {
        return;
      }
      this.socket = null;
      this.scheduleReconnect();
      if (!opened) {
        this.handlers.refused();
      }
    };
  }

  private scheduleReconnect(): void {
    const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    const jittered = backoff * (0.8 + Math.random() * 0.4);
    this.failures += 1;
    this.handlers.state('reconnecting');
    this.retryTimer = window.setTimeout(() => this.connect(), Math.min(MAX_RETRY_MS, jittered));
  }
}
