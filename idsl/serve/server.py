"""The HTTP server: the standard library's threading server on 127.0.0.1, the page's assets from the
package, and the JSON API; every refusal is a JSON message with a 4xx status, never a traceback."""

from __future__ import annotations

import json
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qsl, quote, urlsplit

from idsl.serve.api import Api, Download
from idsl.serve.workspace import Workspace, WorkspaceError

HOST = "127.0.0.1"
MAX_BODY = 16 * 1024 * 1024  # bytes a request may carry (a spec is at most 4 MB, plus the form)
_ASSETS = {"/": ("index.html", "text/html; charset=utf-8"),
           "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
           "/static/editor.js": ("editor.js", "text/javascript; charset=utf-8"),
           "/static/app.css": ("app.css", "text/css; charset=utf-8")}


def asset(name: str) -> bytes:
    """A file of the page, shipped inside the package (idsl/serve/static)."""
    return resources.files("idsl.serve").joinpath("static", name).read_bytes()


class Handler(BaseHTTPRequestHandler):
    """One request: an asset, or an API route given its query (GET) or JSON body (POST)."""

    api: Api  # set on the subclass made for each server
    server_version = "idsl"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def _handle(self, method: str) -> None:
        url = urlsplit(self.path)
        try:
            if method == "GET" and url.path == "/favicon.ico":
                self._send(204, b"", "image/x-icon")
                return
            if method == "GET" and url.path in _ASSETS:
                name, media_type = _ASSETS[url.path]
                self._send(200, asset(name), media_type)
                return
            route = self.api.routes().get((method, url.path))
            if route is None:
                raise WorkspaceError(404 if method == "GET" else 405, f"没有这个地址：{method} {url.path}")
            request = dict(parse_qsl(url.query)) if method == "GET" else self._json_body()
            reply = route(request)
        except WorkspaceError as err:
            self._json(err.status, {"error": err.message})
            return
        except OSError as err:  # a file that cannot be written: its message names it
            self._json(500, {"error": f"写入失败：{err}"})
            return
        except Exception as err:  # noqa: BLE001 - the page gets a message, the terminal one line
            print(f"idsl serve: {method} {url.path}: {type(err).__name__}: {err}", file=sys.stderr)
            self._json(500, {"error": "服务器内部错误（详见终端）。"})
            return
        if isinstance(reply, Download):
            self._send(200, reply.data, reply.media_type,
                       {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(reply.name)}"})
        else:
            self._json(200, reply)

    def _json_body(self) -> dict:
        if "json" not in (self.headers.get("Content-Type") or ""):
            raise WorkspaceError(415, "请求体应是 JSON（Content-Type: application/json）。")
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            raise WorkspaceError(411, "缺少 Content-Length。") from None
        if length < 0 or length > MAX_BODY:
            raise WorkspaceError(413, f"请求体太大（上限 {MAX_BODY // 1024 // 1024} MB）。")
        raw = self.rfile.read(length)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise WorkspaceError(400, f"请求体不是合法的 JSON：{err}") from None
        if not isinstance(data, dict):
            raise WorkspaceError(400, "请求体应是一个 JSON 对象。")
        return data

    def _json(self, status: int, payload: dict) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _send(self, status: int, body: bytes, media_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        # The page loads nothing from elsewhere; nor may anything it shows.
        self.send_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; "
                                                    "style-src 'self'; script-src 'self'; connect-src 'self'")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's own refusals (a malformed request line, an unsupported method) as JSON too.
        try:
            self._json(code, {"error": message or HTTPStatus(code).phrase})
        except OSError:
            pass

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        pass  # quiet: the terminal shows the address and problems only


def make_server(folder: str, port: int = 0) -> ThreadingHTTPServer:
    """A server over the specs in `folder` on 127.0.0.1 (port 0: one that is free); not yet serving."""
    handler = type("IdslHandler", (Handler,), {"api": Api(Workspace(folder))})
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    return server


def serve_in_thread(folder: str, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start a server in a background thread (for tests and benchmarks); its address."""
    server = make_server(folder, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, address(server)


def address(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"
