"""Candidate incidents per clause and their arguments (CODING.md "What is an event", "Fields").

With the shipped learned detector (model.py) the steps below produce candidates: what the rules
drop for a soft reason (background, aggregates, condemnations, unsupported words) and the other
event types a clause's words name are candidates too, and the detector, fed the rules' verdict and
score as features (features.py), decides which are events, their type and their place
(arguments.py). Without a model (or with MARSAD_EVENTS=rules) the hand-set scores decide, as
below.

The step matches the trigger and cue lexicons once over the normalised text, then, sentence
by sentence:

1. drops triggers that a cue puts out of the real world: a denial or negation just before it, a
   threat/plan/warning, a conditional, a condemnation or call (unless the sentence gives the
   incident its own toll or date), an opinion, a question, a judicial execution, background
   dated more than 30 days before publication, an aggregate toll with no place and no day;
2. keeps weak triggers (nouns such as هجوم، اعتقال، مسيرة) only when something in the sentence
   supports them (an actor, a casualty, a date, a weapon, another trigger);
3. groups the remaining triggers by clause into incidents (a clause that only says "killing 5"
   belongs to its neighbour), picks the (sub-)event type by precedence (a battle absorbs its
   shelling, a suicide attack its car bomb, a protest its arrests), and fills the arguments
   from the other layers: actors (agent vs victim, passives such as "تعرض X لقصف من قبل Y"),
   fatalities (killed only), weapons, place, date, sources;
4. weighs how plainly the sentence states the incident (a finite verb or its equivalents
   "تم + verbal noun", "تعرض لـ", "اندلعت اشتباكات" > a bare noun; a toll; a day; named sides;
   a place; a weapon; a source) and keeps incidents whose score reaches the threshold of their
   kind. Mentions a little below it are kept as "weak": the document step folds them into an
   incident stated clearly elsewhere in the report, or drops them;
5. gives one copy of the incident per town when towns are coordinated ("قريتي محمبل وجوزف").

Actor spans that name no party are set aside first: a word inside a source's name ("مصادر
الحكومة"), the one who blames ("حملت الحكومة داعش المسؤولية": the blamed group is the
perpetrator), and a generic attacker tied to a named group ("انتحاري من تنظيم داعش"). A sentence
with no day of its own takes the day of the passage, which carries over paragraphs (agency copy
puts each sentence in its own) but is never set by background more than 30 days old.

Each event is an `Incident` (incident.py): its coded fields with their evidence spans, and what the
document step needs to merge mentions, which it turns into output records.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from datetime import date as Date
from functools import lru_cache

from ...doc import Doc, Span
from ...lexicon import longest_matches, matcher
from ...places.attach import place_for_event as _place_for_event  # the place an event belongs to
from ..actors import country_name as acled_country_name
from . import arguments, gapped, roles, tolls
from .kinds import trigger_matcher, type_of
from .incident import Incident
from .words import words
from .model import default_model

# Kinds in order of precedence when one clause holds several (first wins).
PRECEDENCE = ["territory", "battle", "suicide", "chemical", "grenade", "ied_specific", "air", "shell",
              "ied", "vac", "abduct", "sexual", "attack", "arrest", "loot", "agree", "transfer",
              "change", "disrupt", "kill", "wound"]
PROTEST_KINDS = {"protest", "riot", "intervention"}
DEFAULT_TOLL_KINDS = {"kill", "wound"}
# violence that makes a mixed protest sentence an attack or a clash (a protest that turns deadly)
ASSAULT_KINDS = {"kill", "wound", "battle", "attack", "vac", "shell", "air", "ied", "ied_specific", "suicide",
                 "grenade", "chemical", "territory", "abduct"}
# kinds whose words name one precise way of attacking: surer than "attack" or "killed"
SPECIFIC_KINDS = {"air", "suicide", "ied_specific", "grenade", "chemical"}
# Triggers that only say someone died or was hurt: they join the incident next to them.
DEPENDENT = {"kill", "wound"}
# Generic words whose sub-type comes from the weapon or the other trigger.
GENERIC_IED = set(words("generic_ied"))
# Words naming a campaign rather than a fight (triggers.tsv patterns)
CAMPAIGN_WORDS = set(words("campaign"))
BLOCKING = {"negation", "threat", "conditional", "condemnation", "call", "opinion", "question", "generic"}
# What CODING.md defines as no event (denials, threats and plans, conditionals, questions, court
# punishments) stays out even for the learned detector; the other cues are its features.
HARD_CUES = {"negation", "threat", "conditional", "question", "judicial"}
# Condemnations/opinions block unless the sentence gives the incident a toll or a date.
SOFT_BLOCKING = {"condemnation", "opinion"}

# kind -> (event_type, sub_event_type, plover_type): from marsad/lang/ar/event_kinds.tsv
TYPE_OF = type_of()

# Weapon labels (core-arguments' English names) -> the kind they make a generic attack.
WEAPON_KIND = [
    (("suicide", "explosive belt", "explosive vest"), "suicide"),
    (("chemical", "chlorine", "sarin", "gas"), "chemical"),
    (("grenade",), "grenade"),
    (("barrel", "aircraft", "airstrike", "air strike", "warplane", "plane", "jet", "helicopter", "drone",
      "aerial"), "air"),
    (("car bomb", "ied", "improvised", "landmine", "mine", "explosive device", "sticky bomb", "vbied",
      "bomb"), "ied_specific"),
    (("mortar", "artillery", "tank", "rocket", "missile", "shell", "katyusha", "grad", "rpg",
      "howitzer", "cannon"), "shell"),
]

# Who the agent is in a passive: "من قبل X", "على يد X", "بنيران X".
_AGENT_BEFORE = re.compile(r"(?:%s)\s*$" % "|".join(words("agent_before")))
# (not استهدف: the actor right after it is mostly its subject, "استهدف الثوار مواقع ...")
_VICTIM_VERB = re.compile(r"(?:%s)\S*\s*$" % "|".join(words("victim_verb")))
_BETWEEN = re.compile(r"(?:^|\s)بين\s*$")
_LOSER_BEFORE = re.compile(r"(?:(?:^|\s)[وف]?(?:طرد|طردت|طردوا|دحر|دحرت|دحروا)|(?:^|\s)من(?:\s+(?:قبضه|سيطره|يد|ايدي|عناصر|مسلحي|مقاتلي|قوات|ميليشيات|مليشيات|بقايا))?)\s*$")
_FUTURE_PREFIX = {"وس", "فس", "س"}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# Light cues used only to weigh an incident (the dates and numbers layers do the real work):
# a time word in the sentence, a number next to a killed/wounded word.
_TIME = re.compile(r"(?<!\w)[وفبل]?(?:%s)(?!\w)" % "|".join(words("time_word")))
_NUMBER = re.compile(r"(?<!\w)(?:\d+|[وب]?(?:احد|اثن|ثلاث|اربع|خمس|ست|سبع|ثمان|تسع|عشر|ميه|مايه|الف|عشرات|"
                     r"ميات|عدد|بضعه|عده)\w*)(?!\w)")
# Weights of what makes a sentence state an incident (tuned on the GSR dev sentences against
# CODING.md's definition; see tests/core for the cases they must keep apart).
W_VERB, W_STRONG, W_WEAK, W_SPECIFIC, W_EXPLICIT = 1.4, 1.0, 0.3, 0.3, 0.2
W_TOLL, W_KILLWORD, W_TIME, W_AGENT, W_VICTIM, W_PLACE, W_WEAPON, W_SOURCE = 1.0, 0.3, 0.5, 0.4, 0.2, 0.3, 0.2, 0.2
W_BOTH_SIDES = 0.4       # a battle stated with a verb between two named sides
THRESHOLD = 2.7          # incidents (ASSAULT and others)
PROTEST_THRESHOLD = 2.1  # protests are scored on their own features
# taking ground, arrests, agreements come without a toll: a lower bar
NONLETHAL_KINDS = {"territory", "arrest", "agree", "transfer", "loot", "abduct"}
NONLETHAL_THRESHOLD = 2.1
SUPPORT_MARGIN = 1.0     # below the threshold by less than this: a supporting mention
ONGOING_MARGIN = 0.8     # fighting stated with a verb at a named place: kept in a news report
_PROTEST_SUPPORT = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(words("protest_support")))
_CROWD = re.compile(r"(?<!\w)(?:الاف|الالاف|ميات|الميات|عشرات|العشرات|حشد|حشود|الجماهير|جماهير|\d+)(?!\w)")
PRO_GOVERNMENT = ("Popular Resistance", "Popular Mobilization", "Saudi-led Coalition", "Peshmerga",
                  "Coalition", "Military Forces", "Police Forces", "Government")
_NEIGHBOUR_BEFORE = re.compile(r"(?:الحدود|الحدوديه|الحدودي|حدود|حدوده|حدودها)\s+(?:البريه\s+|الشماليه\s+|الجنوبيه\s+|"
                               r"الشرقيه\s+|الغربيه\s+)?مع\s+$|(?:المحاذيه|المحاذي|المتاخمه|المتاخم)\s+(?:ل|لل)$")
_AND_ONLY = re.compile(r"^\s*,?\s*و\s*$")
BACKGROUND_DAYS = 30
# cues whose subject speaks about an incident (a country named next to them is the speaker)
_SPEAKS = {"condemnation", "attribution", "call", "opinion"}
NEXT_WORDS = 4  # reach of a "next" cue (negation particles, "the case of", "in the aftermath of")


def country_name(code: str | None) -> str:
    """ACLED's English name of a country code (the code itself if no name is known)."""
    return acled_country_name(code or "") or (code or "").upper()


