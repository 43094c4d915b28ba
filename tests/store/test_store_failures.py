"""Bad input is recorded with its reason and never stops the run."""

from __future__ import annotations

import json

from store_data import REPORTS

from marsad.store import ingest


def test_every_kind_of_bad_input_is_recorded(store, tmp_path, monkeypatch):
    d = tmp_path / "in"
    d.mkdir()
    (d / "01_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (d / "02_cp1256.txt").write_bytes(REPORTS[0][2].encode("cp1256"))
    (d / "03_empty.txt").write_bytes(b"")
    (d / "04_blank.txt").write_text("   \n\n  ", encoding="utf-8")
    (d / "05_english.txt").write_text("Government aircraft struck the town of Ariha today.", encoding="utf-8")
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 5000)   # a "gigantic" file, kept small for the test
    (d / "06_gigantic.txt").write_text(REPORTS[0][2] * 100, encoding="utf-8")
    lines = [json.dumps({"id": "ok1", "text": REPORTS[1][2]}, ensure_ascii=False),
             '{"id": "broken", "text": "قصف',
             '["not", "an", "object"]',
             json.dumps({"id": "notext"}),
             json.dumps({"id": "baddate", "text": REPORTS[2][2], "published": "yesterday"},
                        ensure_ascii=False)]
    (d / "07_batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "08_rows.csv").write_text(
        'id,text,published\n'
        f'c1,"{REPORTS[3][2]}",2015-08-05\n'
        'c2,"نص",2015-08-05,extra,fields\n'
        f'c3,"{REPORTS[4][2]}",2015-08-06\n', encoding="utf-8")
    (d / "09_nocol.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (d / "10_good.txt").write_text(REPORTS[0][2], encoding="utf-8")
    (d / "11_page.html").write_text("<html><body><nav>الرئيسية</nav></body></html>", encoding="utf-8")

    stats = store.ingest_paths([str(d)])
    assert stats.new == 4            # ok1, c1, c3, 10_good: the run went on past every bad item
    # (kind "extract" would be the extractor failing on a good report: not what is tested here)
    reasons = {f["origin"].rsplit("/", 1)[-1]: f["reason"] for f in store.failures(limit=100)
               if f["kind"] in ("read", "validate")}
    assert "binary" in reasons["01_binary.txt"]
    assert "not UTF-8" in reasons["02_cp1256.txt"] and "1256" in reasons["02_cp1256.txt"]
    assert reasons["03_empty.txt"] == "empty file"
    assert reasons["04_blank.txt"] == "text is empty"
    assert "not Arabic" in reasons["05_english.txt"]
    assert "too large" in reasons["06_gigantic.txt"]
    assert "not valid JSON" in reasons["07_batch.jsonl:2"]
    assert "not a JSON object" in reasons["07_batch.jsonl:3"]
    assert "no text" in reasons["07_batch.jsonl:4"]
    assert "published" in reasons["07_batch.jsonl:5"]
    assert "malformed CSV row" in reasons["08_rows.csv:3"]
    assert "no text column" in reasons["09_nocol.csv"]
    assert "no article text" in reasons["11_page.html"]
    assert stats.failed == len(reasons) == 13
    assert {"read", "validate"} <= set(store.status()["failures"])

    # the same bad input again is the same failure, not a new one
    n = len(store.failures(limit=100))
    store.ingest_paths([str(d)])
    assert len(store.failures(limit=100)) == n


def test_text_longer_than_the_extractor_accepts(store):
    from marsad.extract import MAX_CHARS
    r = store.ingest_record({"id": "long", "text": "قصف " * (MAX_CHARS // 4 + 10)})
    assert r.status == "failed" and "too long" in r.reason
    assert store.failures()[0]["record_id"] == "long"


def test_store_error_on_one_report_does_not_stop_the_batch(store):
    from store_data import coded, event
    bad = coded("b", REPORTS[0][2], "2015-08-03", "o", [event(evidence=[{"start": "x"}])])
    good = coded("g", REPORTS[1][2], "2015-08-04", "o", [event(event_date="2015-08-04")])
    bad[1]["entities"] = [{"type": "LOC", "start": 0, "end": 3, "extra": object()}]  # not JSON
    st = store.load_results([bad, good])
    assert (st.new, st.failed) == (1, 1)
    assert store.db.scalar("SELECT COUNT(*) FROM reports") == 1  # the bad one rolled back whole
    assert store.failures()[0]["kind"] == "store"


def test_a_store_inside_the_ingested_folder_is_not_read_as_reports(tmp_path):
    from marsad.store import open_store

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("قصفت طائرات النظام بلدة كفرنبل في ريف إدلب اليوم", encoding="utf-8")
    store = open_store(folder / "marsad.db")      # the store lives among the reports
    try:
        stats = store.ingest_paths([str(folder)], published="2015-08-01")
        stats2 = store.ingest_paths([str(folder)], published="2015-08-01")   # WAL files exist now
        assert (stats.new, stats.failed) == (1, 0)
        assert (stats2.new, stats2.duplicate, stats2.failed) == (0, 1, 0)
        assert store.failures() == []
    finally:
        store.close()
