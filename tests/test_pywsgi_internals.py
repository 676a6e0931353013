"""The parts of gevent's pywsgi that plotserver/http.py relies on but pywsgi does not document
as public. pyproject.toml pins gevent to the version they were read from; when an upgrade
changes one of them, this fails and names it, before a subtle misbehaviour can ship."""

from __future__ import annotations

import inspect
import io

import gevent
from gevent import pywsgi
from gevent.server import StreamServer

from plotserver.http import Handler, HttpServer


def params(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def source(function) -> str:
    return inspect.getsource(function)


def test_gevent_is_the_pinned_version():
    assert gevent.__version__.startswith("26.9."), gevent.__version__


def test_the_request_loop_contract():
    # handle() calls handle_one_request() until it returns None; True means "next request".
    loop = source(pywsgi.WSGIHandler.handle)
    assert "result = self.handle_one_request()" in loop
    assert "if result is None:" in loop and "if result is True:" in loop
    assert params(pywsgi.WSGIHandler.__init__) == ["self", "sock", "address", "server", "rfile"]
    # The reader is a buffered file over the socket (peek, read1, readline).
    assert "self.rfile = sock.makefile('rb', -1)" in source(pywsgi.WSGIHandler.__init__)


def test_the_environ_and_body_reader_contract():
    environ = source(pywsgi.WSGIHandler.get_environ)
    # Headers come from self.headers (`typeheader`, `getheader`) and self._headers().
    assert "self.headers.typeheader" in environ
    assert "self.headers.getheader('content-length')" in environ
    assert "for key, value in self._headers():" in environ
    # The body reader is made here, from our content_length and the chunked flag.
    assert "self.wsgi_input = Input(self.rfile, self.content_length, socket=sock, " \
           "chunked_input=chunked)" in environ
    assert "'HTTP_TRANSFER_ENCODING', '').lower() == 'chunked'" in environ
    # Input's attributes Handler._read_body sets and reads, and its framing error.
    assert {"rfile", "socket", "chunked_input"} <= set(pywsgi.Input.__slots__)
    assert issubclass(pywsgi._InvalidClientInput, OSError)
    # The chunked reader reads self.rfile at each call (so the budget reader is used).
    assert "rfile = self.rfile" in source(pywsgi.Input._chunked_read)
    body = pywsgi.Input(io.BufferedReader(io.BytesIO(b"3\r\nabc\r\n0\r\n\r\n")), None,
                        chunked_input=True)
    assert body.read() == b"abc"


def test_the_response_writing_contract():
    write = source(pywsgi.WSGIHandler.write)
    assert "self._write_with_headers(data)" in write
    assert params(pywsgi.WSGIHandler._write_with_headers) == ["self", "data"]
    for name in ("finalize_headers", "_sendall", "_write", "start_response", "process_result",
                 "log_request", "handle_error", "_send_error_response_if_possible"):
        assert callable(getattr(pywsgi.WSGIHandler, name)), name
    assert params(pywsgi.WSGIHandler._send_error_response_if_possible) == ["self", "error_code"]
    assert params(pywsgi.WSGIHandler.handle_error) == ["self", "t", "v", "tb"]
    # The attributes _write_with_headers builds the head from.
    finalize = source(pywsgi.WSGIHandler.finalize_headers)
    assert "self.response_headers.append" in finalize and "self.response_use_chunked" in finalize
    assert "self.status = status.encode(\"latin-1\")" in source(pywsgi.WSGIHandler.start_response)
    # Every response, and every failed one, is logged through log_request().
    assert "self.log_request()" in source(pywsgi.WSGIHandler.handle_one_response)
    assert "self.handle_error(*sys.exc_info())" in source(pywsgi.WSGIHandler.handle_one_response)


def test_the_server_contract():
    assert "self._handle = self.wrap_socket_and_handle" in source(StreamServer.init_socket)
    assert params(StreamServer.wrap_socket_and_handle) == ["self", "client_socket", "address"]
    # Given a SERVER_NAME, pywsgi does no DNS lookup of the bind address at start.
    assert "if 'SERVER_NAME' not in self.environ:" in source(pywsgi.WSGIServer.update_environ)
    assert {"spawn", "log", "environ"} <= set(params(pywsgi.WSGIServer.__init__))


def test_plotserver_overrides_only_what_exists():
    """A renamed hook would silently stop being called: every method Handler and HttpServer
    define must exist on the pywsgi class (or be plotserver's own, listed here)."""
    own = {"_read_fields", "_absolute_form", "_framing", "_read_body", "_refuse",
           "_error_response"}
    for cls, base in ((Handler, pywsgi.WSGIHandler), (HttpServer, pywsgi.WSGIServer)):
        for name, value in vars(cls).items():
            if callable(value) and not name.startswith("__") and name not in own:
                assert hasattr(base, name), f"{base.__name__}.{name} no longer exists"