class _Ctx:
    """Per-document indexes built once (layers by sentence, token starts, clause breaks)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.by_sent: dict[str, dict[int, list[Span]]] = {}
        for name in ("triggers", "cues", "actors", "weapons", "sources", "casualties", "dates", "places"):
            d: dict[int, list[Span]] = defaultdict(list)
            for s in doc.layer(name):
                d[s.sent].append(s)
            self.by_sent[name] = d
        self.tok_starts = [t.start for t in doc.tokens]
        # original offset -> normalised offset for spans of other layers
        self._orig_starts = doc.offsets
        _mark_non_parties(doc, self)
        for si, xs in list(self.by_sent["actors"].items()):
            self.by_sent["actors"][si] = [x for x in xs if not x.data.get("not_party")]
        self.doc_place: Span | None = None
        self.prev_agent: Span | None = None   # the actor of the previous sentence's last event
        self.occurred: dict[int, bool] = {}   # trigger -> "a verb says it happened" (asked several times)
        self._actor_toks: dict[int, set[int]] = {}
        self.weights: dict[int, float] = {}   # trigger -> _trigger_weight (asked several times)
        self._usable: dict[int, list[Span]] = {}
        self._openers: list[int] | None = None
        self._place_counts: dict[str, int] | None = None
        self._event_places: dict[tuple[int, int, int], Span | None] = {}
        self.passage_place: Span | None = None
        # the report's main country: where its resolved places (weighted by the geoparser's score)
        # and its named state actors point; places elsewhere are suspect
        votes: Counter = Counter()
        for p in doc.layer("places"):
            if p.data.get("resolved", True) and p.data.get("country_code"):
                votes[p.data["country_code"]] += 1.0 + float(p.data.get("score") or 0) / 10
        for x in doc.layer("actors"):
            if x.data.get("country"):
                votes[x.data["country"]] += 0.5
        self.country = votes.most_common(1)[0][0] if votes else None
        # places named inside an actor's name ("التحالف الذي تقوده الولايات المتحدة"، "المجلس
        # العسكري في حلب") say who acted, not where: no incident is placed there
        self.in_actor: set[int] = set()
        self.neighbours: set[int] = set()
        for si, ps in self.by_sent["places"].items():
            xs = [(x.start, x.end) for x in doc.in_sentence("actors", si)]
            speech = [(c.start, c.end) for c in self.by_sent["cues"].get(si, [])
                      if c.data.get("cue") in _SPEAKS]
            for p in ps:
                if any(x0 <= p.start and p.end <= x1 for x0, x1 in xs):
                    self.in_actor.add(id(p))
                elif p.data.get("feature") == "country" and any(
                        0 <= p.start - c1 <= 2 or 0 <= c0 - p.end <= 2 for c0, c1 in speech):
                    # "المملكة تدين"، "أدانت المملكة": the country that speaks is no scene
                    self.in_actor.add(id(p))
            # "محافظة شيرناك الحدودية مع سوريا والعراق"، "المرابط على الحدود مع سوريا": the
            # neighbour across the border is not where it happened
            prev = None
            for p in sorted(ps, key=lambda p: p.start):
                n0 = self.nstart(p)
                if _NEIGHBOUR_BEFORE.search(doc.norm, max(0, n0 - 24), n0) or (
                        prev is not None and id(prev) in self.in_actor and _AND_ONLY.match(doc.norm[self.nend(prev):n0])
                        and prev.data.get("feature") == "country"):
                    self.in_actor.add(id(p))
                    self.neighbours.add(id(p))
                prev = p

    def reference_date(self) -> Date | None:
        """The latest day the report names (for a report with no publication date), else the last
        day of the latest year it names; None when it names neither."""
        if not hasattr(self, "_reference"):
            days = [d.data["date"] for d in self.doc.layer("dates") if isinstance(d.data.get("date"), Date)]
            years = [int(m.group(1)) for m in _YEAR.finditer(self.doc.norm)]
            self._reference = max(days) if days else (Date(max(years), 12, 31) if years else None)
        return self._reference

    model = None          # the learned detector (model.Model) or None: the rules decide
    collect = False       # training: keep every candidate with its features

    def actor_tokens(self, sent: int) -> set[int]:
        """Indexes of the tokens inside the actor spans of a sentence (cached)."""
        got = self._actor_toks.get(sent)
        if got is None:
            got = self._actor_toks[sent] = {k for x in self.sl("actors", sent)
                                            for k in range(self.ntok(self.nstart(x)), self.ntok(self.nend(x)))}
        return got

    def clause_openers(self) -> list[int]:
        """Starts of the report's clause-opening words, in order (built once)."""
        if self._openers is None:
            self._openers = _clause_openers(self.doc)
        return self._openers

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
            self._event_places[key] = _place_for_event(self.doc, sent, start, end)
        return self._event_places[key]

    def usable_places(self, sent: int) -> list[Span]:
        """The sentence's resolved places that can place an incident (cached)."""
        got = self._usable.get(sent)
        if got is None:
            got = self._usable[sent] = [p for p in self.sl("places", sent) if _usable_place(p)]
        return got

    def sl(self, layer: str, sent: int) -> list[Span]:
        return self.by_sent[layer].get(sent, [])

    def ntok(self, nstart: int) -> int:
        """Token index at or after a normalised offset."""
        return bisect.bisect_left(self.tok_starts, nstart)

    def nstart(self, span: Span) -> int:
        if "n0" in span.data:
            return span.data["n0"]
        return bisect.bisect_left(self._orig_starts, span.start)

    def nend(self, span: Span) -> int:
        if "n1" in span.data:
            return span.data["n1"]
        return bisect.bisect_left(self._orig_starts, span.end)


# "انتحاري من تنظيم داعش"، "مسلحون ينتمون إلى الحوثيين": a generic attacker named by the group after it
_MEMBER_OF = re.compile(r"^\s*(?:من|ينتمي الي|ينتمون الي|تابع ل|تابعون ل|التابع ل|التابعين ل|ينتمي ل|ينتمون ل)?\s*"
                        r"(?:عناصر|مسلحي|مقاتلي|صفوف|اتباع|انصار)?\s*$")


_SAYS_BEFORE = re.compile(r"(?:^|\s)[وف]?(?:%s)\s+$" % "|".join(words("says")))
_SAYS_AFTER = re.compile(r"\s*(?:في بيان\s+|في تصريح\s+|امس\s+|اليوم\s+)?ان(?:\s|$)")
# a state official may have his name between: "قال الرئيس اليمني عبد ربه منصور هادي إن"
_SAYS_AFTER_NAMED = re.compile(r"(?:\s+[^\s,:;()]+){0,4}?\s*(?:في بيان\s+|في تصريح\s+|امس\s+|اليوم\s+)?ان(?:\s|$)")
_PROTEST_ABOUT = re.compile(r"(?:احتجاجا|تنديدا|رفضا|غضبا)\s+(?:علي\s+|ب|ل|لل)?$|(?:احتجاجا|تنديدا|رفضا|غضبا)\s+ب$")
_COUNTS_OF = re.compile(r"[وب]?(?:ال)?اعداد(?:\s|$)")
_BEGAN = re.compile(r"(?<!\w)[وف]?(?:%s)(?!\w)" % "|".join(words("began")))
_AFTER_CLAUSE = re.compile(r"(?:^|\s)[وف]?(?:بعدما|بعد ان)\s+$")
_SAID_DAY = re.compile(r"(?:^|\s)ان(?:\s|$)")
_BLAME_BEFORE = re.compile(r"(?:^|\s)[وف]?(?:%s)\s+$" % "|".join(words("blame")))


def _mark_non_parties(doc: Doc, ctx: "_Ctx") -> None:
    """Actor spans that name no party of an incident: a word inside a source's name ("مصادر الحكومة"
    speaks, the government does not act), the one who blames (the blamed group is marked as the
    perpetrator), and a generic attacker ("انتحاري"، "مسلحون") that the next words tie to a named
    group ("من تنظيم داعش"): the group is the actor."""
    srcs = doc.layer("sources")
    norm = doc.norm
    for si, xs in ctx.by_sent["actors"].items():
        # "حملت الحكومة التركية مسلحي التنظيم المسؤولية"، "اتهم الجيش الحوثيين": the one who blames
        # speaks; the one blamed is the perpetrator
        for x, y in zip(sorted(xs, key=lambda x: x.start), sorted(xs, key=lambda x: x.start)[1:]):
            xs0 = ctx.nstart(x)
            if _BLAME_BEFORE.search(norm, max(0, xs0 - 12), xs0) and ctx.ntok(ctx.nstart(y)) - ctx.ntok(ctx.nend(x)) <= 1:
                x.data["not_party"] = "blames"
                y.data["blamed"] = True
        # "وقال الجيش في بيان إن الغارات ...": the one who says, right after the verb of saying
        # and right before "إن", speaks about the incident (not "إنه": then it tells its own act)
        for x in xs:
            xs0, xe0 = ctx.nstart(x), ctx.nend(x)
            after = _SAYS_AFTER_NAMED if x.data.get("kind") == "state" else _SAYS_AFTER
            if _SAYS_BEFORE.search(norm, max(0, xs0 - 10), xs0) and after.match(norm, xe0):
                x.data["not_party"] = "speaker"
        if srcs:
            here = ctx.by_sent["sources"].get(si, [])
            for x in xs:
                if any(s.start <= x.start and x.end <= s.end for s in here):
                    x.data["not_party"] = "source"
        xs = sorted(xs, key=lambda x: x.start)
        for x, y in zip(xs, xs[1:]):
            if x.data.get("kind") != "unidentified" or y.data.get("kind") in ("unidentified", "civilians",
                                                                                "protesters", "rioters"):
                continue
            gap = doc.norm[ctx.nend(x):ctx.nstart(y)]
            if len(gap) < 30 and _MEMBER_OF.match(gap):   # also "مسلحون حوثيون"
                x.data["not_party"] = "member"


# (not quotation marks: they wrap names, "تنظيم "داعش" الإرهابي", inside a clause)
_CLAUSE_PUNCT = re.compile(r'[,:;()\[\]]|\s-\s')
_CLAUSE_WORDS: dict[str, tuple[str, ...]] = {}   # first word -> the words that must follow it
for _w in words("clause_opener"):
    _ws = _w.split()
    _CLAUSE_WORDS.setdefault(_ws[0], ())
    _CLAUSE_WORDS[_ws[0]] += (" ".join(_ws[1:]),)


def _clause_breaks(doc: Doc, ctx: "_Ctx", a: int, b: int) -> list[int]:
    """Clause breaks of a sentence: punctuation, and clause-opening words (found once per report)."""
    out = [m.start() for m in _CLAUSE_PUNCT.finditer(doc.norm, a, b)]
    openers = ctx.clause_openers()
    out.extend(openers[bisect.bisect_left(openers, a):bisect.bisect_left(openers, b)])
    out.sort()
    return out


def _clause_openers(doc: Doc) -> list[int]:
    """Starts of the report's clause-opening words, by token lookup (cheaper than one big
    alternation scanned at every character)."""
    out = []
    toks = doc.tokens
    norms = [t.norm for t in toks]
    n = len(norms)
    for i in [i for i, w in enumerate(norms) if w in _CLAUSE_WORDS]:
        for rest in _CLAUSE_WORDS[norms[i]]:
            if not rest:
                out.append(toks[i].start)
                break
            k = len(rest.split())
            if i + k < n and " ".join(norms[i + 1:i + 1 + k]) == rest:
                out.append(toks[i].start)
                break
    return out


@lru_cache(maxsize=None)   # asked per candidate for the same few weapon labels
def _weapon_kind(label: str) -> str | None:
    low = label.lower()
    for keys, kind in WEAPON_KIND:
        if any(k in low for k in keys):
            return kind
    return None


def _trigger_kind(sp: Span) -> str:
    kind = sp.data["kind"]
    if kind == "ied" and sp.data.get("strength", 1) >= 1 and sp.data["pattern"] not in GENERIC_IED:
        return "ied_specific"
    return kind


