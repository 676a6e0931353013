"""plotclient against a live multi-user plotserver (-m): register, show, publish, log in
elsewhere, load the published document as another user; streaming with the credentials of a
saved configuration (headers only, no cookie); what other users may not do."""

from __future__ import annotations

import pytest
import requests

from plotclient.document import Document
from plotclient.errors import LoginError, UnauthorizedError
from plotclient.io import cursession, output_server, show
from plotclient.session import Session

pytestmark = pytest.mark.usefixtures("isolated_client")


@pytest.fixture
def mu_server(start_server):
    return start_server("-m")


def plotting():
    import plotclient.plotting as plt
    return plt


def test_register_show_publish_then_another_session_loads_it(mu_server):
    plt = plotting()
    root = mu_server.url + "/"
    s = Session(name="mu", root_url=root, load_from_config=False)
    s.register("alice", "alicepw")
    output_server("alice_doc", session=s)
    p = plt.figure(plot_width=300, plot_height=300)
    p.circle([1, 2, 3], [3, 1, 2], name="pts")
    show(p)
    s.publish()
    docid = s.docid

    s2 = Session(name="mu2", root_url=root, load_from_config=False)
    s2.login("alice", "alicepw")
    s2.use_doc("alice_doc")
    assert s2.docid == docid
    doc = Document()
    s2.load_document(doc)
    assert {m.id for m in doc.context.references()} == {m.id for m in plt.curdoc().context.references()}

    # published: anyone reads it, nobody else writes it
    info = requests.get(f"{root}bokeh/bokehinfo/{docid}/", timeout=5)
    assert info.status_code == 200 and len(info.json()["all_models"]) == 24
    denied = requests.post(f"{root}bokeh/bb/{docid}/bulkupsert", data="[]", timeout=5)
    assert denied.status_code == 401


def test_another_user_reads_a_published_document_but_cannot_write_it(mu_server):
    plt = plotting()
    root = mu_server.url + "/"
    alice = Session(name="a", root_url=root, load_from_config=False)
    alice.register("alice", "alicepw")
    output_server("shared", session=alice)
    p = plt.figure()
    renderer = p.line([1, 2, 3], [4, 5, 6])
    show(p)
    docid = alice.docid

    bob = Session(name="b", root_url=root, load_from_config=False)
    bob.register("bob", "bobpw")
    with pytest.raises(UnauthorizedError):
        bob.use_doc(docid=docid)
    alice.publish()
    bob.use_doc(docid=docid)
    doc = Document()
    bob.load_document(doc)
    source = next(m for m in doc.context.references() if m.id == renderer.data_source.id)
    assert list(source.data["y"]) == [4, 5, 6]
    source.data["y"] = [0, 0, 0]
    with pytest.raises(UnauthorizedError):
        bob.store_objects(source)
    reread = Document()
    alice.load_document(reread)
    kept = next(m for m in reread.context.references() if m.id == renderer.data_source.id)
    assert list(kept.data["y"]) == [4, 5, 6]


def test_streaming_with_saved_credentials_and_no_cookie(mu_server, tmp_path):
    """A script run later uses the configuration register() saved: BOKEHUSER headers only."""
    plt = plotting()
    root = mu_server.url + "/"
    first = Session(name=root, root_url=root, load_from_config=False)
    first.register("carol", "carolpw")
    later = output_server("stream", url=root)  # picks the saved entry for this URL
    assert later.username == "carol" and later is cursession()
    assert later.userapikey == first.userapikey
    p = plt.figure()
    renderer = p.line([1, 2, 3], [1, 2, 3])
    show(p)
    source = renderer.data_source
    for step in range(5):
        source.data["y"] = [step] * 3
        cursession().store_objects(source)
    reread = Document()
    first.use_doc("stream")
    first.load_document(reread)
    stored = next(m for m in reread.context.references() if m.id == source.id)
    assert list(stored.data["y"]) == [4, 4, 4]


def test_wrong_password_and_duplicate_registration_are_errors(mu_server):
    root = mu_server.url + "/"
    s = Session(name="x", root_url=root, load_from_config=False)
    s.register("dave", "davepw")
    other = Session(name="y", root_url=root, load_from_config=False)
    with pytest.raises(LoginError, match="user already exists"):
        other.register("dave", "another")
    with pytest.raises(LoginError, match="incorrect login"):
        other.login("dave", "wrong")
    with pytest.raises(LoginError, match="incorrect login"):
        other.login("nobody", "wrong")
    other.login("dave", "davepw")
    assert other.userapikey == s.userapikey
