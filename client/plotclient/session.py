"""`Session`: plotclient's connection to a plot server (bokeh 0.10's `bokeh.session.Session`).

A Session sends exactly the HTTP requests bokeh 0.10's client sent, in the same order
(PROTOCOL.md section 10), so it works against plotserver and against the original
bokeh-server 0.10 alike:

* every request carries `BOKEHUSER: <username>` and `BOKEHUSER-API-KEY: <userapikey>`
  (`defaultuser` / `nokey` until `register()`/`login()`); JSON calls also carry
  `content-type: application/json`, even GETs and body-less POSTs (`gc`, `publish`);
* paths are joined to `root_url`, so a path in it (`http://host:5006/prefix/`) acts as the
  server's URL prefix - for `publish()` too (0.10 dropped the prefix there, quirk 16);
* cookies the server sets (multi-user login) are sent back.

Transport: one persistent keep-alive HTTP/1.1 connection per Session, built on the standard
library's `http.client` with TCP_NODELAY, so a `store_objects()` round trip costs one
request on an open socket. Before a request goes out on a connection that was idle, a
zero-wait poll checks that the server has not closed it (if it has, a fresh one is opened).
If the connection still turns out to be dead, the request is sent again once on a fresh one
- but only when that cannot do it twice: the call is idempotent on the server (GET,
`bulkupsert`, `gc`, `publish`) or not one byte of it had been written. `make_doc`,
`register` and `login` are never repeated once sent. Each request uses the Session's
current `timeout`. The connection is closed by `close()`, by the `with` block, and when the
Session is garbage collected. Failures raise `plotclient.errors` exceptions naming the
method, the URL, the status and the server's message.

Ids in paths (docids, type names, object ids) are percent-encoded as one path segment each,
so any id reaches the server (which may answer 404); uuids, type names and the 0.10 bytes
on the wire are unchanged by that.

Configuration file: `register()` and `login()` save the credentials, keyed by session name,
as one JSON object `{name: {"root_url", "userapikey", "username"}}` (the 0.10 format) in
`<configdir>/config.json`. `configdir` is, in this order: the `configdir` argument, the
`PLOTCLIENT_CONFIG_DIR` environment variable, `~/.plotclient`. (plotclient keeps its own
directory rather than sharing bokeh's `~/.bokeh`; copy a 0.10 `config.json` there to reuse
it.) The directory is created when the file is first written.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import select
import socket
import threading
import time
import uuid
import warnings
import weakref
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

try:  # orjson parses large documents several times faster; the stdlib is the fallback
    from orjson import loads as _json_loads
except ImportError:  # pragma: no cover
    from json import loads as _json_loads

from .errors import (ConflictError, HTTPError, LoginError, PlotclientError,
                     ServerUnavailableError, UnauthorizedError, UnexpectedReplyError,
                     UnsendableRequestError)

log = logging.getLogger(__name__)

SERVER_URL_ENV = "PLOTSERVER_URL"


def default_server_url() -> str:
    """The server a script talks to unless it names one: $PLOTSERVER_URL (e.g.
    `http://plots.example.org:5006/`), else bokeh 0.10's `http://localhost:5006/`."""
    url = os.environ.get(SERVER_URL_ENV, "").strip() or "http://localhost:5006/"
    return url if url.endswith("/") else url + "/"


# Read once, at import, for Session()'s defaults; output_server() asks again at each call.
DEFAULT_SERVER_URL = default_server_url()
CONFIG_DIR_ENV = "PLOTCLIENT_CONFIG_DIR"
DEFAULT_TIMEOUT = 60.0  # seconds without an answer before a request fails

_USER_AGENT = "plotclient/0.1"
# Errors that mean "the server closed the kept-alive connection": worth one fresh attempt
# when that cannot run the request twice (see _Connection.send).
_STALE_CONNECTION_ERRORS = (http.client.RemoteDisconnected, ConnectionResetError,
                            BrokenPipeError, ConnectionAbortedError,
                            http.client.CannotSendRequest, http.client.ResponseNotReady)
_HTML_MESSAGE = re.compile(r"<p>(.*?)</p>", re.S)


def _segment(value) -> str:
    """`value` as one URL path segment ("a b" -> "a%20b", "a/b" -> "a%2Fb")."""
    return quote(str(value), safe="")


