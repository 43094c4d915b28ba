"""A cache of whole responses to GET requests, valid while the store's data is unchanged.

An analyst's browsers ask the same things again and again (the map's default view, the first
page of events, an event page); the answer only changes when a report is stored. The cache keeps
the final bytes (headers and body, compressed when the client accepts gzip), keyed by the URL,
the interface language and the encoding, and drops them when the store changes: SQLite's
``PRAGMA data_version`` (commits by other processes, e.g. `marsad ingest` or `marsad follow`) and
the connection's own change count (ingest through the web). Other backends: a short time-to-live.

Only 200 answers without a cookie are kept, and not exports (large, rarely repeated).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024
TTL_OTHER = 2.0          # seconds, for backends without a cheap change counter
UNCACHED = ("/api/export", "/ingest", "/api/ingest", "/api/upload", "/static/")


def data_version(store, wait: bool = True) -> object:
    """Something that changes whenever the store's data does (None: the store is busy and
    ``wait`` is false)."""
    db = store.db
    if db.dialect == "sqlite":   # the database's own mark (None: busy)
        return db.change_mark(wait)
    return int(time.monotonic() / TTL_OTHER)   # no cheap mark (Database.change_mark)


class ResponseCache:
    """ASGI middleware (outermost): answer a repeated GET from memory."""

    def __init__(self, app, store):
        self.app = app
        self.store = store
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, tuple] = OrderedDict()
        self.size = 0
        self.version: object = None
        self.hits = self.misses = 0
        self.inflight: dict[tuple, object] = {}   # key -> anyio.Event of the request computing it

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _key(self, scope) -> tuple | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        path = scope["path"]
        if path.startswith(UNCACHED):
            return None
        headers = dict(scope.get("headers") or [])
        if b"authorization" in headers or b"x-marsad-token" in headers or b"range" in headers:
            return None
        gzip = b"gzip" in headers.get(b"accept-encoding", b"")
        cookie = headers.get(b"cookie", b"")
        lang = b"ar" if b"lang=ar" in cookie else b"en" if b"lang=en" in cookie else \
            headers.get(b"accept-language", b"")[:2]
        # Conditional requests are passed on (the app answers 304 itself).
        if b"if-none-match" in headers or b"if-modified-since" in headers:
            return None
        return path, scope.get("query_string", b""), gzip, lang

    async def __call__(self, scope, receive, send):
        key = self._key(scope)
        if key is None:
            return await self.app(scope, receive, send)
        # Asked on the event loop when the store is free (a microsecond), else from a thread so
        # that a long query elsewhere does not hold up the loop.
        version = data_version(self.store, wait=False)
        if version is None:
            import anyio
            version = await anyio.to_thread.run_sync(data_version, self.store)
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.size = 0
                self.version = version
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
                self.hits += 1
        if hit is None and key in self.inflight:
            # The same answer is being computed for another client: wait for it (a burst of
            # identical requests costs one computation, not thirty-two).
            await self.inflight[key].wait()
            with self.lock:
                hit = self.entries.get(key) if version == self.version else None
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        import anyio
        done = self.inflight[key] = anyio.Event()
        try:
            await self._compute(key, version, scope, receive, send)
        finally:
            self.inflight.pop(key, None)
            done.set()

    async def _compute(self, key, version, scope, receive, send):
        start: dict = {}
        chunks: list[bytes] = []
        keep = True

        async def capture(message):
            nonlocal keep
            if message["type"] == "http.response.start":
                start.update(message)
                names = {k.lower() for k, _ in message.get("headers") or []}
                if message["status"] != 200 or b"set-cookie" in names:
                    keep = False
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    body = b"".join(chunks)
                    self._store(key, version, start["status"], list(start.get("headers") or []), body)
            await send(message)
        await self.app(scope, receive, capture)

    def _store(self, key, version, status, headers, body) -> None:
        if len(body) > MAX_BYTES // 8:
            return
        with self.lock:
            if version != self.version:
                return
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old[2])
            self.entries[key] = (status, headers, body)
            self.size += len(body)
            while self.entries and (len(self.entries) > MAX_ENTRIES or self.size > MAX_BYTES):
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped[2])
