"""Casualty counts: how many were killed and how many wounded, kept apart.

Works on the sentence's tokens (normalised text, so Eastern digits are already 0-9). A number is
digits (4,000 too), number words (ثلاثة، خمسة وعشرين، ثلاث مئة، أربعة آلاف), a dual noun (شرطيين،
قياديان = 2), a singular victim after a cue (مقتل طفل = 1) or a vague quantity, coded with ACLED's
conventions (عشرات = 12 "dozens", مئات = 100, آلاف = 1000, عدد من/عدة/العديد/الكثير = 10 "several").
Ranges (بين 10 و15، 10-15، 10 إلى 15) take the lowest figure.

A number becomes a casualty count when a cue links it:
  cue before:  مقتل 7، مصرع أربعة، إصابة 11، سقوط خمسة، قتل 13 جنديا، لقي 7 أشخاص مصرعهم، أودى بحياة 3
  label after: 35 قتيلا، 40 جريحا، خمسة قتلى، عشرات الشهداء
  verb after:  19 شخصا قتلوا، 54 من الحوثيين وحلفائهم قتلوا، ومئات جرحوا
Killed and wounded given as one figure (مقتل وجرح 110، 20 قتيلا وجريحا، بين قتيل وجريح، عشرات القتلى
والجرحى) give a "killed" span with count None and data together=combined=True, total=N (CODING.md:
fatalities null when killed and wounded are given only together, vague figures included), except
"several" (عدد من القتلى والجرحى): no figure, deaths certain, combined=False and the event step's 10.
Plural labels with no figure (سقوط قتلى، أوقع جرحى) give count None, vague "plural": deaths certain,
no number (ACLED: several = 10, the event step's call).

Layer "casualties": label "killed" | "wounded"; data: kind (= the label), count (int|None), approx (bool), vague (None or
"dozens"/"hundreds"/"thousands"/"several"/"plural"), number (text of the number), together, total,
victims (text after the number: مدنيين، من عناصر التنظيم), victims_span (original offsets), among
(counts after بينهم/منهم, e.g. [{"count": 2, "text": "طفلان"}]).
"""

from __future__ import annotations

import bisect
import operator
import re

from ..doc import Doc
from ..lexicon import word_lists, words
from ..text import normalize_key
from ..text.native import compiled

K, W = "killed", "wounded"


_FILE = "number_words.tsv"  # the word lists, with their sources (marsad/lang/ar/)


def _set(lst: str) -> set[str]:
    return set(words(_FILE, lst))


def _values(lst: str, column: str = "value", convert=int) -> dict:
    return {r["word"]: convert(r[column]) for r in word_lists(_FILE)[lst]}


def _kinds(lst: str) -> dict[str, str]:
    return {r["word"]: r["kind"] for r in word_lists(_FILE)[lst]}


# ---- number words ------------------------------------------------------------------------------
_UNITS: dict[str, int] = _values("unit")
_TEN = _set("ten")
_TENS: dict[str, int] = _values("tens")
_HUNDRED = _set("hundred")
_HUNDREDS: dict[str, int] = _values("hundreds")
_THOUSAND = _set("thousand")
_THOUSANDS_PL = _set("thousands_plural")
_THOUSAND_DUAL = _set("thousand_dual")
_THOUSAND_WORDS = _THOUSANDS_PL | _THOUSAND  # after digits: 4 آلاف
_NUMBER_WORDS = set(_UNITS) | _TEN | set(_TENS) | _HUNDRED | set(_HUNDREDS) | _THOUSAND | _THOUSANDS_PL | _THOUSAND_DUAL

# vague quantities (ACLED: dozens = 12, hundreds = 100, several/many = 10)
_VAGUE: dict[str, tuple[int, str]] = {r["word"]: (int(r["value"]), r["kind"]) for r in word_lists(_FILE)["vague"]}
_VAGUE_NEEDS_MIN = _set("vague_needs_min")      # عدد من / عدد كبير من
_ADAD_MOD = _set("adad_modifier")
_BAAD = words(_FILE, "baad")[0]
_THOUSANDS_ANY = _THOUSANDS_PL | _set("thousands_any")

