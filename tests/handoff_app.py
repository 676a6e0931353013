"""A small WSGI app served by plotserver.http.HttpServer in its own process, for what the HTTP
layer must do for any app, beyond plotserver's own routes: honour an app's `Connection: close`,
hand any WebSocket route its socket (and write nothing after it), answer an app that crashes
outside Flask with a JSON 500.

    python tests/handoff_app.py PORT
"""

from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

from flask import Flask, Response  # noqa: E402
from flask_sock import Sock  # noqa: E402

from plotserver.http import HttpServer  # noqa: E402

app = Flask(__name__)
sock = Sock(app)


@app.get("/close")
def close():
    return Response("bye", headers={"Connection": "close"})


@app.get("/hello")
def hello():
    return "hello"


@sock.route("/echo")
def echo(ws):
    while True:
        ws.send(ws.receive())


def served(environ, start_response):
    if environ["PATH_INFO"] == "/crash":
        raise RuntimeError("a bug outside Flask's error handling")
    return app(environ, start_response)


if __name__ == "__main__":
    server = HttpServer(("127.0.0.1", int(sys.argv[1])), served, max_body_bytes=1 << 20,
                        idle_timeout=30, max_connections=100)
    server.serve_forever()
