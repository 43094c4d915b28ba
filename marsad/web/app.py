"""The FastAPI application: pages and JSON API over one store.

``create_app(store_or_path, token=..., max_upload=..., tiles=...)`` builds it; ``marsad serve``
runs it under uvicorn. The SQLite store's connection is shared by the server's threads (the
store serialises access with its own lock).

Errors: a bad parameter is a 400 with {"error": "..."} (or a notice on a page); anything that
goes wrong inside is logged and answered with a 500 that carries no stack trace.
"""

from __future__ import annotations

import hmac
import logging
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from .. import __version__
from .assets import AssetFiles
from .filters import BadParam
from .i18n import pick_lang

log = logging.getLogger("marsad.web")

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
MAX_UPLOAD = 2 * 1024 * 1024      # bytes per write request (a long report is ~400 kB of UTF-8)


class ApiError(Exception):
    """An error answered as {"error": message} with this status (or an error page)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and request.url.path != "/openapi.json"


class UploadLimit:
    """ASGI middleware: refuse a request body over ``limit`` bytes with a clear 413.

    A declared Content-Length over the limit is refused before reading; a chunked body is
    read up to the limit and refused as soon as it goes over.
    """

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                return await self._refuse(scope, send, 400, "Content-Length is not a number")
            if size > self.limit:
                return await self._too_large(scope, send, size)
            return await self.app(scope, receive, send)
        # No length given: buffer up to the limit, then replay the body.
        chunks, total, more = [], 0, True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body = msg.get("body", b"")
            total += len(body)
            if total > self.limit:
                return await self._too_large(scope, send, None)
            chunks.append(body)
            more = msg.get("more_body", False)
        data = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    async def _too_large(self, scope, send, size):
        got = f"{size:,} bytes" if size is not None else "more than that"
        msg = (f"upload too large: {got}; the limit is {self.limit:,} bytes "
               f"(marsad serve --max-upload)")
        return await self._refuse(scope, send, 413, msg)

    @staticmethod
    async def _refuse(scope, send, status, message):
        import html
        import json
        if scope.get("path", "").startswith("/api"):
            body, ctype = json.dumps({"error": message}, ensure_ascii=False).encode(), b"application/json; charset=utf-8"
        else:   # the ingest form: a page, not raw JSON (the body was never read, so no template state)
            body = (f'<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" '
                    f'content="width=device-width, initial-scale=1"><title>{status}</title>'
                    f'<link rel="stylesheet" href="/static/app.css"><body class="page-error"><main>'
                    f'<h1>Error ({status}) · خطأ</h1><p class="notice error" role="alert">{html.escape(message)}</p>'
                    f'<p><a href="/ingest">Add a report · إضافة تقرير</a></p></main></body></html>').encode()
            ctype = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", ctype),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


MAX_ID = 2**63 - 1          # SQLite's largest integer; a larger id names nothing
FORM_COOKIE = "marsad_form"


# Nothing but our own origin: no inline script from report text could run, no CDN.
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data: blob: https: http:; style-src 'self' 'unsafe-inline'; "
     b"script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class LanguageAndHeaders:
    """ASGI middleware: the interface language (``?lang=``, remembered in a cookie, else the
    browser's Accept-Language) in ``request.state.lang``, and the security headers on every
    answer. Plain ASGI rather than @app.middleware: that wrapper costs a task per request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from http.cookies import SimpleCookie
        from urllib.parse import parse_qs
        headers = dict(scope.get("headers") or [])
        q = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[-1]
        cookie = None
        if b"cookie" in headers:
            jar = SimpleCookie()
            try:
                jar.load(headers[b"cookie"].decode("latin-1"))
            except Exception:   # a malformed Cookie header is ignored, not a 500
                jar = {}
            cookie = jar["lang"].value if "lang" in jar else None
        accept = headers.get(b"accept-language", b"").decode("latin-1") or None
        scope.setdefault("state", {})["lang"] = pick_lang(q, cookie, accept)
        remember = q in ("ar", "en")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers") or []}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in have]
                if remember:
                    extra.append((b"set-cookie", f"lang={q}; Max-Age={365 * 86400}; Path=/; SameSite=lax".encode()))
                message = {**message, "headers": list(message.get("headers") or []) + extra}
            await send(message)
        await self.app(scope, receive, send_with_headers)


def check_id(kind: str, value: int) -> int:
    """An id from a URL path: one outside the store's integer range is simply not there."""
    if not 0 < value <= MAX_ID:
        raise ApiError(404, f"no {kind} with id {value}")
    return value


def foreign_origin(request: Request) -> str | None:
    """Why this request comes from another site (a page the analyst happens to visit), if it does.

    Browsers send Origin (and Sec-Fetch-Site) with every cross-origin POST; scripts such as curl
    send neither and are not a cross-site threat."""
    site = request.headers.get("sec-fetch-site")
    if site in ("cross-site", "same-site"):
        return f"a write request from another site ({site}) is refused"
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    origin = request.headers.get("origin")
    if origin is not None:
        if origin.lower().rstrip("/") != own:
            return f"a write request from another origin ({origin[:100]}) is refused"
        return None
    referer = request.headers.get("referer")
    if referer:
        from urllib.parse import urlsplit
        parts = urlsplit(referer)
        if f"{parts.scheme}://{parts.netloc}".lower() != own:
            return "a write request from another site is refused"
    return None


def check_write(request: Request, form_token: str | None = None, form_key: str | None = None,
                html_form: bool = False) -> None:
    """Write endpoints. A request from another site is refused unless it carries the server's
    token; the HTML form must also send back its per-session form key (a page elsewhere cannot
    read it); with ``--token`` every write needs the token."""
    expected = request.app.state.token
    given = request.headers.get("x-marsad-token") or form_token or ""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    token_ok = bool(expected and given and hmac.compare_digest(given.encode(), expected.encode()))
    if expected and given and not token_ok:
        raise ApiError(403, "wrong token")
    foreign = foreign_origin(request)
    if foreign and not token_ok:
        raise ApiError(403, foreign)
    if html_form:
        cookie = request.cookies.get(FORM_COOKIE) or ""
        if not (cookie and form_key and hmac.compare_digest(cookie.encode(), form_key.encode())):
            raise ApiError(403, "the form has expired or was not sent from this site: reload the page "
                                "and submit it again")
    if expected and not token_ok:
        raise ApiError(401, "this server requires a token for writing: send 'Authorization: Bearer TOKEN'"
                            " (or the X-Marsad-Token header, or the form's token field)")


def create_app(store: Any, *, token: str | None = None, max_upload: int = MAX_UPLOAD,
               tiles: str | None = None, tiles_attribution: str | None = None, cache: bool = True) -> FastAPI:
    """The web application over ``store`` (a Store, or a database path/URL to open)."""
    owns_store = isinstance(store, (str, os.PathLike))
    if owns_store:
        from marsad.store import open_store
        store = open_store(store)

    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app):
        yield
        if owns_store:
            store.close()

    app = FastAPI(title="Marsad API", version=__version__, lifespan=lifespan,
                  description="Conflict events coded from Arabic reports: events, reports, actors, "
                              "places, statistics and ingest. Every event field points back at the "
                              "text span it came from.",
                  docs_url=None, redoc_url=None)   # their pages load scripts from a CDN; /api is ours
    app.state.store = store
    app.state.token = token or None
    app.state.max_upload = max_upload
    app.state.tiles = tiles or None
    app.state.tiles_attribution = tiles_attribution or ""
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES))
    app.state.assets_ok = (STATIC / "vendor" / "leaflet.js").exists()

    app.add_middleware(LanguageAndHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)   # 9 costs 6x the time for 3% less
    app.add_middleware(UploadLimit, limit=max_upload)
    app.mount("/static", AssetFiles(directory=str(STATIC)), name="static")

    def error_response(request: Request, status: int, message: str) -> Response:
        if wants_html(request):
            from .pages import render_error
            return render_error(request, status, message)
        return JSONResponse({"error": message}, status_code=status)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(BadParam)
    async def bad_param(request: Request, exc: BadParam):
        return error_response(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        parts = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid')}")
        return error_response(request, 400, "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such page: {request.url.path}"
        return error_response(request, exc.status_code, detail)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        log.exception("error answering %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal error (see the server log)")

    from .api import router as api_router
    from .pages import router as page_router
    app.include_router(api_router)
    app.include_router(page_router)
    if cache:
        from .cache import ResponseCache
        app.add_middleware(ResponseCache, store=store)   # added last: outermost, before everything else
    return app
