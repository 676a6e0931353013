"""Security of multi-user mode (`plotserver -m`), against a real server over real HTTP and
real WebSockets.

* The route matrix: every route of the application's URL map, asked by every kind of caller
  (anonymous, another user, the owner by headers or by cookie, the document keys, wrong
  keys, and the copy-on-write header) about a private and a published document; expected
  answers follow PROTOCOL 4.3-4.6 and the route table 5.2. A denied write leaves the
  document as it was and pushes nothing to its subscribers. A route added to the app
  without an entry here fails `test_every_route_of_the_app_has_a_matrix_entry`.
* WebSocket subscriptions: document topics need a document key, user topics need that
  user's own session.
* What a write accepts, every read answers; a crafted copy-on-write header is refused.
* Pages escape user strings and forbid inline scripts; the session cookie, the forms'
  tokens, login failures and their slowing down; static paths; the single-user identity
  `defaultuser`/`nokey` on a database reopened in multi-user mode.

Tests named `..._as_in_the_original` keep one of the original's choices that clients rely
on; `..._closed_since_original_...` check a hole the original had that plotserver closes.

Pushes are checked without timing: the frames of one WebSocket connection go out in order,
so whatever a write pushed to a subscriber arrives before the answer to a subscribe sent
after that write (`Watch.frames`)."""

from __future__ import annotations

import base64
import itertools
import json
import time
import re
import uuid
import zlib
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, urlsplit

import pytest
import requests
import websocket

import raw_http
from conftest import ServerProcess
from helpers import line_plot, session_from, split_frame

TIMEOUT = 10
PASSWORD = "correct horse battery staple"


# --- plumbing: accounts, documents, requests ---------------------------------------------------

def unique(prefix: str = "t") -> str:
    return f"{prefix}{uuid.uuid4().hex}"


_addresses = itertools.count(1)


def session_from_new_address() -> requests.Session:
    n = next(_addresses)
    http = session_from(f"127.77.{n // 250}.{n % 250 + 1}")
    return http


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    apikey: str
    cookie: str  # the `session` cookie the registration set

    def headers(self) -> dict:
        return {"BOKEHUSER": self.username, "BOKEHUSER-API-KEY": self.apikey}


def register(url: str, username: str | None = None, password: str = PASSWORD) -> Account:
    username = username or unique("user-")
    reply = requests.post(url + "/bokeh/register",
                          data={"username": username, "password": password, "api": "true"},
                          timeout=TIMEOUT)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["status"] is True, body
    return Account(username, password, body["userapikey"], reply.cookies["session"])


@dataclass(frozen=True)
class Document:
    docid: str
    apikey: str
    readonlyapikey: str
    plot_context_id: str
    title: str
    published: bool


def new_document(url: str, owner: Account, published: bool = False, title: str | None = None,
                 source_id: str = "cds1") -> Document:
    """A document of `owner` holding a line plot (PlotContext > plot1 > gr1 > line1 + source)."""
    title = title or unique("doc-")
    headers = owner.headers()
    reply = requests.post(url + "/bokeh/doc/", json={"title": title}, headers=headers,
                          timeout=TIMEOUT)
    assert reply.status_code == 200, reply.text
    docid = next(d["docid"] for d in reply.json()["docs"] if d["title"] == title)
    apikey = requests.get(f"{url}/bokeh/getdocapikey/{docid}", headers=headers,
                          timeout=TIMEOUT).json()["apikey"]
    info = requests.get(f"{url}/bokeh/bokehinfo/{docid}/", headers=headers, timeout=TIMEOUT).json()
    doc = Document(docid, apikey, info["apikey"], info["plot_context_ref"]["id"], title, published)
    reply = requests.post(f"{url}/bokeh/bb/{docid}/bulkupsert", headers=headers, timeout=TIMEOUT,
                          data=json.dumps(line_plot(doc, source_id=source_id)))
    assert reply.status_code == 200, reply.text
    if published:
        reply = requests.post(f"{url}/bokeh/{docid}/publish", headers=headers, timeout=TIMEOUT)
        assert reply.status_code == 200, reply.text
    return doc


def send(http: requests.Session, method: str, url: str, headers: dict | None = None,
         cookies: dict | None = None, **kwargs) -> requests.Response:
    """One request with exactly these credentials (nothing kept from earlier answers)."""
    http.cookies.clear()
    return http.request(method, url, headers=headers or {}, cookies=cookies or {},
                        allow_redirects=False, timeout=TIMEOUT, **kwargs)


def snapshot(http, url: str, owner: Account, doc: Document, temporary: str | None = None):
    """The document as its owner reads it (bulk GET), through its copy when `temporary`."""
    headers = owner.headers()
    if temporary:
        headers[f"temporary-{doc.docid}"] = temporary
    reply = send(http, "GET", f"{url}/bokeh/bb/{doc.docid}/", headers)
    assert reply.status_code == 200, reply.text
    return reply.json()


def owner_docids(http, url: str, owner: Account) -> set[str]:
    reply = send(http, "GET", url + "/bokeh/userinfo/", owner.headers())
    assert reply.status_code == 200, reply.text
    return {d["docid"] for d in reply.json()["docs"]}


def title_write(token: str) -> str:
    """A bulkupsert body that sets the Plot's title to `token`."""
    return json.dumps([{"type": "Plot", "id": "plot1",
                        "attributes": {"id": "plot1", "title": token}}])


def script_sources(reply) -> list[str] | None:
    """The script-src directive of the reply's Content-Security-Policy (default-src when
    there is none); None without a policy."""
    policy = reply.headers.get("Content-Security-Policy")
    if policy is None:
        return None
    directives = {}
    for directive in policy.split(";"):
        words = directive.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives.get("script-src", directives.get("default-src"))


def reply_problems(reply) -> list[str]:
    """What every answer must be: a JSON error body for every error status, and a policy
    allowing only the server's own scripts on every HTML answer."""
    problems = []
    mimetype = reply.headers.get("Content-Type", "").split(";")[0].strip()
    if reply.status_code >= 400:
        try:
            body = reply.json()
        except ValueError:
            body = None
        if mimetype != "application/json" or not isinstance(body, dict) \
                or set(body) != {"error", "message"}:
            problems.append(f"error body is not JSON {{error, message}}: {reply.text[:200]!r}")
    if mimetype == "text/html" and script_sources(reply) != ["'self'"]:
        problems.append("text/html answer without a script-src 'self' policy: "
                        f"{reply.headers.get('Content-Security-Policy')!r}")
    return problems


class Watch:
    """A WebSocket subscribed to a document's topic (with its read-write key) and to the
    topic of one of its copy-on-write copies: which pushes did writes send out?"""

    def __init__(self, host: str, doc: Document, temporary: str):
        self.ws = websocket.create_connection(f"ws://{host}/bokeh/sub", timeout=TIMEOUT)
        self.main = f"bokehplot:{doc.docid}"
        self.copy = f"bokehplot:{temporary}"
        for topic, key in ((self.main, doc.apikey), (self.copy, None)):
            self.ws.send(json.dumps({"msgtype": "subscribe", "topic": topic, "auth": key}))
            got_topic, message = split_frame(self.ws.recv())
            assert (got_topic, message["msgtype"]) == (topic, "status"), message

    def frames(self) -> list[tuple[str, str]]:
        """(topic, frame text) of everything pushed since subscribing; closes the socket."""
        return fenced_frames(self.ws)


def fenced_frames(ws) -> list[tuple[str, str]]:
    """Every frame queued for `ws` so far: a subscribe to a new topic is answered after all
    of them (one connection's frames go out in order). Closes the socket."""
    fence = f"fence:{uuid.uuid4().hex}"
    ws.send(json.dumps({"msgtype": "subscribe", "topic": fence, "auth": None}))
    frames = []
    while True:
        text = ws.recv()
        topic, _ = split_frame(text)
        if topic == fence:
            break
        frames.append((topic, text))
    ws.close()
    return frames


