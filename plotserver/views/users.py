"""Accounts (PROTOCOL 5.8): register, login, logout, login from an API key. Multi-user mode
only; a single-user server answers a clear 404 (the original answered 500).

Each POST route has two faces: the API the Python clients use (form field `api` set; a JSON
answer) and the browser form (a redirect with a flashed message). Browser forms carry a
token tied to the session cookie (cross-site request forgery); the API face carries none,
since the original clients send none, so a browser-made API request from another site is
refused by its Origin header instead (browsers send one with every POST; Python clients
do not)."""

from __future__ import annotations

import hmac
import logging
import secrets
from urllib.parse import urlencode, urlsplit

import gevent
from flask import Blueprint, Response, flash, get_flashed_messages, redirect, render_template
from flask import request, session

from .. import accounts, auth
from ..protocol import bad_request, forbidden, not_found
from .common import caller, mount_prefix, runtime, status_json

bp = Blueprint("users", __name__)
log = logging.getLogger("plotserver.views")

SINGLE_USER_ONLY = ("accounts exist only in multi-user mode; this server runs single-user "
                    "(start it with -m for accounts)")
INCORRECT_LOGIN = "incorrect login "  # the original's words, trailing space included
USER_EXISTS = "user already exists"
REGISTRATION_CLOSED = ("this server does not take registrations; ask its administrator for an "
                       "account (plotserver user add)")

_throttle = accounts.LoginThrottle()


@bp.before_request
def _multi_user_only():
    if not runtime().settings.multi_user:
        raise not_found(SINGLE_USER_ONLY)


# --- helpers ---------------------------------------------------------------------------------

def _home() -> str:
    return request.host_url.rstrip("/") + mount_prefix() + "/bokeh/"


def _page(name: str) -> str:
    return request.host_url.rstrip("/") + mount_prefix() + "/bokeh/" + name


def _safe_next(target: str | None) -> str:
    """Where to go after a login: the `next` URL when it is on this server, else home
    (an open redirect to another site would lend this server's name to a phishing page)."""
    if target:
        parts = urlsplit(target)
        here = urlsplit(request.host_url)
        if (parts.scheme in ("http", "https") and parts.netloc == here.netloc) or (
                not parts.scheme and not parts.netloc and target.startswith("/")
                and not target.startswith("//")):
            return target
    return _home()


def csrf_token() -> str:
    token = session.get("csrf")
    if type(token) is not str:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def _check_csrf() -> None:
    expected = session.get("csrf")
    given = request.form.get("csrf_token", "")
    if type(expected) is not str or not hmac.compare_digest(expected.encode(), given.encode()):
        raise forbidden("the form is out of date or was sent from another site; reload the "
                        "page and try again")


def _check_api_origin() -> None:
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc != urlsplit(request.host_url).netloc:
        raise forbidden("account requests from pages of another site are refused")


def _form_fields(*names: str) -> list[str]:
    """Required form fields (400 when missing, as the original; JSON bodies are refused)."""
    if request.is_json:
        raise bad_request("send the fields form-encoded, not as JSON")
    values = []
    for name in names:
        value = request.form.get(name)
        if value is None:
            raise bad_request(f"the form field {name!r} is required")
        values.append(value)
    return values


def _account_post() -> tuple[str, str, bool]:
    """The username, password and face (API or browser form) of a login or register POST,
    once the face's cross-site check has passed."""
    username, password = _form_fields("username", "password")
    api = bool(request.form.get("api"))
    if api:
        _check_api_origin()
    else:
        _check_csrf()
    return username, password, api


def _log_in(user) -> None:
    """A new session for `user` (a fresh cookie: nothing from before the login carries over)."""
    session.clear()
    session["username"] = user.username
    session["epoch"] = user.session_epoch
    session["csrf"] = secrets.token_urlsafe(32)
    log.info("%s logged in; a script may use output_server(docname, username=%r, "
             "userapikey=<the user's key>)", user.username, user.username)


