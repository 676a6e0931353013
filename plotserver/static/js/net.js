// net.js - talking to the server: fetch() with the prefix and the headers
// the original pages sent (PROTOCOL.md 11.2-11.3), and the WebSocket to
// <prefix>/bokeh/sub that re-subscribes and reconnects with backoff.
//
// The socket lives in a worker (push_worker.js), which also parses each
// frame (frames.js): parsing a million-point push takes ~70 ms, and on the
// page's main thread that stalls drawing and the mouse for as long (more
// with developer tools open, which copy every frame there).  Where no
// worker can be started (an embed on another origin: a worker's script must
// be same-origin with the page) the socket lives on the page.

import { decodeMessage } from './frames.js';

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

const WORKER_URL = new URL('./push_worker.js', import.meta.url);
// A worker's script must come from the page's origin.
const workersAllowed = typeof Worker === 'function' && WORKER_URL.origin === window.location.origin;
let spareWorker = null; // started ahead of its socket (see Channel.connect)

/** A new push worker that notes whether it failed to start (its scripts refused, say). */
function newWorker() {
  const worker = new Worker(WORKER_URL, { type: 'module' });
  worker.failed = false;
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    worker.failed = true;
  });
  return worker;
}

/** A push worker: the spare one if there is one, else a new one. */
function takeWorker() {
  const worker = spareWorker || newWorker();
  spareWorker = null;
  return worker;
}

/** The clock of this page for a time stamp taken in another context (ms since 1970). */
function pageTime(epochMs) {
  return epochMs - performance.timeOrigin;
}

/**
 * A WebSocket on the page itself.  `onFrame(frame, timing)` gets each
 * frame decoded (frames.js; null for what is not a frame) and
 * {receivedAt, decodedAt, bytes, binary} in performance.now() time.
 */
class PageSocket {
  constructor(url, { onOpen, onFrame, onClose }) {
    this.kind = 'page';
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.addEventListener('open', onOpen);
    this.ws.addEventListener('message', (event) => {
      const receivedAt = performance.now();
      const { frame, bytes, binary } = decodeMessage(event.data);
      onFrame(frame, { receivedAt, decodedAt: performance.now(), bytes, binary });
    });
    // 'error' is always followed by 'close', so only 'close' needs handling.
    this.ws.addEventListener('close', onClose);
  }

  get open() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(text) {
    this.ws.send(text);
  }

  close() {
    this.ws.close();
  }
}

/**
 * The same, with the WebSocket and the decoding in a worker of its own
 * (ended with the socket).  A worker that cannot start (its script refused
 * by a Content-Security-Policy, say) is replaced by a PageSocket.
 */
class WorkerSocket {
  constructor(url, handlers) {
    this.kind = 'worker';
    this.state = 'connecting';
    this.fallback = null;
    this.worker = takeWorker();
    this.worker.addEventListener('message', ({ data }) => {
      if (data.event === 'open') {
        this.state = 'open';
        handlers.onOpen();
      } else if (data.event === 'frame') {
        handlers.onFrame(data.frame, {
          receivedAt: pageTime(data.receivedAt), decodedAt: pageTime(data.decodedAt),
          bytes: data.bytes, binary: data.binary,
        });
      } else if (data.event === 'close') {
        this.#end();
        handlers.onClose();
      }
    });
    const fallBack = () => {
      if (this.state !== 'connecting') return;
      this.#end();
      this.fallback = new PageSocket(url, handlers);
      this.kind = 'page';
    };
    if (this.worker.failed) {
      fallBack();
      return;
    }
    this.worker.addEventListener('error', fallBack);
    this.worker.postMessage({ op: 'open', url });
  }

  get open() {
    return this.fallback ? this.fallback.open : this.state === 'open';
  }

  send(text) {
    if (this.fallback) this.fallback.send(text);
    else this.worker.postMessage({ op: 'send', text });
  }

  close() {
    if (this.fallback) this.fallback.close();
    else this.worker.postMessage({ op: 'close' });
  }

  #end() {
    this.state = 'closed';
    this.worker.terminate();
  }
}

function openSocket(url, handlers) {
  if (workersAllowed) {
    try {
      return new WorkerSocket(url, handlers);
    } catch {
      // e.g. a sandboxed page; the page's own socket works everywhere
    }
  }
  return new PageSocket(url, handlers);
}

/**
 * The WebSocket to <prefix>/bokeh/sub.  Remembers every subscription so
 * that a new socket (after a drop) can repeat them, and reconnects with
 * exponential backoff.  Frames go to `onFrame(frame)`, decoded (frames.js;
 * null for text that is not a frame).
 */