# --- the module's server and its inhabitants -----------------------------------------------------

@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    proc = ServerProcess("-m", workdir=tmp_path_factory.mktemp("security"))
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def http():
    with requests.Session() as session:
        yield session


@dataclass
class World:
    url: str
    host: str
    owner: Account
    other: Account
    private: Document
    public: Document
    foreign: Document  # the other user's document: its key opens nothing of the owner's


@pytest.fixture(scope="module")
def world(srv) -> World:
    owner = register(srv.url, unique("owner-"))
    other = register(srv.url, unique("other-"))
    return World(srv.url, srv.host, owner, other,
                 new_document(srv.url, owner, published=False),
                 new_document(srv.url, owner, published=True),
                 new_document(srv.url, other, published=False))


# --- callers and what PROTOCOL 4.3 lets them do ---------------------------------------------------

@dataclass(frozen=True)
class Who:
    name: str
    user: str | None = None  # "owner" / "other": whose credentials go along
    cookie: bool = False  # the credentials are the session cookie, else the BOKEHUSER headers
    key: str | None = None  # BOKEH-API-KEY: "rw", "ro", "wrong", or "foreign" (another doc's)


CALLERS = (
    Who("anonymous"),
    Who("another user", "other"),
    Who("the owner (headers)", "owner"),
    Who("the owner (cookie)", "owner", cookie=True),
    Who("anonymous + read-only key", key="ro"),
    Who("anonymous + read-write key", key="rw"),
    Who("anonymous + wrong key", key="wrong"),
    Who("anonymous + another document's read-write key", key="foreign"),
    Who("the owner (headers) + wrong key", "owner", key="wrong"),
    Who("the owner (cookie) + wrong key", "owner", cookie=True, key="wrong"),
    Who("another user + read-write key", "other", key="rw"),
)


def may_write(who: Who) -> bool:
    """Write permission on the document itself: a present key decides alone (quirk 11)."""
    if who.key:
        return who.key == "rw"
    return who.user == "owner"


def may_read(who: Who, published: bool) -> bool:
    if published or may_write(who):
        return True
    return who.key == "ro"


def credentials(world: World, who: Who, doc: Document) -> tuple[dict, dict]:
    headers: dict = {}
    cookies: dict = {}
    if who.user:
        account = world.owner if who.user == "owner" else world.other
        if who.cookie:
            cookies["session"] = account.cookie
        else:
            headers.update(account.headers())
    if who.key:
        headers["BOKEH-API-KEY"] = {"rw": doc.apikey, "ro": doc.readonlyapikey,
                                    "wrong": unique("wrong-"),
                                    "foreign": world.foreign.apikey}[who.key]
    return headers, cookies


# Expected statuses: (who, published, temporary header present) -> status.

def always(status: int):
    return lambda who, published, temporary: status


def login_needed(who, published, temporary):
    return 200 if who.user else 401


def read_needed(who, published, temporary):
    return 200 if may_read(who, published) else 401


def write_needed(who, published, temporary):
    # Copy-on-write (4.5): writing one's own copy needs only read permission.
    allowed = may_read(who, published) if temporary else may_write(who)
    return 200 if allowed else 401


def publish_needed(who, published, temporary):
    return 200 if may_write(who) else 401  # a copy-on-write header grants nothing here


def page_login_needed(who, published, temporary):
    return 200 if who.user else 302


def object_page(who, published, temporary):
    return 200 if who.user or may_read(who, published) else 302


def show_page(who, published, temporary):
    return {"owner": 200, "other": 404}.get(who.user, 401)  # other: no document of that title


def delete_document(who, published, temporary):
    return {"owner": 200, "other": 409}.get(who.user, 401)  # other: not in its list


def delete_object(who, published, temporary):
    if temporary:  # the shared document's objects cannot be deleted through a copy
        return 409 if may_read(who, published) else 401
    return write_needed(who, published, temporary)


@dataclass
class Case:
    world: World
    http: requests.Session
    doc: Document
    who: Who
    published: bool
    temporary: str | None
    token: str  # unique to this request: what it writes carries it
    expected: int
    reply: requests.Response | None = None


@dataclass(frozen=True)
class Route:
    expect: Callable
    # (case) -> (path, requests keyword arguments)
    request: Callable[[Case], tuple[str, dict]]
    document: bool = False  # names a document: asked about a private and a published one
    temporary: bool = False  # ... also with a copy-on-write header
    write: bool = False  # a denied request leaves the document and its copy as they were
    fresh: bool = False  # changes the document for good: a new document for every request
    sets_title: bool = False  # an allowed request writes its token into the Plot's title
    prepare: Callable[[Case], None] | None = None  # the owner's doing, before the request
    check: Callable[[Case], list[str]] | None = None


def path_only(path: str, **kwargs):
    return lambda case: (path, kwargs)


def in_doc(template: str, **kwargs):
    return lambda case: (template.format(docid=case.doc.docid, pc=case.doc.plot_context_id,
                                         token=case.token, title=quote(case.doc.title, safe="")),
                         kwargs)


def json_body(make: Callable[[Case], str], template: str):
    def request(case: Case):
        path, _ = in_doc(template)(case)
        return path, {"data": make(case), "headers": {"Content-Type": "application/json"}}
    return request


def check_key_reply(case: Case) -> list[str]:
    if case.reply.status_code != 200:
        return []
    if may_write(case.who):
        expected = {"apikey": case.doc.apikey}
    else:
        expected = {"readonlyapikey": case.doc.readonlyapikey}
    body = case.reply.json()
    return [] if body == expected else [f"getdocapikey answered {body}, expected {expected}"]


def check_login_redirect(case: Case) -> list[str]:
    if case.reply.status_code != 302:
        return []
    location = urlsplit(case.reply.headers.get("Location", ""))
    return [] if location.path == "/bokeh/login" else [f"redirect to {location.geturl()!r}"]


def check_redirect_home(case: Case) -> list[str]:
    location = urlsplit(case.reply.headers.get("Location", ""))
    return [] if location.path == "/bokeh/" else [f"redirect to {location.geturl()!r}"]


def check_owner_login(case: Case) -> list[str]:
    body = case.reply.json()
    if body.get("status") is not True or body.get("userapikey") != case.world.owner.apikey:
        return [f"login answered {body}"]
    return []


def check_register_existing(case: Case) -> list[str]:
    body = case.reply.json()
    expected = {"status": False, "error": "user already exists"}
    return [] if body == expected else [f"register answered {body}, expected {expected}"]


def check_title_created(case: Case) -> list[str]:
    """POST /bokeh/doc/ and find-or-create: a document titled t-<token> exists for the caller
    only when allowed; a denied request creates it for nobody."""
    world, http = case.world, case.http
    wanted = "t-" + case.token
    found = []
    for account in (world.owner, world.other):
        reply = send(http, "GET", world.url + "/bokeh/userinfo/", account.headers())
        if any(d["title"] == wanted for d in reply.json()["docs"]):
            found.append(account.username)
    if case.reply.status_code == 200:
        expected = [world.owner.username if case.who.user == "owner" else world.other.username]
    else:
        expected = []
    if found != expected:
        return [f"document {wanted!r} exists for {found}, expected {expected}"]
    return []


def check_published(case: Case) -> list[str]:
    """A denied publish leaves a private document private (anonymous reads still refused)."""
    world = case.world
    reply = send(case.http, "GET", f"{world.url}/bokeh/bokehinfo/{case.doc.docid}/")
    now_public = reply.status_code == 200
    should_be = case.published or case.reply.status_code == 200
    return [] if now_public == should_be else [f"published is {now_public}, expected {should_be}"]


def check_deleted_from_list(case: Case) -> list[str]:
    listed = case.doc.docid in owner_docids(case.http, case.world.url, case.world.owner)
    should_be = case.reply.status_code != 200
    return [] if listed == should_be else [f"owner's list names the document: {listed}"]


def garbage_id(case: Case) -> str:
    return "garbage-" + case.token[::-1]  # not the token: pushes carrying the token are the case's


