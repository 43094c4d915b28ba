"""`marsad serve` as a user starts it: a real uvicorn on 127.0.0.1, the token from --token or
MARSAD_TOKEN closing the write endpoints, and the upload limit answered with a 413 over HTTP."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys

REPORT = "قصفت طائرات النظام مدينة حماة اليوم ما أدى إلى مقتل 4 مدنيين بحسب ناشطين."


def post(srv, path, body: bytes, headers: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=60)
    conn.request("POST", path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, json.loads(data)


def test_serve_binds_to_loopback_by_default(fresh_db, make_server):
    srv = make_server(fresh_db)
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5):
        pass
    # Only the loopback address listens: another local address of this machine does not answer.
    other = None
    try:
        other = socket.gethostbyname(socket.gethostname())
    except OSError:
        pass
    if other and not other.startswith("127."):
        s = socket.socket()
        s.settimeout(2)
        assert s.connect_ex((other, srv.port)) != 0
        s.close()


def test_token_from_the_environment_closes_writing(fresh_db, make_server):
    srv = make_server(fresh_db, env={"MARSAD_TOKEN": "tok-123"})
    body = json.dumps({"text": REPORT, "published": "2015-08-20"}).encode()
    status, res = post(srv, "/api/ingest", body, {"Content-Type": "application/json"})
    assert status == 401 and "token" in res["error"]
    status, res = post(srv, "/api/ingest", body, {"Content-Type": "application/json",
                                                  "Authorization": "Bearer tok-123"})
    assert status == 200 and res["status"] == "new"


def test_token_option_and_upload_limit(fresh_db, make_server):
    srv = make_server(fresh_db, "--token", "opt-tok", "--max-upload", "0.01")     # ~10 kB
    big = json.dumps({"text": REPORT * 100}).encode()
    assert len(big) > 10 * 1024
    status, res = post(srv, "/api/ingest", big, {"Content-Type": "application/json", "Authorization": "Bearer opt-tok"})
    assert status == 413 and "too large" in res["error"] and "10,485 bytes" in res["error"]
    status, res = post(srv, "/api/ingest", json.dumps({"text": REPORT}).encode(),
                       {"Content-Type": "application/json", "X-Marsad-Token": "wrong"})
    assert status == 403


def test_serve_help_and_bad_options():
    out = subprocess.run([sys.executable, "-m", "marsad", "serve", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "--token" in out.stdout and "127.0.0.1" in out.stdout
    bad = subprocess.run([sys.executable, "-m", "marsad", "serve", "--port", "99999"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
