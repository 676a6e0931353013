"""The exceptions plotclient raises.

Everything that goes wrong between a script and the plot server surfaces as a
`PlotclientError` (or a subclass) whose message says what was asked, of which URL, and what
the server answered - never as a traceback from inside the HTTP machinery:

* `ServerUnavailableError` - nothing answers at the URL (server not started, wrong port);
* `HTTPError` - the server answered 4xx/5xx; carries `status` and the server's JSON
  `message` (plotserver answers `{"error": code, "message": text}` for every failure);
* `UnauthorizedError` - 401/403 (bokeh 0.10 said "HTTP Unauthorized accessing");
* `DataIntegrityException` - the name bokeh 0.10 scripts catch for conflicts; an HTTP 409
  (e.g. a document title that already exists) raises its subclass `ConflictError`;
* `LoginError` - `register()`/`login()` refused; also a `RuntimeError`, which is what
  0.10 raised there;
* `UnexpectedReplyError` - the server said yes, but its answer lacks what the protocol
  promises (not JSON, or a key such as `apikey` missing);
* `UnsendableRequestError` - plotclient could not even send the request, whatever the
  server: a username or api key that HTTP headers cannot carry, or a URL that is not valid.
  Nothing was sent; also a `ValueError`.
"""

from __future__ import annotations


class PlotclientError(Exception):
    """Base of every error plotclient raises about the server or the session."""


class ServerUnavailableError(PlotclientError, ConnectionError):
    """No server is listening at the session's URL (or the connection broke)."""

    def __init__(self, url: str, reason: str = "connection refused"):
        self.url = url
        self.reason = reason
        super().__init__(
            f"the plot server at {url} is not reachable ({reason}). Is it running? "
            f"Start it with `plotserver` (or pass the right url to output_server/Session).")


class HTTPError(PlotclientError):
    """The server refused a request: 4xx or 5xx."""

    def __init__(self, method: str, url: str, status: int, server_message: str | None = None):
        self.method = method
        self.url = url
        self.status = status
        self.server_message = server_message
        text = f"{method} {url} failed with HTTP {status}"
        if server_message:
            text += f": {server_message}"
        super().__init__(text)


class UnauthorizedError(HTTPError):
    """401/403: the server does not let this user (or this key) do that."""

    def __init__(self, method: str, url: str, status: int, server_message: str | None = None):
        super().__init__(method, url, status, server_message)
        # Keep the sentence bokeh 0.10 raised, so scripts matching on it keep working.
        self.args = (f"HTTP Unauthorized accessing {url} ({method}, HTTP {status})"
                     + (f": {server_message}" if server_message else ""),)


class DataIntegrityException(PlotclientError):
    """bokeh 0.10's name for a conflict: raised with just a message by client-side code
    (`select_one` finding several objects), and as `ConflictError` for an HTTP 409."""


class ConflictError(HTTPError, DataIntegrityException):
    """409 from the server, e.g. a document with that title already exists."""


class LoginError(PlotclientError, RuntimeError):
    """`register()` or `login()` did not succeed (0.10 raised RuntimeError here)."""


class UnexpectedReplyError(PlotclientError):
    """A successful answer that is not what the protocol says it is (not JSON, or without
    the key the call needs); names the request and what was wrong."""

    def __init__(self, method: str, url: str, problem: str):
        self.method = method
        self.url = url
        self.problem = problem
        super().__init__(f"{method} {url} answered {problem}")


class UnsendableRequestError(PlotclientError, ValueError):
    """A request plotclient cannot put on the wire - the fault is in the client's input (a
    header value, an URL), not in the server; nothing was sent. `header` names the HTTP
    header at fault, when it is one."""

    def __init__(self, message: str, header: str | None = None):
        self.header = header
        super().__init__(message)


class ValidationError(ValueError):
    """A value assigned to a model property has the wrong type or range; the message
    names the model and the property, e.g. "Circle.size: expected ..., got ..."."""
