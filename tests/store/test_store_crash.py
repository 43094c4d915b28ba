"""A real SIGKILL in the middle of `marsad ingest` loses no committed report; a re-run completes it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from store_data import REPORTS, write_jsonl

N = 40


def _records():
    return [{"id": f"k{i}", "text": f"{REPORTS[i % 5][2]} (التقرير رقم {i})",
             "published": REPORTS[i % 5][1], "source": "outlet"} for i in range(N)]


def _count(db: str) -> int:
    if not os.path.exists(db):
        return 0
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    except sqlite3.OperationalError:   # schema not created yet
        return 0
    finally:
        con.close()


def _wait(db: str, n: int, proc, timeout: float = 120) -> int:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        c = _count(db)
        if c >= n:
            return c
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.01)
    raise AssertionError(f"fewer than {n} reports after {timeout} s")


def _consistent(db: str) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # every committed report has all its coded events, every event has its reports
        assert con.execute("SELECT COUNT(*) FROM reports r WHERE n_events <> "
                           "(SELECT COUNT(*) FROM mentions m WHERE m.report_id = r.id)").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM events e WHERE NOT EXISTS "
                           "(SELECT 1 FROM mentions m WHERE m.event_id = e.id)").fetchone()[0] == 0
        assert con.execute("SELECT COUNT(*) FROM reports WHERE id NOT IN "
                           "(SELECT rowid FROM fts_reports_rows)").fetchone()[0] == 0
    finally:
        con.close()


def test_sigkill_mid_ingest_then_rerun(tmp_path):
    db = str(tmp_path / "k.db")
    recs = _records()
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in recs]
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "ingest", "--db", db, "--no-progress",
                             "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        proc.stdin.write("".join(lines[:5]))
        proc.stdin.flush()
        _wait(db, 5, proc)                      # the extractor is loaded and reports commit
        proc.stdin.write("".join(lines[5:30]))  # more work; kill while it is being done
        proc.stdin.flush()
        _wait(db, 6, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    committed = _count(db)
    assert 6 <= committed < N
    _consistent(db)

    write_jsonl(tmp_path / "all.jsonl", recs)
    out = subprocess.run([sys.executable, "-m", "marsad", "ingest", "--db", db, "--json",
                          str(tmp_path / "all.jsonl")], capture_output=True, text=True, check=True)
    counts = json.loads(out.stdout)
    assert counts["duplicate"] == committed and counts["new"] == N - committed
    assert counts["failed"] == 0
    assert _count(db) == N
    _consistent(db)
    con = sqlite3.connect(db)
    assert sorted(r[0] for r in con.execute("SELECT record_id FROM reports")) == sorted(r["id"] for r in recs)
    con.close()
