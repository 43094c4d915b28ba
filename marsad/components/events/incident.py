"""An incident as the events step finds it and the document step merges it.

`fields` is the coded record (the ACLED columns of CODING.md "Fields", with its evidence spans);
item access (`inc["event_type"]`, `inc.get("fatalities")`) reads and writes it. The typed
attributes are what the scoring, the learned detector and the document step need to weigh, merge
and date mentions; they never reach the output: `record()` is the one place an incident becomes
the output JSON.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ...doc import Span
from ...fields import EVENT_FIELDS

_CODED = frozenset(EVENT_FIELDS)


@dataclass(eq=False, slots=True)   # two mentions with equal fields are still two mentions; slots: made
# for every candidate (about 23 a report), its attributes read many times
class Incident:
    fields: dict[str, Any]
    sent: int = 0                         # the sentence of its triggers
    kind: str = ""                        # the trigger kind that set its type (kinds.tsv)
    kinds: list[str] = field(default_factory=list)   # every trigger kind of its clause
    triggers: list[str] = field(default_factory=list)
    strength: int = 1                     # how plainly its trigger states it (verb > noun)
    agent: Span | None = None             # the actor span that did it
    victim: Span | None = None            # the actor span it was done to (actor2)
    explicit_agent: bool = False          # named as the doer ("قامت ...", "بين X و Y")
    first: int = 0                        # normalised offset of its first trigger
    region: tuple[int, int] = (0, 0)      # its own stretch of the sentence (normalised offsets)
    place_span: Span | None = None
    place_resolved: bool = False          # the place has coordinates
    place_in_sentence: bool = False
    clause_place: bool = False            # one of several incidents of the sentence, placed in its stretch
    has_date_cue: bool = False            # a day said in its sentence
    date_src: int = 0                     # 2 a day said in the sentence, 1 the passage, 0 publication
    began: bool = False                   # the date is the day the fighting began
    fat_known: bool = False               # a toll was said
    fat_approx: bool = False              # ... as "dozens" or "about"
    fat_spans: list = field(default_factory=list)   # the killed counts its toll adds up
    killed: list = field(default_factory=list)      # every killed count of its sentence
    score: float = 0.0                    # the hand-set rules' score
    weak: bool = False                    # below the threshold: kept only to fold into another mention
    ongoing: bool = False                 # a clash said to go on, kept when placed
    split: bool = False                   # one of the copies of an incident given one per town
    mentions: int = 1                     # mentions merged into it
    # for the learned detector and its training
    feats: dict[str, float] | None = None
    rule: str | None = None               # the rules' verdict: keep, weak or drop
    p: float | None = None                # the detector's probability
    is_copy: bool = False                 # a per-town copy (trained through its original)
    place_opts: list | None = None        # the places the detector may move it to
    role_feats: dict[str, float] | None = None   # its actor pair, for the role decision (roles.py)
    toll_opts: list | None = None         # the killed counts the toll decision weighs (tolls.py)

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in _CODED:   # record() keeps only the coded fields: a stray key would vanish
            raise KeyError(f"not an event field: {key!r}")
        self.fields[key] = value

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def copy(self, **fields: Any) -> Incident:
        """A shallow copy with the coded fields in `fields` changed."""
        return replace(self, fields=dict(self.fields, **fields))

    def record(self) -> dict[str, Any]:
        """The output record: the coded fields only."""
        return {k: self.fields.get(k) for k in EVENT_FIELDS}