class _SendTracking:
    """Mixin for http.client connections: `bytes_sent` tells whether any byte of the
    current request has been written (reset by the caller before each request).

    The first write is one `send()` call, which either writes at least one byte or raises
    having written none; so a reset or broken pipe there proves the server never saw the
    request, and sending it again is safe whatever it does."""

    bytes_sent = False

    def send(self, data):
        if self.bytes_sent or self.sock is None or not isinstance(data, (bytes, bytearray)):
            self.bytes_sent = True  # cannot tell: assume something left
            return super().send(data)
        if not data:
            return None
        written = self.sock.send(data)
        self.bytes_sent = True
        if written < len(data):
            super().send(memoryview(data)[written:])
        return None


class _HTTPConnection(_SendTracking, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_SendTracking, http.client.HTTPSConnection):
    pass


def _closed_by_peer(sock) -> bool:
    """Is this idle connection unusable? An idle HTTP connection has nothing to read, so
    anything readable - end of file (the server closed it), a reset, stray bytes - means
    it must not carry the next request."""
    if sock is None:
        return True
    try:
        if _HAVE_POLL:  # poll has no FD_SETSIZE limit (select fails on descriptors >= 1024)
            poller = select.poll()
            poller.register(sock, select.POLLIN)  # reports POLLHUP and POLLERR as well
            return bool(poller.poll(0))
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):  # closed, or a descriptor that cannot be watched
        return True


_HAVE_POLL = hasattr(select, "poll")


class _Connection:
    """The Session's keep-alive connection to its server; reopened when needed.

    One object for the Session's whole life (so a finalizer can close whatever socket is
    open when the Session is collected); `retarget()` points it at another root_url."""

    def __init__(self):
        self.root_url: str | None = None
        self._target: tuple[bool, str, int] | None = None  # (https, host, port), parsed once
        self._conn: _HTTPConnection | None = None
        self._reused = False  # has the open connection already carried a request?

    @property
    def connected(self) -> bool:
        return self._conn is not None

    def retarget(self, root_url: str) -> None:
        self.close()
        self.root_url = root_url
        self._target = None

    def _parse(self) -> tuple[bool, str, int]:
        try:
            parts = urlsplit(self.root_url)
            port = parts.port
        except ValueError as exc:
            raise UnsendableRequestError(f"root_url {self.root_url!r} is not a valid URL: {exc}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UnsendableRequestError(
                f"root_url must be an http:// or https:// URL, got {self.root_url!r}")
        https = parts.scheme == "https"
        return https, parts.hostname, port or (443 if https else 80)

    def _open(self, timeout: float) -> _HTTPConnection:
        if self._target is None:
            self._target = self._parse()
        https, host, port = self._target
        conn = (_HTTPSConnection if https else _HTTPConnection)(host, port, timeout=timeout)
        try:
            conn.connect()
            # Small requests must leave at once, not wait for the previous ACK (Nagle).
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(self, method: str, path: str, headers: list[tuple[str, str]],
             body: bytes | None, timeout: float,
             idempotent: bool = False) -> http.client.HTTPResponse:
        """Send one request and return its response with the body already read.

        A dead kept-alive connection is retried once on a fresh one, only if the request is
        `idempotent` on the server or none of it was written (so never run twice)."""
        for attempt in (1, 2):
            conn = self._conn
            if conn is not None and self._reused and _closed_by_peer(conn.sock):
                self.close()  # the server dropped it while idle: do not even try it
                conn = None
            if conn is None:
                conn = self._conn = self._open(timeout)
                self._reused = False
            elif conn.timeout != timeout:  # Session.timeout changed since it was opened
                conn.timeout = timeout
                conn.sock.settimeout(timeout)
            reused = self._reused
            conn.bytes_sent = False
            try:
                conn.putrequest(method, path, skip_accept_encoding=True)
                for name, value in headers:
                    conn.putheader(name, value)
                if body is not None or method in ("POST", "PUT", "PATCH"):
                    conn.putheader("Content-Length", str(len(body or b"")))
                conn.endheaders(body or None)
                response = conn.getresponse()
                response.body = response.read()
            except _STALE_CONNECTION_ERRORS:
                self.close()
                if attempt == 2 or not reused or (conn.bytes_sent and not idempotent):
                    raise
                continue  # the server dropped an idle connection: once more, on a new one
            except BaseException:
                self.close()  # a half-used connection cannot carry the next request
                raise
            self._reused = True
            if response.will_close:
                self.close()
            return response
        raise AssertionError("unreachable")