def leave_garbage(case: Case) -> None:
    """An unreachable object in the document (or its copy), for gc to collect."""
    headers = case.world.owner.headers()
    if case.temporary:
        headers[f"temporary-{case.doc.docid}"] = case.temporary
    body = json.dumps([{"type": "ColumnDataSource", "attributes": {"id": garbage_id(case)}}])
    reply = send(case.http, "POST", f"{case.world.url}/bokeh/bb/{case.doc.docid}/bulkupsert",
                 headers, data=body)
    assert reply.status_code == 200, reply.text


def check_garbage_collected(case: Case) -> list[str]:
    """gc answers every reader (the Python client's load_document() calls it before reading)
    but collects only for a writer (of the document, or of its own copy). Probe: creating an
    object of the garbage's id is a conflict while the garbage is still stored."""
    headers = case.world.owner.headers()
    if case.temporary:
        headers[f"temporary-{case.doc.docid}"] = case.temporary
    probe = send(case.http, "POST",
                 f"{case.world.url}/bokeh/bb/{case.doc.docid}/ColumnDataSource/", headers,
                 data=json.dumps({"id": garbage_id(case)}))
    collected = probe.status_code == 200
    allowed = may_read(case.who, case.published) if case.temporary else may_write(case.who)
    should_be = case.reply.status_code == 200 and allowed
    if probe.status_code not in (200, 409) or collected != should_be:
        return [f"garbage collected: {collected} ({probe.status_code}), expected {should_be}"]
    return []


def check_object_deleted(case: Case) -> list[str]:
    ids = {e["id"] for e in snapshot(case.http, case.world.url, case.world.owner, case.doc)}
    present = case.token in ids
    should_be = case.reply.status_code != 200
    return [] if present == should_be else [f"object {case.token} present: {present}"]


OBJECT = "/bokeh/bb/{docid}/Plot/plot1/"

MATRIX: dict[tuple[str, str], Route] = {
    ("/bokeh/ping", "GET"): Route(always(200), path_only("/bokeh/ping")),
    ("/bokeh/userinfo/", "GET"): Route(login_needed, path_only("/bokeh/userinfo/")),
    ("/bokeh/wsurl/", "GET"): Route(always(200), path_only("/bokeh/wsurl/")),
    ("/bokeh/doc/", "POST"): Route(
        login_needed, lambda case: ("/bokeh/doc/", {"json": {"title": "t-" + case.token}}),
        check=check_title_created),
    ("/bokeh/doc/", "GET"): Route(
        login_needed, lambda case: ("/bokeh/doc/", {"params": {"title": "t-" + case.token}}),
        check=check_title_created),
    ("/bokeh/bokehinfo/<docid>/", "GET"): Route(
        read_needed, in_doc("/bokeh/bokehinfo/{docid}/"), document=True, temporary=True),
    ("/bokeh/doc/<docid>/", "GET"): Route(
        read_needed, in_doc("/bokeh/doc/{docid}/"), document=True, temporary=True),
    ("/bokeh/doc/<docid>/", "DELETE"): Route(
        delete_document, in_doc("/bokeh/doc/{docid}/"), document=True, fresh=True, write=True,
        check=check_deleted_from_list),
    ("/bokeh/objinfo/<docid>/<objid>", "GET"): Route(
        read_needed, in_doc("/bokeh/objinfo/{docid}/plot1"), document=True, temporary=True),
    ("/bokeh/getdocapikey/<docid>", "GET"): Route(
        read_needed, in_doc("/bokeh/getdocapikey/{docid}"), document=True, temporary=True,
        check=check_key_reply),
    ("/bokeh/<docid>/publish", "POST"): Route(
        publish_needed, in_doc("/bokeh/{docid}/publish"), document=True, temporary=True,
        fresh=True, write=True, check=check_published),
    ("/bokeh/bb/<docid>/gc", "POST"): Route(
        read_needed, in_doc("/bokeh/bb/{docid}/gc"), document=True, temporary=True, write=True,
        prepare=leave_garbage, check=check_garbage_collected),
    ("/bokeh/bb/<docid>/bulkupsert", "POST"): Route(
        write_needed,
        json_body(lambda case: title_write(case.token), "/bokeh/bb/{docid}/bulkupsert"),
        document=True, temporary=True, write=True, sets_title=True),
    ("/bokeh/bb/<docid>/", "GET"): Route(
        read_needed, in_doc("/bokeh/bb/{docid}/"), document=True, temporary=True),
    ("/bokeh/bb/<docid>/<typename>/", "GET"): Route(
        read_needed, in_doc("/bokeh/bb/{docid}/Plot/"), document=True, temporary=True),
    ("/bokeh/bb/<docid>/<typename>/", "POST"): Route(
        write_needed,
        json_body(lambda case: json.dumps({"id": case.token, "column_names": []}),
                  "/bokeh/bb/{docid}/ColumnDataSource/"),
        document=True, temporary=True, write=True),
    ("/bokeh/bb/<docid>/<typename>/<objid>/", "GET"): Route(
        read_needed, in_doc(OBJECT), document=True, temporary=True),
    ("/bokeh/bb/<docid>/<typename>/<objid>/", "PUT"): Route(
        write_needed, json_body(lambda case: json.dumps({"title": case.token}), OBJECT),
        document=True, temporary=True, write=True, sets_title=True),
    ("/bokeh/bb/<docid>/<typename>/<objid>/", "PATCH"): Route(
        write_needed, json_body(lambda case: json.dumps({"title": case.token}), OBJECT),
        document=True, temporary=True, write=True, sets_title=True),
    ("/bokeh/bb/<docid>/<typename>/<objid>/", "DELETE"): Route(
        delete_object, in_doc("/bokeh/bb/{docid}/ColumnDataSource/{token}/"), document=True,
        temporary=True, write=True, fresh=True, check=check_object_deleted),
    ("/bokeh/", "GET"): Route(page_login_needed, path_only("/bokeh/"), check=check_login_redirect),
    ("/", "GET"): Route(page_login_needed, path_only("/"), check=check_login_redirect),
    ("/bokeh/doc/<docid>/<objid>", "GET"): Route(
        object_page, in_doc("/bokeh/doc/{docid}/{pc}"), document=True, check=check_login_redirect),
    ("/bokeh/doc/<path:title>/show", "GET"): Route(
        show_page, in_doc("/bokeh/doc/{title}/show"), document=True),
    ("/bokeh/autoload.js/<elementid>", "GET"): Route(
        always(200), path_only("/bokeh/autoload.js/e1")),
    ("/bokeh/static/<path:path>", "GET"): Route(
        always(200), path_only("/bokeh/static/css/bokeh.css")),
    ("/bokehjs/static/<path:path>", "GET"): Route(
        always(200), path_only("/bokehjs/static/js/bokeh.js")),
    ("/bokehjs/src/<path:path>", "GET"): Route(always(404), path_only("/bokehjs/src/js/bokeh.js")),
    ("/static/<path:path>", "GET"): Route(always(200), path_only("/static/css/bokeh.css")),
    ("/bokeh/favicon.ico", "GET"): Route(always(200), path_only("/bokeh/favicon.ico")),
    ("/bokeh/jsgenerate/<parent>/<module>/<classname>", "GET"): Route(
        always(200), path_only("/bokeh/jsgenerate/Model/mymodule/MyModel")),
    ("/plotserver/help", "GET"): Route(always(200), path_only("/plotserver/help")),
    ("/bokeh/sampleerror", "GET"): Route(always(500), path_only("/bokeh/sampleerror")),
    ("/bokeh/login", "GET"): Route(always(200), path_only("/bokeh/login")),
    ("/bokeh/login", "POST"): Route(
        always(200), lambda case: ("/bokeh/login", {"data": {
            "username": case.world.owner.username, "password": PASSWORD, "api": "true"}}),
        check=check_owner_login),
    ("/bokeh/register", "GET"): Route(always(200), path_only("/bokeh/register")),
    ("/bokeh/register", "POST"): Route(
        always(200), lambda case: ("/bokeh/register", {"data": {
            "username": case.world.owner.username, "password": "x", "api": "true"}}),
        check=check_register_existing),
    ("/bokeh/loginfromapikey", "GET"): Route(
        always(302), lambda case: ("/bokeh/loginfromapikey", {"params": {
            "username": case.world.owner.username, "userapikey": case.world.owner.apikey}}),
        check=check_redirect_home),
    # Logging out ends every session of the user (its session epoch moves on): made with a
    # throwaway user's cookie, whoever the caller, so that the world's owner stays logged in.
    ("/bokeh/logout", "GET"): Route(always(302), lambda case: ("/bokeh/logout", {
        "cookies": {"session": register(case.world.url, unique("leaver-")).cookie}}),
        check=check_redirect_home),
    # A plain GET (no Upgrade) of the WebSocket endpoint; subscriptions: the tests below.
    ("/bokeh/sub", "GET"): Route(always(400), path_only("/bokeh/sub")),
}


