"""Liveness, user info, the WebSocket URL, and documents: create, find, info, keys, publish,
delete (PROTOCOL 5.3-5.5)."""

from __future__ import annotations

import logging

import orjson
from flask import Blueprint, Response, request

from .. import auth, protocol
from ..models import Doc
from ..protocol import bad_request
from .common import (caller, cors, current_user, document_for, model_json, mount_prefix, runtime,
                     status_json, store)

bp = Blueprint("documents", __name__)
log = logging.getLogger("plotserver.views")


@bp.get("/bokeh/ping")
def ping():
    return Response("pong", mimetype="text/html")


@bp.get("/bokeh/userinfo/")
@cors()
def userinfo():
    return model_json(current_user().public())


@bp.get("/bokeh/wsurl/")
@cors()
def wsurl():
    settings = runtime().settings
    if settings.ws_conn_string:
        url = settings.ws_conn_string
    else:
        scheme = "wss" if request.scheme == "https" else "ws"
        url = f"{scheme}://{request.host}{mount_prefix()}/bokeh/sub"
    return Response(url, mimetype="text/html")


def _title_from_request() -> str:
    """`title` from a JSON body (when the request says JSON), else from the form or query."""
    title = None
    if request.is_json:
        body = protocol.loads(request.get_data())
        if type(body) is not dict:
            raise bad_request("JSON body must be an object with a 'title'")
        title = body.get("title")
    else:
        title = request.values.get("title")
    if type(title) is not str or not title:
        raise bad_request("a non-empty 'title' is required")
    return title


@bp.post("/bokeh/doc/")
def create_document():
    title = _title_from_request()
    user = current_user()
    store().create_document(user, title)
    # The caller's record as creating the document left it: its list now names the document.
    return model_json(runtime().backend.get_user(user.username).public())


def docinfo(doc: Doc, temporary: str | None) -> dict:
    """What bokehinfo, doc info and find-by-title answer. `apikey` is the read-only key, even
    for the owner (quirk 2): pages subscribe with it."""
    models = orjson.Fragment(store().all_envelopes(doc, temporary))  # already encoded
    return {"plot_context_ref": doc.plot_context_ref, "docid": doc.docid,
            "all_models": models, "apikey": doc.readonlyapikey}


@bp.get("/bokeh/doc/")
@cors()
def find_or_create_document():
    title = request.args.get("title") or _title_from_request()
    doc = store().find_or_create(current_user(), title)
    return model_json(docinfo(doc, None))


@bp.get("/bokeh/doc/<docid>/")
@bp.get("/bokeh/bokehinfo/<docid>/")
@cors()
def document_info(docid):
    doc, temporary = document_for(docid)
    return model_json(docinfo(doc, temporary))


@bp.delete("/bokeh/doc/<docid>/")
def delete_document(docid):
    return model_json(store().remove_from_user(current_user(), docid).public())


@bp.get("/bokeh/objinfo/<docid>/<objid>")
@cors()
def object_info(docid, objid):
    doc, temporary = document_for(docid)
    obj, models = store().object_closure(doc, temporary, objid)
    info = {"plot_context_ref": doc.plot_context_ref, "docid": doc.docid,
            "all_models": orjson.Fragment(models), "apikey": doc.readonlyapikey, "type": obj.type}
    return model_json(info)


@bp.get("/bokeh/getdocapikey/<docid>")
def document_apikey(docid):
    # "auto": the read-write key to a writer, the read-only key to a reader (PROTOCOL 4.4).
    doc = store().get_doc(docid)
    return status_json(auth.key_for(doc, caller()))


@bp.post("/bokeh/<docid>/publish")
def publish_document(docid):
    # Write permission on the document itself: a copy-on-write header grants nothing here.
    doc, _ = document_for(docid, write=True, use_temporary=False)
    store().publish(doc)
    return status_json({"status": "success"})