def component(collect: bool = False, model="default"):
    """The event step. With the shipped learned model (model.py) it decides which candidate
    incidents are events; without one, or with MARSAD_EVENTS=rules, the hand-set scores do.
    ``collect`` (training) keeps every candidate with its features and the rules' verdict."""
    trig_m = trigger_matcher()
    cue_m = matcher("cues.tsv")
    mdl = default_model() if model == "default" else model

    def run(doc: Doc) -> None:
        _match(doc, trig_m, "triggers")
        gaps = list(gapped.find(doc))
        for sp in gaps:
            doc.add("triggers", sp)
        if gaps:
            # "أحرق شبان ... الإطارات": the verb of a gapped protest is no act of destruction too
            doc.layers["triggers"] = [t for t in doc.layer("triggers") if not (
                t.data.get("kind") == "loot" and any(g.start <= t.start < g.end and g.data.get("kind") == "protest"
                                                     for g in gaps))]
        _match(doc, cue_m, "cues")
        ctx = _Ctx(doc)
        ctx.model, ctx.collect = (None if collect else mdl), collect
        ctx.doc_place = most_frequent_place(doc, ctx.in_actor) or most_frequent_place(doc, ctx.neighbours)
        if _is_title(doc, 0):
            for t in ctx.sl("triggers", 0):
                t.data["title"] = True
        passage_date: tuple | None = None
        prev_sent_end = 0
        for si, (a, b) in enumerate(doc.sentences):
            if "\n" in doc.norm[prev_sent_end:a]:
                # a new paragraph resets the passage's place; a day said relative to the report
                # ("أمس"، "اليوم") carries on (agency copy puts every sentence in a paragraph of its
                # own), a named day ("السبت"، "3 آب") belongs to its paragraph
                ctx.passage_place = None
                if passage_date is not None and passage_date[2].data.get("kind") != "relative":
                    passage_date = None
            prev_sent_end = b
            dates = [d for d in ctx.sl("dates", si) if d.data.get("date")]
            trigs = ctx.sl("triggers", si)
            if trigs:
                evs = _sentence_events(doc, ctx, si, a, b, trigs, passage_date)
                doc.events.extend(evs)
                ctx.prev_agent = next((e.agent for e in reversed(evs) if e.agent is not None), None)
            else:
                ctx.prev_agent = None
            # background (a day more than 30 days back) does not date what follows
            recent = [d for d in dates if not (doc.published and isinstance(d.data["date"], Date)
                                               and (doc.published - d.data["date"]).days > BACKGROUND_DAYS)]
            if recent:
                best = max(recent, key=lambda d: d.data["date"])
                passage_date = (best.data["date"], best.data.get("precision", 1), best)
            resolved = [p for p in ctx.usable_places(si) if id(p) not in ctx.in_actor
                        and (not ctx.country or p.data.get("country_code") == ctx.country)]
            if resolved:
                ctx.passage_place = max(resolved, key=_specificity)

    return run


_ENTRY_DATA: dict[int, tuple] = {}  # lexicon row -> its public fields (rows live as long as the process)


def _match(doc: Doc, m, layer: str) -> None:
    found = longest_matches(list(m.find(doc.norm)))
    seen: dict[tuple[int, int], object] = {}
    for x in found:  # same word matched by two patterns: keep the longer pattern
        k = (x.start, x.end)
        if k not in seen or len(x.entry["_pat"]) > len(seen[k].entry["_pat"]):
            seen[k] = x
    for x in seen.values():
        e = x.entry
        si = doc.sentence_of(x.start)
        cached = _ENTRY_DATA.get(id(e))
        if cached is None or cached[0] is not e:   # keyed by id: check it is the same row
            cached = _ENTRY_DATA[id(e)] = (e, {k: v for k, v in e.items() if not k.startswith("_")})
        data = dict(cached[1])
        data.update(n0=x.start, n1=x.end, core_start=x.core_start, prefix=x.prefix, pattern=e["_pat"])
        if layer == "triggers":
            data["strength"] = int(e.get("strength") or 1)
            label = e.get("event_type", "")
        else:
            label = e.get("cue", "")
        o0, o1 = doc.orig(x.start, x.end)   # (doc.span, without copying data again)
        doc.add(layer, Span(o0, o1, label, doc.text[o0:o1], si, data))


def _blocked(doc: Doc, ctx: _Ctx, t: Span, cues: list[Span], clause_of, has_toll: bool,
             has_date_after) -> str | None:
    """The cue that puts trigger t out of the real world, if any."""
    ts = t.data["n0"]
    tclause = clause_of(ts)
    ttok = ctx.ntok(ts)
    for c in cues:
        cue = c.data["cue"]
        if cue not in BLOCKING and cue != "judicial" and cue != "background":
            continue
        scope = c.data.get("scope", "clause")
        cs, ce = c.data["n0"], c.data["n1"]
        if cue == "aggregate" or (cue == "background" and scope == "sentence"):
            continue  # handled with dates and places
        if cue == "judicial":
            # a court's sentence, and the crime it punishes, are not incidents (CODING.md); an
            # attack told in another clause of the sentence is
            if clause_of(cs) == tclause or (ce <= ts and ttok - ctx.ntok(ce) < NEXT_WORDS):
                return cue
            continue
        if cue == "question" or scope == "sentence":
            if cue in SOFT_BLOCKING and (has_toll or has_date_after(cs)):
                continue
            return cue
        if ce > ts:
            continue  # cues act on what follows them
        if scope == "next":
            if ttok - ctx.ntok(ce) < NEXT_WORDS:   # "لم يسفر عن وقوع قتلى": four words on
                return cue
            continue
        if clause_of(cs) == tclause or (cue == "negation" and clause_of(cs) + 1 == tclause
                                        and c.data["pattern"] in ("نفي", "نفت", "ينفي", "تنفي", "نفوا")):
            if cue in SOFT_BLOCKING and (has_toll or has_date_after(cs)):
                continue
            return cue
    return None


from .features import incident_features  # noqa: E402 - features reads this module's helpers


