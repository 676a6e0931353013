"""The object routes under /bokeh/bb/ (PROTOCOL 5.6): bulk reads, bulkupsert, gc, and the
Backbone-style single-object route used by pages."""

from __future__ import annotations

from flask import Blueprint, request

from .. import auth, protocol
from ..auth import Caller
from ..documents import DocumentStore, attributes_as_envelope, parse_body_envelopes
from .common import (caller, cors, document_for, json_response, lookup_document, model_json,
                     status_json, store)

bp = Blueprint("backbone", __name__)


@bp.post("/bokeh/bb/<docid>/gc")
def collect_garbage(docid):
    # The Python client sends a JSON content type with an empty body: never parse it.
    # Its load_document() collects garbage before every read, so a reader who may not write
    # (another user on a published document) gets a success that collects nothing: the
    # original answered 401 there, and its clients could not load a published document.
    # Garbage is invisible to every read, so leaving it changes nothing anyone sees.
    doc, temporary = document_for(docid)
    if auth.can_write(doc, caller(), temporary is not None):
        store().gc(doc, temporary)
    return status_json({"status": "success"})


@bp.post("/bokeh/bb/<docid>/bulkupsert")
def bulk_upsert(docid):
    # Normally answered before Flask runs, by bulkupsert_middleware.py.
    header = request.headers.get("temporary-" + docid)
    return json_response(bulk_upsert_reply(store(), docid, header, request.get_data(), caller()))


def bulk_upsert_reply(documents: DocumentStore, docid: str, temporary_header: str | None,
                      body: bytes, who: Caller) -> memoryview:
    doc, temporary = lookup_document(documents, docid, temporary_header, who, write=True)
    incoming = parse_body_envelopes(body)
    # The reply is the very modelpush that was broadcast (PROTOCOL 5.6.2). A streaming
    # script stores one data source at a time: its text can go out as it came.
    sent_text = protocol.only_item_text(body) if len(incoming) == 1 else None
    return documents.upsert(doc, temporary, incoming, sent_text)


@bp.get("/bokeh/bb/<docid>/")
def all_objects(docid):
    doc, temporary = document_for(docid)
    return json_response(store().all_envelopes(doc, temporary))


@bp.get("/bokeh/bb/<docid>/<typename>/")
def objects_of_type(docid, typename):
    # An empty list when nothing has that type (the original answered everything, quirk 6).
    doc, temporary = document_for(docid)
    return model_json(store().attributes_of_type(doc, temporary, typename))


@bp.post("/bokeh/bb/<docid>/<typename>/")
def create_object(docid, typename):
    doc, temporary = document_for(docid, write=True)
    item = attributes_as_envelope(typename, None, request.get_data())
    obj = store().create_object(doc, temporary, item)
    return model_json(obj.envelope(doc.docid)["attributes"])


OBJECT_ROUTE = "/bokeh/bb/<docid>/<typename>/<objid>/"


@bp.get(OBJECT_ROUTE)
@cors("GET, PATCH, PUT")
def get_object(docid, typename, objid):
    # The type segment is not checked, as in the original: ids are unique in a document.
    doc, temporary = document_for(docid)
    return model_json(store().get_object(doc, temporary, objid).envelope(doc.docid)["attributes"])


@bp.route(OBJECT_ROUTE, methods=["PUT", "PATCH"])
@cors("GET, PATCH, PUT")
def update_object(docid, typename, objid):
    """PUT and PATCH both merge the given attributes (the original made no difference). The
    reply is deliberately not the attributes: the new state arrives as a modelpush."""
    doc, temporary = document_for(docid, write=True)
    item = attributes_as_envelope(typename, objid, request.get_data())
    store().upsert(doc, temporary, [item])
    return model_json({"noop": True})


@bp.delete(OBJECT_ROUTE)
@cors("GET, PATCH, PUT")
def delete_object(docid, typename, objid):
    doc, temporary = document_for(docid, write=True)
    store().delete_object(doc, temporary, objid)
    return status_json({"status": "success"})
