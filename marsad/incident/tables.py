"""The linking tables (data/*.tsv, each row with its source): sub-event type compatibility, the
sides of a conflict that actor names belong to, and the words that tell the time of day."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from ..text import normalize_key

DATA = Path(__file__).parent / "data"


def data_rows(name: str) -> list[dict[str, str]]:
    """The rows of a linking data file (data/NAME, tab-separated, "#" lines comments)."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=1)
def type_table() -> dict[frozenset, tuple[float, str]]:
    """{frozenset({sub_a, sub_b}): (value, condition)}"""
    return {frozenset((r["a"], r["b"])): (float(r["value"]), r.get("when") or "")
            for r in data_rows("type_compat.tsv")}


@lru_cache(maxsize=2)
def _side_rules(user: str) -> list[tuple[re.Pattern, str]]:
    out = []
    for r in data_rows("actor_sides.tsv"):
        if r["used_by"] not in ("both", user):
            continue
        m = r["match"]
        if m.startswith("="):
            pat = re.escape(m[1:]) + "$"
        else:
            pat = re.escape(m).replace(re.escape("{C}"), "(?P<C>.+)") + "$"
        out.append((re.compile(pat), r["side"]))
    return out


@lru_cache(maxsize=4096)
def side(actor: str, user: str = "linking") -> str:
    """The side an actor name belongs to ("Government of Syria" -> "state:Syria"), by the rows of
    actor_sides.tsv that `user` ("linking" or "extractor") reads."""
    for pat, s in _side_rules(user):
        m = pat.match(actor)
        if m:
            return s.replace("{C}", m.groupdict().get("C") or "")
    return actor


@lru_cache(maxsize=1)
def time_words() -> tuple[re.Pattern, dict[str, str]]:
    """A pattern finding the time-of-day words in normalised text (a proclitic و ف ب allowed),
    and the part of the day of each normalised word."""
    part = {normalize_key(r["word"]): r["part"] for r in data_rows("time_words.tsv")}
    alts = "|".join(re.escape(w) for w in sorted(part, key=len, reverse=True))
    return re.compile(rf"(?<!\w)[وفب]?({alts})(?!\w)"), part


@lru_cache(maxsize=1)
def summary_words() -> re.Pattern:
    """A pattern finding summary_words.tsv's words (a stretch of days, a running toll) anywhere in
    normalised text (features.summary_toll)."""
    words = {normalize_key(r["word"]) for r in data_rows("summary_words.tsv")}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def kindred_subtypes() -> dict[str, tuple[str, int]]:
    """{sub_event_type: (group, rank)}: sub-types one report may give to one incident told twice."""
    return {r["sub_event_type"]: (r["group"], int(r["rank"])) for r in data_rows("kindred_subtypes.tsv")}


# the kinds of place_name_words.tsv's generic words that name a wider area than a site (within.py
# reads a place told after them as its governorate)
WIDE_KINDS = ("admin1", "province", "region", "countryside", "country")


@lru_cache(maxsize=1)
def site_words() -> tuple[re.Pattern, frozenset[str]]:
    """A pattern finding a site named in normalised text: a site noun (site_words.tsv, and the
    place words of a place inside a governorate, place_name_words.tsv) with a proclitic allowed,
    and the name's first word after it (group 1); and the words after a site
    noun that are no name (a direction, a preposition)."""
    from ..places.names import GENERIC_FEATURE
    rows = data_rows("site_words.tsv")
    words = {normalize_key(r["word"]) for r in rows if r["list"] == "site"}
    words |= {w for w, kind in GENERIC_FEATURE.items() if kind not in WIDE_KINDS}
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # the noun without the article, as the first of a construct ("حي اليرموك"): after "المنطقة"
    # comes a verb or an adjective ("المنطقة أسفرت", "القاعدة الجوية"), not a name
    return (re.compile(rf"(?<!\w)[وبل]?(?:{alts})\s+(\w+)"),
            frozenset(normalize_key(r["word"]) for r in rows if r["list"] == "not_name"))