def _sentence_events(doc: Doc, ctx: _Ctx, si: int, a: int, b: int, trigs: list[Span], passage_date):
    norm = doc.norm
    breaks = _clause_breaks(doc, ctx, a, b)

    def clause_of(pos: int) -> int:
        return bisect.bisect_right(breaks, pos)

    cues = ctx.sl("cues", si)
    # "لا" inside "لا تزال" (still) is no negation
    cont = [(c.data["n0"], c.data["n1"]) for c in cues if c.data["cue"] == "continuity"]
    if cont:
        cues = [c for c in cues if not (c.data["cue"] == "negation"
                                        and any(x <= c.data["n0"] < y for x, y in cont))]
    # "أعداد قتلى الحزب"، "أعداد الجرحى": the numbers of the dead in general, no toll of an incident
    casualties = [c for c in ctx.sl("casualties", si) if not _COUNTS_OF.match(doc.norm, ctx.nstart(c))]
    killed = [c for c in casualties if c.label == "killed"]
    # a toll of its own: a precise number ("عدد من الشهداء" is only an echo of the incident)
    has_toll = any(isinstance(c.data.get("count"), int) and not c.data.get("approx") for c in casualties)
    dates = [d for d in ctx.sl("dates", si) if d.data.get("date")]
    date_pos = [ctx.nstart(d) for d in dates]

    def has_date_after(pos: int) -> bool:
        return any(p > pos for p in date_pos)

    actors = ctx.sl("actors", si)
    weapons = ctx.sl("weapons", si)
    places = ctx.sl("places", si)
    question = norm[a:b].rstrip().endswith("?")
    # with no publication date the report's latest day stands in for it, so history stays history
    published = doc.published or ctx.reference_date()

    # background: a date in this sentence > 30 days before publication, and none recent
    stale = False
    if published and dates:
        ages = [(published - d.data["date"]).days for d in dates if isinstance(d.data["date"], Date)]
        if ages and min(ages) > BACKGROUND_DAYS:
            stale = True
    if published and not stale and not any(
            isinstance(d.data["date"], Date) and (published - d.data["date"]).days <= BACKGROUND_DAYS
            and d.data.get("kind") in ("relative", "weekday") for d in dates):
        # "2008- تسعة قتلى ... في 25 تموز": a dated chronology, not news (a day and month without
        # their year are resolved to this year; only "yesterday", "on Sunday" make it recent)
        years = [int(m.group(1)) for m in _YEAR.finditer(norm, a, b)
                 if not norm[max(a, m.start() - 9):m.start()].rstrip().endswith(("منذ", "منذ عام", "منذ العام"))]
        if years and max(years) < published.year:
            stale = True   # ("منذ 2011" is how long a war has lasted, not when this happened)
    cue_kinds = {c.data["cue"] for c in cues}
    if any(c.data["cue"] == "background" and c.data.get("scope") == "sentence" for c in cues) and not any(
            published and isinstance(d.data["date"], Date) and (published - d.data["date"]).days <= BACKGROUND_DAYS
            for d in dates):
        stale = True  # "يذكر أن", anniversaries, history: only a recent date keeps it
    aggregate = "aggregate" in cue_kinds and not places and not any(
        d.data.get("precision", 3) == 1 for d in dates)
    if not aggregate and any(c.data["cue"] == "aggregate" and c.data.get("scope") == "places" for c in cues):
        # "المعارك في العديد من المدن السورية": many places at once, none of them named
        aggregate = not any(p.data.get("feature") != "country" for p in places)
    learned = ctx.model is not None or ctx.collect
    sent_gates = [g for g, on in (("stale", stale), ("aggregate", aggregate)) if on]
    if question or (sent_gates and not learned):
        return []

    named = [(p.start, p.end) for p in places]
    valid: list[Span] = []
    # the learned detector sees what the rules would drop, with the reason as a feature
    gated: dict[int, str] = {}
    after_what = []
    if not dates and len(trigs) == 1:
        # "قالت الشرطة إنها تواصل التحقيقات ... بعدما اعتقلت 30 مواطنا": an undated act in a
        # "after it had ..." clause of a sentence that reports nothing else is background to it
        t0 = trigs[0].data["n0"]
        if _AFTER_CLAUSE.search(norm, max(a, t0 - 10), t0):
            after_what = trigs
    for t in trigs:
        if t in after_what:
            gated[id(t)] = "after_clause"
            continue
        if any(a0 <= t.start and t.end <= b0 for a0, b0 in named):
            continue  # "ساحة التحرير"، "ساحة الشهداء": part of a place name
        if t.data.get("prefix", "") in _FUTURE_PREFIX:
            continue  # وسيقصف: future
        blocked = _blocked(doc, ctx, t, cues, clause_of, has_toll, has_date_after)
        if blocked:
            if blocked not in HARD_CUES:
                gated[id(t)] = "cue:" + blocked
            continue
        valid.append(t)
    if not valid and not (learned and gated):
        return []

    # support for weak triggers
    strong_count = sum(1 for t in valid if _strength(t) >= 2)

    def supported(t: Span) -> bool:
        s = _strength(t)
        if s >= 2:
            return True
        if s <= 0:
            return False
        tc = clause_of(t.data["n0"])
        if casualties or dates or weapons:
            return True
        if any(clause_of(ctx.nstart(x)) == tc for x in actors):
            return True
        others = [u for u in valid if u is not t and _strength(u) >= 1]
        return bool(others) or strong_count > 0

    kept = []
    for t in valid:
        if _strength(t) <= 0:
            continue
        if not supported(t):
            gated[id(t)] = "unsupported"
        elif _describes(doc, ctx, t):
            gated[id(t)] = "describes"
        else:
            kept.append(t)
    if any(t.data["kind"] in PROTEST_KINDS for t in kept):
        # "تظاهروا احتجاجا على مقتل العقيد": the killing is what the protest is about, neither
        # violence at the protest nor its toll
        cause = [t for t in kept if t.data["kind"] not in PROTEST_KINDS
                 and _PROTEST_ABOUT.search(norm, max(a, t.data["n0"] - 24), t.data["n0"])]
        if cause:
            kept = [t for t in kept if t not in cause]
            spans = [(t.data["n0"], t.data["n1"]) for t in cause]
            casualties = [c for c in casualties if not any(x <= ctx.nstart(c) < y + 24 for x, y in spans)]
            killed = [c for c in casualties if c.label == "killed"]
    if not kept and not (learned and gated):
        return []

    # group by clause; dependent clauses (killed/wounded only) join a neighbour
    groups: dict[int, list[Span]] = defaultdict(list)
    for t in kept:
        groups[clause_of(t.data["n0"])].append(t)
    order = sorted(groups)
    merged: list[list[Span]] = []
    pending: list[Span] = []
    for ci in order:
        g = groups[ci]
        kinds = {_trigger_kind(t) for t in g}
        if kinds <= DEPENDENT:
            if merged:
                merged[-1].extend(g)
            else:
                pending.extend(g)
            continue
        if pending:
            g = pending + g
            pending = []
        if merged and _compatible(merged[-1], g) and not _elsewhere(ctx, merged[-1], g, breaks, si):
            merged[-1].extend(g)
        else:
            merged.append(list(g))
    if pending:
        merged.append(pending)

    events = []
    sent_text = norm[a:b]
    has_time = bool(dates) or bool(_TIME.search(sent_text))
    # an upper bound of the score from what the sentence holds: skip groups that cannot pass
    any_toll = bool(casualties) or any(t.data["kind"] in DEFAULT_TOLL_KINDS for t in kept)
    bound = ((W_TOLL if any_toll else W_TOLL / 2) + (W_TIME if has_time else 0)
             + ((W_AGENT + W_VICTIM + W_EXPLICIT) if actors else 0) + W_PLACE + (W_WEAPON if weapons else 0)
             + W_SOURCE)
    # the triggers the rules drop, grouped by clause: candidates for the learned detector only
    rejected: dict[int, list[Span]] = defaultdict(list)
    alt_of: dict[int, str] = {}
    if learned:
        for t in trigs:
            if id(t) in gated and _strength(t) > 0:
                rejected[clause_of(t.data["n0"])].append(t)
    cands = [(g, merged, gi) for gi, g in enumerate(merged)]
    if learned:
        # typing as a choice: a clause whose words name incidents of several event types (a battle
        # and its air strikes, an attack and its shelling) also yields one candidate per other
        # type, built from that type's words (and the toll words); the detector keeps one, both
        # or none
        for gi, g in enumerate(merged):
            core = {_trigger_kind(t) for t in g} - DEPENDENT
            if len(core) < 2:
                continue
            main_type = TYPE_OF[_primary_kind(core)][0]
            seen_types = {main_type}
            for k in PRECEDENCE + sorted(PROTEST_KINDS):
                if k not in core or TYPE_OF[k][0] in seen_types:
                    continue
                seen_types.add(TYPE_OF[k][0])
                alt = [t for t in g if _trigger_kind(t) == k or t.data["kind"] in DEPENDENT]
                alt_of[id(alt)] = k
                cands.append((alt, merged, gi))
    for ci in sorted(rejected):
        g = rejected[ci]
        allg = sorted(merged + [g], key=lambda x: min(t.data["n0"] for t in x))
        cands.append((g, allg, next(k for k, x in enumerate(allg) if x is g)))
    info = {"cue_kinds": cue_kinds, "has_time": has_time, "n_groups": len(merged),
            "protest_support": bool(_PROTEST_SUPPORT.search(sent_text)), "crowd": bool(_CROWD.search(sent_text))}
    for g, groups_, gi in cands:
        kinds = {t.data["kind"] for t in g}
        gates = sorted(set(sent_gates) | {gated[id(t)] for t in g if id(t) in gated})
        alt = alt_of.get(id(g))
        if not learned:   # the rules decide: skip a group whose score cannot reach the threshold
            if kinds & PROTEST_KINDS:
                ub, need = 3.1, PROTEST_THRESHOLD
            else:
                ub = max(_trigger_weight(doc, ctx, t) for t in g) + W_SPECIFIC + bound
                need = min(THRESHOLD, NONLETHAL_THRESHOLD)
            if ub < need - SUPPORT_MARGIN:
                continue
        ev = _build_event(doc, ctx, si, a, b, g, groups_, gi, actors, weapons, killed, casualties,
                          dates, places, passage_date, clause_of, breaks)
        if not ev or _tally(ev, dates):
            continue
        ev.score = round(_score(doc, ctx, ev, g, has_time, casualties, cues, sent_text), 2)
        need = (PROTEST_THRESHOLD if ev.kind in PROTEST_KINDS
                else NONLETHAL_THRESHOLD if ev.kind in NONLETHAL_KINDS else THRESHOLD)
        prev = events[-1] if events else None
        if (prev is not None and ev.kind == "shell" and prev.kind == "air"
                and not any(x["field"] == "actor1" for x in ev["evidence"])):
            # "شن الطيران غارات على ... وقصف أهدافا أخرى": the same aircraft go on striking
            ev.fields.update(sub_event_type=prev["sub_event_type"], actor1=prev["actor1"], inter1=prev["inter1"])
            ev.kind = "air"
            ev["evidence"] += [x for x in prev["evidence"] if x["field"] == "actor1"]
            ev.score = max(ev.score, prev.score)
        if learned:
            rule = "drop" if gates else "keep" if ev.score >= need else \
                "weak" if ev.score >= need - SUPPORT_MARGIN else "drop"
            if alt is not None:
                rule = "drop"   # the rules keep only the main type
            feats = incident_features(doc, ctx, ev, g, dict(info, gates=gates, rule=rule, score=ev.score,
                                                             need=need, alt=alt))
            ev.role_feats = roles.pair_features(doc, ctx, ev)
            ev.toll_opts = tolls.toll_options(doc, ctx, ev) if ctx.collect or ctx.model.tolls else []
            if not ctx.collect:
                if roles.should_swap(ctx.model.roles, ev.role_feats):
                    roles.swap(ev)
                chosen = tolls.choose(ctx.model.tolls, ev.toll_opts)
                if chosen is not None:
                    tolls.apply(ev, ev.toll_opts, chosen)
            if ctx.collect:   # training: every candidate with its features, decided later
                copies = _split_places(doc, ctx, ev, si, breaks)
                movable = alt is None and not ev.split   # (towns told apart keep their places)
                ev.place_opts = arguments.place_options(doc, ctx, ev) if movable else []
                for e in [ev] + copies:
                    e.feats, e.rule, e.is_copy = feats, rule, e is not ev
                events.append(ev)
                events.extend(copies)
                continue
            p = ev.p = ctx.model.prob(feats)
            verdict = ctx.model.decide(p, ev["event_type"], rule)
            copies = _split_places(doc, ctx, ev, si, breaks) if verdict == "keep" else []
            movable = alt is None and not ev.split
            if verdict is not None and alt is None:
                retype(ev, ctx.model.best_type(feats, ev["event_type"]))
                opts = arguments.place_options(doc, ctx, ev) if movable and ctx.model.places else []
                k = arguments.choose(ctx.model.places, opts)
                if k is not None:
                    arguments.move(ev, opts[k][0])
            if verdict == "keep":
                events.append(ev)
                for e in copies:
                    e.p = p
                events.extend(copies)
            elif verdict == "weak":
                ev.weak = True
                events.append(ev)
            continue
        if ev.score >= need:
            events.append(ev)
            events.extend(_split_places(doc, ctx, ev, si, breaks))
        elif ev.score >= need - SUPPORT_MARGIN:
            # a weakly worded mention: kept only if it adds to an incident the report states
            # clearly elsewhere (the document step merges it or drops it)
            ev.weak = True
            if (ev["sub_event_type"] == "Armed clash" and ev.place_in_sentence
                    and ev.score >= round(need - ONGOING_MARGIN, 2)
                    and any(t.data["kind"] == "battle" and _trigger_weight(doc, ctx, t) >= W_VERB for t in g)):
                # "وتدور اشتباكات عنيفة بمجزر": fighting said to go on at a named place, with no
                # toll or day; in a report that states other incidents it is one more of them
                ev.ongoing = True
            events.append(ev)
    return events


MAX_TOLL = 1000   # more dead than this is a tally, unless the text gives it to one incident


def _tally(ev: Incident, dates: list[Span]) -> bool:
    """A toll over 1,000 not tied to one incident: no day of its own in the sentence, or no town
    or village of its own (a war's or a month's count, "أكثر من 250 ألف قتيل منذ 2011")."""
    fat = ev.get("fatalities")
    if not isinstance(fat, int) or fat <= MAX_TOLL:
        return False
    one_day = any(d.data.get("precision", 3) == 1 for d in dates)
    return not (one_day and ev.place_in_sentence and ev.get("geo_precision") in (1, 2))


_VERB_SUFFIX = ("ت", "وا", "تا", "ه", "ها", "هم", "وه", "وها", "تها", "ته", "تهم", "نا")


def is_verb(doc: Doc, t: Span) -> bool:
    """A verb form: listed as one, or a form shared with the verbal noun (قصف، قتل) read as a
    verb when it carries a verb suffix or opens its clause without the article or a preposition."""
    pos = t.data.get("pos", "n")
    if pos == "v" or (pos == "vi" and t.data.get("title")):
        return True
    if pos != "vn":
        return False
    prefix = t.data.get("prefix", "")
    if prefix not in ("", "و", "ف"):
        return False
    word = doc.norm[t.data["core_start"]:t.data["n1"]]
    pat = t.data["pattern"]
    if len(word) > len(pat) and word[len(pat):] in _VERB_SUFFIX:
        return True
    # (only this paragraph's text: the first word after a headline opens its sentence)
    before = doc.norm[max(0, t.data["n0"] - 3):t.data["n0"]].rsplit("\n", 1)[-1]
    return prefix in ("و", "ف") or not before.strip() or before.rstrip()[-1:] in ',:;"('


_PASSIVE_BEFORE = re.compile(r"(?:تعرض|تعرضت|تعرضوا|يتعرض|تتعرض|يتعرضون|تعرضه|تعرضها|تعرضهم)\S*(?:\s+\S+){0,6}\s*$")


_TAMMA = re.compile(r"(?<!\w)[وف]?(?:تم|جري|يتم)\s+$")
_QAMA = re.compile(r"(?<!\w)[وف]?(?:قام|قامت|قاموا|يقوم|تقوم|يقومون)(?:\s+\S+){0,3}\s+$")


# "اندلعت اشتباكات"، "شهدت المدينة تظاهرة"، "نفذ ... اعتصاما": a verb saying the named incident
# happened, within three words before the noun
_OCCURRED = frozenset(words("occurred"))


def _occurred_before(doc: Doc, ctx: _Ctx, t: Span) -> bool:
    """One of _OCCURRED within three words before the noun, not counting the words of a named
    actor between them ("شن طيران التحالف العربي غارات": verb, subject, object)."""
    key = id(t)
    hit = ctx.occurred.get(key)
    if hit is None:
        hit = ctx.occurred[key] = _occurred_near(doc, ctx, t)
    return hit


# _OCCURRED forms that tell a finished act ("صد هجوما"، "شنت هجوما"), not fighting going on
# ("تدور اشتباكات") nor a verbal noun
_DONE = _OCCURRED - frozenset(words("ongoing"))


def _done_before(doc: Doc, ctx: _Ctx, t: Span) -> bool:
    """A noun trigger right after a past verb of _DONE."""
    return t.data.get("pos") == "n" and _occurred_before(doc, ctx, t) and _verb_before(doc, ctx, t, _DONE)


def _verb_before(doc: Doc, ctx: _Ctx, t: Span, verbs: set[str]) -> bool:
    """One of `verbs` (or و/ف + it) within three words before t, a named actor's words apart."""
    i = ctx.ntok(t.data["n0"])
    in_actor = ctx.actor_tokens(t.sent)
    toks = doc.tokens
    seen, j = 0, i - 1
    while j >= 0 and seen < 3 and toks[j].sent == t.sent:
        if j not in in_actor:
            seen += 1
            w = toks[j].norm
            if w in verbs or (w[:1] in "وف" and w[1:] in verbs):
                return True
        j -= 1
    return False


