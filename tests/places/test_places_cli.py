"""`marsad gazetteer` commands through the real CLI."""

import json

from click.testing import CliRunner

from marsad.cli import main


def test_gazetteer_lookup_lists_homonyms_most_likely_first():
    res = CliRunner().invoke(main, ["gazetteer", "lookup", "دوما", "--json"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert rows[0]["cc"] == "SY" and {r["cc"] for r in rows} >= {"SY", "PS"}


def test_gazetteer_lookup_unknown_name_fails():
    res = CliRunner().invoke(main, ["gazetteer", "lookup", "كفرزيدون"])
    assert res.exit_code == 1


def test_gazetteer_info_reports_build_and_load_time():
    res = CliRunner().invoke(main, ["gazetteer", "info"])
    assert res.exit_code == 0, res.output
    assert "build_seconds:" in res.output and "load_seconds:" in res.output
