"""Find place mentions in a Doc and resolve them with the document's context.

1. Mentions: one Aho-Corasick pass over the normalised text (hashtag underscores read as
   spaces) finds every gazetteer name at word boundaries; the clitics written before it must
   fit the name (بالقاهرة, وبحمص, للكويت); overlapping hits keep the longest. Names that are
   also common words count only as hashtags or after a cue word. A cue word (بلدة، قرية، حي،
   مخيم، ناحية ...) before a word the gazetteer does not know still makes a mention, unresolved.
2. Resolution: each candidate gets a prior (kind of place, population, Arab world), a bonus
   when the cue word fits its kind (محافظة -> governorate, حي -> quarter), and context from the
   other mentions: the countries and governorates the report names (the dateline counts
   triple), the city a quarter belongs to (الخالدية with حمص is the Homs quarter), and
   closeness to the other places. Two rounds: the first picks without context, the second
   re-scores with the context of the first round's picks.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .gazetteer import Gazetteer, Place, load, prior
from .names import GENERIC_FEATURE, UNKNOWN_CUES, proclitic_ok, transliterate
from ..text import strip_proclitics

MAX_CANDIDATES = 40
DIRECTIONS = {"شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "وسط", "اطراف", "محيط",
              "ضواحي", "قرب", "بالقرب", "مشارف", "غرب", "جنوب غرب", "شمال شرق"}
# Kind of place a cue word asks for -> features that fit it.
CUE_FITS = {
    "admin1": {"admin1"}, "admin2": {"admin2", "city"}, "area": {"admin2", "city", "area", "quarter", "village", "admin1", "region"},
    "city": {"city", "admin2"}, "village": {"village", "city"}, "quarter": {"quarter", "village", "city"},
    "camp": {"camp", "village", "city"}, "countryside": {"city", "admin1", "admin2", "village", "area"},
    "country": {"country"}, "airport": {"airport", "base", "city"}, "base": {"base", "airport", "city"},
    "crossing": {"crossing", "city", "village"}, "island": {"island", "city"},
    "mountain": {"mountain", "area", "village", "city"}, "valley": {"area", "village", "city"},
}
PRECISION = {"country": 3, "admin1": 3, "admin2": 2, "area": 2, "region": 2, "mountain": 2, "valley": 2}
_LETTER = re.compile(r"\w")
_SKIP_AFTER_CUE = {"التي", "الذي", "اللتي", "هذه", "ذاتها", "نفسها", "كبيره", "صغيره", "واحده", "اخري",
                   "المحاصره", "المذكوره", "المجاوره", "القريبه", "الواقعه", "المحيطه", "المحافظه", "المدينه",
                   "البلده", "القريه", "الحي", "المخيم", "المنطقه", "الاحياء", "الريف", "الشمالي", "الجنوبي",
                   "الشرقي", "الغربي", "عسكريه", "سكنيه", "صناعيه", "زراعيه", "حدوديه", "امنه", "منكوبه"}


@dataclass
class Mention:
    start: int                  # normalised offsets of the name as reported (ال kept, و/ب/ل dropped)
    end: int
    key: str                    # the matched name core
    sent: int
    cands: list[tuple[int, float]] = field(default_factory=list)  # (place index, base score)
    cue: str = ""               # kind asked for by a cue word before it
    direction: str = ""         # شمال / جنوب ... before it
    hashtag: bool = False
    demonym: bool = False       # an adjective of a country (اللبناني): context, not an event place
    place: Place | None = None
    score: float = 0.0
    votes: dict = field(default_factory=dict)


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _prev_word(text: str, pos: int) -> tuple[str, int]:
    """The word before position pos (skipping spaces and hashtag signs), and its start."""
    j = pos
    while j > 0 and text[j - 1] in " #\"'(«":
        j -= 1
    i = j
    while i > 0 and _is_letter(text[i - 1]):
        i -= 1
    return text[i:j], i


def _bare(word: str) -> str:
    """The word without و/ف/ب/ل/ك and ال (بمحافظه -> محافظه, والمنطقه -> منطقه)."""
    for p, stem in sorted(strip_proclitics(word), key=lambda x: -len(x[0])):
        if stem in GENERIC_FEATURE or stem in DIRECTIONS:
            return stem
    return word


class Geoparser:
    def __init__(self, gaz: Gazetteer | None = None):
        self.gaz = gaz or load()
        self.auto = self.gaz.automaton()
        self.priors = [prior(p) for p in self.gaz.places]

    # ------------------------------------------------------------------ mentions
    def find(self, norm: str, sentence_of=None) -> list[Mention]:
        text = norm.replace("_", " ")
        n = len(text)
        hits = []
        for last, core in self.auto.iter(text):
            a = last - len(core) + 1
            b = last + 1
            if b < n and _is_letter(text[b]):
                continue
            w = a
            while w > 0 and _is_letter(text[w - 1]):
                w -= 1
            if a - w > 4:
                continue
            prefix = text[w:a]
            hashtag = w > 0 and (norm[w - 1] == "#" or (norm[w - 1] == "_" and "#" in norm[max(0, w - 40):w]))
            cands = []
            has_article = False
            for i, art, weak in self.gaz.index[core]:
                if not proclitic_ok(prefix, art):
                    continue
                cands.append((i, weak))
                has_article = has_article or art
            if not cands:
                continue
            start = a
            if has_article and prefix.endswith("ال"):
                start = a - 2
            hits.append((w, b, start, core, cands, hashtag))
        # longest first; drop hits overlapping a longer one
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        taken: list[tuple[int, int]] = []
        mentions: list[Mention] = []
        for w, b, start, core, cands, hashtag in hits:
            if any(w < tb and ta < b for ta, tb in taken):
                continue
            prev, pstart = _prev_word(text, w)
            cue = GENERIC_FEATURE.get(_bare(prev), "")
            cue_start = pstart + len(prev) - len(_bare(prev)) if cue else -1
            direction = ""
            if _bare(prev) in DIRECTIONS:
                direction = _bare(prev)
                prev2, p2start = _prev_word(text, pstart)
                cue = GENERIC_FEATURE.get(_bare(prev2), "")
            strong = [(i, wk) for i, wk in cands if not wk]
            if not strong and not (hashtag or cue):
                continue
            use = cands if (hashtag or cue) else strong
            taken.append((w, b))
            sent = sentence_of(start) if sentence_of else 0
            m = Mention(start, b, core, sent, cue=cue, direction=direction, hashtag=hashtag,
                        demonym=core in self.gaz.demonyms)
            if cue_start >= 0 and cue != "countryside" and "\n" not in text[cue_start:start]:
                m.start = cue_start  # "حي الخالدية", "محافظة حمص": the place as the report names it
            m.cands = sorted(((i, self.priors[i]) for i, _ in use), key=lambda c: -c[1])[:MAX_CANDIDATES]
            mentions.append(m)
        mentions += self._unknown(text, mentions, taken, sentence_of)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _unknown(self, text, mentions, taken, sentence_of) -> list[Mention]:
        """Words after a cue (بلدة، قرية، حي ...) that the gazetteer does not know."""
        out = []
        stop = self.gaz_stop()
        for m in re.finditer(r"\w+", text):
            word = m.group()
            if len(word) > 9 or not any(word.endswith(c) for c in UNKNOWN_CUES):
                continue
            cue = _bare(word)
            if cue not in UNKNOWN_CUES:
                continue
            j = m.end()
            while j < len(text) and text[j] in " \"'«#":
                j += 1
            nm = re.match(r"\w+", text[j:])
            if not nm or nm.group().isdigit():
                continue
            a, b = j, j + nm.end()
            first = nm.group()
            if first in _SKIP_AFTER_CUE or first in stop or len(first) < 3 or first in UNKNOWN_CUES:
                continue
            if cue in ("منطقه", "مدينه", "ريف", "جبل", "مطار", "قاعده", "معبر") and not first.startswith("ال"):
                continue
            if any(a < tb and ta < b for ta, tb in taken):
                continue
            # a two-word name: ابو/ام/عين/دير/تل/كفر/خربه + word, or word + ال-word
            nm2 = re.match(r" (\w+)", text[b:])
            if nm2 and (first in ("ابو", "ام", "عين", "دير", "تل", "كفر", "خربه", "بيت", "راس", "بئر", "بني", "جسر", "مزرعه")
                        or (nm2.group(1).startswith("ال") and nm2.group(1) not in _SKIP_AFTER_CUE
                            and nm2.group(1) not in stop and len(nm2.group(1)) > 4 and not first.startswith("ال"))):
                if not any(b < tb and ta < b + nm2.end() for ta, tb in taken):
                    b += nm2.end()
            feat = GENERIC_FEATURE.get(cue, "village")
            taken.append((a, b))
            out.append(Mention(a, b, text[a:b], sentence_of(a) if sentence_of else 0, cue=feat))
        return out

    _stop: set | None = None

    def gaz_stop(self) -> set:
        if Geoparser._stop is None:
            from .gazetteer import _stopwords
            Geoparser._stop = _stopwords()
        return Geoparser._stop

    # ------------------------------------------------------------------ resolution
    def resolve(self, mentions: list[Mention], orig_text: str = "", orig=None, dateline_end: int = 0) -> None:
        places = self.gaz.places
        known = [m for m in mentions if m.cands]
        for m in known:
            scored = []
            for i, base in m.cands:
                p = places[i]
                s = base
                if m.cue:
                    fits = CUE_FITS.get(m.cue, set())
                    s += 4.0 if p.feature in fits else -4.0
                elif p.feature in ("quarter", "camp", "base", "airport", "crossing"):
                    s -= 1.0
                if m.key == "عمان" and orig is not None:  # عُمان (Oman) vs عمّان (Amman)
                    a, b = orig(m.start, m.end)
                    surface = orig_text[a:b]
                    if "\u064f" in surface:
                        s += 6.0 if p.cc == "OM" else 0.0
                    elif "\u0651" in surface:
                        s += 6.0 if p.cc == "JO" else 0.0
                scored.append((i, s))
            m.cands = scored
        # round 1: no context
        for m in known:
            m.place, m.score = self._best(m, {}, {}, set(), [])
        # round 2: context of the other mentions' picks
        for _ in range(2):
            picks = []
            for m in known:
                p = m.place
                w = 3.0 if m.start < dateline_end else 0.5 if m.demonym else 1.0
                cset = {places[i].cc for i, _ in m.cands}
                if len(cset) == 1:
                    w *= 1.5
                picks.append((m, p, w))
            for m in known:
                cc_votes: dict[str, float] = {}
                a1_votes: dict[str, float] = {}
                ids: set[str] = set()
                pts = []
                for other, p, w in picks:
                    if other is m or p is None or other.key == m.key:
                        continue
                    cc_votes[p.cc] = cc_votes.get(p.cc, 0.0) + w
                    if p.admin1:
                        a1_votes[p.admin1] = a1_votes.get(p.admin1, 0.0) + w
                    ids.add(p.id)
                    if p.parent:
                        ids.add(p.parent)
                    if p.feature not in ("country", "admin1"):
                        pts.append((p.lat, p.lon))
                m.place, m.score = self._best(m, cc_votes, a1_votes, ids, pts)

    def _best(self, m: Mention, cc_votes, a1_votes, ids, pts) -> tuple[Place | None, float]:
        places = self.gaz.places
        best, best_s = None, -1e9
        for i, s in m.cands:
            p = places[i]
            if cc_votes:
                s += 3.0 * min(cc_votes.get(p.cc, 0.0), 2.0)
            if a1_votes and p.admin1:
                s += 2.0 * min(a1_votes.get(p.admin1, 0.0), 2.0)
            if p.parent and p.parent in ids:
                s += 6.0
            elif p.feature == "quarter":
                s -= 2.0
            if pts and p.feature not in ("country", "admin1") and p.lat is not None:
                d = min(_km(p.lat, p.lon, la, lo) for la, lo in pts)
                s += 2.0 if d < 30 else 1.0 if d < 100 else 0.0
            # a city shares its name with its governorate: the city, unless the cue says otherwise
            if p.feature == "admin1" and m.cue != "admin1":
                if any(places[j].feature == "city" and places[j].admin1 == p.admin1 and places[j].population > 50000
                       for j, _ in m.cands):
                    s -= 5.0
            if s > best_s:
                best, best_s = p, s
        return best, best_s


def _km(a_lat, a_lon, b_lat, b_lon) -> float:
    dlat = math.radians(b_lat - a_lat)
    dlon = math.radians(b_lon - a_lon) * math.cos(math.radians((a_lat + b_lat) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def geo_precision(m: Mention) -> int:
    p = m.place
    if p is None:
        return 0
    if p.feature in PRECISION:
        return PRECISION[p.feature]
    if m.cue == "countryside" or m.direction:
        return 2
    return 1
