"""Cut a report's text into segments, each with the fields whose evidence spans cover it.

The templates print each segment through Jinja's escaping (inside a ``<mark>`` when it carries
fields), so highlighting never injects markup from the report: a report containing ``<script>``
shows as text. Overlapping spans give a segment several fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_CLASS_SAFE = re.compile(r"[^a-z0-9_-]+")

# The field groups the evidence viewer colours (event words, actors, place, date, fatalities,
# source, ...). A span's field is mapped onto one of these for its colour; the exact field name
# stays in the segment's title.
FIELD_GROUPS = {
    "event": "event", "event_type": "event", "sub_event_type": "event", "trigger": "event", "triggers": "event",
    "actor": "actor", "actor1": "actor", "actor2": "actor", "actors": "actor",
    "location": "place", "place": "place", "places": "place", "location_ar": "place", "loc": "place",
    "event_date": "date", "date": "date", "dates": "date",
    "fatalities": "fatalities", "casualties": "fatalities", "killed": "fatalities", "wounded": "fatalities",
    "source": "source", "sources": "source",
    "weapon": "weapon", "weapons": "weapon",
    "condition": "condition", "conditions": "condition",
    "per": "person", "org": "org", "cue": "cue", "cues": "cue",
}
GROUP_ORDER = ["event", "actor", "place", "date", "fatalities", "source", "weapon", "condition",
               "person", "org", "cue", "other"]


def field_group(name: str) -> str:
    key = _CLASS_SAFE.sub("", (name or "").lower())
    return FIELD_GROUPS.get(key, "other")


@dataclass
class Segment:
    text: str
    start: int
    fields: list[str] = field(default_factory=list)   # exact field names, for the title

    @property
    def groups(self) -> list[str]:
        seen = []
        for f in self.fields:
            g = field_group(f)
            if g not in seen:
                seen.append(g)
        return seen

    @property
    def css(self) -> str:
        return " ".join(f"hl-{g}" for g in self.groups)


def _valid(span: dict, n: int) -> tuple[int, int, str] | None:
    try:
        a, b = int(span["start"]), int(span["end"])
    except (KeyError, TypeError, ValueError):
        return None
    a, b = max(0, a), min(n, b)
    if a >= b:
        return None
    return a, b, str(span.get("field") or span.get("label") or "other")


def segments(text: str, spans: list[dict]) -> list[Segment]:
    """The text cut at every span boundary; spans outside the text or malformed are ignored."""
    text = text or ""
    n = len(text)
    good = [s for s in (_valid(sp, n) for sp in spans or []) if s]
    cuts = sorted({0, n} | {a for a, _, _ in good} | {b for _, b, _ in good})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        names = []
        for sa, sb, f in good:
            if sa <= a and b <= sb and f not in names:
                names.append(f)
        out.append(Segment(text[a:b], a, names))
    return out


def groups_present(segs: list[Segment]) -> list[str]:
    present = {g for s in segs for g in s.groups}
    return [g for g in GROUP_ORDER if g in present]