def _occurred_near(doc: Doc, ctx: _Ctx, t: Span) -> bool:
    i = ctx.ntok(t.data["n0"])
    in_actor = ctx.actor_tokens(t.sent)
    seen = 0
    j = i - 1
    toks = doc.tokens
    while j >= 0 and seen < 3 and toks[j].sent == t.sent:
        tok = toks[j]
        j -= 1
        if j + 1 in in_actor:
            continue
        seen += 1
        w = tok.norm
        if w in _OCCURRED or (w[:1] in "وف" and w[1:] in _OCCURRED):
            return True
    # "معارك عنيفة دارت في ...": the verb after the noun and its adjective
    k = ctx.ntok(t.data["n1"])
    for tok in toks[k:k + 2]:
        if tok.sent != t.sent:
            break
        if tok.norm in _OCCURRED:
            return True
    return False


_RELATIVE = frozenset(words("relative"))


def _after_relative(doc: Doc, ctx: _Ctx, t: Span) -> bool:
    """"الذين قاموا بتفجير"، "الذي سيطروا عليه": a relative clause describes, it does not report."""
    i = ctx.ntok(t.data["n0"])
    return any(tok.norm in _RELATIVE for tok in doc.tokens[max(0, i - 2):i])


# verbs whose object takes لـ: "تصدت القوات لهجوم" (the attack is what they repelled, no purpose)
_TAKES_LI = frozenset(words("takes_li"))


def _describes(doc: Doc, ctx: _Ctx, t: Span) -> bool:
    """Words that describe a state, a habit or a purpose rather than report an act: a present
    verb outside the headline ("التي يسيطر عليها التنظيم"، "يقصف الطيران المدينة يوميا"), and
    "لتحرير المدينة" (a purpose: لـ + verbal noun, unless it is the passive "تعرض لـ")."""
    if t.data.get("pos") == "vi" and not t.data.get("title"):
        return True
    if t.data.get("prefix", "") in ("ل", "ول", "فل") and t.data.get("pos") == "n" \
            and not _PASSIVE_BEFORE.search(doc.norm[max(0, t.data["n0"] - 40):t.data["n0"]]) \
            and not _verb_before(doc, ctx, t, _TAKES_LI):
        return True
    return False


def _trigger_weight(doc: Doc, ctx: _Ctx, t: Span) -> float:
    """How plainly trigger t states its incident (asked several times per trigger: cached)."""
    w = ctx.weights.get(id(t))
    if w is None:
        w = ctx.weights[id(t)] = _trigger_weight_of(doc, ctx, t)
    return w


def _trigger_weight_of(doc: Doc, ctx: _Ctx, t: Span) -> float:
    if _after_relative(doc, ctx, t):
        # "والدة أحد الذين قتلوا في المعارك": the dead described; the incident, if any, is
        # stated by another word
        return W_STRONG if _strength(t) >= 2 and t.data["kind"] not in DEPENDENT else W_WEAK
    if t.data.get("strength", 1) >= 1 and (_masdar_passive(doc, t) or _occurred_before(doc, ctx, t)):
        return W_VERB
    if _strength(t) < 2:
        return W_WEAK
    if is_verb(doc, t):
        return W_VERB
    # "تعرضت البلدة لقصف": the passive construction states the incident like a verb
    if _PASSIVE_BEFORE.search(doc.norm[max(0, t.data["n0"] - 40):t.data["n0"]]):
        return W_VERB
    return W_STRONG


def _masdar_passive(doc: Doc, t: Span) -> bool:
    """"تم اعتقال"، "جرى تفجير": a verbal noun after تم/جرى is a passive verb; "قام مسلحون بخطف"
    (قام + بـ + verbal noun) an active one."""
    before = doc.norm[max(0, t.data["n0"] - 40):t.data["n0"]]
    if _TAMMA.search(before[-8:]):
        return True
    return t.data.get("prefix", "").startswith(("ب", "وب")) and bool(_QAMA.search(before))


_COORD_GAP = re.compile(r"^[\s,]*(?:و|او|ثم|وكذا|وكذلك|كذلك|اضافه الي|بالاضافه الي|فضلا عن|الي جانب)?\s*(?:قريه|قريتي|بلده|بلدتي|مدينه|مدينتي|ناحيه|قضاء|منطقه|منطقتي|حي|حيي|مخيم)?\s*$")
SPLIT_FEATURES = {"city", "village", "quarter", "town", "area", "admin3", "district", "base"}
# "اختطف 18 شابا من ناحية حمام العليل و14 شابا آخر من ناحية القيارة": a list of places that goes
# on with "and N others from"
_PLACE_WORDS = r"(?:قريه|قريتي|بلده|بلدتي|مدينه|مدينتي|ناحيه|ناحيتي|قضاء|منطقه|منطقتي|حي|حيي|مخيم)"
_MORE_FROM = re.compile(r"^[\s,]*و\s*\d+\s+\S+(?:\s+(?:اخر|اخرين|اخرون|اخري|اخريات))?\s+(?:من|في)\s+"
                        + _PLACE_WORDS + r"?\s*$")


def _split_places(doc: Doc, ctx: _Ctx, ev: Incident, si: int, breaks) -> list[Incident]:
    """"قصفت قوات النظام قريتي محمبل وجوزف": one incident per town (CODING.md granularity).
    Places coordinated with the event's place in its own stretch each get a copy of the event
    (the toll stays with the first)."""
    loc_ev = next((x for x in ev["evidence"] if x["field"] == "location"), None)
    if loc_ev is None:
        return []
    # the chain of places runs over every place of the sentence (a name the gazetteer lacks still
    # links the list: "من ناحية باودش وقضاء البعاج"); only resolved towns get a copy
    here = sorted(ctx.sl("places", si), key=lambda p: p.start)
    i = next((k for k, p in enumerate(here) if p.start == loc_ev["start"] and _usable_place(p)), None)
    if i is None or here[i].data.get("feature") not in SPLIT_FEATURES:
        return []

    def coordinated(x: Span, y: Span) -> bool:
        if y.data.get("feature") not in SPLIT_FEATURES and _usable_place(y):
            return False
        gap = doc.norm[ctx.nend(x):ctx.nstart(y)]
        if _MORE_FROM.match(gap):
            return True
        return bool(_COORD_GAP.match(gap)) and ("و" in gap or "," in gap or "الي" in gap or "فضلا" in gap)

    lo = i
    while lo > 0 and coordinated(here[lo - 1], here[lo]) and (
            here[lo - 1].data.get("feature") in SPLIT_FEATURES or not _usable_place(here[lo - 1])):
        lo -= 1
    hi = i
    while hi + 1 < len(here) and coordinated(here[hi], here[hi + 1]):
        hi += 1
    out = []
    seen = {ev["location"]}
    towns = []   # the coordinated places, in the order of the text (the event's own among them)
    for p in here[lo:hi + 1]:
        if not _usable_place(p) or p.data.get("feature") not in SPLIT_FEATURES:
            continue
        name = p.data.get("location") or p.label
        if p is here[i] or name not in seen:
            towns.append(p)
            seen.add(name)
    # a toll given for all the towns together is shared out evenly among them (the first named
    # take the remainder): "غارات على الحصيبة والملاحمة والبوعلوان أسفرت عن مقتل 52" -> 18/17/17
    total = ev.get("fatalities")
    shares = {}
    if isinstance(total, int) and total > 0 and len(towns) > 1 and not ev.fat_approx:
        q, r = divmod(total, len(towns))
        shares = {id(p): q + (1 if k < r else 0) for k, p in enumerate(towns)}
        ev["fatalities"] = shares[id(here[i])]
    if len(towns) > 1:
        ev.split = True
    for p in towns:
        if p is here[i]:
            continue
        d = p.data
        share = shares.get(id(p), 0)
        e2 = ev.copy(fatalities=share, weapons=list(ev["weapons"]), sources=list(ev["sources"]))
        e2.fat_known = bool(share)
        e2.fields.update(country_code=d.get("country_code") or ev["country_code"], admin1_code=d.get("admin1_code"),
                  location=d.get("location") or p.label, location_ar=d.get("location_ar") or p.text,
                  latitude=d.get("latitude"), longitude=d.get("longitude"), geo_precision=d.get("geo_precision"))
        e2["evidence"] = [x for x in ev["evidence"] if x["field"] not in ("location", "fatalities")
                          or (x["field"] == "fatalities" and share)] + [p.to_evidence("location")]
        out.append(e2)
    if len(towns) == 1:
        out.extend(_dual_sibling(doc, ctx, ev, here[i]))
    return out


# a dual place noun says two places follow: "قريتي كفرنبل وحاس"
_DUAL_PLACE = re.compile(r"(?:^|\s)[وفب]?(?:قريتي|بلدتي|مدينتي|ناحيتي|منطقتي|حيي|مخيمي)\s+\S+\s*$")
_AND_WORD = re.compile(r"\s+و(?P<w>[^\s,.:;()«»\"]{2,})")


def _dual_sibling(doc: Doc, ctx: _Ctx, ev: Incident, place: Span) -> list[Incident]:
    """"قصفت قوات النظام قريتي كفرنبل وحاس": the second village of a dual the gazetteer lacks is a
    second incident, in the first one's governorate (geo_precision 2)."""
    n0, n1 = ctx.nstart(place), ctx.nend(place)
    head = doc.norm[max(0, n0 - 8):n1]
    if not _DUAL_PLACE.search(head):
        return []
    m = _AND_WORD.match(doc.norm, n1)
    if not m:
        return []
    sib = doc.span(m.start("w"), m.end("w"), "", place.sent)
    try:
        from ...places.names import transliterate
        name = transliterate(sib.text) or sib.text
    except Exception:  # noqa: BLE001 - the English name is a convenience; the Arabic one is the evidence
        name = sib.text
    e2 = ev.copy(fatalities=0, weapons=list(ev["weapons"]), sources=list(ev["sources"]),
                 location=name, location_ar=sib.text, geo_precision=2)
    e2.fat_known = False
    e2["evidence"] = [x for x in ev["evidence"] if x["field"] not in ("location", "fatalities")] + [
        sib.to_evidence("location")]
    ev.split = e2.split = True
    return [e2]


def _toll_near(doc: Doc, ctx: _Ctx, t: Span) -> bool:
    """A number within three words of a killed/wounded word (when the numbers layer is silent)."""
    i = ctx.ntok(t.data["n0"])
    toks = doc.tokens[max(0, i - 3): i + 4]
    return any(_NUMBER.fullmatch(x.norm) for x in toks)


def _protest_score(doc: Doc, ctx: _Ctx, ev: Incident, g: list[Span], has_time: bool, sent_text: str) -> float:
    """Protests seldom come with a toll or a day; what they come with is a crowd, a demand, a
    slogan."""
    ps = [t for t in g if t.data["kind"] in PROTEST_KINDS]
    sc = 0.0
    for t in ps:
        verb, strong = is_verb(doc, t) or _occurred_before(doc, ctx, t), t.data["strength"] >= 2
        w = 1.2 if verb and strong else 0.9 if verb or strong else 0.6
        sc = max(sc, w)
    if len(ps) > 1:
        sc += 0.5
    if _PROTEST_SUPPORT.search(sent_text):
        sc += 0.5
    if _CROWD.search(sent_text):
        sc += 0.3
    if ev.place_in_sentence:
        sc += 0.3
    if has_time:
        sc += 0.3
    return sc


