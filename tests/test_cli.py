"""The `plotserver` command line (PROTOCOL 12): flags, banner, logging, start-up errors, stop.

Every test runs the real CLI in a child process (`python -m plotserver ...`) and talks to it
over real sockets; nothing is mocked."""

from __future__ import annotations

import json
import platform
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import websocket

from conftest import free_port

# asctime as logging writes it: "2026-11-26 11:08:58,790".
ASCTIME = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}"


def wait_for(predicate, timeout: float = 5.0, what: str = "condition"):
    """Poll until predicate() is truthy (log lines are written after the response is sent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def access_line(level: str, status: int, method: str, uri: str) -> re.Pattern:
    return re.compile(rf"^{ASCTIME}:{level}:[\w.]+:{status} {method} {re.escape(uri)} "
                      r"\(127\.0\.0\.1\) \d+\.\d+ms$", re.MULTILINE)


def failed_start(start_server, *args: str, env: dict | None = None) -> tuple[int, str]:
    """Start a server that must refuse to start; its exit status and stderr."""
    server = start_server(*args, env=env, wait=False)
    try:
        status = server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pytest.fail(f"plotserver {' '.join(args)} did not exit; stderr:\n{server.stderr()}")
    return status, server.stderr()


def banner_lines(*, port: int, verbose="OFF", filter_logs="OFF", debugjs="OFF") -> list[str]:
    return [
        "",
        "    Bokeh Server Configuration",
        "    ==========================",
        f"    python version : {platform.python_version()}",
        None,  # the bokeh version line: checked by pattern
        f"    listening      : 127.0.0.1:{port}",
        "    backend        : memory",
        f"    python options : debug:OFF, verbose:{verbose}, filter-logs:{filter_logs}, "
        "multi-user:OFF",
        f"    js options     : debugjs:{debugjs}",
        "    ",
    ]


def assert_banner(stdout: str, expected: list[str]) -> None:
    lines = stdout.split("\n")
    assert len(lines) > len(expected), stdout
    for number, (line, want) in enumerate(zip(lines, expected)):
        if want is None:
            assert re.fullmatch(r"    bokeh version  : \S.*", line), (number, line)
        else:
            assert line == want, (number, line, want)
    # Nothing but the end of the final print follows the banner while the server runs.
    assert lines[len(expected):] == [""], stdout


def create_document(base_url: str, title: str = "t") -> str:
    reply = requests.post(base_url + "/bokeh/doc/", json={"title": title}, timeout=5)
    assert reply.status_code == 200, reply.text
    return next(d["docid"] for d in reply.json()["docs"] if d["title"] == title)


# --- banner -------------------------------------------------------------------------------

def test_banner_with_default_options(fresh_server):
    assert_banner(fresh_server.stdout(), banner_lines(port=fresh_server.port))


def test_banner_shows_verbose_filter_logs_and_debugjs_on(start_server):
    server = start_server("-v", "--filter-logs", "-j")
    assert_banner(server.stdout(),
                  banner_lines(port=server.port, verbose="ON", filter_logs="ON", debugjs="ON"))


def test_debug_prints_no_banner_and_logs_at_debug_level(start_server):
    server = start_server("-d")
    assert "Bokeh Server Configuration" not in server.stdout()
    docid = create_document(server.url)
    assert requests.get(f"{server.url}/bokeh/doc/{docid}/", timeout=5).status_code == 200
    wait_for(lambda: re.search(rf"^{ASCTIME}:DEBUG:[\w.]+:", server.stderr(), re.MULTILINE),
             what="a DEBUG log line")


def test_info_level_without_debug(server):
    docid = create_document(server.url, "info-level")
    with requests.Session() as session:
        assert session.get(f"{server.url}/bokeh/doc/{docid}/", timeout=5).status_code == 200
        session.get(f"{server.url}/bokeh/ping?after-docinfo", timeout=5)
    wait_for(lambda: "/bokeh/ping?after-docinfo" in server.stderr(), what="the ping log line")
    assert ":DEBUG:" not in server.stderr()


# --- address and port ---------------------------------------------------------------------

def test_ip_flag(start_server):
    server = start_server("--ip", "127.0.0.1")
    assert f"    listening      : 127.0.0.1:{server.port}\n" in server.stdout()
    assert requests.get(server.url + "/bokeh/ping", timeout=5).text == "pong"


def test_ip_flag_binds_only_that_address(start_server):
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.2", 0))
        except OSError:
            pytest.skip("127.0.0.2 is not a usable loopback address here")
    server = start_server("--ip", "127.0.0.2", wait=False)
    server.url = f"http://127.0.0.2:{server.port}"
    server.wait_ready()
    assert f"    listening      : 127.0.0.2:{server.port}\n" in server.stdout()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{server.port}/bokeh/ping", timeout=2)


def test_bokeh_port_is_an_alias_of_port(start_server):
    # The fixture passes --port first; the later --bokeh-port must win, as with --port twice.
    port = free_port()
    server = start_server("--bokeh-port", str(port), wait=False)
    server.url = f"http://127.0.0.1:{port}"
    server.wait_ready()
    assert requests.get(server.url + "/bokeh/ping", timeout=5).text == "pong"
    assert f"    listening      : 127.0.0.1:{port}\n" in server.stdout()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{server.port}/bokeh/ping", timeout=2)


# --- URL prefix and WebSocket URL ---------------------------------------------------------

def test_url_prefix_moves_every_route(start_server):
    server = start_server("--url-prefix", "/p")
    root = f"http://{server.host}"
    reply = requests.get(root + "/p/bokeh/ping", timeout=5)
    assert (reply.status_code, reply.text) == (200, "pong")

    unprefixed = requests.get(root + "/bokeh/ping", timeout=5)
    assert unprefixed.status_code == 404
    assert unprefixed.headers["Content-Type"].startswith("application/json")
    assert {"error", "message"} <= unprefixed.json().keys()

    wsurl = requests.get(root + "/p/bokeh/wsurl/", timeout=5)
    assert wsurl.text == f"ws://{server.host}/p/bokeh/sub"


def test_url_prefix_without_leading_slash_is_refused(start_server):
    status, stderr = failed_start(start_server, "--url-prefix", "foo")
    assert status == 1
    assert "--url-prefix" in stderr and "'/'" in stderr and "foo" in stderr
    assert "Traceback" not in stderr


def test_default_wsurl(server):
    assert requests.get(server.url + "/bokeh/wsurl/", timeout=5).text == \
        f"ws://{server.host}/bokeh/sub"


def test_ws_conn_string_is_returned_verbatim(start_server):
    server = start_server("--ws-conn-string", "ws://example.invalid/sub")
    assert requests.get(server.url + "/bokeh/wsurl/", timeout=5).text == "ws://example.invalid/sub"


# --- HTTPS --------------------------------------------------------------------------------

def test_https_without_files_warns_and_serves_http(start_server):
    server = start_server("--https")  # the fixture polls http://: it must answer
    assert requests.get(server.url + "/bokeh/ping", timeout=5).text == "pong"
    assert re.search(rf"^{ASCTIME}:WARNING:[\w.]+:.*--https-certfile or --https-keyfile are not "
                     r"specified, using http instead$", server.stderr(), re.MULTILINE)


def make_self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    certfile, keyfile = directory / "cert.pem", directory / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
    except ImportError:
        if shutil.which("openssl") is None:
            pytest.skip("neither the cryptography package nor openssl is available")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-subj", "/CN=localhost", "-days", "1",
                        "-keyout", str(keyfile), "-out", str(certfile)],
                       check=True, capture_output=True, timeout=60)
        return certfile, keyfile
    import datetime

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.TraditionalOpenSSL,
                                          serialization.NoEncryption()))
    return certfile, keyfile


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_https_with_certificate(start_server, tmp_path):
    certfile, keyfile = make_self_signed_certificate(tmp_path)
    server = start_server("--https", "--https-certfile", str(certfile),
                          "--https-keyfile", str(keyfile), wait=False)
    base = f"https://{server.host}"

    def pong():
        assert server.process.poll() is None, server.stderr()
        try:
            return requests.get(base + "/bokeh/ping", verify=False, timeout=1).text == "pong"
        except requests.ConnectionError:
            return False

    wait_for(pong, timeout=20, what="the https server")
    # Over TLS the default WebSocket URL uses wss:// (PROTOCOL 5.3).
    wsurl = requests.get(base + "/bokeh/wsurl/", verify=False, timeout=5).text
    assert wsurl == f"wss://{server.host}/bokeh/sub"
    assert "using http instead" not in server.stderr()
    # A push travels encrypted: TLS subscribers must never get the plain-socket fast path.
    docid = requests.post(base + "/bokeh/doc/", json={"title": "tls"}, verify=False,
                          timeout=5).json()["docs"][0]["docid"]
    apikey = requests.get(f"{base}/bokeh/getdocapikey/{docid}", verify=False,
                          timeout=5).json()["apikey"]
    ws = websocket.create_connection(wsurl, timeout=5, sslopt={"cert_reqs": ssl.CERT_NONE})
    topic = f"bokehplot:{docid}"
    ws.send(json.dumps({"msgtype": "subscribe", "topic": topic, "auth": apikey}))
    assert "subscribesuccess" in ws.recv()
    cds = {"type": "ColumnDataSource", "id": "tls-cds", "attributes": {"id": "tls-cds"}}
    assert requests.post(f"{base}/bokeh/bb/{docid}/bulkupsert", data=json.dumps([cds]),
                         verify=False, timeout=5).ok
    assert ws.recv().startswith(topic + ':{"msgtype":"modelpush"')
    ws.close()


# --- --script -----------------------------------------------------------------------------

def test_script_is_imported_at_start_up(start_server, tmp_path):
    applets = tmp_path / "applets"
    applets.mkdir()
    script = applets / "my_applet.py"
    marker = tmp_path / "imported.txt"
    script.write_text(f"from pathlib import Path\nPath({str(marker)!r}).write_text('yes')\n")

    server = start_server("--script", str(script))
    assert marker.read_text() == "yes"
    stdout = server.stdout()
    assert f"adding {applets} to python path\n" in stdout
    assert f"importing {script}\n" in stdout


def test_missing_script_is_refused(start_server, tmp_path):
    status, stderr = failed_start(start_server, "--script", str(tmp_path / "nosuch.py"))
    assert status != 0
    assert "nosuch.py" in stderr


# --- bad values ----------------------------------------------------------------------------

def test_redis_backend_at_a_url_hides_its_password_in_the_banner(start_server, redis_url):
    url = redis_url.replace("redis://", "redis://:not-needed@")  # the server has no password
    server = start_server("--backend", "redis", "--redis-url", url, "--redis-prefix", "cli:")
    assert "redis (url=redis://:***@127.0.0.1:" in server.stdout()
    assert "not-needed" not in server.stdout()


def test_start_redis_starts_a_redis_that_keeps_documents_and_stops_it(start_server, tmp_path):
    from conftest import free_port

    port = str(free_port())
    server = start_server("--backend", "redis", "--redis-port", port)
    assert f"redis (start=True, port={port})" in server.stdout()
    created = requests.post(server.url + "/bokeh/doc/", json={"title": "kept in redis"}, timeout=5)
    assert created.status_code == 200
    server.stop()  # stops its redis-server too, which writes its append-only file
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=2)  # nothing listens there any more
    again = start_server("--backend", "redis", "--redis-port", port)
    titles = [d["title"] for d in requests.get(again.url + "/bokeh/userinfo/", timeout=5).json()["docs"]]
    assert titles == ["kept in redis"]


def test_an_unreachable_redis_is_a_clear_error(start_server):
    from conftest import free_port

    status, stderr = failed_start(start_server, "--backend", "redis", "--redis-url",
                                  f"redis://:hunter2@127.0.0.1:{free_port()}/0")
    assert status == 1
    assert "cannot reach Redis at redis://:***@127.0.0.1:" in stderr
    assert "hunter2" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("backend", ["sqlite", "shelve"])
def test_sqlite_backend_names_its_file_in_the_banner(start_server, tmp_path, backend):
    # shelve was the original's durable backend: it means sqlite here
    database = tmp_path / "plots.sqlite3"
    server = start_server("--backend", backend, "--sqlite-path", str(database))
    assert f"    backend        : {backend} ({database})\n" in server.stdout()
    assert database.exists()


def test_a_database_that_cannot_be_opened_is_a_clear_error(start_server, tmp_path):
    status, stderr = failed_start(start_server, "--backend", "sqlite", "--sqlite-path",
                                  str(tmp_path / "no" / "such" / "dir" / "db"))
    assert status == 1
    assert "cannot use" in stderr and "sqlite database" in stderr and "Traceback" not in stderr


def test_unknown_backend_names_the_accepted_values(start_server):
    status, stderr = failed_start(start_server, "--backend", "nosuch")
    assert status == 1
    assert "'nosuch'" in stderr
    assert "Accepted values" in stderr
    for name in ("memory", "redis", "shelve"):
        assert repr(name) in stderr


def test_unknown_default_backend_from_environment(start_server):
    status, stderr = failed_start(start_server, env={"BOKEH_SERVER_DEFAULT_BACKEND": "nosuch"})
    assert status == 1
    assert ("Unrecognized default backend: 'nosuch'. Accepted values are: 'redis', 'shelve', "
            "'memory'") in stderr


def test_memory_default_backend_from_environment(start_server):
    server = start_server(env={"BOKEH_SERVER_DEFAULT_BACKEND": "memory"})
    assert "    backend        : memory\n" in server.stdout()


@pytest.mark.parametrize("flag, debugjs", [("--dev", "ON"), ("--robust-reload", "OFF")])
def test_accepted_development_flags(start_server, flag, debugjs):
    server = start_server(flag)
    assert requests.get(server.url + "/bokeh/ping", timeout=5).text == "pong"
    assert f"    js options     : debugjs:{debugjs}\n" in server.stdout()


def test_dev_forces_the_memory_backend(start_server):
    server = start_server("--dev", "--backend", "redis")
    assert "    backend        : memory\n" in server.stdout()


# --- request body limit -------------------------------------------------------------------

def test_max_body_size(start_server):
    server = start_server("--max-body-size", "1000")
    docid = create_document(server.url)
    url = f"{server.url}/bokeh/bb/{docid}/bulkupsert"

    small = requests.post(url, data=b"[]", headers={"Content-Type": "application/json"},
                          timeout=5)
    assert small.status_code == 200, small.text

    body = b"[" + b" " * 1998 + b"]"
    assert len(body) == 2000
    big = requests.post(url, data=body, headers={"Content-Type": "application/json"}, timeout=5)
    assert big.status_code == 413
    assert big.headers["Content-Type"].startswith("application/json")
    reply = big.json()
    assert set(reply) == {"error", "message"}
    assert all(isinstance(v, str) and v for v in reply.values())


@pytest.mark.parametrize("route", ["bulkupsert", "doc"])
def test_max_body_size_applies_to_chunked_bodies(start_server, route):
    server = start_server("--max-body-size", "1000")
    if route == "bulkupsert":
        url = f"{server.url}/bokeh/bb/{create_document(server.url)}/bulkupsert"
        body, content_type = b"[" + b" " * 1998 + b"]", "application/json"
    else:  # a form title: the cut body is still valid and creates a 994-character title
        url = f"{server.url}/bokeh/doc/"
        body, content_type = b"title=" + b"x" * 1994, "application/x-www-form-urlencoded"
    assert len(body) == 2000
    # An iterator makes requests send Transfer-Encoding: chunked.
    reply = requests.post(url, data=iter([body]), headers={"Content-Type": content_type},
                          timeout=5)
    assert reply.status_code == 413, (reply.status_code, reply.text[:200])


def test_port_in_use_fails_without_a_banner(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run([sys.executable, "-m", "plotserver", "--port", port],
                                cwd=tmp_path, capture_output=True, text=True, timeout=20)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Bokeh Server Configuration" not in result.stdout
    assert "Address already in use" in result.stderr


# --- access log ---------------------------------------------------------------------------

def test_access_log_lines(server):
    with requests.Session() as session:
        assert session.get(server.url + "/bokeh/ping", timeout=5).status_code == 200
        assert session.get(server.url + "/bokeh/no-such-route", timeout=5).status_code == 404
        assert session.get(server.url + "/bokehjs/static/js/bokeh.js",
                           timeout=5).status_code == 200
        assert session.get(server.url + "/bokehjs/static/js/nosuch.js",
                           timeout=5).status_code == 404
        # One connection handles the requests in order, so this last line comes last.
        session.get(server.url + "/bokeh/ping?last", timeout=5)
    wait_for(lambda: "GET /bokeh/ping?last " in server.stderr(), what="the last access line")
    stderr = server.stderr()

    assert access_line("INFO", 200, "GET", "/bokeh/ping").search(stderr), stderr
    assert access_line("WARNING", 404, "GET", "/bokeh/no-such-route").search(stderr), stderr
    # Successful static files are never logged; failed ones are.
    assert "GET /bokehjs/static/js/bokeh.js" not in stderr
    assert access_line("WARNING", 404, "GET", "/bokehjs/static/js/nosuch.js").search(stderr)


# --- stopping -----------------------------------------------------------------------------

@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_server_cleanly(start_server, signum):
    server = start_server()
    started = time.monotonic()
    server.process.send_signal(signum)
    assert server.process.wait(timeout=5) == 0, server.stderr()
    assert time.monotonic() - started < 5
    assert "Shutting down" in server.stdout()
    assert "Traceback" not in server.stderr()


def test_sigterm_with_open_connections(start_server):
    """An idle keep-alive connection and a WebSocket must not hold the server up."""
    server = start_server()
    session = requests.Session()
    session.get(server.url + "/bokeh/ping", timeout=5)  # keeps its connection open
    ws = websocket.create_connection(f"ws://{server.host}/bokeh/sub", timeout=5)
    try:
        started = time.monotonic()
        assert server.stop() == 0, server.stderr()
        assert time.monotonic() - started < 5
        assert "Shutting down" in server.stdout()
    finally:
        ws.close()
        session.close()


# --- help ---------------------------------------------------------------------------------

BOKEH_SERVER_FLAGS = [
    "--ip", "--port", "--bokeh-port", "--url-prefix", "--https", "--https-certfile",
    "--https-keyfile", "-m", "--multi-user", "--script", "--backend", "--sqlite-path", "--redis-port", "--start-redis",
    "--no-start-redis", "--redis-url", "--redis-prefix", "--ws-conn-string", "-d",
    "--debug", "--dev",
    "--filter-logs", "-j", "--debugjs", "--robust-reload", "-v", "--verbose",
]


def listed(flag: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text) is not None


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_help_lists_every_bokeh_server_flag(option):
    result = subprocess.run([sys.executable, "-m", "plotserver", option],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    options = result.stdout.split("Options:", 1)[1]  # the usage line says "python -m plotserver"
    assert [flag for flag in BOKEH_SERVER_FLAGS if not listed(flag, options)] == [], options


def test_the_direct_access_writer_writes_what_logging_would(monkeypatch):
    """The server writes access lines itself (for speed); they must be the lines the
    logging configuration would have written, byte for byte."""
    import io
    import logging

    from plotserver.server import LOG_FORMAT, access_line_writer

    now = 1764160000.25
    monkeypatch.setattr(time, "time", lambda: now)
    stream = io.StringIO()
    logger = logging.getLogger("plotserver.access")
    monkeypatch.setattr(logger, "level", logging.INFO)
    write = access_line_writer(stream)
    write(logging.WARNING, "404 GET /nope (127.0.0.1) 0.20ms")
    write(logging.DEBUG, "never shown: below the logger's level")
    record = logging.LogRecord("plotserver.access", logging.WARNING, "", 0,
                               "404 GET /nope (127.0.0.1) 0.20ms", None, None)
    record.created, record.msecs = now, 250.0
    assert stream.getvalue() == logging.Formatter(LOG_FORMAT).format(record) + "\n"


def test_a_broken_log_stream_does_not_break_requests():
    import io
    import logging

    from plotserver.server import access_line_writer

    stream = io.StringIO()
    stream.close()  # writing now raises ValueError, as a closed stderr would
    logging.getLogger("plotserver.access").setLevel(logging.INFO)
    try:
        # Returns normally (a raise here would end the request's connection).
        assert access_line_writer(stream)(logging.INFO, "200 GET /bokeh/ping (127.0.0.1) 0.10ms") \
            is None
    finally:
        logging.getLogger("plotserver.access").setLevel(logging.NOTSET)