# words that make a figure approximate: نحو 30، أكثر من 30، ما لا يقل عن 30
_APPROX = _set("approx")
_APPROX_STRONG = _set("approx_strong")

# ---- cue words ---------------------------------------------------------------------------------
_PRE: dict[str, str] = _kinds("pre")          # cue before the number
_LABEL: dict[str, str] = _kinds("label")      # label after the number
_LABEL_DUAL = _kinds("label_dual")
_POST: dict[str, str] = _kinds("post")        # verb after the number
_SINGLE_DEATH = _set("single_death")          # لقي شاب مصرعه = 1 killed

# victim nouns counted as 1 in the singular and 2 in the dual after a cue (مقتل طفل، مقتل شرطيين)
_PERSON = words(_FILE, "person")
_PERSON_SET = set(_PERSON)
# broken-plural nouns: their -ين form is a dual, not a plural (شرطيين = two policemen)
_DUAL_YN = _set("dual_yn")
_SINGULAR_FEM = _values("singular_feminine", convert=normalize_key)

_BETWEEN = words(_FILE, "between")[0]
_FALL = _set("fall")
_PLURAL_CUE = _set("plural_cue")
_LABEL_SING = _set("label_singular")
_CUE_SKIP = _set("cue_skip")
_TOLL = _set("toll")
_TOLL_TO = _set("toll_to")
_TOLL_SKIP = _set("toll_skip")
_ACTIVE_VERBS = _set("active_verbs")
_PLUS = _set("plus")
_PLUS_2 = _set("plus_second")
_KANU = _set("kanu")
_AMONG = _set("among")
_NUM_START = _NUMBER_WORDS | set(_VAGUE) | _VAGUE_NEEDS_MIN | _APPROX | {_BETWEEN}
_STOP = _set("stop")
_MIN = words(_FILE, "min")[0]
_RANGE_WORDS = _set("range_words")
_AND = "و"
_OTHERS = _set("others")

# a figure followed by one of these counts time, distance, money or things, not people
_NOT_PEOPLE = _set("not_people")
_PERCENT = _set("percent")
# before a figure: a year, a unit number, an article of law
_NOT_PEOPLE_BEFORE = _set("not_people_before")

def _strip_wa(w: str) -> tuple[str, bool]:
    if len(w) > 2 and w[0] == _AND:
        return w[1:], True
    return w, False


def _word_value(w: str) -> int | None:
    if w in _UNITS:
        return _UNITS[w]
    if w in _TENS:
        return _TENS[w]
    if w in _HUNDREDS:
        return _HUNDREDS[w]
    return None


class _Num:
    __slots__ = ("i", "j", "value", "approx", "vague", "lo_hi")

    def __init__(self, i, j, value, approx=False, vague=None, lo_hi=None):
        self.i, self.j, self.value, self.approx, self.vague, self.lo_hi = i, j, value, approx, vague, lo_hi


