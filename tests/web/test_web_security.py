"""Security of the served app: cross-site writes refused whatever the token setting, ids past the
store's integer range, literal actor search, the status page keeps the server's paths to
itself, and connections that never finish their headers are closed."""

from __future__ import annotations

import re
import socket
import time

import pytest
from fastapi.testclient import TestClient

from marsad.store import open_store
from marsad.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

REPORT = ("قصفت طائرات النظام السوري مدينة دوما في ريف دمشق اليوم، ما أدى إلى مقتل 7 مدنيين بحسب ناشطين.")
EVIL = "http://evil.example"


@pytest.fixture
def open_client(fresh_db):
    """No --token: the default, where cross-site form posts used to be accepted."""
    store = open_store(fresh_db)
    with TestClient(create_app(store), raise_server_exceptions=False, base_url="http://127.0.0.1:8000") as c:
        yield c
    store.close()


def reports(client) -> int:
    return client.get("/api/status").json()["reports"]


def form_key(client) -> str:
    page = client.get("/ingest").text
    return re.search(r'name="form_key" value="([^"]+)"', page).group(1)


def test_cross_site_form_posts_store_nothing(open_client):
    key = form_key(open_client)
    form = {"text": REPORT, "published": "2015-08-16", "form_key": key}
    # A page on another site posting the ingest form (the browser sends its Origin).
    r = open_client.post("/ingest", data=form, headers={"Origin": EVIL})
    assert r.status_code == 403 and "another origin" in r.text
    r = open_client.post("/ingest", data=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = open_client.post("/ingest", data=form, headers={"Referer": EVIL + "/page"})
    assert r.status_code == 403
    # The JSON API and the upload endpoint from another origin.
    r = open_client.post("/api/ingest", json={"text": REPORT}, headers={"Origin": EVIL})
    assert r.status_code == 403 and "another origin" in r.json()["error"]
    r = open_client.post("/api/upload", files={"file": ("a.txt", REPORT.encode(), "text/plain")},
                         headers={"Origin": EVIL})
    assert r.status_code == 403
    assert reports(open_client) == 0


def test_the_form_needs_its_session_key(open_client):
    form_key(open_client)                                   # the cookie is set ...
    r = open_client.post("/ingest", data={"text": REPORT, "published": "2015-08-16"})
    assert r.status_code == 403 and "reload the page" in r.text   # ... but the field is missing
    r = open_client.post("/ingest", data={"text": REPORT, "form_key": "x" * 32})
    assert r.status_code == 403
    assert reports(open_client) == 0
    # From this site with its key: stored.
    r = open_client.post("/ingest", data={"text": REPORT, "published": "2015-08-16", "form_key": form_key(open_client)},
                         headers={"Origin": "http://127.0.0.1:8000"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/report/")
    assert reports(open_client) == 1


def test_same_origin_and_scripted_json_writes_pass(open_client):
    r = open_client.post("/api/ingest", json={"text": REPORT}, headers={"Origin": "http://127.0.0.1:8000"})
    assert r.status_code == 200 and r.json()["status"] == "new"
    r = open_client.post("/api/ingest", json={"text": REPORT + " "})   # curl: no Origin at all
    assert r.status_code == 200


def test_a_foreign_origin_with_the_token_may_write(fresh_db):
    store = open_store(fresh_db)
    with TestClient(create_app(store, token="tok"), raise_server_exceptions=False) as c:
        r = c.post("/api/ingest", json={"text": REPORT}, headers={"Origin": EVIL})
        assert r.status_code == 403
        r = c.post("/api/ingest", json={"text": REPORT}, headers={"Origin": EVIL, "Authorization": "Bearer tok"})
        assert r.status_code == 200
    store.close()


@pytest.fixture(scope="module")
def client(demo_store):
    with TestClient(create_app(demo_store), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("path", ["/api/events/99999999999999999999999", "/api/reports/99999999999999999999999",
                                  "/event/99999999999999999999999", "/report/99999999999999999999999",
                                  "/api/events/9223372036854775808", "/event/0", "/api/events/-5"])
def test_huge_ids_are_404(client, path):
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code, r.text[:200])
    assert "Traceback" not in r.text


def test_actor_filter_is_literal(client, demo_store):
    events, _ = demo_store.query_events(limit=None)
    names = {e[k] for e in events for k in ("actor1", "actor2") if e.get(k)}
    assert names
    with_underscore = {n for n in names if "_" in n}
    got = client.get("/api/events", params={"actor": "_", "limit": 1000}).json()
    assert got["total"] == sum(1 for e in events if "_" in (e.get("actor1") or "") + (e.get("actor2") or ""))
    assert {n for e in got["events"] for n in (e["actor1"], e["actor2"]) if n and "_" in n} == with_underscore
    assert client.get("/api/events", params={"actor": "%"}).json()["total"] == 0


def test_status_keeps_the_database_path_private(client, demo_db):
    page = client.get("/status").text
    assert str(demo_db.parent) not in page
    assert str(demo_db.parent) not in client.get("/api/status").text
    assert client.get("/api/status").json()["database"] == demo_db.name


def test_oversize_form_upload_is_a_page(fresh_db):
    store = open_store(fresh_db)
    with TestClient(create_app(store, max_upload=2048), raise_server_exceptions=False) as c:
        r = c.post("/ingest", data={"text": "قصف " * 2000})
        assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
        assert "too large" in r.text and "<html" in r.text
    store.close()


def test_connections_that_never_finish_their_headers_are_closed(fresh_db, make_server):
    srv = make_server(fresh_db, "--header-timeout", "1")
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")       # and never the blank line
    t0 = time.monotonic()
    try:
        while True:
            time.sleep(0.3)
            s.sendall(b"X-Slow: 1\r\n")                      # a byte now and then keeps nothing alive
            if time.monotonic() - t0 > 8:
                break
    except OSError:
        pass
    s.settimeout(5)
    try:
        closed = s.recv(100) == b""
    except OSError:
        closed = True
    s.close()
    assert closed and time.monotonic() - t0 < 6
    # A normal client is still served on a new connection.
    c = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    c.sendall(b"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert c.recv(20).startswith(b"HTTP/1.1 200")
    c.close()
