"""HTML pages, the autoload embed script, static files and the original's odds and ends
(PROTOCOL 5.7, 5.9). The pages carry plotserver's own loader and styles only."""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path

from urllib.parse import quote, urlencode

from flask import Blueprint, Response, redirect, render_template, request, send_from_directory

from .. import auth
from ..protocol import ApiError, bad_request, not_found
from .common import caller, cors, current_user, mount_prefix, store

bp = Blueprint("pages", __name__)
# Never prefixed, like the original application's static folder.
root_static_bp = Blueprint("root_static", __name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


# A static import in one of plotserver's own modules: `import ... from './x.js';` on a line
# of its own, as every one of them is written (dynamic import() calls are not matched).
_STATIC_IMPORT = re.compile(r"^import\s[^;]*?\sfrom\s+'(\.{1,2}/[^']+\.js)';", re.M | re.S)
# Glyph modules load when a document first shows their glyph (glyphs/index.js); the ones
# most plots draw come with the page, so that their first paint does not wait for them.
LIKELY_GLYPHS = ("glyphs/line.js", "glyphs/circle.js")


def _page_modules(entry: str = "bokeh.js") -> list[str]:
    """Every module the loader imports, directly or not, plus the likely glyphs and the push
    worker's own: named in the page, the browser fetches them all at once instead of
    discovering them level by level (seven levels deep)."""
    root = STATIC_DIR / "js"
    found: set[str] = set()
    todo = [entry, "push_worker.js", *LIKELY_GLYPHS]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        text = (root / name).read_text(encoding="utf-8")
        folder = (root / name).parent
        for target in _STATIC_IMPORT.findall(text):
            todo.append((folder / target).resolve().relative_to(root.resolve()).as_posix())
    found.discard(entry)
    return sorted(found)


MODULES = _page_modules()


def _uri_component(text: str) -> str:
    """`text` as JavaScript's encodeURIComponent() writes it."""
    return quote(text, safe="!~*'()")


def _page_context(page_title: str, **extra) -> dict:
    prefix = mount_prefix()
    return {"prefix": prefix, "static_url": prefix + "/bokehjs/static", "modules": MODULES,
            "page_title": page_title, **extra}


def _html(body: str) -> Response:
    return Response(body, mimetype="text/html")


def login_redirect(next_url: str | None = None) -> Response:
    """302 to the login page (PROTOCOL 5.1), which comes back to `next_url` after a login."""
    target = request.host_url.rstrip("/") + mount_prefix() + "/bokeh/login"
    if next_url:
        target += "?" + urlencode({"next": next_url})
    return redirect(target, 302)


@bp.get("/")
@bp.get("/bokeh/")
def index_page():
    who = caller()
    if who.multi_user and who.user is None:
        return login_redirect()
    user = current_user()
    return _html(render_template("index_page.html",
                                 **_page_context("Bokeh Plot Server", username=user.username)))


@bp.get("/bokeh/doc/<docid>/<objid>")
def object_page(docid, objid):
    """The page `show()` opens. The object id is not checked here; the page's own request
    for it reports a missing one. Multi-user: an anonymous visitor of a document it may not
    read is sent to log in first; a logged-in user gets the page, whose own requests are
    then authorized one by one (PROTOCOL 5.7)."""
    who = caller()
    doc = store().get_doc(docid)
    if who.multi_user and who.user is None and not auth.can_read(doc, who):
        return login_redirect(request.url)
    public = request.args.get("public", "").lower() == "true"
    context = _page_context("Bokeh Plot Server \u2014 ", docid=doc.docid, objid=objid,
                            public=public, request_url=request.url)
    if not public:
        # The page's first request, named here so that it starts with the module fetches. The
        # page's own fetch must match it exactly: encoded as encodeURIComponent() encodes, and
        # without the temporary-<docid> header a public page adds (so not on those).
        context["preload_url"] = (f"{context['prefix']}/bokeh/objinfo/{_uri_component(doc.docid)}/"
                                  f"{_uri_component(objid)}")
    return _html(render_template("object_page.html", **context))


@bp.get("/bokeh/doc/<path:title>/show")  # a title may hold "/"
@cors()
def show_page(title):
    user = current_user()
    if user.doc_titled(title) is None:
        raise not_found(f"user {user.username!r} has no document titled {title!r}")
    context = _page_context(f"Bokeh Plot Server \u2014 {title}", title=title,
                            username=user.username)
    return _html(render_template("show_page.html", **context))


@bp.get("/bokeh/autoload.js/<elementid>")
def autoload_script(elementid):
    """Script for `<script src=".../autoload.js/<id>" id="<id>" data-bokeh-...>` embed tags
    (PROTOCOL 10.9, 11.6): puts a plot container before its tag and mounts the loader."""
    root = request.host_url.rstrip("/") + mount_prefix()
    script = AUTOLOAD_TEMPLATE.replace("__ELEMENT_ID__", json.dumps(elementid)).replace(
        "__ROOT__", json.dumps(root))
    return Response(script, content_type="application/javascript")


AUTOLOAD_TEMPLATE = """(function () {
  "use strict";
  var elementId = __ELEMENT_ID__, root = __ROOT__;
  var tag = document.getElementById(elementId);
  if (!tag) { console.error("plotserver autoload: no <script> tag with id " + elementId); return; }
  var data = tag.dataset;
  var pane = document.createElement("div");
  pane.className = "plotserver-embed";
  pane.dataset.docid = data.bokehDocid || "";
  pane.dataset.objid = data.bokehModelid || "";
  pane.dataset.public = String((data.bokehPublic || "").toLowerCase() === "true");
  // The tag's root URL wins (it may name another host); else this server's.
  pane.dataset.prefix = (data.bokehRootUrl || root).replace(/\\/+$/, "");
  tag.parentNode.insertBefore(pane, tag);
  if (!document.querySelector("link[data-plotserver-css]")) {
    var css = document.createElement("link");
    css.rel = "stylesheet"; css.href = root + "/bokehjs/static/css/bokeh.css";
    css.setAttribute("data-plotserver-css", "");
    document.head.appendChild(css);
  }
  if (window.plotserver && window.plotserver.mountAll) { window.plotserver.mountAll(); return; }
  if (!document.querySelector("script[data-plotserver-loader]")) {
    var js = document.createElement("script");
    js.type = "module"; js.src = root + "/bokehjs/static/js/bokeh.js";
    js.setAttribute("data-plotserver-loader", "");
    document.head.appendChild(js);
  }
})();
"""


def _static(path: str) -> Response:
    # The original's page paths name minified twins; plotserver ships one file of each.
    path = path.replace(".min.", ".")
    try:
        response = send_from_directory(STATIC_DIR, path, max_age=0)
    except Exception as exc:  # werkzeug's NotFound, or a path escaping the folder
        raise not_found(f"no static file {path!r}") from exc
    # The loader is an ES module: an autoload embed on another site, or an
    # output_file() page opened from disk (origin "null"), may only run it,
    # and the modules it imports, when the server allows any origin.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/bokehjs/static/<path:path>")
@bp.get("/bokeh/static/<path:path>")
def static_file(path):
    return _static(path)


@root_static_bp.get("/static/<path:path>")
def root_static_file(path):
    return _static(path)


@bp.get("/bokehjs/src/<path:path>")
def source_file(path):
    raise not_found("plotserver serves no development sources")


@bp.get("/bokeh/favicon.ico")
def favicon():
    return send_from_directory(STATIC_DIR, "favicon.ico", mimetype="image/x-icon")


@bp.get("/bokeh/jsgenerate/<parent>/<module>/<classname>")
def generated_model_class(parent, module, classname):
    """A snippet declaring model `classname` as a subclass of `parent` for applet pages; the
    loader's registry picks it up (served as text/html, like the original)."""
    for name in (parent, module, classname):
        if not _IDENTIFIER.match(name):
            raise bad_request(f"{name!r} is not a JavaScript identifier")
    snippet = ("(window.plotserverPendingModels = window.plotserverPendingModels || [])"
               f".push({json.dumps({'parent': parent, 'module': module, 'name': classname})});\n")
    return _html(snippet)


def readme_text() -> str:
    """plotserver's README: the installed package's long description, or the file next to a
    source checkout."""
    try:
        text = importlib.metadata.metadata("plotserver").get_payload()
    except importlib.metadata.PackageNotFoundError:
        text = ""
    if not text:
        checkout_readme = STATIC_DIR.parent.parent / "README.md"
        text = checkout_readme.read_text(encoding="utf-8") if checkout_readme.is_file() else ""
    return text or "plotserver: no README was installed with this copy."


@bp.get("/plotserver/help")
def help_page():
    """Where the toolbar's help button leads (unless the HelpTool names a URL of its own)."""
    return _html(render_template("help_page.html", readme=readme_text(),
                                 static_url=mount_prefix() + "/bokehjs/static"))


@bp.get("/bokeh/sampleerror")
def sample_error():
    """The original's deliberate failure, kept so the error path can be exercised."""
    raise ApiError(500, "internal", "sample error: this route always fails (test route)")