class _Sentence:
    """Tokens of one sentence with the helpers the rules need."""

    def __init__(self, doc: Doc, toks):
        self.doc = doc
        self.toks = toks
        self.words = [t.norm for t in toks]

    def gap(self, a: int, b: int) -> str:
        """Normalised text between token a and token b (a < b)."""
        return self.doc.norm[self.toks[a].end:self.toks[b].start]

    # -- numbers ---------------------------------------------------------------------------
    def number_at(self, i: int, allow_wa: bool = False, allow_ba: bool = False) -> _Num | None:
        """A number phrase starting at token i (digits, words, dual nouns are handled by callers)."""
        words = self.words
        if i >= len(words):
            return None
        w = words[i]
        if len(w) > 1 and w[0] in "وبل" and w[1:].isdigit():
            w = w[1:]                       # و40 is one \w+ token
        if w.isdigit():
            j = i + 1
            val = int(w)
            # 4,000 : tokens 4 and 000 separated by a comma
            while j < len(words) and words[j].isdigit() and len(words[j]) == 3 and self.gap(j - 1, j) == ",":
                val = val * 1000 + int(words[j])
                j += 1
            if j < len(words) and words[j] in _THOUSAND_WORDS:   # 4 آلاف
                val *= 1000
                j += 1
            return self._range(_Num(i, j, val))
        if allow_wa:
            w, _ = _strip_wa(w)
        if allow_ba and w[0] == "ب" and w[1:] in _NUMBER_WORDS:
            w = w[1:]
        if w in _VAGUE and not (w in _THOUSANDS_PL and i > 0 and self.words[i - 1] in _UNITS):
            val, kind = _VAGUE[w]
            j = i + 1
            # عشرات الآلاف: multiply
            if j < len(words) and words[j] in _THOUSANDS_ANY and kind == "dozens":
                val, kind, j = 12000, "dozens of thousands", j + 1
            if w == _BAAD and not (j < len(words) and words[j] == _MIN):
                return None     # بعض needs من: بعض المدنيين is not a figure
            return _Num(i, j, val, True, kind)
        if w in _VAGUE_NEEDS_MIN:
            # عدد من / عدد كبير من
            j = i + 1
            if j < len(words) and words[j] in _ADAD_MOD:
                j += 1
            if j < len(words) and words[j] == _MIN:
                return _Num(i, j, 10, True, "several")
            return None
        if w not in _NUMBER_WORDS:
            return None
        total, cur, j = 0, 0, i
        while j < len(words):
            raw = words[j]
            if j == i:
                w = w
            else:
                # continuation: و + number word (خمسة وعشرين، مئة وعشرين) or a bare ten/hundred/thousand
                # word (خمسة عشر، ثلاث مئة، أربعة آلاف)
                w, wa = _strip_wa(raw)
                if not wa:
                    w = raw
                    if w not in _TEN and w not in _HUNDRED and w not in _THOUSAND and w not in _THOUSANDS_PL:
                        break
                if self.gap(j - 1, j).strip():
                    break
            v = _word_value(w)
            if v is not None:
                cur += v
            elif w in _TEN:
                cur += 10
            elif w in _HUNDRED:
                cur = cur * 100 if 0 < cur < 10 else cur + 100
            elif w in _THOUSAND or w in _THOUSANDS_PL:
                total += (cur or 1) * 1000
                cur = 0
            elif w in _THOUSAND_DUAL:
                total += 2000
            else:
                break
            j += 1
        val = total + cur
        if j == i or val == 0:
            return None
        return self._range(_Num(i, j, val))

    def _range(self, n: _Num) -> _Num:
        """10-15، 10 إلى 15، 10 أو 15، بين 10 و15: keep the lowest."""
        words = self.words
        j = n.j
        if j < len(words):
            gap = self.gap(j - 1, j).strip()
            nxt = None
            if gap in ("-", "/") and words[j].isdigit():
                nxt = self.number_at(j)
            elif gap == "" and words[j] in _RANGE_WORDS and j + 1 < len(words):
                nxt = self.number_at(j + 1)
            elif gap == "" and words[j].startswith(_AND) and n.i > 0 and words[n.i - 1] == _BETWEEN:
                nxt = self.number_at(j, allow_wa=True)
            elif gap == "" and words[j] == _AND and n.i > 0 and words[n.i - 1] == _BETWEEN:
                nxt = self.number_at(j + 1)
            if nxt is not None and nxt.vague is None and nxt.value > n.value:
                return _Num(n.i, nxt.j, n.value, True, None, (n.value, nxt.value))
        return n

    def number_after(self, i: int, allow_wa: bool = False) -> _Num | None:
        """A number at token i, after optional approximators (نحو، أكثر من، ما لا يقل عن)."""
        words = self.words
        approx = False
        k = i
        while k < len(words) and k < i + 4 and (words[k] in _APPROX or words[k] == _BETWEEN):
            if words[k] in _APPROX_STRONG or words[k] == _BETWEEN:
                approx = True
            k += 1
        if k < len(words) and (approx or k == i or words[k - 1] == _MIN):
            n = self.number_at(k, allow_wa=allow_wa and k == i)
            if n is not None:
                if approx:
                    n.approx = True
                n.i = i if approx else n.i
                return n
        return None

    def person_at(self, i: int) -> _Num | None:
        """Dual or singular victim noun: شرطيين = 2, طفل = 1."""
        if i >= len(self.words):
            return None
        w = self.words[i]
        if w.startswith("ال"):
            w = w[2:]
        if w in _LABEL_DUAL:
            return _Num(i, i + 1, 2)
        for suf in ("ان", "ين"):
            if w.endswith(suf) and len(w) > len(suf) + 2:
                stem = w[:-len(suf)]
                for base, fem in _SINGULAR_FEM.items():
                    if stem == fem:
                        stem = base
                if stem in _PERSON_SET and (suf == "ان" or stem in _DUAL_YN):
                    return _Num(i, i + 1, 2)
        if w in _PERSON_SET or w.rstrip("ا") in _PERSON_SET:
            # the next word may be a number that says more: قياديان اثنان is handled above
            nxt = self.number_at(i + 1) if i + 1 < len(self.words) else None
            if nxt is not None and nxt.vague is None:
                return _Num(i, nxt.j, nxt.value)
            return _Num(i, i + 1, 1)
        return None


