"""`marsad ingest --workers N` / `--engine dask`: coded in parallel, stored as a one-process ingest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.store import open_store
from marsad.store.ingest import iter_paths

MARSAD = [str(Path(sys.executable).with_name("marsad"))]


@pytest.fixture
def archive(records, tmp_path):
    """A JSONL file with duplicates and bad lines among the reports, and a text file."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records[:24]]
    lines.insert(5, "{not json")
    lines.insert(9, json.dumps({"id": "empty", "text": ""}))
    lines += [json.dumps(r, ensure_ascii=False) for r in records[:3]]      # seen before
    d = tmp_path / "archive"
    d.mkdir()
    (d / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "b.txt").write_text(records[30]["text"], encoding="utf-8")
    return d


def _ingest(db, archive, *extra):
    p = subprocess.run(MARSAD + ["ingest", "--db", str(db), str(archive), "--json", "--no-progress",
                                 "--published", "2015-09-01", *extra],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_ingest_with_two_workers_stores_what_one_process_stores(archive, tmp_path, snapshot):
    one = _ingest(tmp_path / "one.db", archive)
    two = _ingest(tmp_path / "two.db", archive, "--workers", "2")
    for k in ("new", "duplicate", "failed", "events", "new_events"):
        assert two[k] == one[k], k
    assert (one["new"], one["duplicate"], one["failed"]) == (25, 3, 2)
    a, b = open_store(tmp_path / "one.db"), open_store(tmp_path / "two.db")
    try:
        sa, sb = snapshot(a), snapshot(b)
        for key in sa:
            assert sb[key] == sa[key], key
        assert sb["total"] > 0
    finally:
        a.close()
        b.close()
    # re-running completes nothing more: everything is a duplicate, nothing is coded again
    again = _ingest(tmp_path / "two.db", archive, "--workers", "2")
    assert (again["new"], again["duplicate"]) == (0, 28)


def test_ingest_on_a_dask_local_cluster_stores_what_one_process_stores(archive, tmp_path, snapshot):
    pytest.importorskip("distributed", reason="the Dask engine needs the scale extra")
    from marsad.scale.ingest import ingest_parallel

    a, b = open_store(tmp_path / "one.db"), open_store(tmp_path / "dask.db")
    try:
        s1 = a.ingest_paths([str(archive)], published="2015-09-01")
        s2 = ingest_parallel(b, iter_paths([str(archive)], "2015-09-01"), workers=2, engine="dask",
                             chunk=6)
        assert (s2.new, s2.duplicate, s2.failed) == (s1.new, s1.duplicate, s1.failed)
        sa, sb = snapshot(a), snapshot(b)
        for key in sa:
            assert sb[key] == sa[key], key
    finally:
        a.close()
        b.close()


def test_one_coding_process_beside_the_writer_stores_what_one_process_stores(archive, tmp_path,
                                                                             snapshot, monkeypatch):
    """`ingest --workers 1` on many records: a pool of one process codes while this one stores;
    bad lines and duplicates come out as in a one-process ingest."""
    from marsad.scale import parallel
    from marsad.scale.ingest import ingest_parallel

    a, b = open_store(tmp_path / "one.db"), open_store(tmp_path / "beside.db")
    try:
        s1 = a.ingest_paths([str(archive)], published="2015-09-01")

        def not_here(records):
            raise AssertionError("coded in the writing process")
        monkeypatch.setattr(parallel, "extract_stream", not_here)   # the worker has its own
        s2 = ingest_parallel(b, iter_paths([str(archive)], "2015-09-01"), workers=1, group=True)
        assert (s2.new, s2.duplicate, s2.failed, s2.events) == (s1.new, s1.duplicate, s1.failed, s1.events)
        assert (s2.new, s2.duplicate, s2.failed) == (25, 3, 2)
        sa, sb = snapshot(a), snapshot(b)
        for key in sa:
            assert sb[key] == sa[key], key
        assert [f["reason"] for f in b.failures()] == [f["reason"] for f in a.failures()]
    finally:
        a.close()
        b.close()


def test_ingest_codes_beside_the_writer_only_for_many_records_on_two_cores(monkeypatch):
    from marsad.scale.ingest import BESIDE_FROM
    from marsad.store.commands import _code_beside

    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert _code_beside(BESIDE_FROM) and _code_beside(10 * BESIDE_FROM)
    assert not _code_beside(BESIDE_FROM - 1)   # the pool's start-up would be much of the run
    assert not _code_beside(None)              # stdin: records may come one by one
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0}, raising=False)
    assert not _code_beside(10 * BESIDE_FROM)  # one core: nothing to overlap


def test_count_items_stops_at_what_the_decision_needs(tmp_path, monkeypatch):
    """Without a progress bar `ingest` needs only "at least BESIDE_FROM records": the count
    stops there instead of reading every input a second time."""
    from marsad.store import ingest as ing

    a = tmp_path / "a.jsonl"
    a.write_text("".join('{"text": "قصف %d"}\n' % i for i in range(40)), encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("text\nقصف\nغارة", encoding="utf-8")            # header; last line without newline
    (tmp_path / "c.txt").write_text("قصف", encoding="utf-8")
    assert ing.count_items([str(a), str(b), str(tmp_path / "c.txt")]) == 40 + 2 + 1
    assert ing.count_items([str(tmp_path)]) == 43                    # a folder: each file in it
    assert ing.count_items([str(a), "-"]) is None                    # stdin anywhere: unknown
    kinds = []
    monkeypatch.setattr(ing, "file_kind", lambda p: kinds.append(p) or "jsonl")
    assert ing.count_items([str(a), str(b)], at_most=10) >= 10
    assert kinds == [str(a)]                                          # b was not read