def _render(template: str, **context) -> Response:
    prefix = mount_prefix()
    body = render_template(template, prefix=prefix, static_url=prefix + "/bokehjs/static",
                           csrf_token=csrf_token(), messages=get_flashed_messages(),
                           open_registration=runtime().settings.open_registration, **context)
    return Response(body, mimetype="text/html")


# --- routes ----------------------------------------------------------------------------------

@bp.route("/bokeh/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return _render("account_page.html", page_title="Log in - Bokeh Plot Server",
                       heading="Log in", action="login", register=False,
                       next=_safe_next(request.args.get("next")))
    username, password, api = _account_post()
    address = request.remote_addr or ""
    wait = _throttle.delay(username, address)
    if wait:
        gevent.sleep(wait)
    user = runtime().backend.get_user(username) if len(username) <= accounts.MAX_USERNAME else None
    # The single-user `defaultuser` can never log in: its hash is not a password's.
    if not accounts.password_matches(user, password):
        _throttle.failed(username, address)
        if api:
            return status_json({"status": False, "error": INCORRECT_LOGIN})
        flash("incorrect login")
        # Back to the form, which still leads where the visitor was going.
        target = request.form.get("next")
        query = "?" + urlencode({"next": _safe_next(target)}) if target else ""
        return redirect(_page("login") + query, 302)
    _throttle.succeeded(username)
    _log_in(user)
    if api:
        return status_json({"status": True, "userapikey": user.apikey})
    return redirect(_safe_next(request.form.get("next")), 302)


@bp.route("/bokeh/register", methods=["GET", "POST"])
def register():
    closed = not runtime().settings.open_registration
    if request.method == "GET":
        if closed:
            flash(REGISTRATION_CLOSED)
            return redirect(_page("login"), 302)
        return _render("account_page.html", page_title="Register - Bokeh Plot Server",
                       heading="Create an account", action="register", register=True, next="")
    username, password, api = _account_post()
    if closed:
        if api:
            return status_json({"status": False, "error": REGISTRATION_CLOSED})
        flash(REGISTRATION_CLOSED)
        return redirect(_page("login"), 302)
    if not api and password != request.form.get("password_confirm"):
        flash("password and confirmation do not match")
        return redirect(_page("register"), 302)
    try:
        user = accounts.new_user(username, password)
    except accounts.AccountError as exc:
        return _refuse_registration(api, str(exc))
    if not runtime().backend.create_user(user):
        return _refuse_registration(api, USER_EXISTS)
    _log_in(user)
    if api:
        return status_json({"status": True, "userapikey": user.apikey})
    return redirect(_home(), 302)


def _refuse_registration(api: bool, reason: str) -> Response:
    if api:
        return status_json({"status": False, "error": reason})
    flash(reason)
    return redirect(_page("register"), 302)


@bp.get("/bokeh/loginfromapikey")
def login_from_apikey():
    """The Python client's `browser_login()` opens this in a browser. A link from another
    site (Sec-Fetch-Site: cross-site) is refused: it could log a visitor in as someone else."""
    username = request.args.get("username", "")
    key = request.args.get("userapikey", "")
    address = request.remote_addr or ""
    user = None
    if request.headers.get("Sec-Fetch-Site") != "cross-site":
        wait = _throttle.delay(username, address)
        if wait:
            gevent.sleep(wait)
        user = auth.user_from_headers(runtime().backend, username, key)
    if user is None:
        _throttle.failed(username, address)
        flash("incorrect login")
        return redirect(_page("login"), 302)
    _log_in(user)
    return redirect(_home(), 302)


@bp.get("/bokeh/logout")
def logout():
    """Ends every session of the user, not only this browser's: the cookie itself cannot be
    taken back (a copy of it would stay valid), so the user's session epoch moves on."""
    who = caller()
    session.pop("username", None)
    session.pop("epoch", None)
    if who.user is not None and runtime().settings.multi_user:
        runtime().store.end_sessions(who.user.username)
    return redirect(_home(), 302)

