// net.js - talking to the server: fetch() with the prefix and the headers
// the original pages sent (PROTOCOL.md 11.2-11.3), and the WebSocket to
// <prefix>/bokeh/sub that re-subscribes and reconnects with backoff.

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 15000;

// ---------------------------------------------------------------- HTTP

export class HttpError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.status = status;
  }
}

/** fetch() with the prefix and the headers the original pages sent. */
export class Http {
  constructor(prefix) {
    // A server page passes a path prefix ("" or "/p"); an autoload embed
    // passes the server's absolute root URL, possibly on another origin.
    this.prefix = prefix;
    this.headers = {};
    // jQuery added X-Requested-With on same-origin requests only (a custom
    // header cross-origin costs a CORS preflight).  Later we add
    // Continuum-Clientid and, on public pages, temporary-<docid>.
    if (new URL(prefix || '/', window.location.href).origin === window.location.origin) {
      this.headers['X-Requested-With'] = 'XMLHttpRequest';
    }
  }

  /** `body`, when given, is sent as JSON. */
  async request(method, path, body = undefined) {
    const withBody = body !== undefined;
    const response = await fetch(this.prefix + path, {
      method,
      headers: withBody ? { ...this.headers, 'Content-Type': 'application/json' } : this.headers,
      body: withBody ? JSON.stringify(body) : undefined,
      credentials: 'same-origin', // multi-user mode identifies us by cookie
      cache: 'no-store',
    });
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new HttpError(method, path, response.status, body);
    }
    return response;
  }

  async text(path) {
    return (await this.request('GET', path)).text();
  }

  async json(path) {
    return (await this.request('GET', path)).json();
  }
}

// ---------------------------------------------------------------- WebSocket

/**
 * The WebSocket to <prefix>/bokeh/sub.  Remembers every subscription so
 * that a new socket (after a drop) can repeat them, and reconnects with
 * exponential backoff.  Frames go to `onFrame(text)`.
 */
export class Channel {
  constructor(http, { onFrame, onState, onReconnected }) {
    this.http = http;
    this.onFrame = onFrame;
    this.onState = onState;
    this.onReconnected = onReconnected;
    this.subscriptions = new Map(); // topic -> auth, in the order first asked
    this.socket = null;
    this.sentOnSocket = new Map(); // what this socket was already told
    this.failures = 0;
    this.openedBefore = false;
    this.retryTimer = null;
  }

  get connected() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Ask the server for the socket URL and start opening it (does not wait). */
  async connect() {
    const url = (await this.http.text('/bokeh/wsurl/')).trim();
    this.open(url);
  }

  open(url) {
    const socket = new WebSocket(url);
    this.socket = socket;
    this.sentOnSocket = new Map();
    this.onState('connecting');
    socket.addEventListener('open', () => {
      if (socket !== this.socket) return;
      this.onState('live');
      for (const [topic, auth] of this.subscriptions) this.#send(topic, auth);
      // A reopened socket missed whatever was pushed while we were away.
      if (this.openedBefore) this.onReconnected();
      this.openedBefore = true;
    });
    socket.addEventListener('message', (event) => {
      if (socket === this.socket && typeof event.data === 'string') this.onFrame(event.data);
    });
    // 'error' is always followed by 'close', so only 'close' needs handling.
    socket.addEventListener('close', () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.#retryLater();
    });
  }

  /** Subscribe now if the socket is open, and on every future socket. */
  subscribe(topic, auth) {
    this.subscriptions.set(topic, auth);
    if (this.connected) this.#send(topic, auth);
  }

  /** The server accepted a subscription: the connection really works. */
  confirmed() {
    this.failures = 0;
  }

  /** Give up on the current socket (e.g. re-sync failed) and retry later. */
  drop() {
    if (this.socket) this.socket.close();
  }

  #send(topic, auth) {
    // Subscribing twice is harmless to the server but pointless.
    if (this.sentOnSocket.has(topic) && this.sentOnSocket.get(topic) === auth) return;
    this.sentOnSocket.set(topic, auth);
    this.socket.send(JSON.stringify({ msgtype: 'subscribe', topic, auth }));
  }

  #retryLater() {
    if (this.retryTimer !== null) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.failures);
    this.failures += 1;
    this.onState('disconnected', delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // The wsurl is fetched again: a restarted server may live elsewhere.
      this.connect().catch(() => this.#retryLater());
    }, delay);
  }
}
