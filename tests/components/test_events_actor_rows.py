"""The actor table's first row of each canonical name, read line by line for an override
(components.actors._actor_rows), is what lexicon.load_tsv reads: the same names, the same values;
and an override still takes its actor's own inter and country."""

import pytest

from marsad.components import actors
from marsad.components.actors import resolve_actor
from marsad.lexicon import load_tsv


def test_first_rows_as_load_tsv_reads_them():
    want: dict[str, dict] = {}
    for r in load_tsv("actors.tsv"):
        want.setdefault(r["actor"], r)
    got = actors._actor_rows()
    assert list(got) == list(want)
    for name, row in want.items():
        assert got[name] == row, name


def test_an_override_takes_its_actors_own_row():
    # التحالف in Yemen is the Saudi-led coalition (inter 8); read again from its own row: a
    # state's forces abroad keep their inter abroad, at home their inter
    data = {"inter": "1", "inter_abroad": "8", "country": "SA",
            "by_country": "YE=Military Forces of Saudi Arabia"}
    assert resolve_actor("Coalition", data, "YE") == ("Military Forces of Saudi Arabia", 8)
    assert resolve_actor("Coalition", data, "SA") == ("Coalition", 1)


def test_the_cached_first_rows_are_the_files(tmp_path, monkeypatch):
    # written to the cache folder by the first process, read back by the next: the same table
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path))
    want = actors._actor_rows_read()
    for _ in range(2):   # (built and written, then read)
        actors._actor_rows.cache_clear()
        got = actors._actor_rows()
        assert list(got) == list(want) and got == want
    assert list(tmp_path.glob("actor_rows-*.pkl"))
    actors._actor_rows.cache_clear()


def test_country_names_read_from_pycountrys_file_are_pycountrys():
    # every two-letter code and a few odd ones: the name pycountry's Country gives, "" where none
    import string

    pycountry = pytest.importorskip("pycountry")

    def through_pycountry(code):
        code = (code or "").upper()
        if not code:
            return ""
        if code in actors.ACLED_COUNTRY:
            return actors.ACLED_COUNTRY[code]
        c = pycountry.countries.get(alpha_2=code)
        return "" if c is None else getattr(c, "common_name", None) or c.name.split(",")[0]

    assert actors._iso_names()   # (read from the file, not asked through pycountry)
    codes = [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]
    codes += [c.lower() for c in codes[:50]] + ["", None, "x", "abc", "سي"]
    for code in codes:
        assert actors.country_name.__wrapped__(code) == through_pycountry(code), code
