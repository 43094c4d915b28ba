"""Bad option values are usage errors naming the option, never a filter that silently matches
everything or nothing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from marsad.cli import main

BAD_OPTIONS = [
    (["query", "--to", "banana"], "'--to': not a YYYY-MM-DD date: 'banana'"),
    (["query", "--from", "2015-13-45"], "'--from': not a YYYY-MM-DD date: '2015-13-45'"),
    (["query", "--from", "2015-09-01", "--to", "2015-08-01"], "'--from': 2015-09-01 is after --to 2015-08-01"),
    (["query", "--country", "Atlantis"], "'--country': not a country code (like SY) or a country name"),
    (["query", "--country", "XX"], "'--country': not a country code (like SY) or a country name"),
    (["query", "--admin1", "Narnia"], "'--admin1': not an ISO 3166-2 code (like SY-HI) or a governorate name"),
    (["query", "--admin1", "QQ-XX"], "'--admin1': 'QQ-XX' does not start with a known country code"),
    (["query", "--type", "Battle"], "'--type': unknown event type 'Battle'; one of: Battles,"),
    (["query", "--type", "Battles", "--sub-type", "Grenade"], "'--sub-type': 'Grenade' is not a sub-type of 'Battles'"),
    (["query", "--limit", "-5"], "'--limit': -5 is not in the range x>=0"),
    (["export", "--to", "2015-02-30"], "'--to': not a YYYY-MM-DD date"),
    (["watch", "add", "--name", "w", "--from", "yesterday"], "'--from': not a YYYY-MM-DD date"),
    (["ingest", "x.txt", "--published", "2015/08/01"], "'--published': not a YYYY-MM-DD date"),
    (["ingest", "x.txt", "--workers", "0"], "'--workers': 0 is not in the range x>=1"),
    (["extract", "x.txt", "--published", "soon"], "'--published': not a YYYY-MM-DD date"),
    (["status", "--failures", "0"], "'--failures': 0 is not in the range x>=1"),
    (["follow", "feeds.txt", "--every", "banana"], "'--every': not an interval: 'banana'"),
    (["follow", "feeds.txt", "--timeout", "0"], "'--timeout': 0.0 is not in the range x>0"),
]


@pytest.mark.parametrize("args,message", BAD_OPTIONS, ids=[" ".join(a) for a, _ in BAD_OPTIONS])
def test_bad_option_value_is_an_error_naming_the_option(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds.txt").write_text("http://127.0.0.1:9/feed.xml\n")
    db = str(tmp_path / "t.db")
    res = CliRunner().invoke(main, args + (["--db", db] if args[0] not in ("extract",) else []))
    assert res.exit_code == 2, res.output
    assert message in res.output
    assert not (tmp_path / "t.db").exists()      # refused before anything was opened


def test_good_filters_still_work(tmp_path):
    res = CliRunner().invoke(main, ["query", "--db", str(tmp_path / "t.db"), "--country", "sy",
                                    "--from", "2015-08-01", "--to", "2015-08-31", "--type", "Battles"])
    assert res.exit_code == 0, res.output


def test_a_listed_command_module_that_does_not_exist_stops_marsad(monkeypatch):
    from marsad import cli
    from marsad.errors import SetupError

    monkeypatch.setattr(cli, "COMMAND_MODULES", cli.COMMAND_MODULES + ["marsad.scale.commands"])
    with pytest.raises(SetupError, match="marsad.scale.commands cannot be imported"):
        cli._add_area_commands()


@pytest.mark.parametrize("country", ["Syria", "سوريا", "SYR", "sy"])
def test_country_by_name_or_code_as_on_the_web(tmp_path, country):
    from marsad.options import COUNTRY

    assert COUNTRY.convert(country, None, None) == ["SY"]
