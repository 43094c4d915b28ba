"""One table of bad inputs, fed to `marsad extract`, `marsad ingest` and POST /api/ingest.

Each input is one report as a JSON line, written in the bytes a user's file would hold. Every bad
one must come back as that record's error, with a reason naming the real problem, and never
stop the batch: `extract` writes a line for the good record after it, `ingest` stores it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.store import open_store

# a synthetic report (invented incident in a real place)
REPORT = "قصفت قوات النظام السوري بلدة كفرنبل في ريف إدلب أمس، ما أدى إلى مقتل ثلاثة مدنيين."
GOOD = json.dumps({"id": "good", "text": REPORT + " وقالت مصادر محلية إن القصف استمر ساعة."},
                  ensure_ascii=False).encode()


def line(rec: dict) -> str:
    return json.dumps(rec, ensure_ascii=False)


# (kind, bytes of a one-record .jsonl file, a regular expression the reason matches, or None:
# read and coded)
BAD_INPUTS = [
    ("nested 100,000 deep", b'{"id": "deep", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     "nested too deep"),
    ("5,000-digit id", b'{"id": ' + b"7" * 5000 + b', "text": "x"}', "number too long"),
    ("lone surrogate in text", ('{"id": "sur", "text": "' + REPORT + ' \\ud800"}').encode(),
     r"text(:| is) not valid Unicode \(a lone surrogate \\ud800"),
    ("lone surrogate in id", ('{"id": "a\\udfffb", "text": "' + REPORT + '"}').encode(),
     "id(:| is) not valid Unicode"),
    ("UTF-16 with BOM", line({"id": "u16", "text": REPORT}).encode("utf-16"), None),
    ("UTF-8 with BOM", b"\xef\xbb\xbf" + line({"id": "u8bom", "text": REPORT}).encode(), None),
    ("Windows-1256", line({"id": "cp", "text": REPORT}).encode("cp1256"),
     "looks like Windows-1256 Arabic: convert it with iconv -f CP1256 -t UTF-8"),
    ("Latin-1", line({"id": "latin", "text": "Frappé à Kafranbel, trois civils tués"}).encode("latin-1"),
     r"not UTF-8 text \(invalid byte 0xe9"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    ("not JSON", '{"id": "broken", "text": "قصف'.encode(), "not valid JSON"),
    ("not an object", b'["a", "list"]', "not a JSON object"),
    ("no text", b'{"id": "notext"}', "no text"),
    ("text not a string", b'{"id": "num", "text": 42}', "text.*not a string"),
    ("empty text", b'{"id": "blank", "text": "   "}', "text is empty"),
    ("not Arabic", b'{"id": "en", "text": "Shelling hit Kafranbel yesterday."}', "not Arabic"),
    ("NUL in text", line({"id": "nul", "text": REPORT + "\x00"}).encode(), "NUL"),
    ("bad date", line({"id": "date", "text": REPORT, "published": "2015-13-45"}).encode(),
     "published.*not a YYYY-MM-DD date"),
]
IDS = [k for k, _, _ in BAD_INPUTS]


def _outcome_ok(reason: str | None, expected: str | None) -> bool:
    return not reason if expected is None else bool(reason) and re.search(expected, reason) is not None


@pytest.mark.parametrize("kind,data,expected", BAD_INPUTS, ids=IDS)
def test_extract(tmp_path: Path, kind, data, expected):
    inp = tmp_path / "in.jsonl"
    # the good record follows in the same file (same encoding) for UTF-16; on its own line else
    if kind == "UTF-16 with BOM":
        inp.write_bytes((data.decode("utf-16") + "\n" + GOOD.decode()).encode("utf-16"))
    else:
        inp.write_bytes(data + b"\n" + GOOD + b"\n")
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["extract", "--input", str(inp), "--output", str(out)])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    if kind == "binary":   # a binary file has no lines: it is refused as a whole, in one line
        assert len(got) == 1
    else:
        assert len(got) == 2 and got[1]["id"] == "good" and not got[1].get("error")
    assert _outcome_ok(got[0].get("error"), expected), got[0].get("error")
    assert res.exit_code == (expected is not None)


@pytest.mark.parametrize("kind,data,expected", BAD_INPUTS, ids=IDS)
def test_ingest(tmp_path: Path, kind, data, expected):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_bad.jsonl").write_bytes(data)
    (d / "b_good.jsonl").write_bytes(GOOD)
    store = open_store(tmp_path / "t.db")
    try:
        stats = store.ingest_paths([str(d)])
        fails = store.failures(limit=10)
    finally:
        store.close()
    assert stats.new == 1 + (expected is None)          # the good file is stored in every case
    reason = fails[0]["reason"] if fails else None
    assert _outcome_ok(reason, expected), reason


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    store = open_store(tmp_path_factory.mktemp("api") / "t.db")
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        yield c
    store.close()


@pytest.mark.parametrize("kind,data,expected", BAD_INPUTS, ids=IDS)
def test_post_api_ingest(api, kind, data, expected):
    r = api.post("/api/ingest", content=data, headers={"content-type": "application/json"})
    assert r.status_code in (200, 400), r.text
    body = r.json()
    reason = body.get("error") or (body.get("reason") if body.get("status") == "failed" else None)
    assert _outcome_ok(reason, expected), reason
    assert api.post("/api/ingest", content=GOOD).json()["status"] in ("new", "duplicate")


def test_single_file_extract_decodes_as_ingest_does(tmp_path: Path):
    """`extract FILE` reads UTF-16 and names Windows-1256, as `ingest` does."""
    (tmp_path / "u16.txt").write_bytes(REPORT.encode("utf-16"))
    (tmp_path / "cp.txt").write_bytes(REPORT.encode("cp1256"))
    res = CliRunner().invoke(main, ["extract", str(tmp_path / "u16.txt")])
    assert res.exit_code == 0 and not json.loads(res.output).get("error")
    res = CliRunner().invoke(main, ["extract", str(tmp_path / "cp.txt")])
    assert res.exit_code == 1 and "Windows-1256" in json.loads(res.output)["error"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_broken_and_looping_links_in_a_folder_are_recorded(tmp_path: Path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.jsonl").write_bytes(GOOD)
    os.symlink(d / "gone.txt", d / "broken.txt")
    os.symlink(d / "loop2.txt", d / "loop1.txt")
    os.symlink(d / "loop1.txt", d / "loop2.txt")
    store = open_store(tmp_path / "t.db")
    try:
        stats = store.ingest_paths([str(d)])
        reasons = {Path(f["origin"]).name: f["reason"] for f in store.failures(limit=10)}
    finally:
        store.close()
    assert stats.new == 1 and stats.failed == 3
    assert reasons["broken.txt"].startswith("broken symbolic link")
    assert reasons["loop1.txt"].startswith("symbolic link loop")


def test_ingest_from_stdin_reads_each_line_on_its_own(tmp_path: Path, monkeypatch):
    """`marsad ingest -`: the one-line bad inputs in one stream, each its own failure."""
    import io
    import sys

    lines = [(k, d, e) for k, d, e in BAD_INPUTS if k not in ("UTF-16 with BOM", "binary", "UTF-8 with BOM")]
    stream = b"\n".join(d for _, d, _ in lines) + b"\n" + GOOD + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stream)))
    store = open_store(tmp_path / "t.db")
    try:
        stats = store.ingest_paths(["-"])
        reasons = {int(f["origin"].rsplit(":", 1)[1]): f["reason"] for f in store.failures(limit=50)}
    finally:
        store.close()
    assert stats.new == 1
    for n, (kind, _, expected) in enumerate(lines, 1):
        assert _outcome_ok(reasons.get(n), expected), (kind, reasons.get(n))


def test_a_utf16_csv_is_read_and_a_windows_1256_csv_is_named(tmp_path: Path):
    rows = f'id,text,published\nc1,"{REPORT}",2015-08-05\n'
    (tmp_path / "u16.csv").write_bytes(rows.encode("utf-16"))
    (tmp_path / "cp.csv").write_bytes(rows.encode("cp1256"))
    store = open_store(tmp_path / "t.db")
    try:
        assert store.ingest_paths([str(tmp_path / "u16.csv")]).new == 1
        assert store.ingest_paths([str(tmp_path / "cp.csv")]).failed == 1
        assert "looks like Windows-1256 Arabic" in store.failures(limit=1)[0]["reason"]
    finally:
        store.close()


def test_binary_test_counts_control_bytes_as_the_byte_loop_did():
    """`looks_binary` counts the control bytes in C (bytes.translate): the same verdict as the
    byte-by-byte count it replaces, at the 5% bound and on random heads."""
    import random

    from marsad.decoding import WIDE, bom_encoding, looks_binary

    def by_loop(head: bytes) -> bool:
        if bom_encoding(head) in WIDE:
            return False
        ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
        return bool(head) and ctrl / len(head) > 0.05

    assert not looks_binary(b"") and not looks_binary(b"abc\t\n\r\x0b\x0c")
    assert not looks_binary(b"\x01" + b"a" * 19) and looks_binary(b"\x01" + b"a" * 18)   # 5% / 5.3%
    rnd = random.Random(16)
    for _ in range(2000):
        head = bytes(rnd.choice((rnd.randrange(1, 256), rnd.randrange(1, 32), 0x41))
                     for _ in range(rnd.randrange(1, 200)))
        assert looks_binary(head) == by_loop(head), head


def test_blank_lines_and_empty_texts_are_those_strip_empties():
    """`read_jsonl` skips a line, and `validate` calls a text empty, when it is all whitespace
    (`str.isspace`, not a stripped copy): exactly the lines and texts `str.strip` empties, among
    them Unicode's spaces and the separators below 0x20."""
    import json

    from marsad.extract import RecordError, read_jsonl, validate

    spaces = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000",
              "\u200b", "a", "\x00", "ق"]
    rng = __import__("random").Random(191)
    for n in range(3_000):
        s = "".join(rng.choice(spaces) for _ in range(rng.randrange(5)))
        blank = not s.strip()
        assert (list(read_jsonl([s])) == []) == blank, repr(s)
        try:
            validate({"id": "x", "text": s})
        except RecordError as e:
            assert (str(e) == "text is empty") == blank, (repr(s), e)
        else:
            assert not blank
    assert [r for r in read_jsonl([json.dumps({"id": 1}) + "\n", "\u3000\n"])] == [{"id": 1}]