def _may_start_number(w: str) -> bool:
    """Cheap test before the number parser: a digit, a number word, a vague or approximate word."""
    return w in _NUM_START_X or w[0] in _DIGIT_CHARS or (len(w) > 1 and w[1] in _DIGIT_CHARS)


def _label_at(w: str) -> str | None:
    """A killed/wounded label right after a number: قتيلا، القتلى (no و: that starts a new count)."""
    k = _LABEL.get(w)
    if k is None and w.startswith("ال"):
        k = _LABEL.get(w[2:])
    return k


def _counts_people(s: _Sentence, n: _Num) -> bool:
    """False for 3 ساعات، 20 تموز، عام 2015، اللواء 35."""
    if n.j < len(s.words) and s.words[n.j] in _NOT_PEOPLE:
        return False
    if n.j + 1 < len(s.words) and s.words[n.j] == "في" and s.words[n.j + 1] in _PERCENT:
        return False    # 30 في المئة
    if n.i > 0 and s.words[n.i - 1] in _NOT_PEOPLE_BEFORE:
        return False
    if n.vague is None and 1900 <= n.value <= 2100 and s.words[n.i].isdigit():
        return False    # a year
    if n.j < len(s.words) and s.gap(n.j - 1, n.j).strip() in ("%", "/", ":"):
        return False
    return True


_CUE_PROCLITICS = ("و", "ف", "ب", "ل", "ال", "وال", "بال", "لل", "ول", "وب", "فال")


def _expand(table: dict[str, str]) -> dict[str, str]:
    """The table with every proclitic reading precomputed: one dict lookup per token at run time."""
    out: dict[str, str] = {}
    for w, k in table.items():
        for p in _CUE_PROCLITICS:
            if len(w) >= 3:
                out.setdefault(p + w, k)
    out.update(table)
    return out


# the cue kind of a word in each cue table, after an optional proclitic: one dict look-up
_PRE_X, _LABEL_X, _POST_X = _expand(_PRE), _expand(_LABEL), _expand(_POST)


def _is_together_next(s: _Sentence, i: int, kind: str, after_number: bool = False) -> bool:
    """The wounded word right after the killed one gives one figure for both: مقتل وجرح 110 (cue
    before the number), 20 قتيلا وجريحا / القتلى والجرحى (label after it). After a number, a wounded
    cue that has its own number is a separate count: 16 قتيلا وجرح 12."""
    if kind != K or i >= len(s.words):
        return False
    w = s.words[i]
    if not w.startswith("و"):
        return False
    rest = w[1:]
    for cand in (rest, rest[2:] if rest.startswith("ال") else ""):
        if not cand:
            continue
        if _LABEL.get(cand) == W:
            return not (after_number and s.number_after(i + 1) is not None)
        if _PRE.get(cand) == W:
            return not after_number or s.number_after(i + 1) is None and s.person_at(i + 1) is None
    return False