def _score(doc: Doc, ctx: _Ctx, ev: Incident, g: list[Span], has_time: bool, casualties: list[Span], cues,
           sent_text: str = "") -> float:
    if ev.kind in PROTEST_KINDS:
        return _protest_score(doc, ctx, ev, g, has_time, sent_text)
    sc = max(_trigger_weight(doc, ctx, t) for t in g)
    if any(_trigger_kind(t) in SPECIFIC_KINDS and _strength(t) >= 2 for t in g):
        sc += W_SPECIFIC
    kills = [t for t in g if t.data["kind"] in DEPENDENT]
    if ev.fat_known or any(c.data.get("count") for c in casualties) or any(_toll_near(doc, ctx, t) for t in kills):
        sc += W_TOLL
    elif kills:
        sc += W_KILLWORD
    elif any(t.data["kind"] in ("abduct", "arrest") and _toll_near(doc, ctx, t) for t in g):
        sc += W_TOLL / 2  # "اختطف مسلحون 15 شخصا": how many were taken
    if has_time:
        sc += W_TIME
    fields = {x["field"] for x in ev["evidence"]}
    if "actor1" in fields:
        sc += W_AGENT
        if ev.explicit_agent:
            sc += W_EXPLICIT  # "من قبل قوات النظام"، "على يد مسلحين": the act is pinned on someone
    if "actor2" in fields:
        sc += W_VICTIM
    if "location" in fields and ev.place_in_sentence:
        sc += W_PLACE
    if ev["weapons"]:
        sc += W_WEAPON
    if ev["sources"] or any(c.data["cue"] == "attribution" for c in cues):
        sc += W_SOURCE
    if ev["sub_event_type"] == "Armed clash" and "actor1" in fields and "actor2" in fields \
            and any(_trigger_weight(doc, ctx, t) >= W_VERB and (
                (t.data["kind"] == "battle" and is_verb(doc, t)) or _done_before(doc, ctx, t)) for t in g):
        # "صد الجيش والمقاومة هجوما للحوثيين": a verb says the fight took place and both armed
        # sides are named: a concrete battle even without a toll or a day
        sc += W_BOTH_SIDES
    elif ev.kind == "agree" and "actor1" in fields and "actor2" in fields:
        # "اتفق الرئيس المصري ونظيره اليمني على ...": an agreement with both parties named is a
        # concrete one, not talk about agreements in general
        sc += W_BOTH_SIDES
    return sc


def _is_title(doc: Doc, si: int) -> bool:
    """The first sentence, set off by a line break: a headline."""
    if si != 0 or not doc.sentences:
        return False
    end = doc.sentences[0][1]
    return "\n" in doc.norm[end:end + 3]


def _strength(t: Span) -> int:
    s = t.data.get("strength", 1)
    if t.data.get("pos") == "vi" and not t.data.get("title"):
        return 1   # an imperfect verb in the body: ongoing, habitual or planned
    # a definite generic noun (القتل، القصف) with nothing else is talk about violence, not an event
    if s >= 2 and t.data.get("prefix", "").endswith("ال") and t.data["kind"] in ("kill", "shell", "attack", "vac"):
        return 1
    return s


def _primary_kind(kinds: set[str]) -> str:
    if kinds & PROTEST_KINDS and not kinds & ASSAULT_KINDS:
        if "riot" in kinds:
            return "riot"
        if "protest" in kinds and ("intervention" in kinds or "arrest" in kinds):
            return "intervention"
        if "protest" in kinds:
            return "protest"
        if "intervention" in kinds:
            return "intervention"
    for k in PRECEDENCE:
        if k in kinds:
            return k
    return next(iter(kinds))


def _compatible(g1: list[Span], g2: list[Span]) -> bool:
    """Two clauses of one sentence telling one incident (e.g. a battle and its shelling)."""
    k1 = {_trigger_kind(t) for t in g1} - DEPENDENT
    k2 = {_trigger_kind(t) for t in g2} - DEPENDENT
    p1, p2 = _primary_kind(k1) if k1 else None, _primary_kind(k2) if k2 else None
    if p1 is None or p2 is None or p1 == p2:
        return True
    fight = {"battle", "territory"}
    if p1 in fight and p2 in fight | {"shell", "air", "attack", "abduct"}:
        return True
    if p2 in fight and p1 in {"shell", "attack"}:
        return True
    bomb = {"suicide", "ied", "ied_specific", "attack"}
    if p1 in bomb and p2 in bomb:
        return True
    if p1 == "attack" or p2 == "attack":
        return True
    if {p1, p2} <= PROTEST_KINDS | {"arrest"}:
        return True
    return False


def _clause_places(ctx: _Ctx, g: list[Span], breaks: list[int], si: int) -> set:
    lo = max([x for x in breaks if x <= min(t.data["n0"] for t in g)], default=-1)
    hi = min([x for x in breaks if x >= max(t.data["n1"] for t in g)], default=1 << 30)
    return {p.data.get("location") or p.label for p in ctx.usable_places(si)
            if p.data.get("feature") != "country" and lo <= ctx.nstart(p) < hi}


def _elsewhere(ctx: _Ctx, g1: list[Span], g2: list[Span], breaks: list[int], si: int) -> bool:
    """"تظاهر المئات في البصرة ... كما شهدت كربلاء تظاهرة": two clauses, each stating an incident
    of its own in a place of its own, are two events."""
    if not any(_strength(t) >= 2 for t in g1) or not any(_strength(t) >= 2 for t in g2):
        return False
    p1, p2 = _clause_places(ctx, g1, breaks, si), _clause_places(ctx, g2, breaks, si)
    return bool(p1) and bool(p2) and not (p1 & p2)


def _between_pair(doc: Doc, ctx: _Ctx, actors: list[Span]):
    """"اشتباكات بين X و Y": the two sides."""
    for i, x in enumerate(actors):
        s = ctx.nstart(x)
        if _BETWEEN.search(doc.norm[max(0, s - 8):s]):
            for y in actors[i + 1:]:
                if _actor_out(y, None)[0] != _actor_out(x, None)[0]:
                    return x, y
    return None


def _is_victim(sp: Span) -> bool:
    """Civilians, and protesters outside a protest, are acted upon, not acting."""
    return sp.data.get("inter") in (6, 7) or sp.data.get("kind") in ("civilians", "protesters")


def _assign_actors(doc: Doc, ctx: _Ctx, g: list[Span], actors: list[Span], kind: str, clause_of,
                   own_region: tuple[int, int], country: str | None = None):
    """(actor1 span, actor2 span) for the incident whose triggers are g."""
    if not actors:
        return None, None

    lo, hi = own_region
    # only actors in this incident's stretch of the sentence
    act = [x for x in actors if lo <= ctx.nstart(x) < hi] or []
    if not act:
        return None, None
    names = {id(x): _actor_out(x, country)[0] for x in act}
    norm = doc.norm
    first = min(t.data["n0"] for t in g)
    if kind in ("battle", "territory"):
        pair = _between_pair(doc, ctx, act)
        if pair:
            return pair
    agent = victim = None
    blamed = next((x for x in act if x.data.get("blamed")), None)
    kt = [t for t in g if t.data["kind"] in ("kill", "wound")]
    died = None
    if kt:
        # "مقتل 7 من ميليشيات الحوثي"، "قتل 13 جنديا": who died, not who killed. Inside another
        # kind of incident ("قتلت قوات النظام 5 مدنيين في قصف") a verb right before the actor has
        # it as its subject: only a noun (مقتل، مصرع) or a count in between makes it the dead.
        for x in act:
            xs0 = ctx.nstart(x)
            s0 = ctx.ntok(xs0)
            for t in kt:
                if not 0 <= s0 - ctx.ntok(t.data["n1"]) <= 4:
                    continue
                between = norm[t.data["n1"]:xs0]
                if kind not in ("kill", "wound") and t.data.get("pos") != "n" and not _NUMBER.search(between):
                    continue
                if _CAUSE.search(between):
                    continue   # "مقتل 5 في غارة للطيران"، "جراء قصف قوات النظام": the cause, not the dead
                if not _AGENT_BEFORE.search(norm[max(0, xs0 - 14):xs0]):
                    victim = died = x
                    break
            if victim is not None:
                break
    loser = None
    if kind == "territory":
        # "طرد الحوثيين من"، "استعادت المدينة من داعش"، "من قبضة التنظيم": the side that lost it
        for x in act:
            s0 = ctx.nstart(x)
            if _LOSER_BEFORE.search(norm[max(0, s0 - 16):s0]):
                victim = loser = x
                break
    if blamed is not None and blamed is not victim:
        agent = blamed
    # passive agent: "من قبل X" / "على يد X"
    for x in (y for y in act if y is not victim and agent is None):
        s = ctx.nstart(x)
        if _AGENT_BEFORE.search(norm[max(0, s - 14):s]):
            agent = x
            break
    # the attacked: subject of تعرض / object of استهدف
    for x in (act if victim is None else []):
        s = ctx.nstart(x)
        e = ctx.nend(x)
        if _VICTIM_VERB.search(norm[max(0, s - 12):s]) or re.match(r"\s*(?:تعرض|يتعرض|تتعرض)", norm[e:e + 8]):
            if x is not agent:
                victim = x
                break
    if agent is None:
        before = [x for x in act if ctx.nend(x) <= first and x is not victim and not _is_victim(x)]
        after = [x for x in act if ctx.nstart(x) >= first and x is not victim and not _is_victim(x)
                 and not _targeted(norm, ctx.nstart(x))]
        if after and ctx.ntok(ctx.nstart(after[0])) - ctx.ntok(first) <= 3:
            agent = after[0]          # VSO: قصفت قوات النظام
        elif before:
            agent = before[-1]        # SVO: القوات قصفت
        elif after:
            agent = after[0]
    if victim is not None and agent is not None and _same_side(names[id(victim)], names[id(agent)]):
        if died is victim and ctx.nstart(agent) > ctx.nstart(victim):
            agent = None    # "قتل 13 جنديا وشرطيا": both among the dead, neither the attacker
        else:
            victim = None
    if victim is None:
        vics = [x for x in act if _is_victim(x) and x is not agent]
        if vics:
            victim = vics[0]
        else:
            # the other side: not the agent, not one of its allies
            rest = [x for x in act if x is not agent
                    and (agent is None or not _same_side(names[id(x)], names[id(agent)]))]
            rest.sort(key=lambda x: not _targeted(norm, ctx.nstart(x)))   # the one aimed at first
            if rest:
                victim = rest[0]
    if agent is None and victim is not None and not _is_victim(victim) and kind in ("battle", "territory") \
            and victim is not loser:
        agent, victim = victim, None
    if agent is not None and _is_victim(agent) and victim is not None and not _is_victim(victim):
        agent, victim = victim, agent
    return agent, victim


_CAUSE = re.compile(r"(?<!\w)(?:جراء|بسبب|اثر|نتيجه|بفعل|في|خلال|عقب|برصاص|بنيران|بقصف|بغاره|بغارات)(?!\w)")
# What an attack is aimed at: "مواقع للحوثيين"، "على داعش"، "عربات تابعة للحوثي"
_TARGET_BEFORE = re.compile(r"(?:(?:^|\s)[وف]?(?:علي|ضد|الي|باتجاه|نحو)\s+|(?:^|\s)[وب]?(?:ال)?(?:مواقع|موقع|تجمع|تجمعات|"
                            r"عربات|عربه|اليات|اليه|اهداف|تمركزات|تمركز|معاقل|مقرات|مقر|مخازن|معسكر|معسكرات|ثكنات|"
                            r"ثكنه|دوريه|دوريات|حاجز|نقطه|اطقم|طقم)\s+(?:تابعه\s+|تابع\s+)?)$")


