"""The per-report context of the event step (Ctx): layers by sentence, offsets, clause openers,
the report's main country, the places that name an actor rather than a scene, and the actor spans
that name no party of an incident."""

from __future__ import annotations

import bisect
import re
import sys
from collections import Counter, defaultdict
from datetime import date as Date
from functools import partial
from operator import attrgetter

from ...doc import Doc, Span
from ...places.attach import PlaceIndex, place_for_event as _place_for_event  # the place an event belongs to
from .clauses import _clause_openers, punct_marks
from .ctxfields import CtxFields
from .places import holds_any, usable_place
from .rules import AND_ONLY, NEIGHBOUR_BEFORE, NEIGHBOUR_WORDS, SPEAKS, YEAR
from .native import _fast, _sides
from .words import words


_START, _NORM = attrgetter("start"), attrgetter("norm")   # (per token, with no Python frame)


def _token_field_py(tokens: list, name: str) -> list:
    """Each token's field ``name``, in order."""
    return list(map(_START if name == "start" else _NORM if name == "norm" else attrgetter(name), tokens))


# compiled where built (_fast.token_field: read from the tokens' slots, no attribute look-up per token)
_token_field = _token_field_py if _fast is None else _fast.token_field


def _by_sent_py(spans: list[Span]) -> dict[int, list[Span]]:
    """Sentence -> its spans, in order (a defaultdict(list))."""
    d: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        d[s.sent].append(s)
    return d


_by_sent = _by_sent_py if _fast is None else _fast.by_sent   # (the same, compiled: native.py)


def _party_actors_py(by_sent: dict[int, list[Span]]) -> None:
    """Each sentence's actors (in place) without those that name no party (data's "not_party")."""
    for si, xs in list(by_sent.items()):
        by_sent[si] = [x for x in xs if not x.data.get("not_party")]


# compiled where built (_fast.party_actors: the same new lists, a Span's data read from its slot;
# no comprehension's function and frame per sentence)
_party_actors = _party_actors_py if _fast is None else _fast.party_actors


