// bokeh.js - page loader for plotserver's own pages.
//
// It talks to the server the way the original BokehJS 0.10 pages did
// (PROTOCOL.md 11.2, 11.4, 11.5) but honours the URL prefix everywhere
// (11.7, quirk 13) and follows the real user's document list (quirk 15).
// It keeps a live copy of the document (document.js) and shows a plain
// textual summary of it; drawing the plots is a later job.
//
// The page tells us what to do through data- attributes on #PlotPane:
//   data-mode    "object" (default), "index" or "show"
//   data-prefix  URL prefix ("" or e.g. "/p")
//   object page: data-docid, data-objid, data-public ("true"/"false")
//   index/show:  data-username, and for show data-title
// Autoload embeds (PROTOCOL 11.6) add `.plotserver-embed` containers with the
// object-page attributes and an absolute root URL as data-prefix; each one
// is mounted like a #PlotPane.

import { PlotDocument, splitFrame, columnStats, isRef } from './document.js';

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 15000;
const PING_INTERVAL_MS = 1000;

// ---------------------------------------------------------------- HTTP

class HttpError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} answered ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.status = status;
  }
}

/** fetch() with the prefix and the headers the original pages sent. */
class Http {
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

  async request(method, path) {
    const response = await fetch(this.prefix + path, {
      method,
      headers: this.headers,
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
class Channel {
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

// ---------------------------------------------------------------- DOM helpers

/** Create an element; string children become text nodes (never HTML). */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function typeLabel(obj) {
  return obj.subtype ? `${obj.type} (${obj.subtype})` : obj.type;
}

// ---------------------------------------------------------------- placeholder

// Types that draw a single canvas with renderers of their own.  GridPlot is
// a Plot subclass too, but its own renderers are unused (MODELS.md 4.2).
const PLOT_TYPES = new Set(['Plot', 'GMapPlot', 'GeoJSPlot']);
const MAX_DEPTH = 8;

/** Cards for the objects referenced (at any depth) by attribute `name`. */
function childCards(doc, obj, name, depth, seen) {
  const raw = obj.attributes[name];
  if (!Array.isArray(raw)) return [];
  // GridPlot.children is rows of cells (null = empty cell): flatten it and
  // keep only the references.
  return raw.flat(Infinity)
    .filter(isRef)
    .map((ref) => objectCard(doc, doc.resolve(ref), ref, depth, seen));
}

function missingCard(ref) {
  const card = el('article', 'ps-card ps-card-missing',
    el('header', 'ps-card-head',
      el('span', 'ps-type', ref && ref.type ? String(ref.type) : 'reference'),
      el('code', 'ps-id', ref && ref.id !== undefined ? String(ref.id) : '?')),
    el('p', 'ps-note', 'This object is not loaded (yet).'));
  return card;
}

function plotDetails(doc, plot) {
  const list = el('dl', 'ps-facts');
  const fact = (term, value) => list.append(el('dt', null, term), el('dd', null, value));
  const title = plot.attributes.title;
  fact('title', title ? String(title) : el('span', 'ps-muted', '(none)'));
  // 600 x 600 is what BokehJS assumed when the sizes were not sent.
  fact('size', `${plot.attributes.plot_width ?? 600} × ${plot.attributes.plot_height ?? 600} px`);

  const renderers = (plot.get('renderers') || []).filter((r) => r && r.type === 'GlyphRenderer');
  const glyphCount = el('span', 'ps-count', String(renderers.length));
  glyphCount.dataset.glyphRenderers = String(renderers.length);
  fact('glyph renderers', glyphCount);

  if (renderers.length) {
    const items = renderers.map((renderer) => {
      const glyph = renderer.get('glyph');
      const source = renderer.get('data_source');
      const rows = source ? columnStats(source.attributes.data).rows : null;
      return el('li', null,
        el('span', 'ps-glyph', glyph ? glyph.type : 'no glyph'),
        source ? ` from ${source.type} ` : ' (no data source)',
        source ? el('code', 'ps-id', source.id) : null,
        rows === null ? null : el('span', 'ps-muted', ` · ${plural(rows, 'row')}`));
    });
    list.append(el('dt', null, ''), el('dd', null, el('ul', 'ps-glyphs', ...items)));
  }
  return list;
}

/** A card for one object; `ref` is what pointed at it (for a missing one). */
function objectCard(doc, obj, ref, depth, seen) {
  if (!obj) return missingCard(ref);
  const card = el('article', 'ps-card',
    el('header', 'ps-card-head', el('span', 'ps-type', typeLabel(obj)), el('code', 'ps-id', obj.id)));
  card.dataset.type = obj.type;
  card.dataset.objid = obj.id;
  // Layouts can in principle point back at an ancestor; never loop.
  if (seen.has(obj.id) || depth > MAX_DEPTH) {
    card.append(el('p', 'ps-note', '(shown elsewhere on this page)'));
    return card;
  }
  seen.add(obj.id);

  if (PLOT_TYPES.has(obj.type)) card.append(plotDetails(doc, obj));
  if (obj.type === 'GridPlot' && Array.isArray(obj.attributes.children)) {
    const rows = obj.attributes.children;
    const cols = Math.max(0, ...rows.map((row) => (Array.isArray(row) ? row.length : 0)));
    card.append(el('p', 'ps-note', `grid of ${plural(rows.length, 'row')} × ${plural(cols, 'column')}`));
  }
  // Layouts (HBox, VBox, GridPlot, Tabs' panels, ...) list what they contain.
  for (const name of ['children', 'tabs', 'child']) {
    const raw = obj.attributes[name];
    if (name === 'child' && isRef(raw)) {
      card.append(el('div', 'ps-children', objectCard(doc, obj.get('child'), raw, depth + 1, seen)));
    } else if (Array.isArray(raw) && raw.length) {
      card.append(el('div', 'ps-children', ...childCards(doc, obj, name, depth + 1, seen)));
    }
  }
  return card;
}

function sourcesTable(doc) {
  const sources = [...doc].filter((obj) => obj.type.endsWith('DataSource'));
  if (!sources.length) return null;
  const body = el('tbody');
  for (const source of sources) {
    const stats = columnStats(source.attributes.data);
    const names = Object.keys(source.attributes.data || {});
    const rowsCell = el('td', 'ps-num', String(stats.rows), stats.ragged ? el('span', 'ps-warn', ' (uneven)') : null);
    rowsCell.dataset.rows = String(stats.rows);
    const row = el('tr', null,
      el('td', null, el('code', 'ps-id', source.id)),
      el('td', null, source.type),
      el('td', null, names.length ? names.join(', ') : el('span', 'ps-muted', '(none)')),
      rowsCell);
    row.dataset.objid = source.id;
    body.append(row);
  }
  return el('section', 'ps-sources',
    el('h3', null, 'Data sources'),
    el('table', 'ps-table',
      el('thead', null, el('tr', null, el('th', null, 'id'), el('th', null, 'type'),
        el('th', null, 'columns'), el('th', 'ps-num', 'rows'))),
      body));
}

/** The whole summary of `doc`, shown from the object `rootId` down. */
function documentSummary(doc, rootId, { caption, pushCount, lastChange }) {
  const root = rootId === undefined ? undefined : doc.get(rootId);
  const head = el('header', 'ps-doc-head',
    el('h2', null, caption),
    el('span', 'ps-muted', [
      plural(doc.size, 'object'),
      plural(pushCount, 'update'),
      lastChange ? `last at ${lastChange.toLocaleTimeString()}` : null,
    ].filter(Boolean).join(' · ')));

  let body;
  if (!root) {
    body = el('p', 'ps-empty', `Object ${rootId} is not in this document.`);
  } else if (root.type === 'PlotContext') {
    const cards = childCards(doc, root, 'children', 0, new Set([root.id]));
    body = cards.length
      ? el('div', 'ps-children ps-top', ...cards)
      : el('p', 'ps-empty', 'This document has no plots yet. It will update when something is pushed to it.');
  } else {
    body = el('div', 'ps-children ps-top', objectCard(doc, root, null, 0, new Set()));
  }

  const dangling = doc.danglingRefs();
  const warning = dangling.length
    ? el('p', 'ps-warn',
      `${plural(dangling.length, 'reference')} ${dangling.length === 1 ? 'points' : 'point'} to objects that are not loaded.`)
    : null;
  return el('div', 'ps-doc', head, body, warning, sourcesTable(doc));
}

// ---------------------------------------------------------------- one pane

function makeTemporaryDocid() {
  // `temporary-` + 32 uppercase hex digits, like the original pages.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `temporary-${hex.toUpperCase()}`;
}

/**
 * Bring one pane to life: #PlotPane on a server page, or a container that
 * the autoload embed script put before its <script> tag.  Each pane has
 * its own document, socket and state.  Returns the pane's public handle.
 */
function mount(pane) {
  const config = pane.dataset;
  const mode = config.mode || 'object';
  const http = new Http(config.prefix || '');
  const doc = new PlotDocument();

  const state = {
    pushCount: 0,
    renderCount: 0,
    clientId: null,
    tempDocid: null,
    connection: 'connecting',
    retryDelay: 0,
    error: null,
    lastChange: null,
    loaded: false, // the first state arrived from the server
    topics: new Set(), // bokehplot topics whose pushes belong to `doc`
    rootId: undefined, // what to show: objid, or the PlotContext id
    caption: '',
    docs: null, // index/show pages: [{docid, title}] from userinfo
    username: config.username || null,
    openDocid: null, // index/show pages: the document shown below the list
  };

  // Status line above the pane (connection, errors).  Made here rather than
  // in the templates so that the pane stays the only thing a page provides.
  const statusLine = el('div', 'ps-status');
  statusLine.setAttribute('role', 'status');
  pane.before(statusLine);

  let docList = null;
  if (mode === 'index') {
    docList = document.getElementById('DocList');
    if (!docList) {
      docList = el('ul', 'ps-doclist');
      pane.before(docList);
    }
  }

  // ------------------------------------------------ rendering

  // One render per animation frame, however many pushes arrive before it.
  let frameRequested = false;
  let renderWaiters = [];
  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => {}); // a failed load is shown on the page; no console noise

  function invalidate() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(render);
  }

  function nextRender() {
    return new Promise((resolve) => {
      renderWaiters.push(resolve);
      invalidate();
    });
  }

  function renderStatus() {
    const parts = [];
    let tone = 'ok';
    if (state.connection === 'live') parts.push('live');
    else if (state.connection === 'connecting') parts.push('connecting…');
    else {
      tone = 'bad';
      parts.push(`disconnected — retrying in ${Math.ceil(state.retryDelay / 1000)} s`);
    }
    if (state.error) {
      tone = 'bad';
      parts.push(state.error);
    }
    statusLine.dataset.state = state.connection;
    statusLine.dataset.tone = tone;
    statusLine.replaceChildren(el('span', 'ps-dot'), parts.join(' · '));
  }

  function renderDocList() {
    if (!docList || state.docs === null) return;
    if (!state.docs.length) {
      docList.replaceChildren(el('li', 'ps-empty', 'No documents yet.'));
      return;
    }
    docList.replaceChildren(...state.docs.map(({ docid, title }) => {
      const open = el('button', 'ps-doc-open', title);
      open.type = 'button';
      open.addEventListener('click', () => openDocument(docid, title).catch(showError));
      const remove = el('button', 'ps-doc-delete', 'delete');
      remove.type = 'button';
      remove.title = `Delete “${title}” from your documents`;
      remove.addEventListener('click', () => deleteDocument(docid).catch(showError));
      const item = el('li', docid === state.openDocid ? 'ps-selected' : null,
        open, el('code', 'ps-id', docid), remove);
      item.dataset.docid = docid;
      return item;
    }));
  }

  function render() {
    frameRequested = false;
    renderStatus();
    renderDocList();
    let content;
    if (state.rootId !== undefined) content = documentSummary(doc, state.rootId, state);
    else if (!state.loaded) content = el('p', 'ps-empty', state.error ? 'Could not load this page.' : 'Loading…');
    else if (mode === 'show') content = el('p', 'ps-empty', `You have no document titled “${config.title}”.`);
    else content = el('p', 'ps-empty', 'Choose a document above to see its contents.');
    pane.replaceChildren(content);
    state.renderCount += 1;
    if (state.loaded) resolveReady();
    const waiters = renderWaiters;
    renderWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function showError(error) {
    console.error('plotserver:', error);
    state.error = error && error.message ? error.message : String(error);
    invalidate();
  }

  // ------------------------------------------------ loading state

  /** Replace `doc` with a fresh snapshot (an objinfo / bokehinfo answer). */
  function loadSnapshot(info) {
    doc.clear();
    const { skipped } = doc.load(info.all_models || []);
    if (skipped.length) console.warn('plotserver: skipped malformed envelopes', skipped);
    state.error = null;
    invalidate();
  }

  // Object page (PROTOCOL 11.2): objinfo, then subscriptions, then render.
  async function syncObjectPage() {
    const docid = config.docid;
    const info = await http.json(
      `/bokeh/objinfo/${encodeURIComponent(docid)}/${encodeURIComponent(config.objid)}`);
    state.rootId = config.objid;
    state.caption = `Document ${docid}`;
    loadSnapshot(info);
    state.topics = new Set([`bokehplot:${docid}`]);
    channel.subscribe(`bokehplot:${docid}`, info.apikey ?? null);
    if (state.tempDocid) {
      // Our own writes land in the temporary copy and are pushed there only.
      state.topics.add(`bokehplot:${state.tempDocid}`);
      channel.subscribe(`bokehplot:${state.tempDocid}`, null);
    }
    channel.subscribe('debug:debug', '');
  }

  // Index and show pages: load one document by id below the list.
  let openToken = 0;
  async function openDocument(docid, title) {
    const token = ++openToken; // a later click wins over a slower earlier one
    const info = await http.json(`/bokeh/bokehinfo/${encodeURIComponent(docid)}/`);
    if (token !== openToken) return;
    state.openDocid = docid;
    state.rootId = info.plot_context_ref ? info.plot_context_ref.id : undefined;
    state.caption = title;
    loadSnapshot(info);
    state.topics = new Set([`bokehplot:${docid}`]);
    channel.subscribe(`bokehplot:${docid}`, info.apikey ?? null);
  }

  function closeDocument() {
    openToken += 1;
    state.openDocid = null;
    state.rootId = undefined;
    state.topics = new Set();
    doc.clear();
    invalidate();
  }

  async function fetchUserInfo() {
    const info = await http.json('/bokeh/userinfo/');
    state.docs = Array.isArray(info.docs) ? info.docs : [];
    // Follow the real user's docchange topic, not a hard-coded one (quirk 15).
    state.username = info.username || state.username;
    if (state.username) channel.subscribe(`bokehuser:${state.username}`, null);
    channel.subscribe('debug:debug', '');
    state.error = null;
    invalidate();
  }

  /** Index page: the list changed; returns the open entry if it is still listed. */
  async function refreshList() {
    await fetchUserInfo();
    const open = state.docs.find((entry) => entry.docid === state.openDocid);
    if (!open && state.openDocid !== null) closeDocument(); // it was deleted
    return open;
  }

  async function syncIndexPage() {
    const open = await refreshList();
    if (open) await openDocument(open.docid, open.title);
  }

  async function syncShowPage(onlyIfMoved = false) {
    await fetchUserInfo();
    const entry = state.docs.find((candidate) => candidate.title === config.title);
    if (!entry) closeDocument(); // render() says that the title is unknown
    else if (!onlyIfMoved || entry.docid !== state.openDocid) await openDocument(entry.docid, entry.title);
  }

  // docchange: a document of this user was created or removed.  Only the
  // list can have changed, not the content of the document on screen.
  const onDocChange = {
    index: refreshList,
    show: () => syncShowPage(true),
  }[mode];

  async function deleteDocument(docid) {
    await http.request('DELETE', `/bokeh/doc/${encodeURIComponent(docid)}/`);
    if (docid === state.openDocid) closeDocument();
    // The server also sends docchange, but we may not be connected right now.
    await fetchUserInfo();
  }

  const sync = { index: syncIndexPage, show: syncShowPage }[mode] || syncObjectPage;

  // ------------------------------------------------ frames from the server

  let reloading = false;
  async function reloadWhenServerIsBack() {
    // Development auto-reload (debug:debug "reload"): wait for the server.
    if (reloading) return;
    reloading = true;
    for (;;) {
      try {
        await http.request('GET', '/bokeh/ping');
        window.location.reload();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, PING_INTERVAL_MS));
      }
    }
  }

  function handleFrame(text) {
    const frame = splitFrame(text);
    if (!frame) {
      console.warn('plotserver: frame without a topic', text);
      return;
    }
    if (frame.topic === 'debug:debug' && frame.body === 'reload') {
      reloadWhenServerIsBack();
      return;
    }
    let msg;
    try {
      msg = JSON.parse(frame.body);
    } catch {
      console.warn('plotserver: frame body is not JSON', text);
      return;
    }
    switch (msg && msg.msgtype) {
      case 'status':
        if (Array.isArray(msg.status) && msg.status[0] === 'subscribesuccess') {
          channel.confirmed();
          state.clientId = msg.status[2];
          // The original pages sent this on every later request; the server
          // ignores it, but it ties requests to sockets in server logs.
          http.headers['Continuum-Clientid'] = state.clientId;
        }
        break;
      case 'error':
        showError(new Error(`subscription to ${frame.topic} refused: ${msg.error_msg || 'error'}`));
        break;
      case 'modelpush':
      case 'modeldel':
        // Only pushes for the document on screen: on the index page older
        // subscriptions stay (there is no unsubscribe) and must be ignored.
        if (!state.topics.has(frame.topic)) break;
        doc.applyMessage(msg);
        if (msg.msgtype === 'modelpush') state.pushCount += 1;
        state.lastChange = new Date();
        invalidate();
        break;
      case 'docchange':
        if (onDocChange) onDocChange().catch(showError);
        break;
      default:
        break;
    }
  }

  const channel = new Channel(http, {
    onFrame: handleFrame,
    onState(connection, retryDelay = 0) {
      state.connection = connection;
      state.retryDelay = retryDelay;
      invalidate();
    },
    onReconnected() {
      // Pushes sent while we were away are lost: fetch the state again.  If
      // that fails too, drop the socket so that the backoff tries again.
      sync().catch((error) => {
        showError(error);
        channel.drop();
      });
    },
  });

  async function start() {
    if (mode === 'object' && config.public === 'true') {
      // Copy-on-write (PROTOCOL 4.5, 11.4): every request names our private copy.
      state.tempDocid = makeTemporaryDocid();
      http.headers[`temporary-${config.docid}`] = state.tempDocid;
    }
    // Same order as the original: wsurl, open the socket, then the state.
    await channel.connect();
    await sync();
    state.loaded = true; // lets the next render resolve `ready`
    invalidate();
  }

  invalidate();
  start().catch((error) => {
    showError(error);
    rejectReady(error);
  });

  return {
    pane,
    doc,
    mode,
    ready,
    nextRender,
    http,
    channel,
    resync: () => sync(),
    get pushCount() { return state.pushCount; },
    get renderCount() { return state.renderCount; },
    get clientId() { return state.clientId; },
    get tempDocid() { return state.tempDocid; },
    get connected() { return channel.connected; },
    get docs() { return state.docs; },
    get openDocid() { return state.openDocid; },
    get error() { return state.error; },
  };
}

// ---------------------------------------------------------------- start-up

const mounted = new Map(); // pane element -> handle

/**
 * Mount every pane not mounted yet: the page's #PlotPane and any
 * `.plotserver-embed` container an autoload script added (a page with
 * several embeds calls this again for each later one).
 */
function mountAll() {
  const panes = [document.getElementById('PlotPane'), ...document.querySelectorAll('.plotserver-embed')];
  for (const pane of panes) {
    if (pane && !mounted.has(pane)) mounted.set(pane, mount(pane));
  }
  return [...mounted.values()];
}

const handles = mountAll();
if (!handles.length) console.error('plotserver: this page has no #PlotPane element');

// For debugging in the console and for browser tests: the first pane's
// handle (doc, ready, pushCount, ...) plus every pane and mountAll().
const main = handles[0] || {};
window.plotserver = Object.defineProperties({}, {
  ...Object.getOwnPropertyDescriptors(main),
  ...Object.getOwnPropertyDescriptors({
    mountAll,
    get panes() { return [...mounted.values()]; },
  }),
});