def _targeted(norm: str, s: int) -> bool:
    """An actor named as the target: after "على/ضد", after a position word ("مواقع ..."), or with
    the preposition ل fused to it (للحوثيين)."""
    w0 = norm.rfind(" ", 0, s) + 1
    if norm[w0:s].lstrip("وف") in ("ل", "لل"):
        return True
    return bool(_TARGET_BEFORE.search(norm, max(0, w0 - 24), w0))


# Sides that fight together: a pair of them is never actor1 vs actor2.
_ALLIED = {
    "Popular Resistance (Yemen)": "state:Yemen", "Saudi-led Coalition": "state:Yemen",
    "Popular Mobilization Forces": "state:Iraq", "Forces loyal to Ali Abdullah Saleh": "Ansar Allah (Houthis)",
}


def _side(name: str | None) -> str:
    if not name:
        return ""
    for head in ("Military Forces of ", "Police Forces of ", "Government of "):
        if name.startswith(head):
            return "state:" + name[len(head):]
    return _ALLIED.get(name, name)


def _same_side(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and _side(a) == _side(b)


def _place_of(doc: Doc, ctx: _Ctx, si: int, start: int, end: int, nfirst: int,
              region: tuple[int, int] | None = None):
    # several incidents in one sentence: each takes a place from its own stretch when it has one
    own = [p for p in ctx.usable_places(si) if p.data.get("feature") != "country"
           and region is not None and region[0] <= ctx.nstart(p) < region[1]]
    if not own:
        try:
            p = ctx.event_place(si, start, end)
            if p is not None and id(p) in ctx.in_actor:
                raise LookupError("a place inside an actor's name")   # choose below without it
            # a resolved place the geoparser itself scores low is mostly a common word
            # (المصدر، البلاد): try the other places first
            if p is not None and not (p.data.get("resolved") and p.data.get("score") is not None
                                      and float(p.data["score"]) < MIN_PLACE_SCORE):
                # "بدأت الغارات ... في سوريا، بعد تفجير استهدف مدينة سوروج": an incident whose own
                # stretch names only a country is not placed in the town of the other incident
                mine = [c for c in ctx.usable_places(si) if c.data.get("feature") == "country"
                        and region is not None and region[0] <= ctx.nstart(c) < region[1]]
                if mine and not (region[0] <= ctx.nstart(p) < region[1]):
                    return mine[0]
                return p
        except Exception:  # noqa: BLE001 - a geoparser bug must not lose the event
            pass
    cands = [p for p in ctx.usable_places(si) if id(p) not in ctx.in_actor]
    if region is not None:  # places in the incident's own stretch of the sentence first
        own = [p for p in cands if region[0] <= ctx.nstart(p) < region[1]]
        cands = own or cands
    if cands:
        admins = Counter(p.data.get("admin1_code") for p in cands if p.data.get("admin1_code"))

        def score(p: Span) -> float:
            d = p.data
            sc = float(d.get("score") or 0) / 10 + _specificity(p) * 0.4
            if ctx.country and d.get("country_code") != ctx.country:
                sc -= 3.0               # a namesake abroad, most likely
            if d.get("admin1_code") and admins[d["admin1_code"]] > 1:
                sc += 1.0               # agrees with another place of the sentence
            sc -= abs(ctx.ntok(ctx.nstart(p)) - ctx.ntok(nfirst)) * 0.05
            return sc

        best = max(cands, key=score)
        if not (ctx.country and best.data.get("country_code") != ctx.country and ctx.passage_place is not None):
            return best
    if ctx.passage_place or ctx.doc_place:
        return ctx.passage_place or ctx.doc_place
    # nothing better: a place the geoparser resolved with less confidence (a city far from the
    # Arab world, "العاصمة الكينية نيروبي") still tells where it happened
    weak = [p for p in ctx.sl("places", si) if id(p) not in ctx.in_actor and p.data.get("resolved", True)
            and p.data.get("latitude") is not None and float(p.data.get("score") or 0) >= MIN_FALLBACK_SCORE]
    return max(weak, key=lambda p: float(p.data.get("score") or 0)) if weak else None


def _specificity(p: Span) -> int:
    return {"quarter": 5, "village": 4, "city": 3, "district": 3, "admin2": 2, "admin1": 1,
            "country": 0}.get(p.data.get("feature", ""), 2)


def _build_event(doc: Doc, ctx: _Ctx, si: int, a: int, b: int, g: list[Span], groups, gi,
                 actors, weapons, killed, casualties, dates, places, passage_date, clause_of,
                 breaks: list[int] = ()) -> Incident | None:
    kinds = {_trigger_kind(t) for t in g}
    # this incident's stretch of the sentence: up to the next group's first trigger
    starts = [min(t.data["n0"] for t in gg) for gg in groups]

    def cut(k: int) -> int:
        """Where group k's stretch starts: the last clause break between the two groups."""
        prev_end = max(t.data["n1"] for t in groups[k - 1])
        brk = [x for x in breaks if prev_end <= x <= starts[k]]
        return brk[-1] if brk else prev_end

    lo = a if gi == 0 else cut(gi)
    hi = b if gi == len(groups) - 1 else cut(gi + 1)
    my_weapons = [w for w in weapons if lo <= ctx.nstart(w) < hi] or (weapons if len(groups) == 1 else [])
    core = kinds - DEPENDENT
    camp = [t for t in g if t.data["pattern"] in CAMPAIGN_WORDS]
    if camp and len(core) > 1:
        # "ضمن معركة تحرير سهل الغاب"، "عملية عسكرية": a campaign and its name yield to the act the
        # clause states
        ends = {ctx.ntok(t.data["n1"]) for t in camp}
        named = camp + [t for t in g if ctx.ntok(t.data["n0"]) in ends]
        only_named = {_trigger_kind(t) for t in named} - {_trigger_kind(t) for t in g if t not in named}
        if core - only_named:
            core = core - only_named
    if not core and "kill" not in kinds:
        # wounded only: an incident only if someone did it or something was used
        if not my_weapons and not any(lo <= ctx.nstart(x) < hi and not _is_victim(x) for x in actors):
            return None
    kind = _primary_kind(core) if core else "kill"
    # generic attack words take their sub-type from weapons
    wkinds = [k for k in (_weapon_kind(w.label) for w in my_weapons) if k]
    if kind in ("attack", "kill", "wound", "ied", "shell") and wkinds:
        for k in ("suicide", "chemical", "grenade", "air", "ied_specific", "shell"):
            if k in wkinds and (kind != "shell" or k == "air"):
                kind = k
                break
    first = min(t.data["n0"] for t in g)
    last = max(t.data["n1"] for t in g)
    # evidence for the event: the clause(s) of its triggers
    i = bisect.bisect_right(breaks, first) - 1      # the break opening the first trigger's clause
    c_lo = max(lo, a, breaks[i] if i >= 0 else a)
    j = bisect.bisect_left(breaks, last)             # the break closing the last trigger's clause
    c_hi = min(hi, b, breaks[j] if j < len(breaks) else b)
    if c_hi <= c_lo:
        c_lo, c_hi = first, last
    c_lo, c_hi = _trim(doc.norm, c_lo, c_hi)
    ev_span = doc.span(c_lo, c_hi, "", si)
    place = _place_of(doc, ctx, si, ev_span.start, ev_span.end, first, (lo, hi) if len(groups) > 1 else None)
    guess = (place.data.get("country_code") if place is not None else None) or ctx.country
    agent, victim = _assign_actors(doc, ctx, g, actors, kind, clause_of, (lo, hi), guess)
    if agent is None and gi == 0 and ctx.prev_agent is not None and _opens_with_verb(doc, ctx, a, g):
        # "وشنت غارة على مواقع للحوثيين": a verb with no subject goes on with the previous
        # sentence's actor
        agent = ctx.prev_agent
        if victim is not None and _same_side(_actor_out(victim, guess)[0], _actor_out(agent, guess)[0]):
            victim = None
    armed = [x for x in (agent, victim) if x is not None and not _is_victim(x)
             and x.data.get("inter") not in (6, 7)]
    if kind in ("kill", "wound", "attack", "vac") and my_dates_prec(dates, lo, hi, ctx) == 3:
        return None  # "killed during July", "attacks in July": a monthly toll, not an incident
    if kind == "transfer" and not any(x is not None and not _is_victim(x) and not x.label.startswith("Government")
                                      for x in (agent, victim)):
        return None  # ground changes hands between armed sides: "دخلت قوافل المساعدات" is no transfer
    if kind in ("attack", "kill", "wound", "vac") and len(armed) == 2:
        kind = "battle"
    elif kind in ("kill", "wound", "attack") and agent is None and victim is not None \
            and victim.data.get("inter") in (1, 2, 3, 8):
        kind = "battle"  # fighters killed or attacked with no attacker named: they fell fighting
    et, st, pt = TYPE_OF[kind]
    ev_span.label = et
    if kind == "territory" and agent is not None:
        inter = agent.data.get("inter")
        st = ("Government regains territory" if inter == 1 or any(k in agent.label for k in PRO_GOVERNMENT)
              else "Non-state actor overtakes territory")
    elif kind == "territory" and victim is not None and victim.data.get("inter") == 1:
        st = "Non-state actor overtakes territory"   # the state lost it
    elif kind == "territory":
        st = next((t.data["sub_event_type"] for t in g if t.data["kind"] == "territory"), st)
    if kind == "protest" and killed and agent is not None and agent.data.get("inter") == 1:
        st = "Excessive force against protesters"

    evidence = [ev_span.to_evidence("event")]
    # date
    date_val, prec, date_span = None, None, None
    # a day in the stretch of another incident of the sentence dates that one, not this one
    my_dates = [d for d in dates if lo <= ctx.nstart(d) < hi] or (dates if len(groups) == 1 else [])
    norm_text = doc.norm
    if my_dates:
        # the days said in the incident's own clauses; an incident spread over several named days
        # is coded on its last day (CODING.md). A day in another clause of the sentence ("... ونقل
        # إلى الرياض مساء اليوم") dates something else: only the nearest one stands in for none.
        # "قال الجيش أمس الاثنين إن التحالف نفذ يوم السبت 18 غارة": the day of the saying, before
        # "إن", dates the statement; the day told with the incident dates the incident
        said = [d for d in my_dates if ctx.nstart(d) < first and _SAID_DAY.search(norm_text, ctx.nend(d), first)
                and any(c.data["cue"] == "attribution" and c.data["n1"] <= ctx.nstart(d)
                        for c in ctx.sl("cues", si))]
        if said and len(said) < len(my_dates):
            my_dates = [d for d in my_dates if d not in said]
        in_clause = [d for d in my_dates if c_lo <= ctx.nstart(d) < c_hi]
        if in_clause:
            d = max(in_clause, key=lambda d: (d.data["date"], -abs(ctx.nstart(d) - first)))
        else:
            d = min(my_dates, key=lambda d: abs(ctx.nstart(d) - first))
        date_val, prec, date_span = d.data["date"], d.data.get("precision", 1), d
    elif passage_date is not None:
        date_val, prec, date_span = passage_date
    elif doc.published:
        date_val, prec = doc.published, 1
    if isinstance(date_val, Date):
        date_str = date_val.isoformat()
    elif isinstance(date_val, str) and date_val:
        date_str = date_val[:10]
    else:
        date_str, prec = None, None
    if date_span is not None:
        evidence.append(date_span.to_evidence("date"))

    # fatalities: killed only, from this incident's stretch
    my_killed = [k for k in killed if lo <= ctx.nstart(k) < hi] or (killed if len(groups) == 1 else [])
    fat, fat_spans = _fatalities(my_killed, casualties, kinds)
    for k in fat_spans:
        evidence.append(k.to_evidence("fatalities"))

    country = (place.data.get("country_code") if place is not None else None) or _actor_country(agent, victim) \
        or ctx.country
    a1, i1 = _actor_out(agent, country)
    a2, i2 = _actor_out(victim, country)
    if et in ("Protests", "Riots"):
        # the protesters (named by the protest word itself when no actor says who they are);
        # the state is the other side only when it intervened
        crowd = next((x for x in (agent, victim) if x is not None and x.data.get("inter") in (5, 6)), None)
        state = next((x for x in (agent, victim) if x is not None and x.data.get("inter") == 1), None)
        if crowd is not None:
            a1, i1 = _actor_out(crowd, country)
        else:
            a1 = ("Protesters (%s)" if et == "Protests" else "Rioters (%s)") % (country_name(country) or "Unknown")
            a1 = a1.replace(" (Unknown)", "")
            i1 = 6 if et == "Protests" else 5
            word = next((t for t in g if t.data["kind"] in PROTEST_KINDS), g[0])
            evidence.append(word.to_evidence("actor1"))   # "تظاهر": the protest word names them
        if state is not None and st != "Peaceful protest":
            a2, i2 = _actor_out(state, country)
        else:
            a2, i2 = None, None
        agent, victim = crowd, (state if a2 else None)
    if a2 is not None and et not in ("Protests", "Riots") and victim is not None \
            and victim.data.get("kind") == "protesters":
        # students, demonstrators attacked or abducted outside a protest are civilians (inter 7)
        a2, i2 = ("Civilians (%s)" % country_name(country)).replace(" ()", ""), 7
    if agent is not None:
        evidence.append(agent.to_evidence("actor1"))
    if victim is not None:
        evidence.append(victim.to_evidence("actor2"))
    wnames: list[str] = []
    for w in my_weapons:
        if w.label and w.label not in wnames:
            wnames.append(w.label)
        evidence.append(w.to_evidence("weapon"))
    srcs = []
    for s in ctx.sl("sources", si):
        if s.label and s.label not in srcs:
            srcs.append(s.label)
        evidence.append(s.to_evidence("source"))
    loc = {}
    if place is not None:
        pd = place.data
        loc = {"country_code": pd.get("country_code"), "admin1_code": pd.get("admin1_code"),
               "location": pd.get("location") or place.label, "location_ar": pd.get("location_ar") or place.text,
               "latitude": pd.get("latitude"), "longitude": pd.get("longitude"),
               "geo_precision": pd.get("geo_precision")}
        evidence.append(place.to_evidence("location"))
    elif country:
        # no place resolved: the event stays, placed at its country (CODING.md: geo_precision 3)
        loc = {"location": country_name(country), "geo_precision": 3}
    ev = Incident({
        "event_type": et, "sub_event_type": st, "plover_type": pt,
        "event_date": date_str, "time_precision": prec,
        "country_code": loc.get("country_code") or country or None,
        "admin1_code": loc.get("admin1_code"), "location": loc.get("location"),
        "location_ar": loc.get("location_ar"), "latitude": loc.get("latitude"),
        "longitude": loc.get("longitude"), "geo_precision": loc.get("geo_precision"),
        "actor1": a1, "inter1": i1, "actor2": a2, "inter2": i2,
        "fatalities": fat, "weapons": wnames, "sources": srcs, "notes": "",
        "evidence": evidence, "confidence": 0.0},
        # for the document step
        sent=si, kind=kind, agent=agent, victim=victim, strength=max(_strength(t) for t in g),
        kinds=sorted(kinds),
        triggers=[t.text for t in g], place_resolved=bool(place is not None and place.data.get("resolved", True)
                                                          and place.data.get("latitude") is not None),
        # a day said in this sentence (a date inherited from the passage does not keep mentions apart)
        has_date_cue=date_span is not None and date_span.sent == si,
        # where the date comes from: 2 a day said in the sentence, 1 the passage, 0 publication
        date_src=0 if date_span is None else (2 if date_span.sent == si else 1),
        # "الاشتباكات التي اندلعت ... أول من أمس": the day the fighting began, not its last day
        began=et == "Battles" and date_span is not None and date_span.sent == si
        and bool(_BEGAN.search(doc.norm, max(a, ctx.nstart(date_span) - 60), ctx.nstart(date_span))),
        fat_known=bool(fat_spans), fat_spans=fat_spans, killed=killed,
        fat_approx=any(k.data.get("approx") or not isinstance(k.data.get("count"), int) for k in fat_spans),
        place_in_sentence=place is not None and place.sent == si,
        place_span=place, first=first, region=(lo, hi),
        # one of several incidents of the sentence, placed in its own stretch of it
        clause_place=len(groups) > 1 and place is not None and place.sent == si
        and lo <= ctx.nstart(place) < hi,
        explicit_agent=agent is not None and (bool(_AGENT_BEFORE.search(
            doc.norm[max(0, ctx.nstart(agent) - 14):ctx.nstart(agent)]))
            # "اشتباكات بين المقاومة والحوثيين": the two sides of the fight are named
            or (et == "Battles" and victim is not None
                and bool(_BETWEEN.search(doc.norm[max(0, ctx.nstart(agent) - 8):ctx.nstart(agent)])))))
    return ev


# the sub-type an incident takes when the learned typing moves it to another event type: from its
# words when one names that type, else the type's plainest sub-type
_DEFAULT_SUB = {"Battles": "Armed clash", "Explosions/Remote violence": "Shelling/artillery/missile attack",
                "Violence against civilians": "Attack", "Protests": "Peaceful protest", "Riots": "Violent demonstration"}


def retype(ev: Incident, event_type: str | None) -> None:
    """Give the incident event type `event_type` (the learned typing's choice), with a sub-type
    from its trigger kinds or weapons."""
    if not event_type or event_type == ev["event_type"] or event_type not in _DEFAULT_SUB:
        return
    kinds = list(ev.kinds or ()) + [k for k in (_weapon_kind(w) for w in ev.get("weapons") or ()) if k]
    kind = next((k for k in PRECEDENCE + sorted(PROTEST_KINDS) if k in kinds and TYPE_OF[k][0] == event_type
                 and k not in DEPENDENT), None)
    if kind is not None:
        et, st, pt = TYPE_OF[kind]
    else:
        et, st = event_type, _DEFAULT_SUB[event_type]
        pt = "PROTEST" if et in ("Protests", "Riots") else "ASSAULT"
    ev.fields.update(event_type=et, sub_event_type=st, plover_type=pt)


def _opens_with_verb(doc: Doc, ctx: _Ctx, a: int, g: list[Span]) -> bool:
    """The sentence opens with "و"/"كما" and a verb that is (or comes right before) the trigger."""
    i = ctx.ntok(a)
    toks = doc.tokens
    if i >= len(toks):
        return False
    j = i + 1 if toks[i].norm in ("كما", "ثم") else i
    if j >= len(toks):
        return False
    w = toks[j].norm
    first = min(t.data["n0"] for t in g)
    verb_trigger = any(t.data["n0"] <= toks[j].start < t.data["n1"] and is_verb(doc, t) for t in g)
    occurred = (w in _OCCURRED or (w[:1] in "وف" and w[1:] in _OCCURRED)) and ctx.ntok(first) - j <= 2
    return (w[:1] == "و" or j > i) and (verb_trigger or occurred)


def my_dates_prec(dates: list[Span], lo: int, hi: int, ctx: _Ctx) -> int | None:
    mine = [d for d in dates if lo <= ctx.nstart(d) < hi] or dates
    return min((d.data.get("precision") or 1 for d in mine), default=None)


def _trim(norm: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and (norm[lo].isspace() or norm[lo] in ',:;"()-'):
        lo += 1
    while hi > lo and (norm[hi - 1].isspace() or norm[hi - 1] in ',:;"()-.'):
        hi -= 1
    return lo, hi


def _fatalities(killed: list[Span], casualties: list[Span], kinds: set[str]):
    """Killed in this incident: the sum of distinct killed counts (lowest of a range is the numbers
    layer's job); 10 for "several" with no number; 0 when nobody is reported killed; None when
    killed and wounded are only given together."""
    if not killed:
        if any(c.data.get("combined") for c in casualties):
            return None, []
        return 0, []
    counts = [k for k in killed if isinstance(k.data.get("count"), int)]
    if any(k.data.get("combined") for k in killed) and not counts:
        return None, killed
    if counts:
        seen = set()
        total = 0
        for k in counts:
            key = (k.start, k.end)
            if key in seen:
                continue
            seen.add(key)
            total += k.data["count"]
        return total, counts
    return 10, killed


def _actor_country(*spans) -> str | None:
    for s in spans:
        if s is not None and s.data.get("country"):
            return s.data["country"]
    return None


from ..actors import resolve_actor as _resolve_actor  # {country} placeholders, overrides, inter abroad


def _actor_out(sp: Span | None, country: str | None):
    """The final (name, inter) of an actors span in an event in `country`."""
    if sp is None:
        return None, None
    d = sp.data
    return _actor_name(sp.label, d.get("inter"), d.get("inter_abroad"), d.get("country"), d.get("by_country"),
                       d.get("kind"), country)


@lru_cache(maxsize=4096)
def _actor_name(label, inter, inter_abroad, home, by_country, kind, country):
    # memoised: the same few actors come back in every sentence of every report
    data = {"inter": inter, "inter_abroad": inter_abroad, "country": home, "by_country": by_country or ""}
    if _resolve_actor is not None:
        try:
            return _resolve_actor(label, data, country)
        except Exception:  # noqa: BLE001
            pass
    name = label
    cname = country_name(country or home)
    if "(Country)" in name or "{country}" in name:
        name = name.replace("(Country)", f"({cname})" if cname else "").replace("{country}", cname).strip()
    elif not name.endswith(")") and kind in ("civilians", "protesters", "rioters", "unidentified") and cname:
        name = f"{name} ({cname})"
    # external forces: inter 8 outside their own country (CODING.md table)
    if inter == 1 and home and country and home != country and kind == "state":
        inter = 8
    return name, inter


MIN_PLACE_SCORE = 7.0  # the geoparser's score below which a place is mostly a common word
MIN_FALLBACK_SCORE = 5.0  # ... and below which not even an event with no other place takes it


def _usable_place(p: Span) -> bool:
    d = p.data
    if not d.get("resolved", True) or d.get("latitude") is None:
        return False
    return d.get("score") is None or float(d["score"]) >= MIN_PLACE_SCORE



def most_frequent_place(doc: Doc, skip: set[int] = frozenset()) -> Span | None:
    """The document's most frequent resolved place (fallback for events with no place); `skip`
    holds the ids of place spans that name a speaker or an actor, not a scene."""
    places = [p for p in doc.layer("places") if _usable_place(p) and id(p) not in skip]
    if not places:
        return None
    c = Counter(p.label for p in places)
    top = c.most_common(1)[0][0]
    return next(p for p in places if p.label == top)
