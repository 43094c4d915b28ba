"""The function words the event step reads (marsad/lang/ar/event_words.tsv), by list: verbs saying
an incident happened, clause openers, relative pronouns ... kept as data with their source."""

from __future__ import annotations

from functools import lru_cache

from ...lexicon import load_tsv
from ...text import normalize_key


@lru_cache(maxsize=1)
def _table() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in load_tsv("event_words.tsv"):
        out.setdefault(row["list"], []).append(" ".join(normalize_key(row["word"]).split()))
    return out


def words(name: str) -> list[str]:
    """The words of one list, in file order."""
    return list(_table().get(name, ()))