class Session:
    """A connection to a plot server, with the user's credentials and the current document.

    `Session(name=..., root_url=..., userapikey="nokey", username="defaultuser",
    load_from_config=True, configdir=None)` as in bokeh 0.10. With `load_from_config` the
    constructor prints two lines and, if the config file has an entry for `name`, takes
    `root_url`, `userapikey` and `username` from it.
    """

    def __init__(self, name: str = DEFAULT_SERVER_URL, root_url: str = DEFAULT_SERVER_URL,
                 userapikey: str = "nokey", username: str = "defaultuser",
                 load_from_config: bool = True, configdir: str | os.PathLike | None = None):
        self.name = name
        self._connection = _Connection()
        # Close the socket when the Session is collected without close() (no ResourceWarning,
        # no descriptor held until exit); holds the connection, never the Session.
        self._finalizer = weakref.finalize(self, self._connection.close)
        self.root_url = root_url
        self.userapikey = userapikey
        self.username = username
        self.configdir = Path(configdir) if configdir else _default_configdir()
        self.docid: str | None = None
        self.apikey: str | None = None  # the document's key; never sent, only for embeds
        self.timeout = DEFAULT_TIMEOUT
        self._userinfo: dict | None = None
        self._cookies: dict[str, str] = {}
        self._sendable_credentials: tuple | None = None  # (userapikey, username) checked
        self._scratch_doc = None  # see _dump
        self._lock = threading.Lock()  # one request at a time on the shared connection
        if load_from_config:
            print(f"Using saved session configuration for {self.name}")
            print("To override, pass 'load_from_config=False' to Session")
            self.load()

    # ---------------------------------------------------------------- properties

    @property
    def root_url(self) -> str:
        return self._root_url

    @root_url.setter
    def root_url(self, value: str) -> None:
        if not value.endswith("/"):
            log.warning("root_url should end with a slash, appending one: %s/", value)
            value += "/"
        self._root_url = value
        self._path_prefix = urlsplit(value).path  # "/" or e.g. "/prefix/"
        self._connection.retarget(value)  # a new server needs a new connection

    @property
    def base_url(self) -> str:
        return self.root_url + "bokeh/"

    @property
    def configfile(self) -> Path:
        return self.configdir / "config.json"

    @property
    def userinfo(self) -> dict:
        """The server's user record `{"username", "docs": [{"docid", "title"}]}`, fetched
        once and then cached (`make_doc` refreshes it)."""
        if self._userinfo is None:
            self._userinfo = self._json("GET", "bokeh/userinfo/")
        return self._userinfo

    @userinfo.setter
    def userinfo(self, value: dict) -> None:
        self._userinfo = value

    # ---------------------------------------------------------------- HTTP

    def _request(self, method: str, relative: str, *, body: bytes | None = None,
                 json_call: bool = True, content_type: str | None = None,
                 idempotent: bool | None = None) -> http.client.HTTPResponse:
        """Send `method` to `root_url + relative`; raise plotclient errors for failures.

        `relative` must already be a valid path (ids quoted with `_segment`). `idempotent`
        (default: GET/HEAD only) allows resending after a connection failure that may have
        come after the request reached the server."""
        path = self._path_prefix + relative
        url = self.root_url + relative
        apikey, username = credentials = self.userapikey, self.username
        if credentials != self._sendable_credentials:  # checked once per change
            _check_header_value("BOKEHUSER-API-KEY", "api key (userapikey)", apikey)
            _check_header_value("BOKEHUSER", "username", username)
            self._sendable_credentials = credentials
        if idempotent is None:
            idempotent = method in ("GET", "HEAD")
        headers = [("User-Agent", _USER_AGENT),
                   ("BOKEHUSER-API-KEY", apikey),
                   ("BOKEHUSER", username)]
        if json_call:
            headers.append(("content-type", "application/json"))
        elif content_type:
            headers.append(("Content-Type", content_type))
        if self._cookies:
            headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in self._cookies.items())))
        with self._lock:
            try:
                response = self._connection.send(method, path, headers, body, self.timeout,
                                                 idempotent)
            except (http.client.InvalidURL, UnicodeError) as exc:
                # Raised by http.client before anything is sent: the URL cannot be written.
                raise UnsendableRequestError(
                    f"{method} {url} cannot be sent: the URL is not valid ({exc}); check "
                    f"root_url and the ids passed in (nothing was sent to the server)"
                ) from None
            except ConnectionRefusedError:
                raise ServerUnavailableError(self.root_url, "connection refused") from None
            except socket.timeout:
                raise ServerUnavailableError(
                    self.root_url, f"no answer to {method} {url} within {self.timeout:g} s"
                ) from None
            except (OSError, http.client.HTTPException) as exc:
                raise ServerUnavailableError(self.root_url, f"{method} {url}: {exc!r}") from None
        self._remember_cookies(response)
        if response.status >= 300:
            raise _error_for(method, url, response)
        return response

    def _json(self, method: str, relative: str, body: bytes | None = None, **kwargs):
        response = self._request(method, relative, body=body, **kwargs)
        try:
            return _json_loads(response.body)
        except ValueError:
            raise UnexpectedReplyError(
                method, self.root_url + relative,
                f"HTTP {response.status} with a body that is not JSON: "
                f"{response.body[:200]!r}") from None

    def _remember_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or ():
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self._cookies.pop(key, None)  # logout clears the cookie
                else:
                    self._cookies[key] = morsel.value

    def close(self) -> None:
        """Close the connection (a later request opens a new one)."""
        self._connection.close()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- config file

    def load_dict(self) -> dict:
        """The whole config file as a dict ({} when there is none)."""
        try:
            text = self.configfile.read_text()
        except FileNotFoundError:
            return {}
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise PlotclientError(f"config file {self.configfile} is not JSON: {exc}") from None
        return data if isinstance(data, dict) else {}

    def save_dict(self, data: dict) -> None:
        self.configdir.mkdir(parents=True, exist_ok=True)
        # Write then rename, so an interrupted write never leaves half a file.
        tmp = self.configfile.with_name(f".config.json.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(self.configfile)

    def load(self) -> None:
        """Take root_url, userapikey and username from this session's config entry."""
        entry = self.load_dict().get(self.name)
        if not entry:
            return
        self.root_url = entry.get("root_url", self.root_url)
        self.userapikey = entry.get("userapikey", self.userapikey)
        self.username = entry.get("username", self.username)

    def save(self) -> None:
        """Store this session's credentials under its name (read-modify-write)."""
        data = self.load_dict()
        data[self.name] = {"root_url": self.root_url, "userapikey": self.userapikey,
                           "username": self.username}
        self.save_dict(data)

    # ---------------------------------------------------------------- accounts

    def register(self, username: str, password: str) -> None:
        self._account_call("bokeh/register", username, password)

    def login(self, username: str, password: str) -> None:
        self._account_call("bokeh/login", username, password)

    def _account_call(self, relative: str, username: str, password: str) -> None:
        form = urlencode({"username": username, "password": password, "api": "true"}).encode()
        action = relative.split("/")[-1]
        url = self.root_url + relative
        try:
            response = self._request("POST", relative, body=form, json_call=False,
                                     content_type="application/x-www-form-urlencoded")
            result = _json_loads(response.body)
        except HTTPError as exc:
            raise LoginError(f"{action} as {username!r} refused: {exc}") from None
        except ValueError:
            raise LoginError(f"POST {url} answered something that is not JSON") from None
        if not isinstance(result, dict):
            raise LoginError(f"{action} as {username!r}: POST {url} answered "
                             f"{result!r:.200} instead of a JSON object")
        if not result.get("status"):
            raise LoginError(result.get("error") or "Unknown Error")
        apikey = result.get("userapikey")
        if not isinstance(apikey, str):
            raise LoginError(f"{action} as {username!r}: POST {url} answered success without "
                             f"the 'userapikey' the client needs: {result!r:.200}")
        self.username = username
        self.userapikey = apikey
        self.save()

    def browser_login(self) -> None:
        """Log the web browser in with this session's api key (no request by us)."""
        import webbrowser
        query = urlencode({"username": self.username, "userapikey": self.userapikey})
        webbrowser.open(self.base_url + "loginfromapikey?" + query)

    def data_source(self, name, data):
        raise NotImplementedError("server-side data sources were never implemented in 0.10")

    def list_data(self):
        raise NotImplementedError("server-side data sources were never implemented in 0.10")

    # ---------------------------------------------------------------- documents

    def make_doc(self, title: str) -> dict:
        """Create a document titled `title`; 409 (title taken) raises ConflictError."""
        body = json.dumps({"title": title}).encode()  # the 0.10 bytes: {"title": "..."}
        self._userinfo = self._json("POST", "bokeh/doc/", body)
        return self._userinfo

    def find_doc(self, name: str) -> str:
        """The docid of the document titled `name`, created if there is none."""
        matching = self._docs_titled(name)
        if not matching:
            self.make_doc(name)
            matching = self._docs_titled(name)
            if not matching:
                raise PlotclientError(f"the server created no document titled {name!r}")
        if len(matching) > 1:
            warnings.warn(f"more than one document titled {name!r}; using the first")
        docid = matching[0].get("docid")
        if not isinstance(docid, str):
            raise UnexpectedReplyError("GET", self.root_url + "bokeh/userinfo/",
                                       f"a document titled {name!r} without a 'docid'")
        return docid

    def _docs_titled(self, name: str) -> list[dict]:
        info = self.userinfo
        docs = info.get("docs", []) if isinstance(info, dict) else None
        if not isinstance(docs, list):
            raise UnexpectedReplyError("GET", self.root_url + "bokeh/userinfo/",
                                       f"without a 'docs' list: {info!r:.200}")
        return [d for d in docs if isinstance(d, dict) and d.get("title") == name]

    def get_api_key(self, docid: str) -> str:
        """The document's read-write key if we may write, else its read-only key."""
        relative = f"bokeh/getdocapikey/{_segment(docid)}"
        reply = self._json("GET", relative)
        if isinstance(reply, dict):
            for key in ("apikey", "readonlyapikey"):
                if key in reply:
                    return reply[key]
        raise UnexpectedReplyError("GET", self.root_url + relative,
                                   f"neither 'apikey' nor 'readonlyapikey': {reply!r:.200}")

    def use_doc(self, name: str | None = None, docid: str | None = None) -> None:
        """Make a document current, by title (created if absent) or by id."""
        if (name is None) == (docid is None):
            raise ValueError("use_doc() needs exactly one of name or docid")
        self.docid = docid if docid is not None else self.find_doc(name)
        self.apikey = self.get_api_key(self.docid)

    def _require_doc(self) -> str:
        if self.docid is None:
            raise PlotclientError("no current document: call use_doc(name) first")
        return self.docid

    # ---------------------------------------------------------------- objects

    def gc(self) -> None:
        """Ask the server to drop the document's unreachable objects."""
        self._json("POST", f"bokeh/bb/{_segment(self._require_doc())}/gc", idempotent=True)

    def pull(self, typename: str | None = None, objid: str | None = None) -> list[dict]:
        """All envelopes of the document, or `[envelope]` of one object."""
        docid = _segment(self._require_doc())
        if typename is None:
            return self._json("GET", f"bokeh/bb/{docid}/")
        attributes = self._json(
            "GET", f"bokeh/bb/{docid}/{_segment(typename)}/{_segment(objid)}/")
        return [{"type": typename, "id": objid, "attributes": attributes}]

    def push(self, *json_objs: dict) -> None:
        """Low level: upsert these envelopes in one `bulkupsert`."""
        from .serialization import dumps_envelopes
        # An upsert of the same envelopes twice leaves what one leaves: safe to resend.
        # The reply (the broadcast modelpush, as large as the request) is not parsed: nothing
        # here uses it, and for a million-point column parsing it cost ~90 ms of CPU while
        # the browsers showing the plot were busy with the same message.
        self._request("POST", f"bokeh/bb/{_segment(self._require_doc())}/bulkupsert",
                      body=dumps_envelopes(list(json_objs)), idempotent=True)

    def load_document(self, doc) -> None:
        """gc, pull the document and merge it into `doc` (which adopts the server's
        PlotContext and docid)."""
        self.gc()
        json_objs = self.pull()
        doc.merge(json_objs)
        doc.docid = self.docid

    def load_object(self, obj, document) -> None:
        """Re-read one object from the server into `document`."""
        json_objs = self.pull(obj.ref["type"], obj.id)
        document.load(*json_objs)

    def store_document(self, doc, dirty_only: bool = True) -> list:
        """Push the document's objects that changed since the last push (all of them when
        `dirty_only` is false); returns the models that were dirty.

        Like 0.10, when nothing is dirty the whole document is sent again (quirk 16): a
        script's `show()` after `store_objects()` still makes the server whole."""
        doc.prune()  # forget objects no longer reachable from the PlotContext
        reachable = list(doc.context.references())
        models = [m for m in reachable if m._dirty] if dirty_only else reachable
        sent = models or reachable
        self.push(*doc.dump(*sent))
        for model in sent:
            model._dirty = False
        return models

    def store_objects(self, *objs, dirty_only: bool = True) -> list:
        """Push `objs` and everything they reference, dirty or not, in one request."""
        models: set = set()
        for obj in objs:
            models |= obj.references()
        self.push(*self._dump(models))
        for model in models:
            model._dirty = False
        return list(models)

    def _dump(self, models) -> list[dict]:
        """Envelopes of `models` stamped with this session's docid (they need not belong to
        any document, so a scratch Document, made once, does the writing)."""
        if self._scratch_doc is None:
            from .document import Document
            self._scratch_doc = Document()
        self._scratch_doc.docid = self._require_doc()
        return self._scratch_doc.dump(*models)

    def publish(self) -> None:
        """Make the document readable by anyone (no login needed)."""
        # Sets the document's `published` flag: a second time changes nothing.
        self._json("POST", f"bokeh/{_segment(self._require_doc())}/publish", idempotent=True)

    def poll_document(self, document, interval: float = 0.5) -> None:
        """Reload `document` from the server every `interval` seconds (which fires the
        on_change callbacks of changed models) until Ctrl-C or the server goes away."""
        try:
            while True:
                self.load_document(document)
                time.sleep(interval)
        except KeyboardInterrupt:
            print()
        except ServerUnavailableError:
            print("Connection to bokeh-server was terminated")  # 0.10's words (PROTOCOL 10.4)

    # ---------------------------------------------------------------- links and embeds

    def object_link(self, obj) -> str:
        """URL of the page showing `obj` (the page `show()` opens for the PlotContext)."""
        return f"{self.base_url}doc/{_segment(self._require_doc())}/{_segment(obj.id)}"

    def autoload_tag(self, obj, public: bool = False) -> str:
        """A `<script>` tag that embeds `obj` from this server in any web page."""
        elementid = str(uuid.uuid4())
        key = 'data-bokeh-public="true"' if public else f'data-bokeh-docapikey="{self.apikey}"'
        return (f'<script src="{self.base_url}autoload.js/{elementid}" id="{elementid}" '
                f'async="true" data-bokeh-data="server" data-bokeh-modelid="{obj.id}" '
                f'data-bokeh-root-url="{self.root_url}" data-bokeh-docid="{self.docid}" '
                f'{key} data-bokeh-loglevel="info"></script>')

    def show(self, plot_object) -> None:
        """Display `plot_object` in a Jupyter/IPython notebook, served by this server."""
        try:
            from IPython.display import HTML, display
        except ImportError:
            raise NotImplementedError(
                "Session.show() displays in a Jupyter notebook and needs IPython; outside a "
                "notebook use plotclient.plotting.show(obj)") from None
        display(HTML(self.autoload_tag(plot_object)))


def _check_header_value(header: str, what: str, value) -> None:
    """Raise UnsendableRequestError unless `value` can be sent in an HTTP header."""
    if not isinstance(value, str):
        raise UnsendableRequestError(
            f"the {what} must be a string to be sent in the {header} header, got {value!r}",
            header)
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        raise UnsendableRequestError(
            f"the {what} {value!r} cannot be sent in the {header} header: HTTP header "
            f"values are latin-1 and it has other characters (use a latin-1 {what}); "
            f"nothing was sent", header) from None
    if any(c in value for c in "\r\n\0"):
        raise UnsendableRequestError(
            f"the {what} {value!r} cannot be sent in the {header} header: it contains a "
            f"line break or NUL; nothing was sent", header)


def _default_configdir() -> Path:
    env = os.environ.get(CONFIG_DIR_ENV)
    return Path(env) if env else Path.home() / ".plotclient"


def _error_for(method: str, url: str, response: http.client.HTTPResponse) -> PlotclientError:
    """The exception for a failed answer, with the server's own explanation."""
    status = response.status
    if status < 400:  # the 0.10 clients never follow redirects either
        return HTTPError(method, url, status, f"redirected to {response.getheader('Location')}")
    message = None
    try:
        body = _json_loads(response.body)
        if isinstance(body, dict):
            message = body.get("message") or body.get("error")
    except ValueError:
        # The original server answers HTML error pages: keep their one-sentence <p>.
        text = response.body.decode("utf-8", "replace")
        found = _HTML_MESSAGE.search(text)
        message = (found.group(1) if found else text[:200]).strip() or None
    if status in (401, 403):
        return UnauthorizedError(method, url, status, message)
    if status == 409:
        return ConflictError(method, url, status, message)
    return HTTPError(method, url, status, message)