export class Channel {
  constructor(http, { onFrame, onState, onReconnected, columnDeltas = true }) {
    this.http = http;
    // Whether pushes may leave out the long columns this page holds already
    // (column_frames.py on the server; document.js fillUnchanged).
    this.columnDeltas = columnDeltas;
    this.onFrame = onFrame;
    this.onState = onState;
    this.onReconnected = onReconnected;
    this.subscriptions = new Map(); // topic -> auth, in the order first asked
    this.socket = null;
    this.sentOnSocket = new Map(); // what this socket was already told
    this.failures = 0;
    this.openedBefore = false;
    this.retryTimer = null;
    /** When the last frame arrived and was decoded (performance.now()), and its size. */
    this.lastFrame = null;
    this.answeredTopics = new Set(); // subscriptions the server answered on this socket
    this.answerWaiters = []; // [topic, resolve]
  }

  get connected() {
    return this.socket !== null && this.socket.open;
  }

  /** Where the socket lives: 'worker', 'page', or null before the first one. */
  get socketKind() {
    return this.socket ? this.socket.kind : null;
  }

  /** Ask the server for the socket URL and start opening it (does not wait). */
  async connect() {
    // The worker loads its scripts while we ask for the URL.
    if (workersAllowed && spareWorker === null) {
      try {
        spareWorker = newWorker();
      } catch {
        // openSocket falls back to the page's own socket
      }
    }
    const url = (await this.http.text('/bokeh/wsurl/')).trim();
    this.open(url);
  }

  open(url) {
    const socket = openSocket(url, {
      onOpen: () => {
        if (socket !== this.socket) return;
        this.onState('live');
        for (const [topic, auth] of this.subscriptions) this.#send(topic, auth);
        // A reopened socket missed whatever was pushed while we were away.
        if (this.openedBefore) this.onReconnected();
        this.openedBefore = true;
      },
      onFrame: (frame, timing) => {
        if (socket !== this.socket) return;
        this.lastFrame = timing;
        this.onFrame(frame);
      },
      onClose: () => {
        if (socket !== this.socket) return;
        this.socket = null;
        this.#retryLater();
      },
    });
    this.socket = socket;
    this.sentOnSocket = new Map();
    this.answeredTopics = new Set();
    this.onState('connecting');
  }

  /** Subscribe now if the socket is open, and on every future socket. */
  subscribe(topic, auth) {
    this.subscriptions.set(topic, auth);
    if (this.connected) this.#send(topic, auth);
  }

  /**
   * Subscribe again to every topic on the open socket: after the page read
   * the document anew, pushes must start from whole columns again (a column
   * delta is relative to what the previous push left, not to what a read got).
   */
  refresh() {
    if (!this.connected) return; // a new socket subscribes to everything anyway
    this.sentOnSocket = new Map();
    this.answeredTopics = new Set(); // whenAnswered() now waits for the new answers
    for (const [topic, auth] of this.subscriptions) this.#send(topic, auth);
  }

  /** The server accepted a subscription: the connection really works. */
  confirmed(topic) {
    this.failures = 0;
    this.answered(topic);
  }

  /** The server answered the subscription to `topic` (accepted or refused). */
  answered(topic) {
    this.answeredTopics.add(topic);
    const waiting = this.answerWaiters;
    this.answerWaiters = waiting.filter(([t]) => t !== topic);
    for (const [t, resolve] of waiting) if (t === topic) resolve();
  }

  /**
   * Resolves once the server has answered the subscription to `topic` on
   * the current socket, or after `timeoutMs` (a server that cannot be
   * reached must not keep a page from showing what it loaded).
   */
  whenAnswered(topic, timeoutMs) {
    if (this.answeredTopics.has(topic)) return Promise.resolve();
    return new Promise((resolve) => {
      this.answerWaiters.push([topic, resolve]);
      setTimeout(resolve, timeoutMs);
    });
  }

  /** Give up on the current socket (e.g. re-sync failed) and retry later. */
  drop() {
    if (this.socket) this.socket.close();
  }

  #send(topic, auth) {
    // Subscribing twice is harmless to the server but pointless.
    if (this.sentOnSocket.has(topic) && this.sentOnSocket.get(topic) === auth) return;
    this.sentOnSocket.set(topic, auth);
    // binary_columns: large numeric columns may come as binary frames
    // (frames.js); column_deltas: leaving out what we hold.  A server that
    // does not know the keys sends text.
    this.socket.send(JSON.stringify({
      msgtype: 'subscribe', topic, auth, binary_columns: true, column_deltas: this.columnDeltas,
    }));
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
