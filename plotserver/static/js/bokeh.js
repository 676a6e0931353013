// bokeh.js - page loader for plotserver's own pages.
//
// It talks to the server the way the original BokehJS 0.10 pages did
// (PROTOCOL.md 11.2, 11.4, 11.5) but honours the URL prefix everywhere
// (11.7, quirk 13) and follows the real user's document list (quirk 15).
// It keeps a live copy of the document (document.js) and draws it
// (views/document_view.js), once per animation frame however many pushes
// arrived since the last one.
//
// The page tells us what to do through data- attributes on #PlotPane:
//   data-mode    "object" (default), "index", "show" or "file"
//   data-prefix  URL prefix ("" or e.g. "/p")
//   object page: data-docid, data-objid, data-public ("true"/"false")
//   index/show:  data-username, and for show data-title
//   file:        data-objid and data-models, the id of a
//                <script type="application/json"> holding the envelopes
//                (standalone output_file() pages; no server traffic)
// Autoload embeds (PROTOCOL 11.6) add `.plotserver-embed` containers with the
// object-page attributes and an absolute root URL as data-prefix; each one
// is mounted like a #PlotPane.

import { el } from './dom.js';
import { PlotDocument, wireAttributes } from './document.js';
import { loadGlyphs, missingGlyphs } from './glyphs/index.js';
import { Channel, Http } from './net.js';
import { DocumentView } from './views/document_view.js';
import { interactionLoaded, loadInteraction } from './views/plot.js';