def app_routes() -> set[tuple[str, str]]:
    """(rule, method) of every route the multi-user application serves."""
    from plotserver.app import create_app
    from plotserver.settings import Settings

    app = create_app(Settings(multi_user=True))
    return {(rule.rule, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_of_the_app_has_a_matrix_entry():
    served = app_routes()
    assert served - MATRIX.keys() == set(), "routes without an authorization matrix entry"
    assert MATRIX.keys() - served == set(), "matrix entries for routes the app does not serve"


def run_case(case: Case, route: Route, method: str) -> list[str]:
    world, http, doc = case.world, case.http, case.doc
    headers, cookies = credentials(world, case.who, doc)
    if case.temporary:
        headers[f"temporary-{doc.docid}"] = case.temporary
    path, kwargs = route.request(case)
    kwargs = dict(kwargs)
    headers.update(kwargs.pop("headers", {}))
    cookies = kwargs.pop("cookies", cookies)
    before = before_copy = None
    if route.prepare is not None:
        route.prepare(case)
    if route.write:
        before = snapshot(http, world.url, world.owner, doc)
        if case.temporary:
            before_copy = snapshot(http, world.url, world.owner, doc, case.temporary)
    case.reply = send(http, method, world.url + path, headers, cookies, **kwargs)
    problems = []
    status = case.reply.status_code
    if status != case.expected:
        problems.append(f"status {status}, expected {case.expected}: {case.reply.text[:200]!r}")
    problems += reply_problems(case.reply)
    if route.write:
        after = snapshot(http, world.url, world.owner, doc)
        if status >= 300 or case.temporary:
            if after != before:
                problems.append("the document changed")
        if case.temporary and status >= 300:
            if snapshot(http, world.url, world.owner, doc, case.temporary) != before_copy:
                problems.append("the copy-on-write copy changed")
        if route.sets_title and status == 200:
            written = snapshot(http, world.url, world.owner, doc, case.temporary)
            title = next(e["attributes"].get("title") for e in written if e["id"] == "plot1")
            if title != case.token:
                problems.append(f"an allowed write did not take: title {title!r}")
    if route.check is not None:
        problems += route.check(case)
    return problems


def push_problems(frames: list[tuple[str, str]], watch: Watch, cases: list[Case],
                  route: Route) -> list[str]:
    """Denied writes pushed nothing; allowed writes of a title pushed it on the right topic."""
    problems = []
    for case in cases:
        carrying = {topic for topic, text in frames if case.token in text}
        status = case.reply.status_code
        if status >= 300 and carrying:
            problems.append(f"{describe(case)}: denied ({status}) but pushed on {sorted(carrying)}")
        if route.sets_title and status == 200:
            expected = {watch.copy if case.temporary else watch.main}
            if carrying != expected:
                problems.append(f"{describe(case)}: pushed on {sorted(carrying)}, "
                                f"expected {sorted(expected)}")
    return problems


def describe(case: Case) -> str:
    state = "published" if case.published else "private"
    copy = " + temporary header" if case.temporary else ""
    return f"{case.who.name}, {state} document{copy}"


@pytest.mark.parametrize("rule, method", sorted(MATRIX), ids=lambda v: v)
def test_route_authorization_matrix(world, http, rule, method):
    """Every caller against one route, on a private and a published document, with and
    without a copy-on-write header; all differences from the table are reported at once."""
    route = MATRIX[(rule, method)]
    problems: list[str] = []
    if not route.document:
        for who in CALLERS:
            case = Case(world, http, world.private, who, False, None, unique(),
                        route.expect(who, False, False))
            problems += [f"{describe(case)}: {p}" for p in run_case(case, route, method)]
        assert problems == [], f"{method} {rule}:\n" + "\n".join(problems)
        return
    variants = [(who, published, temporary) for published in (False, True) for who in CALLERS
                for temporary in ((False, True) if route.temporary else (False,))]
    shared = {False: world.private, True: world.public}
    copies = {False: unique("temporary-"), True: unique("temporary-")}
    watches: dict[bool, Watch] = {}
    if route.write and not route.fresh:
        watches = {p: Watch(world.host, shared[p], copies[p]) for p in (False, True)}
    by_doc: dict[bool, list[Case]] = {False: [], True: []}
    for who, published, temporary in variants:
        token = unique()
        if route.fresh:
            doc = new_document(world.url, world.owner, published=published, source_id=token)
            copy = unique("temporary-")
            watch = Watch(world.host, doc, copy) if route.write else None
        else:
            doc, copy, watch = shared[published], copies[published], watches.get(published)
        case = Case(world, http, doc, who, published, copy if temporary else None, token,
                    route.expect(who, published, temporary))
        problems += [f"{describe(case)}: {p}" for p in run_case(case, route, method)]
        if route.fresh and watch is not None:
            problems += push_problems(watch.frames(), watch, [case], route)
        else:
            by_doc[published].append(case)
    for published, watch in watches.items():
        problems += push_problems(watch.frames(), watch, by_doc[published], route)
    assert problems == [], f"{method} {rule}:\n" + "\n".join(problems)


# --- named choices ----------------------------------------------------------------------------

def test_bokeh_api_key_header_overrides_the_logged_in_owner_as_in_the_original(world, http):
    """Quirk 11: a present BOKEH-API-KEY decides alone. The owner sending a wrong key (or only
    the read-only key) is refused what the key does not grant, by headers or by cookie."""
    owner, doc = world.owner, world.private
    before = snapshot(http, world.url, owner, doc)
    for credentials_ in ({"headers": owner.headers()}, {"cookies": {"session": owner.cookie}}):
        extra = credentials_.get("headers", {})
        cookies = credentials_.get("cookies")
        for key, read_status, write_status in (("wrong", 401, 401),
                                               (doc.readonlyapikey, 200, 401),
                                               (doc.apikey, 200, 200)):
            headers = {**extra, "BOKEH-API-KEY": key}
            read = send(http, "GET", f"{world.url}/bokeh/bb/{doc.docid}/", headers, cookies)
            assert read.status_code == read_status, (key, read.text)
            token = unique()
            write = send(http, "POST", f"{world.url}/bokeh/bb/{doc.docid}/bulkupsert", headers,
                         cookies, data=title_write(token))
            assert write.status_code == write_status, (key, write.text)
            if write_status != 200:
                assert reply_problems(write) == []
                assert snapshot(http, world.url, owner, doc) == before
            else:
                before = snapshot(http, world.url, owner, doc)
        # The published document stays readable whatever the key says.
        read = send(http, "GET", f"{world.url}/bokeh/bb/{world.public.docid}/",
                    {**extra, "BOKEH-API-KEY": "wrong"}, cookies)
        assert read.status_code == 200


def test_user_api_key_without_user_name_is_anonymous_closed_since_original_answered_500(world,
                                                                                         http):
    """Quirk 17: BOKEHUSER-API-KEY without BOKEHUSER, or naming nobody, is anonymous."""
    for headers in ({"BOKEHUSER-API-KEY": world.owner.apikey},
                    {"BOKEHUSER": "", "BOKEHUSER-API-KEY": world.owner.apikey},
                    {"BOKEHUSER": unique("nobody-"), "BOKEHUSER-API-KEY": world.owner.apikey},
                    {"BOKEHUSER": world.other.username, "BOKEHUSER-API-KEY": world.owner.apikey},
                    {"BOKEHUSER": world.owner.username}):
        reply = send(http, "GET", world.url + "/bokeh/userinfo/", headers)
        assert reply.status_code == 401, (headers, reply.text)
        assert reply_problems(reply) == []
        reply = send(http, "GET", f"{world.url}/bokeh/bb/{world.private.docid}/", headers)
        assert reply.status_code == 401, (headers, reply.text)


def test_copy_on_write_header_grants_no_key_and_no_publishing_closed_since_original(world, http):
    """A reader of a published document may write its own copy, but the temporary header
    neither reveals the read-write key nor lets that reader publish or write the original."""
    doc = new_document(world.url, world.owner, published=True)
    headers = {**world.other.headers(), f"temporary-{doc.docid}": unique("temporary-")}
    key = send(http, "GET", f"{world.url}/bokeh/getdocapikey/{doc.docid}", headers)
    assert key.json() == {"readonlyapikey": doc.readonlyapikey}
    before = snapshot(http, world.url, world.owner, doc)
    wrote = send(http, "POST", f"{world.url}/bokeh/bb/{doc.docid}/bulkupsert", headers,
                 data=title_write("copy"))
    assert wrote.status_code == 200
    assert snapshot(http, world.url, world.owner, doc) == before
    private = new_document(world.url, world.owner)
    headers = {**world.other.headers(), f"temporary-{private.docid}": unique("temporary-")}
    reply = send(http, "POST", f"{world.url}/bokeh/{private.docid}/publish", headers)
    assert reply.status_code == 401
    assert send(http, "GET", f"{world.url}/bokeh/bokehinfo/{private.docid}/").status_code == 401


# --- WebSocket subscriptions -------------------------------------------------------------------

def subscribe_reply(ws, topic: str, auth="absent") -> tuple[str, dict]:
    message = {"msgtype": "subscribe", "topic": topic}
    if auth != "absent":
        message["auth"] = auth
    ws.send(json.dumps(message))
    return split_frame(ws.recv())


def connect(host: str, **kwargs):
    return websocket.create_connection(f"ws://{host}/bokeh/sub", timeout=TIMEOUT, **kwargs)


UNAUTHORIZED = {"msgtype": "error", "error_msg": "unauthorized"}


def test_document_topic_needs_a_document_key_even_when_published_or_logged_in(world, http):
    """PROTOCOL 7.4: no key, a wrong key, null, the single-user key, another document's key,
    or a session cookie without a key: the error frame, then nothing of that document, even
    after it is published and written. Both of its keys work (the positive control)."""
    doc = new_document(world.url, world.owner)
    topic = f"bokehplot:{doc.docid}"
    refused = {}
    for name, auth, kwargs in (("no auth field", "absent", {}), ("null", None, {}),
                               ("empty", "", {}), ("wrong", "wrong-key", {}),
                               ("nokey", "nokey", {}), ("a number", 42, {}),
                               ("another document's key", world.foreign.apikey, {}),
                               ("the owner's cookie, no key", None,
                                {"cookie": f"session={world.owner.cookie}"}),
                               ("the owner's user key", world.owner.apikey, {})):
        ws = connect(world.host, **kwargs)
        assert subscribe_reply(ws, topic, auth) == (topic, UNAUTHORIZED), name
        refused[name] = ws
    allowed = {}
    for name, key in (("read-only key", doc.readonlyapikey), ("read-write key", doc.apikey)):
        ws = connect(world.host)
        got_topic, message = subscribe_reply(ws, topic, key)
        assert (got_topic, message["msgtype"]) == (topic, "status"), name
        allowed[name] = ws
    headers = world.owner.headers()
    assert send(http, "POST", f"{world.url}/bokeh/{doc.docid}/publish", headers).status_code == 200
    tokens = [unique(), unique()]
    assert send(http, "POST", f"{world.url}/bokeh/bb/{doc.docid}/bulkupsert", headers,
                data=title_write(tokens[0])).status_code == 200
    assert send(http, "PUT", f"{world.url}/bokeh/bb/{doc.docid}/Plot/plot1/", headers,
                data=json.dumps({"title": tokens[1]})).status_code == 200
    for name, ws in allowed.items():
        frames = fenced_frames(ws)
        assert [t for t, _ in frames] == [topic, topic], name
        for token, (_, text) in zip(tokens, frames):
            assert split_frame(text)[1]["msgtype"] == "modelpush" and token in text, name
    for name, ws in refused.items():
        assert fenced_frames(ws) == [], name


def test_user_topic_only_for_that_users_session_closed_since_original_let_anyone_follow(world,
                                                                                        http):
    """`bokehuser:<name>` carries that user's docchange notices: in multi-user mode only a
    connection whose session cookie is that user's is subscribed (the original let anyone)."""
    owner = world.owner
    topic = f"bokehuser:{owner.username}"
    mine = connect(world.host, cookie=f"session={owner.cookie}")
    got_topic, message = subscribe_reply(mine, topic, None)
    assert (got_topic, message["msgtype"]) == (topic, "status")
    refused = {}
    for name, kwargs, auth in (
            ("anonymous", {}, None),
            ("anonymous naming the user's key as auth", {}, owner.apikey),
            ("another user's cookie", {"cookie": f"session={world.other.cookie}"}, None),
            ("a forged cookie", {"cookie": "session=" + owner.cookie[:-3] + "AAA"}, None),
            ("wrong user key in headers",
             {"header": [f"BOKEHUSER: {owner.username}", "BOKEHUSER-API-KEY: wrong"]}, None),
            ("single-user identity headers",
             {"header": [f"BOKEHUSER: {owner.username}", "BOKEHUSER-API-KEY: nokey"]}, None),
            ("another user's headers", {"header": [f"{k}: {v}" for k, v in
                                                   world.other.headers().items()]}, None)):
        ws = connect(world.host, **kwargs)
        assert subscribe_reply(ws, topic, auth) == (topic, UNAUTHORIZED), name
        refused[name] = ws
    # The owner creates a document: a docchange on its topic (the positive control).
    assert send(http, "POST", world.url + "/bokeh/doc/", owner.headers(),
                json={"title": unique()}).status_code == 200
    frames = fenced_frames(mine)
    assert [json.loads(text[len(topic) + 1:]) for _, text in frames] == [{"msgtype": "docchange"}]
    for name, ws in refused.items():
        assert fenced_frames(ws) == [], name


# --- what a write accepts, every read answers ---------------------------------------------------

def nested(depth: int, kind: str):
    """A value with `depth` levels of lists (or objects) around a number."""
    value = 7
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


@pytest.mark.parametrize("kind", ["list", "dict"])
@pytest.mark.parametrize("depth", [250, 251, 252, 253])
def test_a_value_any_write_accepts_every_read_route_answers_intact(world, http, depth, kind):
    """Nested values near the JSON encoder's limit: a bulkupsert either refuses them with a
    4xx and stores nothing, or every read route (and the push) answers with the value as
    written; for the document and for a copy-on-write copy alike."""
    owner, doc = world.owner, new_document(world.url, world.owner)
    value = nested(depth, kind)
    body = json.dumps([{"type": "Plot", "id": "plot1",
                        "attributes": {"id": "plot1", "deep": value}}])
    base = world.url

    def plot_in(envelopes):
        return next(e for e in envelopes if e["id"] == "plot1")["attributes"]

    reads = {
        "bulk": (f"{base}/bokeh/bb/{doc.docid}/", plot_in),
        "object": (f"{base}/bokeh/bb/{doc.docid}/Plot/plot1/", lambda body: body),
        "objinfo": (f"{base}/bokeh/objinfo/{doc.docid}/plot1",
                    lambda body: plot_in(body["all_models"])),
        "bokehinfo": (f"{base}/bokeh/bokehinfo/{doc.docid}/",
                      lambda body: plot_in(body["all_models"])),
        "doc info": (f"{base}/bokeh/doc/{doc.docid}/", lambda body: plot_in(body["all_models"])),
        "type list": (f"{base}/bokeh/bb/{doc.docid}/Plot/", lambda body: body[0]),
    }
    copy = unique("temporary-")
    for temporary in (None, copy):
        headers = owner.headers()
        if temporary:
            headers[f"temporary-{doc.docid}"] = temporary
        before = snapshot(http, world.url, owner, doc, temporary)
        watch = Watch(world.host, doc, copy)
        wrote = send(http, "POST", f"{base}/bokeh/bb/{doc.docid}/bulkupsert", headers, data=body)
        pushes = watch.frames()
        if wrote.status_code != 200:
            assert 400 <= wrote.status_code < 500, wrote.text
            assert reply_problems(wrote) == []
            assert snapshot(http, world.url, owner, doc, temporary) == before
            assert pushes == []
            continue
        assert [topic for topic, _ in pushes] == [watch.copy if temporary else watch.main]
        assert plot_in(split_frame(pushes[0][1])[1]["modelspecs"])["deep"] == value
        failures = {}
        for name, (url, attributes_of) in reads.items():
            reply = send(http, "GET", url, headers)
            if reply.status_code != 200:
                failures[name] = f"{reply.status_code} {reply.text[:200]}"
            elif attributes_of(reply.json())["deep"] != value:
                failures[name] = "value changed"
        where = "a copy" if temporary else "the document"
        assert failures == {}, f"bulkupsert into {where} took depth {depth} ({kind}), reads failed"


# --- the copy-on-write header -------------------------------------------------------------------

BAD_TEMPORARY = {
    "dot segments": "temporary-../x",
    "no prefix": "x",
    "colon": "temporary-a:b",
    "slash": "temporary-a/b",
    "101 characters": "temporary-" + "a" * 101,
    "empty id": "temporary-",
    "space": "temporary-a b",
    "percent": "temporary-%2e%2e",
    "capital prefix": "Temporary-abc",
    "the document's own id": None,  # filled in with the docid
}


@pytest.mark.parametrize("name", sorted(BAD_TEMPORARY))
def test_temporary_header_must_be_a_plain_id_closed_since_original_stored_any_string(world, http,
                                                                                     name):
    """The copy's id becomes a storage key and a topic: anything but `temporary-` and 1-100
    letters, digits, '-', '_' is a 400 that stores and pushes nothing (reads too)."""
    owner = world.owner
    doc = new_document(world.url, owner)
    value = BAD_TEMPORARY[name] or doc.docid
    header = {f"temporary-{doc.docid}": value}
    before = snapshot(http, world.url, owner, doc)
    watch = Watch(world.host, doc, unique("temporary-"))
    tokens = []
    for cookies, headers in ((None, owner.headers()), ({"session": owner.cookie}, {})):
        token = unique()
        tokens.append(token)
        for method, path, data in (("POST", "/bulkupsert", title_write(token)),
                                   ("PUT", "/Plot/plot1/", json.dumps({"title": token})),
                                   ("GET", "/", None)):
            reply = send(http, method, f"{world.url}/bokeh/bb/{doc.docid}{path}",
                         {**headers, **header}, cookies, data=data)
            assert reply.status_code == 400, (method, path, reply.text)
            assert reply_problems(reply) == []
    assert snapshot(http, world.url, owner, doc) == before
    frames = watch.frames()
    assert not [t for t, text in frames if any(token in text for token in tokens)]


def test_temporary_header_of_100_characters_writes_the_copy_only(world, http):
    owner, doc = world.owner, new_document(world.url, world.owner)
    copy = "temporary-" + "a_-Z9" * 20
    before = snapshot(http, world.url, owner, doc)
    reply = send(http, "POST", f"{world.url}/bokeh/bb/{doc.docid}/bulkupsert",
                 {**owner.headers(), f"temporary-{doc.docid}": copy}, data=title_write("copy"))
    assert reply.status_code == 200, reply.text
    assert snapshot(http, world.url, owner, doc) == before
    seen = snapshot(http, world.url, owner, doc, copy)
    assert next(e for e in seen if e["id"] == "plot1")["attributes"]["title"] == "copy"


# --- pages ------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)"


def assert_page_safe(reply, *raw: str) -> None:
    assert reply.headers["Content-Type"].startswith("text/html"), reply.headers
    assert script_sources(reply) == ["'self'"], reply.headers.get("Content-Security-Policy")
    for text in (SCRIPT, *raw):
        assert text not in reply.text, f"{text!r} unescaped in {reply.url}"


def test_pages_show_user_strings_as_text_never_as_markup(world, http):
    url = world.url
    # A username with markup: refused, or shown escaped.
    crafted = "<img src=x onerror=alert(1)>"
    reply = send(http, "POST", url + "/bokeh/register",
                 data={"username": crafted, "password": PASSWORD, "api": "true"})
    assert reply.status_code == 200
    owner = world.owner
    if reply.json()["status"]:
        page = send(http, "GET", url + "/bokeh/", cookies={"session": reply.cookies["session"]})
        assert page.status_code == 200
        assert_page_safe(page, crafted)
        assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    # A document title with markup: data in JSON, text in pages.
    title = "<script>alert(1)</script>"
    new_document(url, owner, title=title)
    index = send(http, "GET", url + "/bokeh/", cookies={"session": owner.cookie})
    assert index.status_code == 200
    assert_page_safe(index, title)
    assert title in [d["title"] for d in
                     send(http, "GET", url + "/bokeh/userinfo/", owner.headers()).json()["docs"]]
    # The show page names its title (no '/' in it: the route's segment cannot hold one).
    show_title = "\"'><script>alert(1)<!--"
    new_document(url, owner, title=show_title)
    show = send(http, "GET", f"{url}/bokeh/doc/{quote(show_title, safe='')}/show",
                cookies={"session": owner.cookie})
    assert show.status_code == 200, show.text
    assert_page_safe(show, show_title)
    assert "&lt;script&gt;alert(1)" in show.text
    # The object page repeats its URL (object id and query) in the page.
    doc = world.public
    page = send(http, "GET", f"{url}/bokeh/doc/{doc.docid}/{quote(show_title, safe='')}",
                params={"public": "<script>alert(1)</script>", "x": "\"><script>alert(1)</script>"})
    assert page.status_code == 200, page.text
    assert_page_safe(page, show_title)
    # The login page repeats `next`, and shows flashed messages after a failed attempt.
    browser = session_from_new_address()
    login = browser.get(url + "/bokeh/login", params={"next": "/\"><script>alert(1)</script>"},
                        timeout=TIMEOUT)
    assert login.status_code == 200
    assert_page_safe(login)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    for path, fields in (("/bokeh/login", {"username": title, "password": "nope"}),
                         ("/bokeh/register", {"username": title, "password": "a",
                                              "password_confirm": "a"}),
                         ("/bokeh/register", {"username": crafted + "x", "password": "a",
                                              "password_confirm": "b"})):
        failed = browser.post(url + path, data={**fields, "csrf_token": token},
                              allow_redirects=False, timeout=TIMEOUT)
        assert failed.status_code == 302, failed.text
        again = browser.get(failed.headers["Location"], timeout=TIMEOUT)
        assert again.status_code == 200
        assert "ps-flash" in again.text  # the message is there, as text
        assert_page_safe(again, title, crafted)


def test_every_page_forbids_inline_and_foreign_scripts(world, http):
    """Every text/html answer (pages, redirects, the odd text/html routes) carries a policy
    whose script-src is 'self' only."""
    owner, doc = world.owner, world.private
    cookies = {"session": owner.cookie}
    for path in ("/", "/bokeh/", f"/bokeh/doc/{doc.docid}/{doc.plot_context_id}",
                 f"/bokeh/doc/{quote(doc.title)}/show", "/bokeh/login", "/bokeh/register",
                 "/plotserver/help", "/bokeh/ping", "/bokeh/wsurl/",
                 "/bokeh/jsgenerate/Model/m/Cls", "/bokeh/logout", "/bokeh/loginfromapikey"):
        for jar in (cookies, None):
            if path == "/bokeh/logout" and jar:  # would end the owner's sessions
                jar = {"session": register(world.url, unique("leaver-")).cookie}
            reply = send(http, "GET", world.url + path, cookies=jar)
            if reply.headers.get("Content-Type", "").startswith("text/html"):
                assert script_sources(reply) == ["'self'"], (path, reply.headers)
            assert reply.headers.get("X-Content-Type-Options") == "nosniff", path


# --- cookies and forms --------------------------------------------------------------------------

def session_data(cookie: str) -> dict:
    """The payload of a Flask session cookie (signed, not encrypted)."""
    compressed = cookie.startswith(".")
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return json.loads(zlib.decompress(raw) if compressed else raw)


def session_set_cookie(reply) -> str | None:
    for name, value in reply.raw.headers.items():
        if name.lower() == "set-cookie" and value.startswith("session="):
            return value
    return None


def test_session_cookie_is_httponly_and_samesite_lax(world):
    browser = session_from_new_address()
    for path, data in (("/bokeh/register", {"username": unique("u-"), "password": PASSWORD,
                                            "api": "true"}),
                       ("/bokeh/login", {"username": world.owner.username, "password": PASSWORD,
                                         "api": "true"})):
        reply = browser.post(world.url + path, data=data, timeout=TIMEOUT)
        assert reply.json()["status"] is True
        header = session_set_cookie(reply)
        assert header is not None, reply.headers
        attributes = {part.strip().split("=")[0].lower(): part.strip()
                      for part in header.split(";")[1:]}
        assert "httponly" in attributes, header
        assert attributes.get("samesite", "").lower() == "samesite=lax", header


def logged_in_as(browser: requests.Session, url: str) -> str | None:
    reply = browser.get(url + "/bokeh/userinfo/", timeout=TIMEOUT)
    return reply.json()["username"] if reply.status_code == 200 else None


def test_browser_login_form_needs_its_token_closed_since_original_had_none(world):
    """Cross-site request forgery: a form post without the token of the session's own login
    page is refused (403) and logs nobody in; with it, the login works."""
    url, owner = world.url, world.owner
    fields = {"username": owner.username, "password": PASSWORD}
    for extra in ({}, {"csrf_token": ""}, {"csrf_token": "forged"}):
        browser = session_from_new_address()
        browser.get(url + "/bokeh/login", timeout=TIMEOUT)  # a session with a token of its own
        reply = browser.post(url + "/bokeh/login", data={**fields, **extra},
                             allow_redirects=False, timeout=TIMEOUT)
        assert reply.status_code == 403, reply.text
        assert reply_problems(reply) == []
        cookie = reply.cookies.get("session")
        assert cookie is None or "username" not in session_data(cookie)
        assert logged_in_as(browser, url) is None
    # Another session's token does not fit this session.
    donor = session_from_new_address()
    donor_page = donor.get(url + "/bokeh/login", timeout=TIMEOUT).text
    donor_token = re.search(r'name="csrf_token" value="([^"]+)"', donor_page).group(1)
    thief = session_from_new_address()
    thief.get(url + "/bokeh/login", timeout=TIMEOUT)
    reply = thief.post(url + "/bokeh/login", data={**fields, "csrf_token": donor_token},
                       allow_redirects=False, timeout=TIMEOUT)
    assert reply.status_code == 403
    assert logged_in_as(thief, url) is None
    # The positive control: the token of this session's own login page.
    browser = session_from_new_address()
    page = browser.get(url + "/bokeh/login", timeout=TIMEOUT)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    reply = browser.post(url + "/bokeh/login", data={**fields, "csrf_token": token},
                         allow_redirects=False, timeout=TIMEOUT)
    assert reply.status_code == 302, reply.text
    assert urlsplit(reply.headers["Location"]).path == "/bokeh/"
    assert logged_in_as(browser, url) == owner.username


def test_account_api_refuses_pages_of_another_site(world):
    """The API face carries no token; a browser adds Origin to a cross-site POST: refused."""
    url, owner = world.url, world.owner
    for path, data in (("/bokeh/login", {"username": owner.username, "password": PASSWORD,
                                         "api": "true"}),
                       ("/bokeh/register", {"username": unique("u-"), "password": PASSWORD,
                                            "api": "true"})):
        browser = session_from_new_address()
        reply = browser.post(url + path, data=data, headers={"Origin": "http://evil.example"},
                             allow_redirects=False, timeout=TIMEOUT)
        assert reply.status_code == 403, reply.text
        assert reply_problems(reply) == []
        assert "session" not in reply.cookies or "username" not in session_data(
            reply.cookies["session"])
        assert logged_in_as(browser, url) is None
    # The same request from a page of this server (or from a script, without Origin) works.
    browser = session_from_new_address()
    reply = browser.post(url + "/bokeh/login", headers={"Origin": url},
                         data={"username": owner.username, "password": PASSWORD, "api": "true"},
                         timeout=TIMEOUT)
    assert reply.json()["status"] is True
    assert logged_in_as(browser, url) == owner.username


def test_login_link_from_another_site_does_not_log_in_closed_since_original(world):
    url, owner = world.url, world.owner
    params = {"username": owner.username, "userapikey": owner.apikey}
    browser = session_from_new_address()
    reply = browser.get(url + "/bokeh/loginfromapikey", params=params,
                        headers={"Sec-Fetch-Site": "cross-site"}, allow_redirects=False,
                        timeout=TIMEOUT)
    assert reply.status_code == 302
    assert urlsplit(reply.headers["Location"]).path == "/bokeh/login"
    assert logged_in_as(browser, url) is None
    # Positive control: the same link opened directly logs in.
    browser = session_from_new_address()
    reply = browser.get(url + "/bokeh/loginfromapikey", params=params,
                        headers={"Sec-Fetch-Site": "none"}, allow_redirects=False,
                        timeout=TIMEOUT)
    assert urlsplit(reply.headers["Location"]).path == "/bokeh/"
    assert logged_in_as(browser, url) == owner.username


def test_login_redirect_never_leaves_the_server(world):
    """`next` after a form login: a URL of this server, else home (no open redirect)."""
    url, owner = world.url, world.owner
    here = urlsplit(url).netloc
    for target, expected_path in (("http://evil.example/x", "/bokeh/"),
                                  ("//evil.example/x", "/bokeh/"),
                                  ("https:evil.example", "/bokeh/"),
                                  ("/bokeh/doc/x/y", "/bokeh/doc/x/y")):
        browser = session_from_new_address()
        page = browser.get(url + "/bokeh/login", timeout=TIMEOUT)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        reply = browser.post(url + "/bokeh/login", allow_redirects=False, timeout=TIMEOUT,
                             data={"username": owner.username, "password": PASSWORD,
                                   "csrf_token": token, "next": target})
        assert reply.status_code == 302
        location = urlsplit(reply.headers["Location"])
        assert location.netloc in ("", here), reply.headers["Location"]
        assert location.path == expected_path, reply.headers["Location"]


# --- login failures -----------------------------------------------------------------------------

def api_login(http, url, username, password):
    return http.post(url + "/bokeh/login", timeout=60,
                     data={"username": username, "password": password, "api": "true"})


def test_wrong_password_and_unknown_user_answer_alike(start_server):
    server = start_server("-m")
    user = register(server.url, "alice")
    wrong = api_login(session_from_new_address(), server.url, user.username, "not it")
    unknown = api_login(session_from_new_address(), server.url, "nobody-here", "not it")
    assert (wrong.status_code, wrong.content) == (unknown.status_code, unknown.content)
    assert wrong.json() == {"status": False, "error": "incorrect login "}
    answers = []
    for username in (user.username, "nobody-here"):
        browser = session_from_new_address()
        page = browser.get(server.url + "/bokeh/login", timeout=TIMEOUT)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        reply = browser.post(server.url + "/bokeh/login", allow_redirects=False, timeout=TIMEOUT,
                             data={"username": username, "password": "x", "csrf_token": token})
        flashed = browser.get(reply.headers["Location"], timeout=TIMEOUT)
        answers.append((reply.status_code, reply.headers["Location"], reply.content,
                        re.findall(r'class="ps-flash"[^>]*>([^<]*)<', flashed.text)))
    assert answers[0] == answers[1]


def test_repeated_login_failures_slow_down_per_username_and_per_address(start_server):
    """After 5 failures for one username (from anywhere) or from one address (for any
    usernames), the next attempt waits about a second, right or wrong; others do not."""
    server = start_server("-m")
    alice = register(server.url, "alice")
    bob = register(server.url, "bob")
    for _ in range(5):
        reply = api_login(session_from_new_address(), server.url, "alice", "wrong")
        assert reply.json()["status"] is False
    started = time.monotonic()
    reply = api_login(session_from_new_address(), server.url, "alice", alice.password)
    assert time.monotonic() - started >= 0.9
    assert reply.json()["status"] is True  # the wait tells nothing: a right password still works
    # Per address: five unknown usernames from one address.
    attacker = session_from_new_address()
    for n in range(5):
        assert api_login(attacker, server.url, f"guess{n}", "wrong").json()["status"] is False
    started = time.monotonic()
    assert api_login(attacker, server.url, "bob", bob.password).json()["status"] is True
    assert time.monotonic() - started >= 0.9
    # Bob from elsewhere is not slowed down by what another address did.
    started = time.monotonic()
    assert api_login(session_from_new_address(), server.url, "bob", bob.password).json()["status"]
    assert time.monotonic() - started < 0.9


# --- static files -------------------------------------------------------------------------------

ESCAPES = (
    "/bokehjs/static/../../pyproject.toml",
    "/bokehjs/static/../../../pyproject.toml",
    "/bokehjs/static/%2e%2e/%2e%2e/pyproject.toml",
    "/bokehjs/static/%2E%2E%2F%2E%2E%2Fpyproject.toml",
    "/bokehjs/static/..%2f..%2fpyproject.toml",
    "/bokehjs/static/..%2fapp.py",
    "/bokehjs/static/..%5capp.py",
    "/bokehjs/static/....//app.py",
    "/bokeh/static/../app.py",
    "/bokeh/static/%2e%2e/app.py",
    "/bokeh/static/..%2fapp.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e%2fapp.py",
    "/static/../app.py",
    "/static/..%2f..%2fpyproject.toml",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/bokehjs/static//etc/passwd",
    "/bokehjs/static/%2Fetc%2Fpasswd",
    "/bokeh/static/%2fetc/passwd",
    "/static/css/../../app.py",
    "/static/css/%2e%2e/%2e%2e/app.py",
    "/bokehjs/static/css/..%2F..%2F..%2Fpyproject.toml",
    "/static/%c0%ae%c0%ae/app.py",
    "/static/..%00/app.py",
    "/bokehjs/src/../../pyproject.toml",
)


def raw_get(srv, path: str) -> raw_http.Reply:
    return raw_http.exchange(srv, f"GET {path} HTTP/1.1\r\nHost: {srv.host}\r\n"
                                  "Connection: close\r\n\r\n".encode())


def test_static_paths_cannot_leave_the_static_folder(srv):
    """Raw requests (no client normalizes the dots): 404 and never a file's contents. A
    doubled slash (`//etc`, `%2f`) gets Werkzeug's 308 to the merged path, which stays in the
    same folder and answers 404."""
    assert raw_get(srv, "/static/css/bokeh.css").status == 200  # the positive control
    leaks = {}
    for path in ESCAPES:
        reply = raw_get(srv, path)
        if reply.status == 308:
            target = urlsplit(reply.headers["location"]).path
            prefix = path[:path.index("static/") + len("static/")]
            if not target.startswith(prefix) or ".." in target:
                leaks[path] = ("308 to", target)
                continue
            reply = raw_get(srv, target)
        body = reply.body
        if reply.status != 404 or b"[build-system]" in body or b"def create_app" in body \
                or b"root:" in body:
            leaks[path] = (reply.status, body[:120])
    assert leaks == {}


# --- the single-user identity in multi-user mode ----------------------------------------------

def test_defaultuser_nokey_is_nobody_in_multi_user_mode_closed_since_original_granted_it(
        start_server, tmp_path):
    """A database first used single-user holds `defaultuser` with the well-known key `nokey`
    and its documents; reopened with -m, those credentials are anonymous and never log in."""
    database = str(tmp_path / "db.sqlite3")
    single = start_server("--backend", "sqlite", "--sqlite-path", database)
    reply = requests.post(single.url + "/bokeh/doc/", json={"title": "legacy"}, timeout=TIMEOUT)
    assert reply.status_code == 200
    docid = next(d["docid"] for d in reply.json()["docs"] if d["title"] == "legacy")
    apikey = requests.get(f"{single.url}/bokeh/getdocapikey/{docid}",
                          timeout=TIMEOUT).json()["apikey"]
    assert single.stop() == 0

    multi = start_server("-m", "--backend", "sqlite", "--sqlite-path", database)
    nokey = {"BOKEHUSER": "defaultuser", "BOKEHUSER-API-KEY": "nokey"}
    http = requests.Session()
    reply = send(http, "GET", multi.url + "/bokeh/userinfo/", nokey)
    assert reply.status_code == 401 and reply_problems(reply) == []
    with_key = {"BOKEH-API-KEY": apikey}
    before = send(http, "GET", f"{multi.url}/bokeh/bb/{docid}/", with_key).json()
    assert send(http, "GET", f"{multi.url}/bokeh/bb/{docid}/", nokey).status_code == 401
    for method, path, data in (("POST", "/bulkupsert", title_write("taken")),
                               ("POST", "/gc", None)):
        reply = send(http, method, f"{multi.url}/bokeh/bb/{docid}{path}", nokey, data=data)
        assert reply.status_code == 401, reply.text
    assert send(http, "POST", f"{multi.url}/bokeh/{docid}/publish", nokey).status_code == 401
    assert send(http, "POST", multi.url + "/bokeh/doc/", nokey,
                json={"title": "mine"}).status_code == 401
    assert send(http, "GET", f"{multi.url}/bokeh/bb/{docid}/", with_key).json() == before
    for password in ("", "nokey", "defaultuser", "random$"):
        reply = api_login(session_from_new_address(), multi.url, "defaultuser", password)
        assert reply.json() == {"status": False, "error": "incorrect login "}, password
    browser = session_from_new_address()
    reply = browser.get(multi.url + "/bokeh/loginfromapikey", allow_redirects=False,
                        params={"username": "defaultuser", "userapikey": "nokey"}, timeout=TIMEOUT)
    assert urlsplit(reply.headers["Location"]).path == "/bokeh/login"
    assert logged_in_as(browser, multi.url) is None
    ws = websocket.create_connection(f"ws://{multi.host}/bokeh/sub", timeout=TIMEOUT,
                                     header=[f"{k}: {v}" for k, v in nokey.items()])
    assert subscribe_reply(ws, "bokehuser:defaultuser", None) == ("bokehuser:defaultuser",
                                                                   UNAUTHORIZED)
    ws.close()
    # Registering the name anew is refused too: it exists.
    reply = http.post(multi.url + "/bokeh/register", timeout=TIMEOUT,
                      data={"username": "defaultuser", "password": "mine", "api": "true"})
    assert reply.json() == {"status": False, "error": "user already exists"}