def _victims(s: _Sentence, j: int) -> tuple[str, tuple[int, int] | None, int]:
    """Words naming the victims after the number: مدنيين، من عناصر التنظيم. Returns text, span, end token."""
    words = s.words
    k = j
    if k < len(words) and words[k] in _OTHERS:
        return "", None, j
    if k < len(words) and words[k] == _MIN:
        k += 1
    start = k
    n = 0
    while k < len(words) and n < 3:
        w = words[k]
        if w in _STOP or w in _AMONG or w in _PLUS or _PRE_X.get(w) or _POST_X.get(w) or _LABEL_X.get(w) \
                or w in _SINGLE_DEATH or any(c.isdigit() for c in w) or w in _OTHERS:
            break
        if k > start and s.gap(k - 1, k).strip():
            break   # punctuation ends the noun phrase
        if k > start and w.startswith("و") and (_PRE_X.get(w) or _LABEL_X.get(w) or w[1:] in _NUMBER_WORDS):
            break
        k += 1
        n += 1
    while k > start and words[k - 1] in (_MIN, "و"):
        k -= 1
    if k == start:
        return "", None, j
    a, b = s.doc.orig(s.toks[start].start, s.toks[k - 1].end)
    return s.doc.text[a:b], (a, b), k


def _among(s: _Sentence, k: int) -> list[dict]:
    """بينهم طفلان / منهم ثلاثة أطفال right after the victims."""
    out = []
    words = s.words
    if k < len(words) and words[k] in _AMONG:
        n = s.number_after(k + 1) or s.person_at(k + 1)
        if n is not None:
            text, _span, _ = _victims(s, n.j)
            a, b = s.doc.orig(s.toks[k + 1].start, s.toks[n.j - 1].end)
            out.append({"count": n.value, "text": (s.doc.text[a:b] + (" " + text if text else "")).strip()})
    return out


def _emit(s: _Sentence, sent_i: int, kind: str, n: _Num | None, cue_i: int, used: set[int],
          together: bool = False, count_override: int | None = None, label_i: int | None = None) -> None:
    doc = s.doc
    toks = s.toks
    if n is not None:
        for t in range(n.i, n.j):
            used.add(t)
        a_tok, b_tok = min(cue_i, n.i), max(cue_i + 1, n.j, (label_i or 0) + 1)
        na, nb = doc.orig(toks[n.i].start, toks[n.j - 1].end)
        number_text = doc.text[na:nb]
        victims, vspan, vend = _victims(s, b_tok if cue_i < n.i or label_i is not None else n.j)
        among = _among(s, vend)
        count = n.value
        approx, vague = n.approx, n.vague
    else:
        a_tok, b_tok = cue_i, cue_i + 1
        number_text, victims, vspan, among = "", "", None, []
        count, approx, vague = count_override, False, None
    data = dict(kind=kind, count=count, approx=bool(approx), vague=vague, number=number_text, together=together,
                victims=victims, victims_span=vspan, among=among)
    if together:
        data["total"] = count
        data["count"] = None
        # "عدد من القتلى والجرحى" gives no figure: deaths certain, several (10) dead (CODING.md,
        # unattributed attacks); a figure for both (20، عشرات) leaves the toll unknown
        data["combined"] = vague != "several"
    if n is not None and n.lo_hi:
        data["range"] = n.lo_hi
    span = doc.span(toks[a_tok].start, toks[b_tok - 1].end, kind, sent_i, n0=toks[a_tok].start,
                    n1=toks[b_tok - 1].end, **data)
    doc.add("casualties", span)