def inside_any(pairs: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether [s, e) lies inside one of the (start, end) pairs. (A loop, not any() over a
    generator: asked per place and per trigger, where Python 3.11 makes a generator each time.)"""
    for x0, x1 in pairs:
        if x0 <= s and e <= x1:
            return True
    return False


class Ctx(CtxFields):
    """Per-document indexes built once (layers by sentence, token starts, clause breaks)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.by_sent: dict[str, dict[int, list[Span]]] = {}
        for name in ("triggers", "cues", "actors", "weapons", "sources", "casualties", "dates", "places"):
            self.by_sent[name] = _by_sent(doc.layer(name))
        self.tok_starts = _token_field(doc.tokens, "start")
        # ntok as a C-level partial of bisect_left (no Python frame: it is asked ~300 times a report)
        self.ntok = partial(bisect.bisect_left, self.tok_starts)
        # original offset -> normalised offset for spans of other layers
        self._orig_starts = doc.offsets
        if _fast is not None:   # nstart and nend compiled (asked ~350 times a report)
            self.nstart = partial(_fast.nstart, doc.offsets)
            self.nend = partial(_fast.nend, doc.offsets)
            self.within = partial(_fast.within, doc.offsets)
        _mark_non_parties(doc, self)
        all_actors = dict(self.by_sent["actors"])   # (every actor, the non-parties too: in_actor below)
        _party_actors(self.by_sent["actors"])
        self.doc_place: Span | None = None
        self.prev_agent: Span | None = None   # the actor of the previous sentence's last event
        self.occurred: dict[int, bool] = {}   # trigger -> "a verb says it happened" (asked several times)
        self._actor_toks: dict[int, set[int]] = {}
        self.weights: dict[int, float] = {}   # trigger -> trigger_weight (asked several times)
        self.token_norms: list[str] | None = None   # the tokens' normalised words (features.py)
        self.clause_words: dict[tuple[int, int], dict[str, float]] = {}  # stretch -> its stem features
        self.trigger_lex: dict[int, dict[str, float]] = {}  # trigger -> its word features (features.py)
        # the same as ids of the compiled sums (features.incident_sums)
        self.fast = None
        self.clause_ids: dict[tuple[int, int], tuple] = {}
        self.trigger_ids: dict[int, tuple] = {}
        self.targeted: dict[int, bool] = {}   # offset -> actors.targeted there (asked several times)
        self.landmarks: dict[int, bool] = {}  # place span -> places.landmark (asked several times)
        self.side_words: dict[tuple[int, str], dict[str, float]] = {}  # (actor, slot) -> roles features
        self.actor_names: dict[tuple[int, str | None], tuple] = {}  # (actor, country) -> actor_out (actors.py)
        self.conjunct_heads: dict[tuple, dict[int, Span]] = {}   # a stretch's actors -> their heads (actors.py)
        self.place_chains: dict[int, tuple] = {}   # sentence -> its places by start, their links (split.py)
        # place span -> what arguments.py makes of it alone: an option or not, its option features
        self.place_option_kinds: dict[int, int] = {}
        self.place_parts: dict[int, tuple] = {}
        self.place_weights: dict[int, tuple] = {}   # the same as weighted terms (_sides.chosen_place)
        # offset -> a passive agent's / a loser's / "بين" marker before it; actor span -> attacked (actors.py)
        self.agent_before: dict[int, bool] = {}
        self.loser_before: dict[int, bool] = {}
        self.between_before: dict[int, bool] = {}
        self.attacked: dict[int, bool] = {}
        self._usable: dict[int, list[Span]] = {}
        self._openers: list[int] | None = None
        self._puncts: list[int] | None = None
        self._place_counts: dict[str, int] | None = None
        self._event_places: dict[tuple[int, int, int], Span | None] = {}
        self.place_index = PlaceIndex(doc)   # what places.attach reads, made once per report
        self.passage_place: Span | None = None
        self.country = _main_country(doc)   # (places elsewhere are suspect)
        # places named inside an actor's name ("التحالف الذي تقوده الولايات المتحدة"، "المجلس
        # العسكري في حلب") say who acted, not where: no incident is placed there
        self.in_actor: set[int] = set()
        self.neighbours: set[int] = set()
        _actor_places(doc, self, all_actors, self.in_actor, self.neighbours)

    def reference_date(self) -> Date | None:
        """The latest day the report names (for a report with no publication date), else the last
        day of the latest year it names; None when it names neither."""
        if not hasattr(self, "_reference"):
            days = [d.data["date"] for d in self.doc.layer("dates") if isinstance(d.data.get("date"), Date)]
            years = [int(m.group(1)) for m in YEAR.finditer(self.doc.norm)]
            self._reference = max(days) if days else (Date(max(years), 12, 31) if years else None)
        return self._reference

    model = None          # the learned detector (model.Model) or None: the rules decide
    collect = False       # training: keep every candidate with its features

    def actor_tokens(self, sent: int) -> set[int]:
        """Indexes of the tokens inside the actor spans of a sentence (cached)."""
        got = self._actor_toks.get(sent)
        if got is None:
            got = self._actor_toks[sent] = set()
            for x in self.sl("actors", sent):   # (each span's range added in C)
                got.update(range(self.ntok(self.nstart(x)), self.ntok(self.nend(x))))
        return got

    def clause_openers(self) -> list[int]:
        """Starts of the report's clause-opening words, in order (built once)."""
        if self._openers is None:
            self._openers = _clause_openers(self.doc, self.norms())
        return self._openers

    def puncts(self) -> list[int]:
        """Where the report's one-character clause marks are (clauses._PUNCT_CHAR; built once)."""
        if self._puncts is None:
            self._puncts = punct_marks(self.doc.norm)
        return self._puncts

    def norms(self) -> list[str]:
        """The tokens' normalised words (built once)."""
        if self.token_norms is None:
            self.token_norms = _token_field(self.doc.tokens, "norm")
        return self.token_norms

    def place_counts(self) -> dict[str, int]:
        """How often the report names each place, by its location name (built once)."""
        if self._place_counts is None:
            counts: dict[str, int] = {}
            for q in self.doc.layer("places"):
                key = q.data.get("location") or q.label
                counts[key] = counts.get(key, 0) + 1
            self._place_counts = counts
        return self._place_counts

    def event_place(self, sent: int, start: int, end: int) -> Span | None:
        """places.attach's place for an incident's stretch (cached: the candidates of one clause,
        its other event types among them, ask for the same stretch)."""
        key = (sent, start, end)
        if key not in self._event_places:
            self._event_places[key] = _place_for_event(self.doc, sent, start, end, self.place_index)
        return self._event_places[key]

    def usable_places(self, sent: int) -> list[Span]:
        """The sentence's resolved places that can place an incident (cached)."""
        got = self._usable.get(sent)
        if got is None:
            ps = self.sl("places", sent)
            got = self._usable[sent] = [p for p in ps if usable_place(p)] if ps else []
        return got

    def sl(self, layer: str, sent: int) -> list[Span]:
        return self.by_sent[layer].get(sent, [])

    def ntok(self, nstart: int) -> int:
        """Token index at or after a normalised offset (each Ctx sets a faster partial of this)."""
        return bisect.bisect_left(self.tok_starts, nstart)

    def nstart(self, span: Span) -> int:
        n = span.data.get("n0")   # (one look-up: n0 is an offset wherever it is set)
        return bisect.bisect_left(self._orig_starts, span.start) if n is None else n

    def nend(self, span: Span) -> int:
        n = span.data.get("n1")
        return bisect.bisect_left(self._orig_starts, span.end) if n is None else n

    def within(self, spans: list[Span], lo: int, hi: int) -> list[Span]:
        """The spans whose normalised start is in [lo, hi), in order (an incident's own stretch:
        asked several times a candidate; each Ctx sets a compiled partial of it where built)."""
        return [x for x in spans if lo <= self.nstart(x) < hi]


def _main_country_py(doc: Doc) -> str | None:
    """The report's main country: where its resolved places (weighted by the geoparser's score)
    and its named state actors point; places elsewhere are suspect."""
    votes: Counter = Counter()
    for p in doc.layer("places"):
        if p.data.get("resolved", True) and p.data.get("country_code"):
            votes[p.data["country_code"]] += 1.0 + float(p.data.get("score") or 0) / 10
    for x in doc.layer("actors"):
        if x.data.get("country"):
            votes[x.data["country"]] += 0.5
    return votes.most_common(1)[0][0] if votes else None


def _actor_places_py(doc: Doc, ctx: "Ctx", all_actors: dict[int, list[Span]], in_actor: set[int],
                     neighbours: set[int]) -> None:
    """The places that name no scene, into ``in_actor`` (by id): a place inside an actor's name, a
    country that speaks, a neighbour across the border (into ``neighbours`` too)."""
    for si, ps in ctx.by_sent["places"].items():
        xs = [(x.start, x.end) for x in all_actors.get(si, ())]
        speech = [(c.start, c.end) for c in ctx.by_sent["cues"].get(si, [])
                  if c.data.get("cue") in SPEAKS]
        for p in ps:
            if inside_any(xs, p.start, p.end):
                in_actor.add(id(p))
            elif p.data.get("feature") == "country" and any(
                    0 <= p.start - c1 <= 2 or 0 <= c0 - p.end <= 2 for c0, c1 in speech):
                # "المملكة تدين"، "أدانت المملكة": the country that speaks is no scene
                in_actor.add(id(p))
        # "محافظة شيرناك الحدودية مع سوريا والعراق"، "المرابط على الحدود مع سوريا": the
        # neighbour across the border is not where it happened
        prev = None
        for p in sorted(ps, key=lambda p: p.start):
            n0 = ctx.nstart(p)
            w0 = max(0, n0 - 24)
            if (holds_any(doc.norm[w0:n0], NEIGHBOUR_WORDS) and NEIGHBOUR_BEFORE.search(doc.norm, w0, n0)) or (
                    prev is not None and id(prev) in in_actor and AND_ONLY.match(doc.norm[ctx.nend(prev):n0])
                    and prev.data.get("feature") == "country"):
                in_actor.add(id(p))
                neighbours.add(id(p))
            prev = p


# "انتحاري من تنظيم داعش"، "مسلحون ينتمون إلى الحوثيين": a generic attacker named by the group after it
_MEMBER_OF = re.compile(r"^\s*(?:من|ينتمي الي|ينتمون الي|تابع ل|تابعون ل|التابع ل|التابعين ل|ينتمي ل|ينتمون ل)?\s*"
                        r"(?:عناصر|مسلحي|مقاتلي|صفوف|اتباع|انصار)?\s*$")


# a generic attacker is no member of a group named after it when that is another generic side
_NOT_MEMBERS = ("unidentified", "civilians", "protesters", "rioters")

_SAYS_WORDS = tuple(words("says"))   # (each match holds one: tried only where one is)
_SAYS_BEFORE = re.compile(r"(?:^|\s)[وف]?(?:%s)\s+$" % "|".join(_SAYS_WORDS))
_SAYS_AFTER = re.compile(r"\s*(?:في بيان\s+|في تصريح\s+|امس\s+|اليوم\s+)?ان(?:\s|$)")
# a state official may have his name between: "قال الرئيس اليمني عبد ربه منصور هادي إن"
_SAYS_AFTER_NAMED = re.compile(r"(?:\s+[^\s,:;()]+){0,4}?\s*(?:في بيان\s+|في تصريح\s+|امس\s+|اليوم\s+)?ان(?:\s|$)")


_BLAME_WORDS = tuple(words("blame"))
_BLAME_BEFORE = re.compile(r"(?:^|\s)[وف]?(?:%s)\s+$" % "|".join(_BLAME_WORDS))


def _mark_non_parties_py(doc: Doc, ctx: "Ctx") -> None:
    """Actor spans that name no party of an incident: a word inside a source's name ("مصادر الحكومة"
    speaks, the government does not act), the one who blames (the blamed group is marked as the
    perpetrator), and a generic attacker ("انتحاري"، "مسلحون") that the next words tie to a named
    group ("من تنظيم داعش"): the group is the actor."""
    srcs = doc.layer("sources")
    norm = doc.norm
    for si, xs in ctx.by_sent["actors"].items():
        ordered = sorted(xs, key=_START)   # (by start, once: the marks below change no start)
        # "حملت الحكومة التركية مسلحي التنظيم المسؤولية"، "اتهم الجيش الحوثيين": the one who blames
        # speaks; the one blamed is the perpetrator
        for x, y in zip(ordered, ordered[1:]):
            xs0 = ctx.nstart(x)
            w0 = max(0, xs0 - 12)
            if (holds_any(norm[w0:xs0], _BLAME_WORDS) and _BLAME_BEFORE.search(norm, w0, xs0)
                    and ctx.ntok(ctx.nstart(y)) - ctx.ntok(ctx.nend(x)) <= 1):
                x.data["not_party"] = "blames"
                y.data["blamed"] = True
        # "وقال الجيش في بيان إن الغارات ...": the one who says, right after the verb of saying
        # and right before "إن", speaks about the incident (not "إنه": then it tells its own act)
        for x in xs:
            xs0, xe0 = ctx.nstart(x), ctx.nend(x)
            after = _SAYS_AFTER_NAMED if x.data.get("kind") == "state" else _SAYS_AFTER
            w0 = max(0, xs0 - 10)
            if holds_any(norm[w0:xs0], _SAYS_WORDS) and _SAYS_BEFORE.search(norm, w0, xs0) and after.match(norm, xe0):
                x.data["not_party"] = "speaker"
        here = ctx.by_sent["sources"].get(si) if srcs else None
        if here:
            for x in xs:
                if any(s.start <= x.start and x.end <= s.end for s in here):
                    x.data["not_party"] = "source"
        for x, y in zip(ordered, ordered[1:]):
            if x.data.get("kind") != "unidentified" or y.data.get("kind") in _NOT_MEMBERS:
                continue
            gap = doc.norm[ctx.nend(x):ctx.nstart(y)]
            if len(gap) < 30 and _MEMBER_OF.match(gap):   # also "مسلحون حوثيون"
                x.data["not_party"] = "member"


# the marks, the main country and the places that name no scene compiled where built (_sides.pyx:
# the same answers, marks and sets in the same order; native.py)
if _sides is None:
    _mark_non_parties, _main_country, _actor_places = _mark_non_parties_py, _main_country_py, _actor_places_py
else:
    from . import rules as _rules
    _sides.bind_context(sys.modules[__name__])
    _sides.bind_scenes(_rules)
    _mark_non_parties, _main_country, _actor_places = (_sides.mark_non_parties, _sides.main_country,
                                                       _sides.actor_places)