const PING_INTERVAL_MS = 1000;
const FRAME_MS = 1000 / 60;
// After a push leaves references to objects we do not have, wait this long
// for the push that brings them before asking the server for the document.
const RESYNC_DELAY_MS = 250;
// How long `ready` waits for the server to answer the document's subscription.
const SUBSCRIBE_WAIT_MS = 3000;

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
    drawn: false, // ... and has been drawn
    changed: null, // ids changed since the last render (null: rebuild everything)
    topics: new Set(), // bokehplot topics whose pushes belong to `doc`
    rootId: undefined, // what to show: objid, or the PlotContext id
    docs: null, // index/show pages: [{docid, title}] from userinfo
    username: config.username || null,
    openDocid: null, // show page: the document on screen
  };
  let view = null; // DocumentView of state.rootId
  let resyncTimer = null;

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

  // At most one render per animation frame, however many pushes arrive.  A
  // push that comes after a quiet spell is drawn at once (its pixels are
  // ready a frame sooner); pushes that follow it closely wait for the frame.
  let frameRequested = false;
  let lastRenderAt = -Infinity;
  let renderWaiters = [];
  let resolveReady;
  let rejectReady;
  const drawn = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Ready once drawn and the tools have loaded (they load after the first picture).
  const ready = drawn.then(() => interactionLoaded);
  ready.catch(() => {}); // a failed load is shown on the page; no console noise

  function invalidate({ soon = false } = {}) {
    if (frameRequested) return;
    if (soon && performance.now() - lastRenderAt >= FRAME_MS) {
      render();
      return;
    }
    frameRequested = true;
    requestAnimationFrame(() => {
      if (frameRequested) render();
    });
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
    if (state.connection === 'live' || state.connection === 'file') parts.push(state.connection);
    else if (state.connection === 'connecting') parts.push('connecting…');
    else {
      tone = 'bad';
      parts.push(`disconnected — retrying in ${Math.ceil(state.retryDelay / 1000)} s`);
    }
    if (state.error) {
      tone = 'bad';
      parts.push(state.error);
    }
    const text = parts.join(' · ');
    if (statusLine.dataset.state === state.connection && statusLine.dataset.tone === tone
        && statusLine.textContent === text) return; // nothing new: no DOM work per frame
    statusLine.dataset.state = state.connection;
    statusLine.dataset.tone = tone;
    statusLine.replaceChildren(el('span', 'ps-dot'), text);
  }

  function renderDocList() {
    if (!docList || state.docs === null) return;
    if (!state.docs.length) {
      docList.replaceChildren(el('li', 'ps-empty', 'No documents yet.'));
      return;
    }
    docList.replaceChildren(...state.docs.map(({ docid, title }) => {
      // A real link to the document's own page (by title, as the show page
      // is addressed), so it can be opened, bookmarked and shared.
      const open = el('a', 'ps-doc-open', title);
      open.href = `${http.prefix}/bokeh/doc/${encodeURIComponent(title)}/show`;
      const remove = el('button', 'ps-doc-delete', 'delete');
      remove.type = 'button';
      remove.title = `Delete “${title}” from your documents`;
      remove.addEventListener('click', () => deleteDocument(docid).catch(showError));
      const item = el('li', null, open, el('code', 'ps-id', docid), remove);
      item.dataset.docid = docid;
      return item;
    }));
  }

  function render() {
    frameRequested = false;
    lastRenderAt = performance.now();
    const started = lastRenderAt;
    renderStatus();
    renderDocList();
    if (state.rootId !== undefined && glyphLoads) {
      // Drawn when the glyphs it needs have loaded (needGlyphs asks again).
    } else if (state.rootId !== undefined) {
      if (!view || view.rootId !== state.rootId || state.changed === null) {
        view = new DocumentView(doc, state.rootId, invalidate, services);
        pane.replaceChildren(view.el);
      } else if (state.changed.size) {
        view.update(state.changed);
      }
      state.changed = new Set();
      view.render();
    } else {
      view = null;
      let message = null;
      if (!state.loaded) message = state.error ? 'Could not load this page.' : 'Loading…';
      else if (mode === 'show') message = `You have no document titled “${config.title}”.`;
      if (message) pane.replaceChildren(el('p', 'ps-empty', message));
      else pane.replaceChildren();
    }
    state.renderCount += 1;
    state.renderedAt = performance.now();
    state.renderMs = state.renderedAt - started;
    if (state.loaded && !glyphLoads && !state.drawn) {
      state.drawn = true;
      resolveReady();
      // The tools load once this picture is on the screen, not in its way.
      requestAnimationFrame(() => setTimeout(loadInteraction, 0));
    }
    const waiters = renderWaiters;
    renderWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function showError(error) {
    console.error('plotserver:', error);
    state.error = error && error.message ? error.message : String(error);
    invalidate();
  }

  // ------------------------------------------------ what the tools need from the page

  /** The URL of a model for Backbone-style writes (PROTOCOL 11.3): its own `doc` decides. */
  function modelPath(model) {
    const docid = model.attributes.doc || config.docid || state.openDocid;
    return `/bokeh/bb/${encodeURIComponent(docid)}/${encodeURIComponent(model.type)}/${encodeURIComponent(model.id)}/`;
  }

  const services = {
    helpUrl: `${http.prefix}/plotserver/help`,
    /** A selection made here, to the server: PATCH of `selected`, as BokehJS's selection manager did. */
    saveSelection(source) {
      if (mode === 'file') return; // a standalone page has no server
      // After the selection is on screen: encoding a million rows takes a while.
      afterNextFrame(() => {
        http.request('PATCH', modelPath(source), { selected: source.attributes.selected }).catch(showError);
      });
    },
    /** A whole model to the server (PUT), as Backbone's save() did (ToolEvents). */
    saveObject(model) {
      if (mode === 'file') return;
      http.request('PUT', modelPath(model), wireAttributes(model.attributes)).catch(showError);
    },
    savePicture(canvases, name) {
      savePicture(canvases, name).catch(showError);
    },
    runTapCallback(tool, plotView) {
      const callback = tool.get('callback');
      if (callback && callback.type === 'OpenURL') openUrls(callback, plotView);
    },
  };

  // ------------------------------------------------ loading state

  // Glyph modules load when a document first shows their glyph
  // (glyphs/index.js); views are made once the ones it needs are here.
  let glyphLoads = 0;
  function needGlyphs(objects) {
    const missing = missingGlyphs(objects.map((obj) => obj.type));
    if (!missing.length) return;
    glyphLoads += 1;
    // Meanwhile render() leaves the views as they are; the changes wait in state.changed.
    loadGlyphs(missing).then(() => {
      glyphLoads -= 1;
      invalidate();
    });
  }

  /** Replace `doc` with a fresh snapshot (an objinfo / bokehinfo answer). */
  function loadSnapshot(models) {
    doc.clear();
    const { created, skipped } = doc.load(models || []);
    if (skipped.length) console.warn('plotserver: skipped malformed envelopes', skipped);
    needGlyphs(created);
    channel.refresh();
    state.error = null;
    state.changed = null;
    invalidate();
  }

  /**
   * Apply a modelpush/modeldel, then keep only what the root reaches (what
   * the server itself would answer), and note every id that changed.
   */
  function applyPush(msg) {
    const result = doc.applyMessage(msg);
    if (!result) return;
    needGlyphs([...result.created, ...result.updated]);
    // The streaming case - existing data sources got new columns - cannot
    // change what the root reaches; skip walking a million values for it.
    const onlyData = !result.created.length && !result.removed.length
      && result.updated.every((obj) => obj.type.endsWith('DataSource'));
    const removed = state.rootId === undefined || onlyData ? [] : doc.prune(state.rootId);
    if (state.changed !== null) {
      for (const list of [result.created, result.updated, result.removed, removed]) {
        for (const obj of list) state.changed.add(obj.id);
      }
    }
    // A reference to something we do not hold: the object may come in the
    // next push; if it does not, fetch the whole document again.
    if (state.rootId !== undefined && !onlyData && doc.danglingRefs().length && resyncTimer === null && mode !== 'file') {
      resyncTimer = setTimeout(() => {
        resyncTimer = null;
        if (doc.danglingRefs().length) sync().catch(showError);
      }, RESYNC_DELAY_MS);
    }
  }

  // Object page (PROTOCOL 11.2): objinfo, then subscriptions, then render.
  async function syncObjectPage() {
    const docid = config.docid;
    const info = await http.json(
      `/bokeh/objinfo/${encodeURIComponent(docid)}/${encodeURIComponent(config.objid)}`);
    state.rootId = config.objid;
    loadSnapshot(info.all_models);
    state.topics = new Set([`bokehplot:${docid}`]);
    channel.subscribe(`bokehplot:${docid}`, info.apikey ?? null);
    if (state.tempDocid) {
      // Our own writes land in the temporary copy and are pushed there only.
      state.topics.add(`bokehplot:${state.tempDocid}`);
      channel.subscribe(`bokehplot:${state.tempDocid}`, null);
    }
    channel.subscribe('debug:debug', '');
  }

  // Show page: load one document by id.
  let openToken = 0;
  async function openDocument(docid) {
    const token = ++openToken; // a later answer wins over a slower earlier one
    const info = await http.json(`/bokeh/bokehinfo/${encodeURIComponent(docid)}/`);
    if (token !== openToken) return;
    state.openDocid = docid;
    state.rootId = info.plot_context_ref ? info.plot_context_ref.id : undefined;
    loadSnapshot(info.all_models);
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

  // Index page: the list is all there is (each entry links to its page).
  const syncIndexPage = fetchUserInfo;

  // Standalone page (output_file): the envelopes are in the page itself.
  async function syncFilePage() {
    const holder = document.getElementById(config.models);
    if (!holder) throw new Error(`no element #${config.models} with the plot's data`);
    state.rootId = config.objid;
    loadSnapshot(JSON.parse(holder.textContent));
  }

  async function syncShowPage(onlyIfMoved = false) {
    await fetchUserInfo();
    const entry = state.docs.find((candidate) => candidate.title === config.title);
    if (!entry) closeDocument(); // render() says that the title is unknown
    else if (!onlyIfMoved || entry.docid !== state.openDocid) await openDocument(entry.docid);
  }

  // docchange: a document of this user was created or removed.  Only the
  // list can have changed, not the content of the document on screen.
  const onDocChange = {
    index: fetchUserInfo,
    show: () => syncShowPage(true),
  }[mode];

  async function deleteDocument(docid) {
    await http.request('DELETE', `/bokeh/doc/${encodeURIComponent(docid)}/`);
    if (docid === state.openDocid) closeDocument();
    // The server also sends docchange, but we may not be connected right now.
    await fetchUserInfo();
  }

  const sync = { index: syncIndexPage, show: syncShowPage, file: syncFilePage }[mode] || syncObjectPage;

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

  /** One decoded frame (frames.js) from the socket. */
  function handleFrame(frame) {
    if (!frame) {
      console.warn('plotserver: frame without a topic');
      return;
    }
    if (frame.topic === 'debug:debug' && frame.body === 'reload') {
      reloadWhenServerIsBack();
      return;
    }
    const msg = frame.msg;
    if (msg === undefined) {
      console.warn('plotserver: frame body is not JSON', frame.body.slice(0, 200));
      return;
    }
    switch (msg && msg.msgtype) {
      case 'status':
        if (Array.isArray(msg.status) && msg.status[0] === 'subscribesuccess') {
          channel.confirmed(msg.status[1]);
          state.clientId = msg.status[2];
          // The original pages sent this on every later request; the server
          // ignores it, but it ties requests to sockets in server logs.
          http.headers['Continuum-Clientid'] = state.clientId;
        }
        break;
      case 'error':
        channel.answered(frame.topic);
        showError(new Error(`subscription to ${frame.topic} refused: ${msg.error_msg || 'error'}`));
        break;
      case 'modelpush':
      case 'modeldel':
        // Only pushes for the document on screen: on the index page older
        // subscriptions stay (there is no unsubscribe) and must be ignored.
        if (!state.topics.has(frame.topic)) break;
        if (frame.unchanged?.length && !doc.fillUnchanged(msg, frame.unchanged)) {
          // Not what the server thinks we hold: read the document anew.
          console.warn('plotserver: a push left out columns this page does not hold; reloading');
          sync().catch(showError);
          break;
        }
        applyPush(msg);
        if (msg.msgtype === 'modelpush') state.pushCount += 1;
        state.lastChange = new Date();
        invalidate({ soon: true });
        break;
      case 'docchange':
        if (onDocChange) onDocChange().catch(showError);
        break;
      default:
        break;
    }
  }

  const channel = new Channel(http, {
    // A public page's own writes land in its temporary copy, pushed on a topic of
    // its own: what it holds need not be what the document's pushes left.
    columnDeltas: !(mode === 'object' && config.public === 'true'),
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
    if (mode === 'file') {
      state.connection = 'file'; // nothing to connect to
      await sync();
    } else {
      // The socket's URL and the document at once (the original asked for the
      // URL first; one round trip less before the first paint).  Subscriptions
      // sync() makes wait in the channel until the socket is open.
      await Promise.all([channel.connect(), sync()]);
    }
    // `ready` also means live: every push after it reaches this page.  (One
    // made between the document's fetch and the subscription is missed, as
    // with the original pages: the subscription needs the fetched apikey.)
    if (mode !== 'file') {
      await Promise.all([...state.topics].map((topic) => channel.whenAnswered(topic, SUBSCRIBE_WAIT_MS)));
    }
    state.loaded = true; // lets the next render resolve `ready`
    invalidate();
  }

  // A new device pixel ratio (browser zoom, a move to another screen):
  // repaint at the new resolution rather than wait for the next push.
  let ratioQuery = null; // kept: an unreferenced query list may be collected with its listener
  const watchPixelRatio = () => {
    ratioQuery = matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    ratioQuery.addEventListener('change', () => {
      invalidate();
      watchPixelRatio();
    }, { once: true });
  };
  watchPixelRatio();

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
    /** How long the last render took (ms), drawing included, compositing not. */
    get renderMs() { return state.renderMs; },
    /** When the last render ended (performance.now()). */
    get renderedAt() { return state.renderedAt; },
    get clientId() { return state.clientId; },
    get tempDocid() { return state.tempDocid; },
    get connected() { return channel.connected; },
    /** Where the socket lives: 'worker' (frames parsed off the main thread) or 'page'. */
    get socketKind() { return channel.socketKind; },
    /** The last frame: {receivedAt, decodedAt, bytes, binary}, times in performance.now(). */
    get lastFrame() { return channel.lastFrame; },
    get docs() { return state.docs; },
    get openDocid() { return state.openDocid; },
    get error() { return state.error; },
    /** Geometry, ranges and labels of every drawn plot (for tests and the console). */
    plots: () => (view ? view.describePlots() : []),
    /**
     * Repaint everything on the next frame, as after a resize; with `remap`
     * also map every glyph to the screen again.  Resolves after that render.
     */
    redraw: ({ remap = false } = {}) => {
      if (view) view.forgetPixels(remap);
      return nextRender();
    },
    /** Data (x, y) of plot `plotId` -> CSS px on its canvas. */
    toScreen: (plotId, x, y) => (view ? view.toScreen(plotId, x, y) : null),
  };
}

// ---------------------------------------------------------------- tool actions

/** Run `fn` once the next frame has been drawn. */
function afterNextFrame(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

/** Download the given canvases, placed as they are on the page, as one PNG. */
async function savePicture(canvases, name) {
  if (!canvases.length) return;
  const ratio = window.devicePixelRatio || 1;
  const rects = canvases.map((canvas) => canvas.getBoundingClientRect());
  const left = Math.min(...rects.map((r) => r.left));
  const top = Math.min(...rects.map((r) => r.top));
  const width = Math.max(...rects.map((r) => r.right)) - left;
  const height = Math.max(...rects.map((r) => r.bottom)) - top;
  const picture = document.createElement('canvas');
  picture.width = Math.round(width * ratio);
  picture.height = Math.round(height * ratio);
  const ctx = picture.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, picture.width, picture.height);
  canvases.forEach((canvas, i) => {
    const r = rects[i];
    ctx.drawImage(canvas, (r.left - left) * ratio, (r.top - top) * ratio, r.width * ratio, r.height * ratio);
  });
  let blob;
  try {
    blob = await new Promise((resolve, reject) => {
      picture.toBlob((b) => (b ? resolve(b) : reject(new Error('the picture could not be encoded'))), 'image/png');
    });
  } catch (error) {
    if (error && error.name === 'SecurityError') {
      throw new Error('this plot shows images from another site that does not allow it (CORS), '
        + 'so the browser does not let the page save it');
    }
    throw error;
  }
  const link = document.createElement('a');
  link.download = `${String(name).replace(/[^\w.-]+/g, '_') || 'plot'}.png`;
  link.href = URL.createObjectURL(blob);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

/** TapTool's OpenURL: open its URL for each selected row, @column filled from that row. */
function openUrls(callback, plotView) {
  const template = typeof callback.attributes.url === 'string' ? callback.attributes.url : 'http://';
  for (const view of plotView.glyphRendererViews) {
    const source = view.source;
    const selected = source && source.attributes.selected;
    const rows = selected && selected['1d'] && Array.isArray(selected['1d'].indices) ? selected['1d'].indices : [];
    for (const row of rows) {
      const url = template.replace(/@(\w+)/g, (whole, column) => {
        const values = source.attributes.data && source.attributes.data[column];
        return values && row < values.length ? encodeURIComponent(String(values[row])) : whole;
      });
      window.open(url, '_blank', 'noopener');
    }
  }
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
