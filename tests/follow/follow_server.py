"""Real HTTP servers on 127.0.0.1 for the follow tests: routes written per test, every request logged."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable



@dataclass
class Hit:
    method: str
    path: str
    headers: dict
    body: bytes
    t: float                    # time.monotonic() when the request arrived


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0          # seconds to wait before answering (a slow server)
    etag: str | None = None     # answer 304 to a matching If-None-Match
    last_modified: str | None = None
    handler: Callable | None = None   # handler(hit) -> (status, headers, body) overrides the rest
    drip: float = 0.0           # seconds between the body's bytes (a server that never finishes)


class TestServer:
    """A threaded HTTP server; ``routes[path] = Route(...)``; ``hits`` lists every request."""

    __test__ = False

    def __init__(self, port: int = 0):
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _serve(self):
                n = int(self.headers.get("Content-Length") or 0)
                hit = Hit(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                          self.rfile.read(n) if n else b"", time.monotonic())
                with server._lock:
                    server.hits.append(hit)
                route = server.routes.get(self.path)
                if route is None:
                    status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
                elif route.handler:
                    status, headers, body = route.handler(hit)
                else:
                    if route.delay:
                        time.sleep(route.delay)
                    headers = dict(route.headers)
                    if route.etag:
                        headers["ETag"] = route.etag
                    if route.last_modified:
                        headers["Last-Modified"] = route.last_modified
                    fresh = ((route.etag and hit.headers.get("if-none-match") == route.etag)
                             or (route.last_modified and not route.etag
                                 and hit.headers.get("if-modified-since") == route.last_modified))
                    status, body = (304, b"") if fresh else (route.status, route.body)
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command == "HEAD":
                        pass
                    elif route is not None and route.drip:
                        for i in range(len(body)):
                            self.wfile.write(body[i:i + 1])
                            self.wfile.flush()
                            time.sleep(route.drip)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_HEAD = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for h in self.hits if h.path == path)

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def clear(self) -> None:
        with self._lock:
            self.hits.clear()

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

