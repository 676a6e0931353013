"""`--redis-url` for a Redis elsewhere: one that wants a password, and one reached over TLS
(`rediss://`). The TLS Redis is a real redis-server behind a TLS terminator run by this test
(the redis-server binaries at hand are built without TLS); plotserver's client speaks real
TLS to it, checking the certificate against the test's own CA file."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
import threading

import pytest

from conftest import free_port
from helpers import create_doc, line_plot, source, split_frame, subscribe, upsert
from plotserver.backends.redisdb import start_redis

PASSWORD = "s3cret-pass"


@pytest.fixture
def locked_redis(tmp_path):
    """A redis-server that answers only to PASSWORD."""
    port = free_port()
    process = start_redis(port, str(tmp_path), ("--requirepass", PASSWORD))
    yield port
    process.terminate()
    process.wait(10)


def works_through(server, doc_title: str) -> None:
    """A document is made, written and its write pushed to a subscriber: storage and pub/sub."""
    doc = create_doc(server.url, doc_title)
    assert upsert(server.url, doc.docid, line_plot(doc)).ok
    ws = subscribe(server.host, f"bokehplot:{doc.docid}", doc.apikey)
    assert upsert(server.url, doc.docid, [source(offset=7)]).ok
    ws.settimeout(10)
    _, message = split_frame(ws.recv())
    assert message["msgtype"] == "modelpush"
    assert message["modelspecs"][0]["attributes"]["data"]["y"][0] == 7
    ws.close()


def test_a_redis_with_a_password(start_server, locked_redis):
    server = start_server("--backend", "redis",
                          "--redis-url", f"redis://:{PASSWORD}@127.0.0.1:{locked_redis}/0")
    works_through(server, "behind a password")
    assert f"redis://:***@127.0.0.1:{locked_redis}/0" in server.stdout()  # the banner
    assert PASSWORD not in server.stdout() + server.stderr()


def test_a_wrong_password_is_a_clear_error_that_shows_no_password(tmp_path, locked_redis):
    result = subprocess.run(
        [sys.executable, "-m", "plotserver", "--port", str(free_port()), "--backend", "redis",
         "--redis-url", f"redis://:wrong-guess@127.0.0.1:{locked_redis}/0"],
        cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"cannot reach Redis at redis://:***@127.0.0.1:{locked_redis}/0" in result.stderr
    assert "wrong-guess" not in result.stderr + result.stdout


class TlsTerminator:
    """Accepts TLS connections on a free port and relays each, decrypted, to a plain Redis."""

    def __init__(self, certificate: str, key: str, redis_port: int) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(certificate, key)
        self.redis_port = redis_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            secure = self.context.wrap_socket(client, server_side=True)
        except (OSError, ssl.SSLError):
            client.close()
            return
        plain = socket.create_connection(("127.0.0.1", self.redis_port))
        threading.Thread(target=self._pump, args=(plain, secure), daemon=True).start()
        self._pump(secure, plain)

    @staticmethod
    def _pump(source_socket, target_socket) -> None:
        try:
            while data := source_socket.recv(65536):
                target_socket.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source_socket, target_socket):
                try:
                    end.close()
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def tls_redis(tmp_path, locked_redis):
    """(port, CA file) of a TLS endpoint in front of `locked_redis`, with a certificate for
    127.0.0.1 made here (self-signed: it is its own CA)."""
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True, timeout=60)
    terminator = TlsTerminator(str(certificate), str(key), locked_redis)
    yield terminator.port, str(certificate)
    terminator.close()


def test_a_redis_over_tls(start_server, tls_redis):
    port, ca_file = tls_redis
    url = f"rediss://:{PASSWORD}@127.0.0.1:{port}/0?ssl_ca_certs={ca_file}"
    server = start_server("--backend", "redis", "--redis-url", url)
    works_through(server, "over TLS")
    assert PASSWORD not in server.stdout() + server.stderr()


def test_tls_with_a_certificate_nobody_vouches_for_is_refused(tmp_path, tls_redis):
    port, _ = tls_redis
    result = subprocess.run(
        [sys.executable, "-m", "plotserver", "--port", str(free_port()), "--backend", "redis",
         "--redis-url", f"rediss://:{PASSWORD}@127.0.0.1:{port}/0"],  # the system's CAs only
        cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "cannot reach Redis at rediss://:***@" in result.stderr
    assert "certificate verify failed" in result.stderr
