"""Multi-user mode (-m) against the original's captured traffic: the original Python client
registering, publishing and loading a document as another user (multiuser_register_publish),
then the labelled authorization probes that ran next on the same server
(http_auth_multi_user). Every divergence is declared with its reason."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests

from conftest import load_fixture
from replay import Divergence, IdMap, Replayer


def D(status, reason, **kw):
    return Divergence(reason, status, **kw)


EMPTY_UPSERT = D(200, "an empty bulkupsert changes and broadcasts nothing (quirk 5)",
                 body={"msgtype": "modelpush", "modelspecs": []})

AUTH_DIVERGENCES: dict[int, Divergence] = {
    10: D(200, "gc by a reader of a published document succeeds and collects nothing, so the "
               "original client's load_document() works for other users (it gc's first)",
          body={"status": "success"}),
    18: EMPTY_UPSERT,
    30: EMPTY_UPSERT,
    47: D(409, "deleting a document not in the caller's own list is a conflict (409 as in "
               "2015; 500 on Python 3); alice's document is untouched"),
    49: D(401, "BOKEHUSER-API-KEY without BOKEHUSER is anonymous (quirk 17; the original 500)"),
}


@pytest.fixture(params=["memory", "sqlite", "redis"])
def multi_user_server(request, start_server, tmp_path):
    """A fresh -m server on each backend (the captures start from an empty server)."""
    if request.param == "memory":
        return start_server("-m")
    if request.param == "sqlite":
        return start_server("-m", "--backend", "sqlite", "--sqlite-path",
                            str(tmp_path / "plots.sqlite3"))
    return start_server("-m", "--backend", "redis", "--redis-url",
                        request.getfixturevalue("redis_url"), "--redis-prefix",
                        f"mu-{tmp_path.name}:")


def test_original_client_flows_and_authorization_probes(multi_user_server):
    ids = IdMap()
    checked = Replayer(multi_user_server, load_fixture("multiuser_register_publish.json"),
                       ids).run()
    checked += Replayer(multi_user_server, load_fixture("http_auth_multi_user.json"),
                        ids).run(AUTH_DIVERGENCES)
    assert checked > 70


def _register(url: str, username: str) -> requests.Session:
    http = requests.Session()
    answer = http.post(url + "/bokeh/register",
                       data={"username": username, "password": "pw-" + username, "api": "true"},
                       timeout=10)
    assert answer.json()["status"] is True
    return http


def test_sessions_survive_a_restart_on_a_durable_backend(start_server, tmp_path):
    """The cookie secret is generated once and kept in the database."""
    database = str(tmp_path / "plots.sqlite3")
    first = start_server("-m", "--backend", "sqlite", "--sqlite-path", database)
    http = _register(first.url, "erin")
    cookie = http.cookies["session"]
    first.stop()
    second = start_server("-m", "--backend", "sqlite", "--sqlite-path", database)
    answer = requests.get(second.url + "/bokeh/userinfo/", cookies={"session": cookie},
                          timeout=10)
    assert answer.status_code == 200 and answer.json()["username"] == "erin"


def test_memory_backend_sessions_die_with_the_process_as_in_the_original(start_server):
    first = start_server("-m")
    cookie = _register(first.url, "frank").cookies["session"]
    first.stop()
    second = start_server("-m", port=first.port)
    answer = requests.get(second.url + "/bokeh/userinfo/", cookies={"session": cookie},
                          timeout=10)
    assert answer.status_code == 401


def test_the_secret_key_setting_signs_cookies(start_server):
    """PLOTSERVER_SECRET_KEY: the same secret on two servers makes their cookies valid on
    both (the users must exist on both: here the cookie names a user the second lacks)."""
    env = {"PLOTSERVER_SECRET_KEY": "a-secret-for-this-test"}
    first = start_server("-m", env=env)
    cookie = _register(first.url, "gina").cookies["session"]
    same_secret = start_server("-m", env=env)
    other_secret = start_server("-m")
    for server in (same_secret, other_secret):
        _register(server.url, "gina")
    ok = requests.get(same_secret.url + "/bokeh/userinfo/", cookies={"session": cookie}, timeout=10)
    refused = requests.get(other_secret.url + "/bokeh/userinfo/", cookies={"session": cookie},
                           timeout=10)
    assert ok.status_code == 200 and ok.json()["username"] == "gina"
    assert refused.status_code == 401


def test_every_worker_accepts_a_session_made_by_another(start_server, tmp_path, redis_url):
    server = start_server("-m", "--backend", "redis", "--redis-url", redis_url,
                          "--redis-prefix", f"mu-workers-{tmp_path.name}:", "--workers", "2")
    http = _register(server.url, "hank")
    # Each request opens a new connection; SO_REUSEPORT spreads them over both workers.
    answers = [requests.get(server.url + "/bokeh/userinfo/",
                            cookies={"session": http.cookies["session"]}, timeout=10)
               for _ in range(20)]
    assert [a.status_code for a in answers] == [200] * 20


def test_logout_ends_every_session_of_the_user_even_a_copied_cookie(start_server):
    """Flask's signed cookies cannot be taken back; the user's session epoch moves on."""
    server = start_server("-m")
    browser = _register(server.url, "ian")
    copied = browser.cookies["session"]
    other_device = requests.post(server.url + "/bokeh/login", timeout=10, data={
        "username": "ian", "password": "pw-ian", "api": "true"}).cookies["session"]
    assert requests.get(server.url + "/bokeh/userinfo/", cookies={"session": copied},
                        timeout=10).status_code == 200
    assert browser.get(server.url + "/bokeh/logout", allow_redirects=False,
                       timeout=10).status_code == 302
    for cookie in (copied, other_device):
        assert requests.get(server.url + "/bokeh/userinfo/", cookies={"session": cookie},
                            timeout=10).status_code == 401
    again = requests.post(server.url + "/bokeh/login", timeout=10, data={
        "username": "ian", "password": "pw-ian", "api": "true"})
    assert requests.get(server.url + "/bokeh/userinfo/", cookies=again.cookies,
                        timeout=10).status_code == 200


def test_a_new_password_from_the_admin_command_ends_the_users_sessions(start_server, tmp_path):
    database = str(tmp_path / "plots.sqlite3")
    server = start_server("-m", "--backend", "sqlite", "--sqlite-path", database)
    cookie = _register(server.url, "jill").cookies["session"]
    changed = subprocess.run(
        [sys.executable, "-m", "plotserver", "--backend", "sqlite", "--sqlite-path", database,
         "user", "passwd", "jill", "--password-stdin"],
        input="new-password\n", capture_output=True, text=True, timeout=60)
    assert changed.returncode == 0, changed.stderr
    assert requests.get(server.url + "/bokeh/userinfo/", cookies={"session": cookie},
                        timeout=10).status_code == 401
    login = requests.post(server.url + "/bokeh/login", timeout=10, data={
        "username": "jill", "password": "new-password", "api": "true"})
    assert login.json()["status"] is True


def test_a_deleted_user_loses_streaming_write_access_within_the_trust_period(start_server,
                                                                              tmp_path):
    """The bulkupsert fast path takes a header-proven user on trust for USER_TTL seconds."""
    from plotserver.bulkupsert_middleware import USER_TTL

    database = str(tmp_path / "plots.sqlite3")
    server = start_server("-m", "--backend", "sqlite", "--sqlite-path", database)
    key = _register(server.url, "kate").post(server.url + "/bokeh/login", timeout=10, data={
        "username": "kate", "password": "pw-kate", "api": "true"}).json()["userapikey"]
    headers = {"BOKEHUSER": "kate", "BOKEHUSER-API-KEY": key}
    made = requests.post(server.url + "/bokeh/doc/", json={"title": "kate's"}, headers=headers,
                         timeout=10).json()
    write = f"{server.url}/bokeh/bb/{made['docs'][0]['docid']}/bulkupsert"
    assert requests.post(write, data="[]", headers=headers, timeout=10).status_code == 200
    deleted = subprocess.run(
        [sys.executable, "-m", "plotserver", "--backend", "sqlite", "--sqlite-path", database,
         "user", "delete", "kate", "--yes"], capture_output=True, text=True, timeout=60)
    assert deleted.returncode == 0, deleted.stderr
    time.sleep(USER_TTL + 0.5)
    assert requests.post(write, data="[]", headers=headers, timeout=10).status_code == 401


def test_registration_can_be_closed_so_only_the_administrator_makes_accounts(start_server,
                                                                             tmp_path):
    database = str(tmp_path / "plots.sqlite3")
    server = start_server("-m", "--backend", "sqlite", "--sqlite-path", database,
                          env={"PLOTSERVER_OPEN_REGISTRATION": "0"})
    refused = requests.post(server.url + "/bokeh/register", timeout=10, data={
        "username": "mallory", "password": "pw", "api": "true"})
    assert refused.json() == {"status": False, "error": (
        "this server does not take registrations; ask its administrator for an account "
        "(plotserver user add)")}
    assert "session" not in refused.cookies
    page = requests.get(server.url + "/bokeh/register", allow_redirects=False, timeout=10)
    assert page.status_code == 302 and page.headers["Location"].endswith("/bokeh/login")
    login_page = requests.get(server.url + "/bokeh/login", timeout=10).text
    assert "/bokeh/register" not in login_page
    added = subprocess.run(
        [sys.executable, "-m", "plotserver", "--backend", "sqlite", "--sqlite-path", database,
         "user", "add", "nina", "--password-stdin"],
        input="nina's password\n", capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    login = requests.post(server.url + "/bokeh/login", timeout=10, data={
        "username": "nina", "password": "nina's password", "api": "true"})
    assert login.json() == {"status": True, "userapikey": added.stdout.strip()}