def _emit_plural(s: _Sentence, sent_i: int, kind: str, cue_i: int, label_i: int, used: set[int]) -> None:
    doc, toks = s.doc, s.toks
    used.add(label_i)
    victims, vspan, _ = _victims(s, label_i + 1)
    doc.add("casualties", doc.span(toks[cue_i].start, toks[label_i].end, kind, sent_i, n0=toks[cue_i].start,
                                   n1=toks[label_i].end, kind=kind, count=None, approx=True,
                                   vague="plural", number="", together=False, combined=False,
                                   victims=victims, victims_span=vspan, among=[]))


def _additive(s: _Sentence, sent_i: int, used: set[int]) -> None:
    """After a killed count, more killed in the same clause: إضافة إلى ثلاثة من العاملين، واثنان من
    رجال المقاومة، و6 كانوا على متن عربة. Each becomes its own killed span (the event sums them)."""
    words = s.words
    end_tok = max(used) + 1 if used else 0
    k = end_tok
    limit = min(len(words), end_tok + 6)
    while k < limit:
        if k > end_tok and s.gap(k - 1, k).strip() not in ("", ","):
            return
        w = words[k]
        if w in _PLUS and k + 1 < len(words) and words[k + 1] in _PLUS_2:
            n = s.number_after(k + 2)
        elif w.startswith("و") and len(w) > 1 and (w[1:].isdigit() or w[1:] in _UNITS or w[1:] in _TENS):
            n = s.number_at(k, allow_wa=True)
        elif _PRE_X.get(w) or _LABEL_X.get(w):
            return
        else:
            k += 1
            continue
        if n is None or not _counts_people(s, n):
            return
        nxt = words[n.j] if n.j < len(words) else ""
        if _LABEL_X.get(nxt) or _POST_X.get(nxt) or (nxt.startswith("و") and _PRE_X.get(nxt)):
            return          # the number has its own label: the main loop takes it
        if not (nxt == _MIN or nxt in _OTHERS or nxt in _PERSON_SET or nxt.rstrip("ا") in _PERSON_SET
                or nxt in _KANU or _PRE_X.get(nxt) is None and nxt.endswith(("ين", "ون", "ا"))):
            return
        _emit(s, sent_i, K, n, k, used)
        s.doc.layers["casualties"][-1].data["additive"] = True
        return


def _rule_starts(doc: Doc, sent_i: int, words: list[str]) -> list[int]:
    """The tokens where a rule may start; the digit test only in a sentence with a digit."""
    a, b = doc.sentences[sent_i]
    if _DIGIT.search(doc.norm, a, b):
        return [i for i, w in enumerate(words) if w in _RULE_START or _DIGIT_FIRST_OR_SECOND(w)]
    return [i for i, w in enumerate(words) if w in _RULE_START]


