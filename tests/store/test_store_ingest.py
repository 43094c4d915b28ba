"""Ingest: every input format, provenance, idempotency, the CLI."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

from store_data import REPORTS, coded, dump, event, records, write_jsonl

from marsad.store import open_store


def test_ingest_twice_gives_the_same_store(store, tmp_path):
    write_jsonl(tmp_path / "in.jsonl", records())
    first = store.ingest_paths([str(tmp_path / "in.jsonl")])
    assert (first.new, first.duplicate, first.failed) == (5, 0, 0)
    before = dump(store)
    second = store.ingest_paths([str(tmp_path / "in.jsonl")])
    assert (second.new, second.duplicate, second.failed) == (0, 5, 0)
    assert second.report_ids == first.report_ids
    assert dump(store) == before


def test_same_text_from_another_file_is_a_duplicate(store, tmp_path):
    (tmp_path / "a.txt").write_text(REPORTS[0][2], encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n" + REPORTS[0][2] + "\n\n", encoding="utf-8")
    stats = store.ingest_paths([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert (stats.new, stats.duplicate) == (1, 1)


def test_every_format_with_provenance(store, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "2015-08-03-ariha.txt").write_text(REPORTS[0][2], encoding="utf-8")
    write_jsonl(folder / "batch.jsonl", records()[1:2])
    with open(folder / "rows.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "title", "text", "published", "source", "url"])
        w.writerow(["c1", "مظاهرة في تعز", REPORTS[2][2], "2015-08-05", "csv-outlet", "http://c.test/1"])
    (folder / "page.html").write_text(
        "<html><head><title>غارات على الزبداني</title><meta property='og:site_name' "
        "content='Example News'></head><body><nav>الرئيسية | أخبار | رياضة</nav><article>"
        "<h1>غارات على الزبداني</h1>" + "".join(f"<p>{REPORTS[4][2]} الفقرة {i}.</p>" for i in range(4))
        + "</article><footer>جميع الحقوق محفوظة</footer></body></html>", encoding="utf-8")
    (folder / ".hidden.txt").write_text(REPORTS[3][2], encoding="utf-8")
    stats = store.ingest_paths([str(folder)], source="folder-outlet")
    assert (stats.new, stats.failed) == (4, 0), store.failures()

    reps = {r["file"].rsplit("/", 1)[-1]: r for r in store.db.query("SELECT * FROM reports")}
    txt = reps["2015-08-03-ariha.txt"]
    assert (txt["published"], txt["source"], txt["text"]) == ("2015-08-03", "folder-outlet", REPORTS[0][2])
    js = reps["batch.jsonl"]
    assert (js["record_id"], js["url"], js["source"]) == ("r2", "http://example.test/r2", "test-outlet")
    cs = reps["rows.csv"]
    assert cs["text"].startswith("مظاهرة في تعز\n\n") and cs["url"] == "http://c.test/1"
    assert cs["source"] == "csv-outlet" and cs["published"] == "2015-08-05"
    html = reps["page.html"]
    assert "الزبداني" in html["text"] and "جميع الحقوق" not in html["text"]
    assert "الرئيسية" not in html["text"]
    rep = store.get_report(html["id"])
    assert rep["text"] == html["text"] and rep["file"].endswith("page.html")


def test_load_results_returns_new_event_ids_and_keeps_evidence(store):
    text = REPORTS[0][2]
    rec, out = coded("x1", text, "2015-08-03", "outlet-a",
                     [event(evidence=[{"start": 0, "end": 20, "field": "event"}])])
    st = store.load_results([(rec, out)], extractor_version="test-1")
    assert st.new == 1 and len(st.new_event_ids) == 1
    ev = store.get_event(st.new_event_ids[0])
    assert ev["extractor_version"] == "test-1"
    assert ev["evidence"][0]["text"] == text[0:20]     # quote filled in from the report
    assert ev["reports"][0]["url"] == "http://outlet-a.test/x1"
    rep = store.get_report(ev["report_ids"][0])
    assert rep["events"][0]["event_id"] == ev["id"]
    assert rep["events"][0]["evidence"][0]["start"] == 0
    again = store.load_results([(rec, out)])
    assert again.duplicate == 1 and again.new_event_ids == []
    assert store.report_by_url("http://outlet-a.test/x1") == ev["report_ids"][0]


def test_ingest_text_and_record(store):
    r = store.ingest_text(REPORTS[1][2], published="2015-08-04", source="pasted", title="جوبر")
    assert r.status == "new" and r.report_id
    rep = store.get_report(r.report_id)
    assert rep["text"].startswith("جوبر\n\n") and rep["published"] == "2015-08-04"
    assert store.ingest_text(REPORTS[1][2], title="جوبر").status == "duplicate"


def test_report_with_hash_finds_the_stored_text(store):
    from marsad.store.store import content_hash
    text = REPORTS[0][2]
    assert store.report_with_hash(content_hash(text)) is None
    r = store.ingest_record({"id": "h1", "text": text})
    # the hash ignores surrounding white space, as ingest's duplicate check does
    assert store.report_with_hash(content_hash("\n" + text + "  ")) == r.report_id


def test_migration_added_by_another_area(tmp_path):
    from marsad.store import Migration
    from marsad.store.schema import MIGRATIONS
    s = open_store(tmp_path / "m.db")
    mig = [Migration("feeds", "CREATE TABLE feeds (id {pk}, url TEXT UNIQUE)")]
    assert s.migrate("follow", mig) == ["feeds"]
    assert s.migrate("follow", mig) == []
    mig.append("ALTER TABLE feeds ADD COLUMN title TEXT")
    assert s.migrate("follow", mig) == ["follow 2"]
    s.db.execute("INSERT INTO feeds (url, title) VALUES ('u', 't')")
    s.close()
    s = open_store(tmp_path / "m.db")
    assert s.db.schema_versions() == {"store": len(MIGRATIONS), "follow": 2}
    assert s.db.scalar("SELECT title FROM feeds") == "t"
    s.close()


def test_cli_ingest_status_query(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", records())
    (tmp_path / "bad.jsonl").write_text('{"id": "x", "text": \n', encoding="utf-8")
    db = str(tmp_path / "cli.db")
    marsad = [sys.executable, "-m", "marsad"]
    out = subprocess.run(marsad + ["ingest", "--db", db, "--json", str(tmp_path / "in.jsonl"),
                                   str(tmp_path / "bad.jsonl")], capture_output=True, text=True, check=True)
    counts = json.loads(out.stdout)
    assert (counts["new"], counts["duplicate"], counts["failed"]) == (5, 0, 1)
    st = subprocess.run(marsad + ["status", "--db", db, "--failures"], capture_output=True,
                        text=True, check=True).stdout
    assert "reports:  5" in st and "not valid JSON" in st and "bad.jsonl:1" in st
    q = subprocess.run(marsad + ["query", "--db", db], capture_output=True, text=True, check=True)
    assert q.stdout.startswith("id ") and "events" in q.stderr
