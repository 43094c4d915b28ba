"""`marsad extract` as users and the evaluation scripts call it (CONTRACT.md)."""

import json
import subprocess
import sys
from pathlib import Path

MARSAD = [sys.executable, "-m", "marsad"]

REPORT = "قصفت قوات النظام السوري بلدة كفرنبل في ريف إدلب أمس، ما أدى إلى مقتل ثلاثة مدنيين."


def run(args, **kw):
    return subprocess.run(MARSAD + args, capture_output=True, text=True, timeout=300, **kw)


def test_jsonl_run_keeps_order_and_reports_each_bad_record(tmp_path: Path):
    lines = [
        json.dumps({"id": "good-1", "text": REPORT, "published": "2015-08-04"}, ensure_ascii=False),
        '{"id": "broken", "text": "قصف',                      # not valid JSON
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "english", "text": "Shelling hit the town of Kafranbel yesterday."}),
        json.dumps({"id": "huge", "text": "قصف " * 100_000}, ensure_ascii=False),
        json.dumps({"id": "baddate", "text": REPORT, "published": "yesterday"}, ensure_ascii=False),
        json.dumps({"id": "good-2", "text": REPORT}, ensure_ascii=False),
    ]
    inp = tmp_path / "in.jsonl"
    inp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = run(["extract", "--input", str(inp), "--output", str(out)])
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["good-1", "broken", "empty", "english", "huge", "baddate", "good-2"]
    errors = {g["id"]: g.get("error", "") for g in got}
    assert "not valid JSON" in errors["broken"]
    assert "empty" in errors["empty"]
    assert "not Arabic" in errors["english"]
    assert "too long" in errors["huge"]
    assert "YYYY-MM-DD" in errors["baddate"]
    assert not errors["good-1"] and not errors["good-2"]
    for g in got:
        assert isinstance(g["events"], list) and isinstance(g["entities"], list)
    # the exit code says how many records failed
    assert res.returncode == 5
    assert "5 of 7 records failed" in res.stderr


def test_output_over_the_input_file_codes_every_record(tmp_path: Path):
    """Records are read as they are coded; an output path naming the input still codes it all."""
    lines = [json.dumps({"id": f"r{k}", "text": REPORT, "published": "2015-08-04"}, ensure_ascii=False)
             for k in range(3)]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run(["extract", "--input", str(f), "--output", str(f)])
    assert res.returncode == 0, res.stderr
    got = [json.loads(x) for x in f.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["r0", "r1", "r2"] and all(g["events"] for g in got)


def test_single_file_prints_json_and_stdin_works(tmp_path: Path):
    f = tmp_path / "report.txt"
    f.write_text(REPORT, encoding="utf-8")
    res = run(["extract", str(f), "--published", "2015-08-04"])
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["id"] == "report" and "events" in out and "entities" in out
    res = run(["extract", "-"], input=REPORT)
    assert res.returncode == 0 and json.loads(res.stdout)["id"] == "stdin"


def test_usage_errors_are_explained():
    res = run(["extract"])
    assert res.returncode == 2 and "give a FILE" in res.stderr
