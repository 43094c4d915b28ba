"""The actor table's first row of each canonical name, read line by line for an override
(components.actors._actor_rows), is what lexicon.load_tsv reads: the same names, the same values;
and an override still takes its actor's own inter and country."""

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
