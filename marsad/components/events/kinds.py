"""What each trigger kind makes an incident: its ACLED event type, sub-event type and PLOVER type
(marsad/lang/ar/event_kinds.tsv). The one place these are set; trigger rows name a kind and give
a type only where one word overrides its kind's (استولى: Non-state actor overtakes territory)."""

from __future__ import annotations

from functools import lru_cache

from ...lexicon import PhraseMatcher, load_tsv

TYPE_FIELDS = ("event_type", "sub_event_type", "plover_type")


@lru_cache(maxsize=1)
def type_of() -> dict[str, tuple[str, str, str]]:
    """kind -> (event_type, sub_event_type, plover_type), in file order."""
    return {r["kind"]: tuple(r[f] for f in TYPE_FIELDS) for r in load_tsv("event_kinds.tsv")}


def typed(row: dict[str, str]) -> dict[str, str]:
    """A trigger row with its kind's types filled in where it leaves them blank; the columns come
    first (pattern, types, then the rest) as the trigger data has always had them."""
    types = dict(zip(TYPE_FIELDS, type_of()[row["kind"]]))
    types.update({f: row[f] for f in TYPE_FIELDS if row.get(f)})
    head = {k: row[k] for k in ("pattern",) if k in row}
    return {**head, **types, **{k: v for k, v in row.items() if k not in head and k not in types}}


def trigger_rows() -> list[dict[str, str]]:
    """The rows of triggers.tsv typed from their kinds (new dicts at each call)."""
    return [typed(r) for r in load_tsv("triggers.tsv")]


@lru_cache(maxsize=1)
def trigger_matcher() -> PhraseMatcher:
    """The compiled matcher for triggers.tsv, its rows typed from their kinds."""
    return PhraseMatcher(trigger_rows())
