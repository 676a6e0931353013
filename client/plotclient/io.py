"""The implicit output state of a plotting script (bokeh 0.10's `bokeh.io`).

One module-level state holds the current document (`curdoc()`), an optional server session
(`cursession()`, set by `output_server`), an optional file target (`output_file`) and a
notebook flag (`output_notebook`). `show()` sends the document wherever the targets say.

Browser: `show()` opens pages with the standard `webbrowser` module, so the `BROWSER`
environment variable decides which program runs. `PLOTCLIENT_BROWSER` (or bokeh's
`BOKEH_BROWSER`) set to `none` opens nothing; set to another value it names the browser
(`webbrowser.get(value)`), as does show's `browser` argument. When no browser opens the
page, `show()` prints its URL.

Server: `output_server(name)` talks to `$PLOTSERVER_URL` if set, else
`http://localhost:5006/`; `output_server(name, url="http://host:port/")` names another.

Sessions: a Session that `output_server()` built itself is closed (its socket released) when
a later `output_server()` replaces it or `reset_output()` forgets it; a Session the caller
passed in is left open, since the caller may still use it.

Files: `output_file()`/`save()` write one standalone HTML page that embeds the objects as
JSON and loads plotserver's page loader and stylesheet from a plot server, by default
`http://localhost:5006/bokehjs/static/...` - the current session's server if there is one,
else `PLOTCLIENT_RESOURCES_URL` if set, else the default server (`$PLOTSERVER_URL` or
`http://localhost:5006/`); `save(resources=<url>)` overrides.
"""

from __future__ import annotations

import html
import os
import warnings
import webbrowser
from pathlib import Path

from .session import Session, default_server_url

RESOURCES_URL_ENV = "PLOTCLIENT_RESOURCES_URL"
BROWSER_ENV_VARS = ("PLOTCLIENT_BROWSER", "BOKEH_BROWSER")
_NEW = {"same": 0, "window": 1, "tab": 2}  # show(new=...) -> webbrowser's `new`


class _State:
    """Where output goes. `reset()` forgets everything and starts an empty document."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.set_session(None)
        self._document = None  # made on first use, so importing io needs no models
        self.file: dict | None = None
        self.notebook = False

    def set_session(self, session: Session | None, owned: bool = False) -> None:
        """Make `session` current; `owned` means io built it (so io may close it). The
        session it replaces is closed if io built it."""
        previous = getattr(self, "session", None)
        if previous is not None and previous is not session and self._owns_session:
            previous.close()
        self.session = session
        self._owns_session = owned and session is not None

    @property
    def document(self):
        if self._document is None:
            from .document import Document
            self._document = Document()
        return self._document

    @document.setter
    def document(self, doc) -> None:
        self._document = doc


_state = _State()


def curdoc():
    """The current document (new figures are added to it)."""
    return _state.document


def cursession() -> Session | None:
    """The session set by `output_server()`, or None."""
    return _state.session


def reset_output() -> None:
    """Start over: a new empty document, no server, no file, no notebook."""
    _state.reset()


def output_server(docname: str, session: Session | None = None, url: str = "default",
                  name: str | None = None, clear: bool = True) -> Session:
    """Send output to the plot server's document titled `docname` (created if missing).

    Talks to the server at once: finds or creates the document, then loads it into
    `curdoc()`, which adopts the server's ids. With `clear` the document's top-level
    children are dropped locally (the next push replaces them on the server)."""
    created = session is None
    if created:
        if url == "default":
            url = default_server_url()
        session = Session(name=name or url, root_url=url)
    try:
        session.use_doc(docname)
        session.load_document(curdoc())
    except BaseException:
        if created:
            session.close()  # nobody else holds it
        raise
    if clear:
        curdoc().clear()
    _state.set_session(session, owned=created)
    return session


def output_file(filename: str, title: str = "Bokeh Plot", autosave: bool = False,
                mode: str = "inline", root_dir: str | None = None) -> None:
    """Make `show()`/`save()` write a standalone HTML file (see the module docstring).
    `mode` and `root_dir` are accepted for 0.10 compatibility; the page always loads
    plotserver's scripts from a server URL."""
    _state.file = {"filename": str(filename), "title": title, "autosave": autosave,
                   "mode": mode, "root_dir": root_dir}
    if os.path.isfile(filename):
        print(f"output_file: {filename!r} exists; show() or save() will replace it")


