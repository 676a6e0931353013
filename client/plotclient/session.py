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
request on an open socket. If the server closed the idle connection, the request is sent
again once on a fresh one. Failures raise `plotclient.errors` exceptions naming the method,
the URL, the status and the server's message.

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
import socket
import threading
import time
import uuid
import warnings
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

try:  # orjson parses large documents several times faster; the stdlib is the fallback
    from orjson import loads as _json_loads
except ImportError:  # pragma: no cover
    from json import loads as _json_loads

from .errors import (ConflictError, HTTPError, LoginError, PlotclientError,
                     ServerUnavailableError, UnauthorizedError)

log = logging.getLogger(__name__)

DEFAULT_SERVER_URL = "http://localhost:5006/"
CONFIG_DIR_ENV = "PLOTCLIENT_CONFIG_DIR"
DEFAULT_TIMEOUT = 60.0  # seconds without an answer before a request fails

_USER_AGENT = "plotclient/0.1"
# Errors that mean "the server closed the kept-alive connection": worth one fresh attempt.
_STALE_CONNECTION_ERRORS = (http.client.RemoteDisconnected, ConnectionResetError,
                            BrokenPipeError, ConnectionAbortedError,
                            http.client.CannotSendRequest, http.client.ResponseNotReady)
_HTML_MESSAGE = re.compile(r"<p>(.*?)</p>", re.S)


class _Connection:
    """One keep-alive connection to the server; reopened when needed."""

    def __init__(self, root_url: str, timeout: float):
        parts = urlsplit(root_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"root_url must be an http:// or https:// URL, got {root_url!r}")
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None
        self._reused = False  # has the open connection already carried a request?

    def _open(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        conn = cls(self.host, self.port, timeout=self.timeout)
        conn.connect()
        # Small requests must leave at once, not wait for the previous ACK (Nagle).
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def send(self, method: str, path: str, headers: list[tuple[str, str]],
             body: bytes | None) -> http.client.HTTPResponse:
        """Send one request and return its response with the body already read."""
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = self._open()
                self._reused = False
            conn = self._conn
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
                if attempt == 2 or not self._reused:
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
        self.root_url = root_url
        self.userapikey = userapikey
        self.username = username
        self.configdir = Path(configdir) if configdir else _default_configdir()
        self.docid: str | None = None
        self.apikey: str | None = None  # the document's key; never sent, only for embeds
        self.timeout = DEFAULT_TIMEOUT
        self._userinfo: dict | None = None
        self._cookies: dict[str, str] = {}
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
        old = getattr(self, "_connection", None)
        if old is not None:
            old.close()
        self._connection = None  # a new server needs a new connection

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
                 json_call: bool = True,
                 content_type: str | None = None) -> http.client.HTTPResponse:
        """Send `method` to `root_url + relative`; raise plotclient errors for failures."""
        path = self._path_prefix + relative
        url = self.root_url + relative
        headers = [("User-Agent", _USER_AGENT),
                   ("BOKEHUSER-API-KEY", self.userapikey),
                   ("BOKEHUSER", self.username)]
        if json_call:
            headers.append(("content-type", "application/json"))
        elif content_type:
            headers.append(("Content-Type", content_type))
        if self._cookies:
            headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in self._cookies.items())))
        with self._lock:
            if self._connection is None:
                self._connection = _Connection(self.root_url, self.timeout)
            try:
                response = self._connection.send(method, path, headers, body)
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
            raise PlotclientError(
                f"{method} {self.root_url}{relative} answered HTTP {response.status} with a "
                f"body that is not JSON: {response.body[:200]!r}") from None

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
        if self._connection is not None:
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
        try:
            response = self._request("POST", relative, body=form, json_call=False,
                                     content_type="application/x-www-form-urlencoded")
            result = _json_loads(response.body)
        except HTTPError as exc:
            raise LoginError(f"{relative.split('/')[-1]} as {username!r} refused: {exc}") from None
        except ValueError:
            raise LoginError(f"{relative} answered something that is not JSON") from None
        if not result.get("status"):
            raise LoginError(result.get("error") or "Unknown Error")
        self.username = username
        self.userapikey = result["userapikey"]
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
        return matching[0]["docid"]

    def _docs_titled(self, name: str) -> list[dict]:
        return [d for d in self.userinfo.get("docs", []) if d.get("title") == name]

    def get_api_key(self, docid: str) -> str:
        """The document's read-write key if we may write, else its read-only key."""
        reply = self._json("GET", f"bokeh/getdocapikey/{docid}")
        return reply["apikey"] if "apikey" in reply else reply["readonlyapikey"]

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
        self._json("POST", f"bokeh/bb/{self._require_doc()}/gc")

    def pull(self, typename: str | None = None, objid: str | None = None) -> list[dict]:
        """All envelopes of the document, or `[envelope]` of one object."""
        docid = self._require_doc()
        if typename is None:
            return self._json("GET", f"bokeh/bb/{docid}/")
        attributes = self._json("GET", f"bokeh/bb/{docid}/{typename}/{objid}/")
        return [{"type": typename, "id": objid, "attributes": attributes}]

    def push(self, *json_objs: dict) -> None:
        """Low level: upsert these envelopes in one `bulkupsert`."""
        from .serialization import dumps
        self._json("POST", f"bokeh/bb/{self._require_doc()}/bulkupsert", dumps(list(json_objs)))

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
        self._json("POST", f"bokeh/{self._require_doc()}/publish")

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
            print("Connection to the plot server was terminated")

    # ---------------------------------------------------------------- links and embeds

    def object_link(self, obj) -> str:
        """URL of the page showing `obj` (the page `show()` opens for the PlotContext)."""
        return f"{self.base_url}doc/{self._require_doc()}/{obj.id}"

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