def _sentence(doc: Doc, sent_i: int, toks) -> None:
    s = _Sentence(doc, toks)
    words = s.words
    n_tok = len(words)
    used: set[int] = set()
    starts = _rule_starts(doc, sent_i, words)

    for i in starts:
        if i in used:
            continue
        w = words[i]
        # 0. سقوط قتلى، أوقع جرحى: deaths (or injuries) certain, no figure
        bare = _strip_wa(w)[0]
        if bare in _PLURAL_CUE and i + 1 < n_tok and _label_at(words[i + 1]) and words[i + 1] not in _LABEL_SING \
                and i + 1 not in used:
            lab = _label_at(words[i + 1])
            tog = _is_together_next(s, i + 2, lab)
            _emit_plural(s, sent_i, lab, i, i + 1, used)
            if tog:
                _emit_plural(s, sent_i, W, i, i + 2, used)
            continue
        # 0b. a toll: حصيلة ضحايا التفجير إلى 32، عدد القتلى 40 والجرحى 100
        lab = _LABEL_X.get(w)
        if lab is not None and (w.startswith(("ال", "وال")) or (i > 0 and words[i - 1] in _TOLL)):
            n = None
            for k in range(i + 1, min(n_tok, i + 4)):
                wk = words[k]
                if s.gap(k - 1, k).strip():
                    break
                if wk.startswith("ال") and _word_value(wk[2:]):
                    n = _Num(k, k + 1, _word_value(wk[2:]))        # الجرحى الثلاثة
                    break
                if wk[0] == "ب" and wk[1:] in _NUMBER_WORDS:
                    n = s.number_at(k, allow_ba=True)               # يقدر بتسعة عشر ألفا
                    break
                if _may_start_number(wk):
                    n = s.number_after(k)
                    break
                if wk in _TOLL_TO or wk in _TOLL_SKIP:
                    continue
                if not wk.startswith("ال") or _PRE_X.get(wk) or _LABEL_X.get(wk) or _POST_X.get(wk):
                    break       # only definite modifiers may stand between: ضحايا التفجير، القتلى المدنيين
            if n is not None and n.vague is None and not any(t in used for t in range(n.i, n.j)) \
                    and _counts_people(s, n):
                used.add(i)
                _emit(s, sent_i, lab, n, i, used)
                s.doc.layers["casualties"][-1].data["toll"] = True
                continue
        # 1. cue before the number: مقتل 7، إصابة ثلاثة، قتل 13 جنديا، مقتل وجرح 110
        kind = _PRE_X.get(w)
        if kind is not None:
            together = False
            k = i + 1
            if kind == K and _is_together_next(s, k, K):
                together, k = True, k + 1
            if k < n_tok and words[k] in _SINGLE_DEATH:      # لقي مصرعه (no number): one person
                continue
            while k < n_tok and k < i + 4 and words[k] in _CUE_SKIP:
                k += 1          # حكم الإعدام، أمس، بحق عشرة
            n = s.number_after(k)
            if n is None and k < n_tok and words[k] == "ب" + "حياه":
                n = s.number_after(k + 1)
            if n is None and k + 1 < n_tok and words[k + 1].startswith("ال") and _word_value(words[k + 1][2:]):
                n = _Num(k, k + 2, _word_value(words[k + 1][2:]))       # مقتل العناصر الستة
            if n is None:
                n = s.person_at(k)
            if (n is None or n.j == k + 1) and k + 1 < n_tok and words[k] not in _NOT_PEOPLE \
                    and not s.gap(k, k + 1).strip() and _word_value(words[k + 1]) and words[k + 1] not in ("احد", "احدي"):
                # "مقتل مدنيين اثنين"، "إصابة جنود ثلاثة": the number after its noun
                n = _Num(k, k + 2, _word_value(words[k + 1]))
            if (n is None or n.value == 1) and _strip_wa(w)[0] in _ACTIVE_VERBS:
                # قتل مفجر انتحاري 42 مجندا: verb, subject, then the figure of the victims
                for kk in (k + 1, k + 2):
                    m = s.number_after(kk) if kk < n_tok and _may_start_number(words[kk]) else None
                    if m is not None and m.vague is None and m.j < n_tok and \
                            (words[m.j] in _PERSON_SET or words[m.j].rstrip("ا") in _PERSON_SET
                             or words[m.j].endswith(("ين", "ون", "يا"))) and words[m.j] not in _NOT_PEOPLE:
                        n = m       # the singular noun before it was the killer, not a victim
                        break
            if n is not None and not any(t in used for t in range(n.i, n.j)) and _counts_people(s, n):
                li = n.j + 1 if n.j + 1 < n_tok and words[n.j] == _MIN else n.j
                label_i = None
                if li < n_tok and (_label_at(words[li]) or words[li] in _LABEL_DUAL):
                    lab = _label_at(words[li]) or _LABEL_DUAL[words[li]]
                    if _is_together_next(s, li + 1, lab, after_number=True):
                        together = True
                    kind = lab if lab != kind and kind == K and w in _FALL else kind
                    used.add(li)
                    label_i = li
                _emit(s, sent_i, kind, n, i, used, together, label_i=label_i)
                if kind == K and not together:
                    _additive(s, sent_i, used)
                continue
        # 2. number then label: 35 قتيلا، عشرات القتلى والجرحى، قتيلان
        if w in _LABEL_DUAL and i not in used:
            prev_cue = i > 0 and _PRE_X.get(words[i - 1]) is not None
            if not prev_cue:
                _emit(s, sent_i, _LABEL_DUAL[w], _Num(i, i + 1, 2), i, used)
                continue
        n = s.number_after(i, allow_wa=True) if _may_start_number(w) else None
        if n is not None and not any(t in used for t in range(n.i, n.j)) and _counts_people(s, n):
            j = n.j
            # skip a nationality / victim noun between number and label: 7 أشخاص قتلى (rare)
            lab = _label_at(words[j]) if j < n_tok else None
            if lab is None and j < n_tok and words[j] == _MIN and j + 1 < n_tok:
                lab = _label_at(words[j + 1])       # عشرات من القتلى
                if lab:
                    j += 1
            if lab is not None:
                together = _is_together_next(s, j + 1, lab, after_number=True)
                if not together and j + 2 < n_tok and words[j + 1] == _BETWEEN:    # 30 بين قتيل وجريح
                    together = True
                used.add(j)
                _emit(s, sent_i, lab, n, j, used, together, label_i=j)
                if lab == K and not together:
                    _additive(s, sent_i, used)
                continue
            # 3. number, victims, then a verb: 19 شخصا قتلوا، ومئات جرحوا
            for k in range(j, min(n_tok, j + 7)):
                if k > j and (s.number_at(k) is not None or (_PRE_X.get(words[k]) and not _POST_X.get(words[k]))):
                    break
                if k > j and s.gap(k - 1, k).strip() not in ("", ","):
                    break
                vk = _POST_X.get(words[k])
                if vk is not None:
                    _emit(s, sent_i, vk, n, k, used)
                    used.add(k)
                    if vk == K:
                        _additive(s, sent_i, used)   # "تسعة ... قتلوا إضافة إلى اثنين من رجال المقاومة"
                    break
    # 4. لقي شاب مصرعه with no figure near it: one death
    for i in starts:
        w = words[i]
        if w in _SINGLE_DEATH and not any(abs(t - i) <= 4 for t in used):
            _emit(s, sent_i, K, None, i, used, count_override=1)