def output_notebook(url: str | None = None, docname: str | None = None,
                    session: Session | None = None, name: str | None = None,
                    resources=None, verbose: bool = False, hide_banner: bool = False) -> None:
    """Display `show()` output in the running Jupyter notebook; with a url, session or
    docname also send it to a plot server (as `output_server`)."""
    if _ipython() is None:
        raise NotImplementedError(
            "output_notebook() needs a running Jupyter/IPython kernel; in a plain script use "
            "output_server(...) or output_file(...)")
    if url or session or docname:
        output_server(docname or "IPython Session", session=session, url=url or "default",
                      name=name)
    _state.notebook = True


def push(session: Session | None = None, document=None):
    """Store the document's changed objects on the server (`Session.store_document`)."""
    session = session or _state.session
    if session is None:
        warnings.warn("push() called but there is no session: call output_server(...) first "
                      "or pass session=...; nothing was pushed")
        return None
    return session.store_document(document if document is not None else curdoc())


def show(obj, browser: str | None = None, new: str = "tab") -> None:
    """Show `obj`: with a server session, push the document and open its page; with a file
    target, save and open the file; in a notebook, display it inline."""
    if new not in _NEW:
        raise ValueError(f"new must be one of {sorted(_NEW)}, got {new!r}")
    session = _state.session
    if session is not None:
        doc = curdoc()
        if obj is not None and obj not in doc.context.references():
            # 0.10 pushed only what the document holds, so showing an object that was never
            # added (e.g. a vform) showed nothing; add it so the page shows it.
            doc.add(obj)
        push(session, doc)
        if _state.notebook:
            _display_html(session.autoload_tag(obj))
        else:
            _open(session.object_link(doc.context), browser, new)
    if _state.file is not None:
        path = save(obj)
        if not _state.notebook:
            _open(Path(path).resolve().as_uri(), browser, new)
    elif session is None and _state.notebook:
        _display_html(file_html(obj, resources=_resources_url(None)))
    elif session is None:
        warnings.warn("show() has nowhere to send the plot: call output_server(...) or "
                      "output_file(...) first")


def save(obj, filename: str | None = None, resources: str | None = None,
         title: str | None = None) -> str:
    """Write `obj` (and everything it references) as a standalone HTML page; returns the
    file name. Defaults come from `output_file()`."""
    target = _state.file or {}
    filename = filename or target.get("filename")
    if not filename:
        raise ValueError("save() needs a filename, or call output_file(filename) first")
    title = title or target.get("title") or "Bokeh Plot"
    Path(filename).write_text(file_html(obj, resources=_resources_url(resources), title=title),
                              encoding="utf-8")
    return str(filename)


def file_html(obj, resources: str, title: str = "Bokeh Plot") -> str:
    """A standalone page holding `obj`'s envelopes as JSON; plotserver's loader (from the
    `resources` server URL) draws it."""
    from .document import Document
    from .serialization import dumps_envelopes
    doc = Document()
    models = doc.dump(*obj.references())
    # "</" inside the JSON would end the <script> element early.
    data = dumps_envelopes(models).decode("utf-8").replace("</", "<\\/")
    root = resources.rstrip("/")
    element = f"plotserver-models-{obj.id}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{html.escape(title)}</title>
  <link rel="stylesheet" href="{html.escape(root)}/bokehjs/static/css/bokeh.css">
  <script type="module" src="{html.escape(root)}/bokehjs/static/js/bokeh.js"></script>
</head>
<body>
  <div class="plotserver-embed" data-mode="file" data-docid="{html.escape(doc.docid)}"
       data-objid="{html.escape(obj.id)}" data-models="{element}"
       data-prefix="{html.escape(root)}"></div>
  <script type="application/json" id="{element}">{data}</script>
</body>
</html>
"""


def _resources_url(explicit: str | None) -> str:
    if isinstance(explicit, str) and explicit:
        return explicit
    if _state.session is not None:
        return _state.session.root_url
    return os.environ.get(RESOURCES_URL_ENV) or default_server_url()


def _open(url: str, browser: str | None, new: str) -> None:
    """Open `url` in a web browser unless the environment says not to; when no browser
    opens it, say where the plot is (a script on a server has no browser to open)."""
    if browser is None:
        browser = next((os.environ[v] for v in BROWSER_ENV_VARS if os.environ.get(v)), None)
    opened = False
    if browser is None or browser.lower() != "none":
        controller = webbrowser.get(browser) if browser else webbrowser
        # False when no browser can be run (a server without a desktop)
        opened = controller.open(url, new=_NEW[new])
    if not opened:
        print(f"The plot is at {url}")


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _display_html(text: str) -> None:
    from IPython.display import HTML, display
    display(HTML(text))


# bokeh 0.10's bokeh.io also offered the layout functions (they live in layouts.py, which
# imports this module lazily, so importing them here at the end is not circular).
from .layouts import gridplot, hplot, vform, vplot  # noqa: E402,F401
