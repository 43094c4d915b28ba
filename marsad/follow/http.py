"""A polite HTTP client for following outlets.

One ``PoliteClient`` is shared by all the workers of a pass. It names Marsad in its user agent,
spaces requests to one host (``min_interval`` seconds between the starts of two requests), gives
up on a slow server after ``timeout`` seconds and retries transient failures (timeouts,
refused connections, 429 and 5xx) with exponential back-off. Conditional GET is the caller's:
it passes the ETag / Last-Modified it remembered and gets ``status == 304`` back.

Every failure becomes a ``FetchError`` whose message is the reason shown to the user.
"""

from __future__ import annotations

import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from .. import __version__

USER_AGENT = f"Marsad/{__version__} (Arabic conflict news observatory; feed follower)"
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_BYTES = 10_000_000         # a news page or feed larger than this is not one


class FetchError(Exception):
    """A fetch that failed for good (after retries), with the reason to show."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass
class Response:
    url: str                   # final URL, after redirects
    status: int                # 200 or 304
    content: bytes
    headers: dict[str, str]
    attempts: int = 1
    redirects: list[str] = field(default_factory=list)

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


class HostLimiter:
    """Spaces the starts of requests to one host by ``interval`` seconds, across threads."""

    def __init__(self, interval: float):
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        if self.interval <= 0:
            return
        with self._lock:  # reserve a slot, then sleep outside the lock so other hosts go on
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


class PoliteClient:
    def __init__(self, timeout: float = 20.0, retries: int = 2, backoff: float = 1.0,
                 min_interval: float = 1.0, max_redirects: int = 5, user_agent: str = USER_AGENT,
                 max_backoff: float = 60.0, max_time: float | None = None):
        import httpx

        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        # the read timeout is per read: a server dripping bytes would never trip it
        self.max_time = max_time if max_time is not None else 3 * timeout
        self.limiter = HostLimiter(min_interval)
        self.user_agent = user_agent
        self._httpx = httpx
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True, max_redirects=max_redirects,
            headers={"User-Agent": user_agent,
                     "Accept-Language": "ar,en;q=0.5"},
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*") -> Response:
        """GET with retries; a 304 comes back as a Response, any other non-2xx as FetchError."""
        httpx = self._httpx
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        reason = "not tried"
        status = None
        for attempt in range(1, self.retries + 2):
            delay = None
            try:
                self.limiter.wait(urlsplit(url).hostname or "")
                r, body = self._get(url, headers)
                if r.status_code == 304 or 200 <= r.status_code < 300:
                    return Response(str(r.url), r.status_code, body,
                                    {k.lower(): v for k, v in r.headers.items()}, attempt,
                                    [str(h.url) for h in r.history])
                status = r.status_code
                reason = f"HTTP {r.status_code} {r.reason_phrase}".strip()
                if r.status_code not in RETRY_STATUS:
                    raise FetchError(reason, status)
                delay = retry_after(r.headers.get("retry-after"))
            except FetchError:
                raise
            except httpx.TimeoutException as e:
                reason = f"timed out ({type(e).__name__})"
            except httpx.TooManyRedirects:
                raise FetchError("too many redirects") from None
            except httpx.TransportError as e:
                reason = f"connection failed: {type(e).__name__}: {e}"[:300]
            except httpx.InvalidURL as e:
                raise FetchError(f"invalid URL: {e}") from None
            except httpx.UnsupportedProtocol as e:
                raise FetchError(f"unsupported URL: {e}") from None
            if attempt <= self.retries:
                wait = self.backoff * 2 ** (attempt - 1)
                if delay is not None:
                    wait = max(wait, delay)
                time.sleep(min(wait, self.max_backoff))
        if self.retries:
            reason += f" (after {self.retries + 1} attempts)"
        raise FetchError(reason, status)

    def _get(self, url: str, headers: dict):
        """One request, reading at most MAX_BYTES of the body, counted after decompression as
        it streams (a small gzip body can inflate to gigabytes)."""
        t0 = time.monotonic()
        with self.client.stream("GET", url, headers={"Accept-Encoding": "gzip, deflate", **headers}) as r:
            body = Inflater(r.headers.get("content-encoding", ""), MAX_BYTES)
            for chunk in r.iter_raw():
                body.feed(chunk)
                if time.monotonic() - t0 > self.max_time:
                    raise self._httpx.ReadTimeout(f"response took longer than {self.max_time:g} s")
            return r, body.finish()


class Inflater:
    """A response body decoded by its Content-Encoding (identity, gzip, deflate) with a running
    limit: never more than ``limit`` + one chunk of output is held, whatever the input."""

    CHUNK = 256 * 1024

    def __init__(self, encoding: str, limit: int):
        codings = [c.strip().lower() for c in encoding.split(",") if c.strip().lower() not in ("", "identity")]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(f"unsupported Content-Encoding: {encoding[:60]}")
        self.coding = codings[0] if codings else None
        # gzip or zlib header detected (32); a raw deflate stream is tried when that fails
        self._z = zlib.decompressobj(32 + zlib.MAX_WBITS) if self.coding else None
        self._started = False
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            what = "once decompressed" if self.coding else ""
            raise FetchError(f"response larger than {self.limit:,} bytes {what}".strip())
        if data:
            self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._z is None:
            self._keep(chunk)
            return
        try:
            if not self._started and self.coding == "deflate" and chunk[:1] and chunk[0] & 0x0F != 8:
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)   # raw deflate, no zlib header
            self._started = True
            data = self._z.decompress(chunk, self.CHUNK)
            self._keep(data)
            while self._z.unconsumed_tail:
                self._keep(self._z.decompress(self._z.unconsumed_tail, self.CHUNK))
        except zlib.error as e:
            raise FetchError(f"broken {self.coding} body: {e}") from None

    def finish(self) -> bytes:
        if self._z is not None:
            try:
                self._keep(self._z.flush())
            except zlib.error as e:
                raise FetchError(f"broken {self.coding} body: {e}") from None
        return b"".join(self.parts)


def retry_after(value: str | None) -> float | None:
    """Seconds asked for by a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