_NUM_START_X = _NUM_START | {"و" + w for w in _NUM_START}
_DIGIT_CHARS = frozenset("0123456789")
# any token that can anchor a casualty rule: a sentence without one is skipped
_ANY_CUE = set(_PRE_X) | set(_LABEL_X) | set(_POST_X) | set(_LABEL_DUAL) | _SINGLE_DEATH \
    | _PLURAL_CUE | {"و" + w for w in _PLURAL_CUE}
# every word a rule of _sentence's main loop can start at (a cue or a number word); a token that is
# none of them, nor has a digit first or second (_may_start_number), starts no rule and is skipped
_RULE_START = frozenset(_ANY_CUE | _NUM_START_X)
_DIGIT_FIRST_OR_SECOND = re.compile(r".?[0-9]").match
_DIGIT = re.compile(r"[0-9]")


_SENT = operator.attrgetter("sent")


def run_py(doc: Doc) -> None:
    """The step (the pure twin of _numbers.pyx's run)."""
    # the sentences with a cue word among their tokens: most sentences of a report have none,
    # and only these run the token rules
    sents = {t.sent for t in doc.tokens if t.norm in _ANY_CUE}
    if not sents:
        return
    tokens = doc.tokens
    for si in sorted(sents):
        # the sentence's tokens by bisection (tokens are in sentence order)
        lo = bisect.bisect_left(tokens, si, key=_SENT)
        _sentence(doc, si, tokens[lo:bisect.bisect_left(tokens, si + 1, lo, key=_SENT)])


# the rules compiled where built (_numbers.pyx: this module's code typed, the same spans); asked
# for when the step is made, once this module's tables exist (_numbers reads them from here)
NUMBERS_API = 1


def native_numbers():
    """The compiled module (_numbers.pyx) when built, current and wanted, else None."""
    return compiled(__package__ + "._numbers", NUMBERS_API)


def component():
    native = native_numbers()
    return run_py if native is None else native.run
