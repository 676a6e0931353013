"""Accounts (PROTOCOL 5.8): register, login, logout, login from an apikey. They exist only in
multi-user mode; a single-user server answers a clear 404 (the original answered 500)."""

from __future__ import annotations

from flask import Blueprint

from ..protocol import not_found

bp = Blueprint("users", __name__)

SINGLE_USER_ONLY = ("accounts exist only in multi-user mode; this server runs single-user "
                    "(start it with -m for accounts)")


@bp.route("/bokeh/login", methods=["GET", "POST"])
@bp.route("/bokeh/register", methods=["GET", "POST"])
@bp.get("/bokeh/loginfromapikey")
@bp.get("/bokeh/logout")
def accounts():
    raise not_found(SINGLE_USER_ONLY)
