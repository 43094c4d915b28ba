"""Date expressions resolved against the publication date.

Compiled regular expressions over the normalised text, built once per process. Each match becomes a
span in layer "dates": label = ISO date or "" when it cannot be resolved (no publication date, a
month without a year ...); data:
  date       datetime.date | None
  precision  1 day, 2 week, 3 month (ACLED time_precision)
  kind       "relative" (اليوم، أمس، منذ 4 أيام), "weekday" (الأحد), "absolute" (3 آب 2015),
             "month" (تموز الماضي), "hijri" (20 شوال 1436 هـ), "range" (خلال اليومين الماضيين),
             "week" (الأسبوع الماضي), "iso" (2015-08-03), "year" (العام الماضي, date None),
             "night" (خلال الليل: the night before the report; only where nothing else dates an event)
  offset     days before published for relative cues (also without a published date)
  future     the date lies after published (a plan or an announcement, not an event date)
  valid      a date exists and is not in the future
  since      introduced by منذ ("since"): the start of something ongoing

Conventions (CODING.md): أمس and "dawn yesterday" = published - 1; a weekday = the latest such day
on or before published ("الخميس الماضي" = strictly before); الأسبوع الماضي = published - 7 (precision 2);
خلال اليومين الماضيين = published - 1 (precision 2); a month without a day = the 15th (precision 3);
a day and month without a year = the latest such date on or before published, or up to 31 days after
it (then marked future).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import partial

from ..doc import Doc
from ..lexicon import word_lists, words
from ..text import normalize_key
from ..text.firstchars import first_chars
from ..text.native import compiled, ends

_W = r"(?<![\w])"          # word start
_E = r"(?![\w])"           # word end
# a word start where the match's first character is a word character: _W, one test of the two
# characters where the lookbehind pushed a context and matched a class (each family but "hijri",
# whose day is optional before \s*: its match may open with a space, after _W)
_B = r"\b"
# (?:X|) where the families open with an optional X of more than one item: the same tries in the
# same order as (?:X)? (X first, then nothing; X is never empty), as a branch where re's repeat
# pushed a repeat context and ran its until-loop at each place its search tried
_PRO = r"(?:و|ف|ب|ل|وب|ول|فب|فل|لل|ول|)"   # proclitics before a time word, or none (as ? did: the (?:X|) below)


def _alt_list(words) -> str:
    """The words as one alternation, longest first, words of one length in sorted order: the
    pattern's text is the same in every process (a set's order changes with the hash seed), so
    its compiled code is cached (marsad/regexcache.py); two words of one length never match at
    one place, so the order among them changes no match."""
    ks = sorted(sorted({normalize_key(w) for w in words}), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(k) for k in ks) + ")"


def _trie(node: dict) -> str:
    """The words below a node of _alt's tree: one branch a next letter, a word that ends here the
    branches made optional (greedy: the longer words first)."""
    branches = [re.escape(c) + _trie(child) for c, child in sorted(node.items()) if c]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return (body if len(branches) > 1 else "(?:" + body + ")") + "?"
    return body


def _alt(words) -> str:
    """_alt_list's alternation as a tree of its words' letters: re tries each branch of an
    alternation in turn at each position (the day parts, ordinals and months are dozens of words
    each, and the families' regexes open with them), a tree one branch a letter. The same
    matches: two words can match at one place only when one is the other's prefix, and both
    try the longer first (tests/core/test_core_dates_numbers_fast_paths.py compares them)."""
    root: dict = {}
    for k in sorted({normalize_key(w) for w in words}):
        node = root
        for c in k:
            node = node.setdefault(c, {})
        node[""] = {}
    return "(?:" + _trie(root) + ")"


_FILE = "date_words.tsv"  # the word lists, with their sources (marsad/lang/ar/)


def _values(lst: str) -> dict[str, int]:
    """A list's words (normalised) and values, in file order."""
    return {r["word"]: int(r["value"]) for r in word_lists(_FILE)[lst]}


_WD = _values("weekday")
_WD_RE = _alt(_WD)
_MON = _values("month")
_MON_RE = _alt(_MON)
# month names that are also common words (آب "father", مايو) need a day, a year, شهر or a pair
_WEAK_MONTHS = set(words(_FILE, "weak_month"))
_HMON = _values("hijri_month")
_HMON_RE = _alt(_HMON)
_ORD = _values("ordinal")
_ORD_RE = _alt(_ORD)
_PART = _alt(words(_FILE, "day_part"))
_REL = _values("relative_day")
# longest first; a space in a phrase stands for any run of spaces
_REL_RE = "(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(_REL, key=len, reverse=True)) + ")"
# the night with no day named ("خلال الليل"): a weak day, used only where nothing else dates the
# incident (events/build.py)
_NIGHT = _values("night")
_NIGHT_RE = "(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(_NIGHT, key=len, reverse=True)) + ")"
_NW = _values("count_word")
_NW_RE = _alt(_NW)
# "the Nth of this / last month" (الـ20 من الشهر الحالي): value, months before the report's
_MREF = _values("month_ref")
_MREF_RE = _alt(_MREF)

_Y = r"(?:\s*(?:عام|سنه|لعام)?\s*(?P<year>(?:19|20)\d\d)\s*(?:م(?![\w]))?)"
_PAIR = r"(?:\s*(?:/|\(|-)\s*" + _MON_RE + r"\s*\)?)?"    # تموز/ يوليو، أغسطس (آب)
_DAY = r"(?P<day>[0-3]?\d)"

_MONDAY_AFTER = set(words(_FILE, "monday_after"))
_NOT_TODAY_AFTER = set(words(_FILE, "not_today_after"))
_NOT_TODAY_BEFORE = set(words(_FILE, "not_today_before"))

_RE = {
    # ISO and numeric dates: 2015-08-03, 03/08/2015, 3-8-2015
    "iso": re.compile(_B + r"(?P<y1>(?:19|20)\d\d)-(?P<m1>[01]?\d)-(?P<d1>[0-3]?\d)" + _E + "|" +
                      _B + r"(?P<d2>[0-3]?\d)[/.-](?P<m2>[01]?\d)[/.-](?P<y2>(?:19|20)\d\d)" + _E),
    # 3 آب 2015، 6 من أغسطس (آب)، الخامس من تموز، الأحد 2 أغسطس
    # (a part of the day before the weekday, "فجر الجمعة 31 يوليو", kept with the day: else the
    # weekday alone took the words and the day of the month was lost)
    "absolute": re.compile(_B + r"(?:(?:(?:" + _PART + r")\s+|)(?:يوم\s+|)(?P<wd>" + _WD_RE + r")\s*,?\s*(?:الموافق\s+|)|)(?:" + _DAY + "|(?P<ord>" +
                           _ORD_RE + r"))\s*(?:من\s+)?(?:شهر\s+)?" + _PRO + r"(?P<mon>" + _MON_RE + ")" + _PAIR + _Y + "?" + _E),
    # يوم الاثنين في الـ20 من الشهر الحالي: a day of the report's month or the one before, read only
    # with its weekday named and agreeing (_resolve); the bare form cost the coder an event (dt51)
    "monthday": re.compile(_B + r"(?:(?:" + _PART + r")\s+|)(?:يوم\s+|)(?P<wd>" + _WD_RE + r")\s*,?\s*(?:الموافق\s+|في\s+)?"
                           r"(?:(?:ال\s*)?" + _DAY + "|(?P<ord>" + _ORD_RE + r"))\s+من\s+(?:هذا\s+)?الشهر\s+(?P<rel>" +
                           _MREF_RE + ")" + _E),
    # شهر تموز، تموز الماضي، يوليو 2015، خلال تموز/يوليو
    "month": re.compile(_B + r"(?P<pre>شهر\s+|" + _PRO + r")(?P<mon>" + _MON_RE + ")" + _PAIR +
                        r"(?:\s+(?P<rel>الماضي|المنصرم|الفايت|الجاري|الحالي|المقبل|القادم))?" + _Y + "?" + _E),
    # 20 شوال 1436 هـ، 5 رمضان
    "hijri": re.compile(_W + r"(?:" + _DAY + r"|(?P<ord>" + _ORD_RE + r"))?\s*(?:من\s+)?(?P<pre>شهر\s+)?" + _PRO +
                        r"(?P<mon>" + _HMON_RE + r")(?:\s+(?P<rel>الماضي|المنصرم|الجاري|الحالي|المقبل|المبارك))?" +
                        r"(?:\s*(?P<year>1[34]\d\d))?\s*(?P<h>ه(?![\w])|هجري(?:ه|ا)?(?![\w]))?" + _E),
    # اليوم، أمس، فجر أمس، أول أمس، أمس الأحد، صباح اليوم (الاثنين)، البارحة، غدا
    "relday": re.compile(_B + r"(?:(?P<part>" + _PART + r")\s+|)" + _PRO + r"(?P<rel>" + _REL_RE + ")" + _E +
                         r"(?:\s*\(?\s*(?P<wd>" + _WD_RE + r")\s*\)?)?"),
    # خلال الليل، ليلا، منتصف الليل
    "night": re.compile(_B + _PRO + r"(?P<night>" + _NIGHT_RE + ")" + _E),
    # الأحد، يوم الخميس الماضي، مساء الجمعة
    "weekday": re.compile(_B + r"(?:(?P<part>" + _PART + r")\s+|)" + _PRO + r"(?P<wd>" + _WD_RE + r")" + _E +
                          r"(?:\s+(?P<rel>قبل\s+الماضي|الماضي|المنصرم|الفايت|المقبل|القادم))?"),
    # منذ 4 أيام، قبل يومين، قبل أسبوع، منذ ثلاثة أسابيع، قبل ساعات
    "ago": re.compile(_B + _PRO + r"(?P<pre>منذ|قبل)\s+(?:(?P<n>\d{1,3})|(?P<nw>" + _NW_RE + r"))?\s*(?P<unit>ايام|يوما|يوم|"
                      r"اسابيع|اسبوع|اشهر|شهور|شهرا|ساعات|ساعه)?" + _E),
    # خلال اليومين الماضيين، الأيام الماضية، الساعات الـ24 الماضية، الأسبوع الماضي، الشهر الماضي
    "period": re.compile(_B + _PRO + r"(?P<what>اليومين|الايام(?:\s+القليله)?|الساعات(?:\s+ال\s*24|\s+الاربع\s+والعشرين)?|"
                         r"ال\s*24\s+ساعه|الاسبوع|الاسبوعين|الشهر|الشهرين|العام|السنه|الاشهر|الشهور)\s+"
                         r"(?P<rel>قبل\s+الماضي|الماضي|الماضيه|الماضيين|المنصرم|الفايت|الاخيره|الاخير|الجاري|الحالي|المقبل|القادم)" + _E),
    "year": re.compile(_B + r"(?P<pre>منذ\s+|في\s+|خلال\s+)?(?:عام|العام|سنه)\s+(?P<year>(?:19|20)\d\d)" + _E),
}
# the day after a weekday in "ليل الأحد - الاثنين" (checked in _resolve: only the next day counts)
_NEXT_DAY = re.compile(r"\s*(?:-|/|الي|و)?\s*(?P<wd2>" + _WD_RE + r")" + _E)
# the regexes run on normalised text, so their Arabic literals are normalised too (ASCII regex syntax
# is left alone: normalize_key would lowercase (?P<...>)
for _k, _r in list(_RE.items()):
    _RE[_k] = re.compile("".join(c if c.isascii() else normalize_key(c) for c in _r.pattern))
    # each opens with a lookbehind and optional groups, so re's search tried the matcher at every
    # position of a window: the set of a match's first characters skips the others (the same matches)
    _RE[_k] = first_chars(_RE[_k])

_WEEKDAY_NEXT = re.compile(r"\s*(?:" + _WD_RE + r")" + _E)
_UNIT_DAYS = {"ايام": 1, "يوما": 1, "يوم": 1, "اسابيع": 7, "اسبوع": 7, "اشهر": 30, "شهور": 30, "شهرا": 30,
              "ساعات": 0, "ساعه": 0}
_PREC_OF_UNIT = {1: 1, 7: 2, 30: 3, 0: 1}


def _mid_month(y: int, m: int) -> date:
    return date(y, m, min(15, calendar.monthrange(y, m)[1]))


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer_year(m: int, d: int, published: date | None) -> tuple[date | None, bool]:
    """Day and month without a year: the latest on or before published; up to 31 days after = future."""
    if published is None:
        return None, False
    cand = _safe_date(published.year, m, d)
    if cand is None:
        return None, False
    if cand <= published:
        return cand, False
    if (cand - published).days <= 31:
        return cand, True
    return _safe_date(published.year - 1, m, d), False


def _weekday_before(published: date, wd: int, strict: bool = False) -> date:
    back = (published.weekday() - wd) % 7
    if strict and back == 0:
        back = 7
    return published - timedelta(days=back)


def _hijri_to_greg(y: int, m: int, d: int) -> date | None:
    try:
        from hijridate import Hijri
        return Hijri(y, m, d).to_gregorian()
    except Exception:      # out of range or invalid day: no date rather than a crash
        return None


def _greg_to_hijri_year(g: date) -> int | None:
    try:
        from hijridate import Gregorian
        return Gregorian(g.year, g.month, g.day).to_hijri().year
    except Exception:
        return None


# a run of spaces in a matched phrase as one (_SPACES(" ", words)), compiled once: re.sub looked
# the pattern up in re's cache at each call
_SPACES = re.compile(r"\s+").sub
# words _resolve compares with, normalised once (not at each match)
_SAFAR, _MONDAY = normalize_key("صفر"), normalize_key("الاثنين")
# count words that are their own unit (يومين: two days)
_COUNT_UNITS = tuple(normalize_key(w) for w in ("يومين", "أسبوع", "أسبوعين", "شهر", "شهرين", "يوم"))


class _Found:
    __slots__ = ("start", "end", "date", "precision", "kind", "data")

    def __init__(self, start, end, d, precision, kind, data):
        # data as a dict, not as keywords: a keyword that names no parameter was compared with
        # each parameter's name (the interpreter's slow path) before it went into **data
        self.start, self.end, self.date, self.precision, self.kind, self.data = start, end, d, precision, kind, data


def _resolve(name: str, m: re.Match, pub: date | None, norm: str) -> _Found | None:
    g = m.groupdict()
    a, b = m.start(), m.end()
    if name == "iso":
        if g.get("y1"):
            d = _safe_date(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        else:
            d = _safe_date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        return _Found(a, b, d, 1, "iso", {}) if d else None
    if name == "absolute":
        mon = _MON.get(_SPACES(" ", g["mon"]))
        if mon is None:
            return None
        day = int(g["day"]) if g.get("day") else _ORD.get(_SPACES(" ", g["ord"]))
        if not day or day > 31:
            return None
        if g.get("year"):
            d, fut = _safe_date(int(g["year"]), mon, day), False
        else:
            d, fut = _infer_year(mon, day, pub)
        return _Found(a, b, d, 1, "absolute", {"future": fut, "month": mon, "day": day})
    if name == "monthday":
        day = int(g["day"]) if g.get("day") else _ORD.get(_SPACES(" ", g["ord"]))
        if pub is None or not day:
            return None
        y, mo = pub.year, pub.month - _MREF[g["rel"]]
        if mo < 1:
            y, mo = y - 1, mo + 12
        d = _safe_date(y, mo, day)
        if d is None or d.weekday() != _WD[g["wd"]]:
            return None     # the weekday does not confirm the day: leave the words to the other families
        return _Found(a, b, d, 1, "absolute", {"month": mo, "day": day})
    if name == "month":
        raw = g["mon"]
        mon = _MON.get(raw)
        if mon is None:
            return None
        pre = (g.get("pre") or "").strip()
        rel = g.get("rel")
        year = int(g["year"]) if g.get("year") else None
        paired = m.group(0).count("/") or "(" in m.group(0)
        if raw in _WEAK_MONTHS and not (pre.startswith("شهر") or rel or year or paired):
            return None
        if not (pre.startswith("شهر") or rel or year or paired or pre in ("في", "خلال", "منذ", "مطلع", "نهايه")):
            # a bare month name: keep only strong names preceded by في/خلال/منذ in the text
            before = norm[max(0, a - 6):a].split()
            if not before or before[-1] not in ("في", "خلال", "منذ", "مطلع", "منتصف", "اواخر", "اوايل", "بدايه", "نهايه"):
                return None
        fut = False
        if year is None:
            if pub is None:
                return _Found(a, b, None, 3, "month", {"month": mon})
            year = pub.year
            if rel in ("المقبل", "القادم"):
                if mon <= pub.month:
                    year += 1
            elif mon > pub.month:
                year -= 1
        d = _mid_month(year, mon)
        if pub is not None and (d.year, d.month) > (pub.year, pub.month):
            fut = True
        if pub is not None and (d.year, d.month) == (pub.year, pub.month) and d > pub:
            d = pub        # this month, not yet the 15th: the month so far
        return _Found(a, b, d, 3, "month", {"future": fut, "month": mon})
    if name == "hijri":
        mon = _HMON.get(g["mon"])
        if mon is None:
            return None
        day = int(g["day"]) if g.get("day") else (_ORD.get(_SPACES(" ", g["ord"])) if g.get("ord") else None)
        year = int(g["year"]) if g.get("year") else None
        strong = bool(year or g.get("h") or g.get("pre") or g.get("rel"))
        if not day and not strong:
            return None      # a bare رمضان / رجب / صفر is as often a name or a word as a month
        if day and not strong and g["mon"] == _SAFAR:
            return None      # "5 صفر": a score or "zero"
        if year is None:
            if pub is None:
                return _Found(a, b, None, 1 if day else 3, "hijri", {"hmonth": mon})
            hy = _greg_to_hijri_year(pub) or 0
            d = _hijri_to_greg(hy, mon, day or 15)
            if d is not None and d > pub and not g.get("rel") in ("المقبل",):
                d = _hijri_to_greg(hy - 1, mon, day or 15)
        else:
            d = _hijri_to_greg(year, mon, day or 15)
        if d is None:
            return None
        return _Found(a, b, d, 1 if day else 3, "hijri", {"hmonth": mon, "future": bool(pub and d > pub)})
    if name == "relday":
        rel = _SPACES(" ", g["rel"])
        if rel == "اليوم":
            after = norm[b:b + 12].split()
            before = norm[max(0, a - 8):a].split()
            if (after and after[0] in _NOT_TODAY_AFTER) or (before and before[-1] in _NOT_TODAY_BEFORE):
                return None
            if norm[max(0, a - 3):a].endswith('"') or norm[b:b + 1] == '"':
                return None       # لـ«اليوم» is the newspaper
        off = _REL.get(rel)
        if off is None:
            return None
        d = pub + timedelta(days=off) if pub else None
        data = {"offset": off, "future": off > 0}
        if g.get("wd") and pub is not None:
            # أمس الأحد: the weekday confirms or corrects the relative day
            wd = _WD[g["wd"]]
            wd_date = _weekday_before(pub, wd)
            data["weekday_agrees"] = wd_date == d
            if off <= 0 and wd_date != d:
                # the named weekday wins: crawl dates run late and agency texts are republished
                d = wd_date
        return _Found(a, b, d, 1, "relative", data)
    if name == "night":
        off = _NIGHT[_SPACES(" ", g["night"])]
        return _Found(a, b, pub + timedelta(days=off) if pub else None, 1, "night", {"offset": off})
    if name == "weekday":
        wd = _WD[g["wd"]]
        if g["wd"] == _MONDAY and not g.get("part") and not g.get("rel"):
            # الاثنين is also "the two": accept it only after يوم/a part of day, in brackets, or
            # after a verb of occurrence or an incident noun ("الهجوم الذي وقع الاثنين")
            before = norm[max(0, a - 16):a].split()
            if not norm[max(0, a - 2):a].strip().endswith("(") and not (before and before[-1] in _MONDAY_AFTER):
                return None
        rel = g.get("rel")
        nxt = _NEXT_DAY.match(norm, b)
        if nxt and _WD[nxt.group("wd2")] == (wd + 1) % 7:
            # "ليل الأحد - الاثنين"، "ليلة السبت/الأحد": a night across two days is coded on its
            # last day (CODING.md)
            wd, b = _WD[nxt.group("wd2")], nxt.end()
        if pub is None:
            return _Found(a, b, None, 1, "weekday", {"weekday": wd})
        if rel in ("المقبل", "القادم"):
            ahead = (wd - pub.weekday()) % 7 or 7
            return _Found(a, b, pub + timedelta(days=ahead), 1, "weekday", {"weekday": wd, "future": True})
        d = _weekday_before(pub, wd, strict=bool(rel))
        if rel and rel.startswith("قبل"):
            d -= timedelta(days=7)       # الجمعة قبل الماضي: the one before last
        return _Found(a, b, d, 1, "weekday", {"weekday": wd})
    if name == "ago":
        pre = g["pre"]
        n = int(g["n"]) if g.get("n") else _NW.get(g["nw"]) if g.get("nw") else None
        unit = g.get("unit")
        if (unit == "يوم" or g.get("nw") == "يوم") and not g.get("n") and _WEEKDAY_NEXT.match(norm, b):
            return None   # "منذ يوم الجمعة": since Friday (the weekday's own expression), not "a day ago"
        if unit is None and g.get("nw") in _COUNT_UNITS:
            unit_days = 1
            n_days = n
            prec = 2 if n >= 7 and n < 30 else 3 if n >= 30 else 1
        elif unit is not None:
            if n is None:
                if unit in ("ايام",):        # قبل أيام: a few days ago
                    n_days, prec = 3, 2
                elif unit in ("ساعات", "ساعه"):
                    n_days, prec = 0, 1
                elif unit in ("اسابيع",):
                    n_days, prec = 14, 3
                elif unit in ("اشهر", "شهور"):
                    return _Found(a, b, None, 3, "relative", {"offset": None, "since": pre == "منذ", "vague": True})
                else:
                    n_days = _UNIT_DAYS[unit]
                    prec = _PREC_OF_UNIT[n_days]
            else:
                unit_days = _UNIT_DAYS[unit]
                n_days = n * unit_days if unit_days else 0
                prec = _PREC_OF_UNIT[unit_days]
                if unit_days == 1 and n == 1:
                    prec = 1
        else:
            return None
        if n_days > 3660:
            return None
        d = pub - timedelta(days=n_days) if pub else None
        return _Found(a, b, d, prec, "relative", {"offset": -n_days, "since": pre == "منذ"})
    if name == "period":
        what = _SPACES(" ", g["what"])
        rel = _SPACES(" ", g["rel"])
        if rel == "قبل الماضي":
            if what != "الاسبوع":
                return None      # العام/الشهر قبل الماضي: no day to code
            return _Found(a, b, pub - timedelta(days=14) if pub else None, 2, "week", {"offset": -14})
        past = rel in ("الماضي", "الماضيه", "الماضيين", "المنصرم", "الفايت", "الاخيره", "الاخير")
        current = rel in ("الجاري", "الحالي")
        if what.startswith("العام") or what.startswith("السنه"):
            y = (pub.year - 1 if past else pub.year + (0 if current else 1)) if pub else None
            return _Found(a, b, None, 0, "year", {"year": y, "past": past, "future": not past and not current})
        if what in ("اليومين",):
            off, prec = (-1, 2) if past else (1, 2)
        elif what.startswith("الايام") or what.startswith("الاشهر") or what.startswith("الشهور"):
            if what.startswith("الايام"):
                off, prec = (-1, 2) if past else (1, 2)
            else:
                off, prec = (-30, 3) if past else (30, 3)
        elif what.startswith("الساعات") or "24" in what:
            off, prec = (0, 1) if past else (1, 1)
        elif what in ("الاسبوع", "الاسبوعين"):
            if current:
                off, prec = 0, 2
            else:
                off, prec = (-7, 2) if past else (7, 2)
        elif what in ("الشهر", "الشهرين"):
            if pub is None:
                return _Found(a, b, None, 3, "month", {"offset": None, "future": not past and not current})
            if current:
                d = pub
            elif past:
                y, mo = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
                d = _mid_month(y, mo)
            else:
                y, mo = (pub.year, pub.month + 1) if pub.month < 12 else (pub.year + 1, 1)
                d = _mid_month(y, mo)
            return _Found(a, b, d, 3, "month", {"future": not past and not current})
        else:
            return None
        d = pub + timedelta(days=off) if pub else None
        return _Found(a, b, d, prec, "range" if what not in ("الاسبوع", "الاسبوعين") else "week",
                      {"offset": off, "future": off > 0})
    if name == "year":
        y = int(g["year"])
        return _Found(a, b, None, 0, "year", {"year": y, "past": bool(pub and y < pub.year),
                                              "since": (g.get("pre") or "").strip() == "منذ"})
    return None


_ORDER = ["iso", "absolute", "monthday", "hijri", "month", "relday", "night", "ago", "period", "weekday", "year"]

# Each family of expressions has anchor words without which it cannot match; a family's regex runs
# only in windows around its anchors (a report is thousands of characters and has a few dates).
_FAMILY_ANCHORS = {
    "absolute": list(_MON), "month": list(_MON), "hijri": list(_HMON), "monthday": [normalize_key("الشهر")],
    "relday": ["امس", "اليوم", "الليله", "غدا", "غد", "البارحه"],
    "weekday": list(_WD),
    "night": ["الليل", "ليلا"],
    "ago": ["منذ", "قبل"],
    "period": ["الماضي", "الماضيه", "الماضيين", "المنصرم", "الفايت", "الجاري", "الحالي", "المقبل", "القادم",
               "الاخيره", "الاخير"],
}
_ISO_AT = re.compile(r"\d[/.-][01]?\d[/.-]\d").match
_YEAR_AT = re.compile(r"(?:19|20)\d\d(?!\d)").match


def _iso_anchors(norm: str) -> list[tuple[int, int]]:
    r"""The matches of `\d[/.-][01]?\d[/.-]\d` as `finditer` finds them (left to right, none
    overlapping), tried only at a digit before a separator, found by `str.find` (a regex scan of
    the whole text cost ten times more)."""
    starts = []
    for c in "/.-":
        q = norm.find(c, 1)
        while q >= 0:
            if norm[q - 1].isdecimal():       # \d
                starts.append(q - 1)
            q = norm.find(c, q + 1)
    out: list[tuple[int, int]] = []
    last = 0
    for p in sorted(starts):
        if p >= last and (m := _ISO_AT(norm, p)):
            out.append((p, m.end()))
            last = m.end()
    return out


def _year_anchors(norm: str) -> list[tuple[int, int]]:
    r"""The matches of `(?:19|20)\d\d(?!\d)`, tried only where "19" or "20" stands (two matches
    cannot overlap: the first ends before a non-digit, so all of them are `finditer`'s)."""
    out = []
    for lit in ("19", "20"):
        p = norm.find(lit)
        while p >= 0:
            if m := _YEAR_AT(norm, p):
                out.append((p, m.end()))
            p = norm.find(lit, p + 1)
    return out


# the windows in C where built (_dates.pyx: their merge, the digit anchors, the anchors' place
# tests; _merge_py, _digit_anchors_py and _anchor_spans_py are its twins)
DATES_API = 4


def native_dates():
    """The compiled module (_dates.pyx) when built, current and wanted, else None."""
    return compiled(__package__ + "._dates", DATES_API)


def _digit_anchors_py(norm: str) -> dict[str, list[tuple[int, int]]]:
    """The iso and year families' anchors, each family only where it has some (the twin of
    _dates.pyx's digit_anchors, one pass over the text)."""
    out = {}
    for f, found in (("iso", _iso_anchors), ("year", _year_anchors)):
        if got := found(norm):
            out[f] = got
    return out


_native = native_dates()
_digit_anchors = _digit_anchors_py if _native is None else _native.digit_anchors
_WINDOW = 48     # characters around an anchor: the longest expression reaches this far from its anchor


# A hit of an anchor opens a window only where its family's expression can hold it there: the
# words around it as the regex needs them (each test below is implied by its family's regex;
# "قبل" in المقبل، "امس" in الخامس، "غد" in بغداد، "اب" in انتخاب open none). The expressions
# reach no further than _WINDOW from such a hit, as the windows assume, so the dates are the same.
_PROCLITIC_CHARS = frozenset("وفبل")      # the letters of _PRO
_PRO_2 = frozenset(("وب", "ول", "فب", "فل", "لل"))
_LETTER = re.compile(r"[^\W\d]").match    # a word character that is not a digit
_WORD_CHAR = re.compile(r"\w").match
_SPACE = re.compile(r"\s").match
_ORDINALS = tuple(_ORD)
_AFTER_MONTH = frozenset("عسل12")        # عام، سنه، لعام or a year right after a month's name


def _ends_word(norm: str, b: int) -> bool:
    return b >= len(norm) or not _WORD_CHAR(norm, b)


def _after_proclitic(norm: str, a: int) -> bool:
    """A word starts at a, or a proclitic letter stands before it (_W _PRO)."""
    return a == 0 or not _WORD_CHAR(norm, a - 1) or norm[a - 1] in _PROCLITIC_CHARS


def _month_placed(norm: str, a: int, b: int) -> bool:
    """The month name norm[a:b] may be the month of an "absolute" or "month" expression: after a
    word start, a day (digits, an ordinal) or شهر/من and a space, each with an optional proclitic;
    before a word end, a separator, a year or عام/سنه/لعام (_PAIR, _Y, _E)."""
    if b < len(norm) and _WORD_CHAR(norm, b) and norm[b] not in _AFTER_MONTH:
        return False
    for q in (a, a - 1 if a >= 1 and norm[a - 1] in _PROCLITIC_CHARS else -1,
              a - 2 if a >= 2 and norm[a - 2:a] in _PRO_2 else -1):
        if q == 0 or q > 0 and (not _LETTER(norm, q - 1) or norm.endswith(_ORDINALS, 0, q)):
            return True
    return False


def _relday_placed(norm: str, a: int, b: int) -> bool:
    """A word of a relative day (_REL: أمس، الأمس، أول من أمس، بعد غد، غدا): it ends a word and
    starts one, after a proclitic or the article (whose ل is one)."""
    return _ends_word(norm, b) and _after_proclitic(norm, a)


def _ago_placed(norm: str, a: int, b: int) -> bool:
    """منذ/قبل of "ago": a word (after a proclitic) followed by a space (\\s+)."""
    return b < len(norm) and bool(_SPACE(norm, b)) and _after_proclitic(norm, a)


def _period_placed(norm: str, a: int, b: int) -> bool:
    """The word after a period (الماضي، المقبل): after a space, ending a word."""
    return a > 0 and bool(_SPACE(norm, a - 1)) and _ends_word(norm, b)


def _weekday_placed(norm: str, a: int, b: int) -> bool:
    """A weekday's name: a word, after an optional proclitic."""
    return _ends_word(norm, b) and _after_proclitic(norm, a)


_PLACED = {"absolute": _month_placed, "month": _month_placed, "relday": _relday_placed,
           "ago": _ago_placed, "period": _period_placed, "weekday": _weekday_placed}


def _anchor_scan(compiled: bool = ends is not None, native=_native):
    """The scan for anchor words (every hit, inside words too: where each can stand is tested
    after), each word with its length and, by that test (None: anywhere), the families it opens
    windows for: compiled, ``_dates.Anchors`` (their automaton as one table of states, a look-up a
    character: ``_ends.every_hit`` over an ``EndTrie``, walking back with hash look-ups, cost three
    times as much, the automaton's scan about 110 instructions a character); else
    ``_ends.every_hit``, else the automaton (its twins)."""
    table: dict[str, dict] = {}
    for fam, words in _FAMILY_ANCHORS.items():
        for w in words:
            table.setdefault(w, {}).setdefault(_PLACED.get(fam), []).append(fam)
    values = {w: (len(w), tuple((test, tuple(sorted(fams))) for test, fams in by_test.items()))
              for w, by_test in table.items()}
    if native is not None:
        return native.Anchors(values.items()).hits
    if compiled:
        return partial(ends.every_hit, ends.EndTrie(values.items()))
    import ahocorasick
    auto = ahocorasick.Automaton()
    for w, v in values.items():
        auto.add_word(w, v)
    auto.make_automaton()
    return auto.iter


_ANCHORS = _anchor_scan()
# the anchor scan and the digit anchors in one pass where compiled (_dates.Anchors.scan)
_SCAN = None if _native is None else _ANCHORS.__self__.scan


_TO_SPACE = re.compile(r"\S*").match


# Where a family's expression reaches less far from its anchor on one side, exactly (no \s run
# between): "ago" opens with _W _PRO before منذ/قبل (at most two letters), "period" ends with its
# anchor (the word after the period, then _E). Every match lies in its own anchor's window, none
# straddles a window's start, and so the windows' matches are those of the wider windows.
_REACH = {"ago": (2, _WINDOW), "period": (_WINDOW, 0)}


def _spaces(words) -> int:
    """The most spaces in one of the words (each a run of spaces in a match)."""
    return max(w.count(" ") for w in words)


_PART_RUNS = _spaces(words(_FILE, "day_part")) + 1     # a day part and the \s+ after it
# How many runs of spaces a family's match holds before and after its anchor (-1: not bounded
# here), counted on its expression: each \s+, \s* or space of a word list is at most one run.
# A window then reaches no further than the word that many runs away (whatever the runs'
# lengths), within _WINDOW / _REACH as before; the matches stay those of the wider windows
# (tests/core/test_core_dates_numbers_fast_paths.py). "absolute", "monthday" and "hijri" hold
# more runs before their anchor than 48 characters hold words.
_RUNS = {
    "month": (1, -1),                          # شهر\s+ before the month (its words after: _PAIR, _Y)
    # a day part, then the weekday; after it \s+ and قبل\s+الماضي
    "weekday": (_PART_RUNS, 2),
    # a day part, then the relative day (a phrase of spaces, the anchor anywhere in it); after it
    # its phrase and \s*\(?\s*WEEKDAY\s*\)?
    "relday": (_PART_RUNS + _spaces(_REL), _spaces(_REL) + 3),
    "ago": (-1, 2 + _spaces(_NW)),             # \s+ NUMBER-WORD \s* UNIT after منذ/قبل
    "year": (2, 0),                            # منذ\s+ عام\s+ before the year, _E after it
    # _PRO WHAT (at most two runs: الساعات ال 24) \s+ then قبل\s+ before الماضي
    "period": (4, -1),
}


def _runs_back(norm: str, a: int, runs: int) -> int:
    """The start of the word runs runs of spaces before a (0 first): no match holding the anchor
    at a and at most that many runs before it starts earlier."""
    q, seen = a, 0
    while True:
        while q > 0 and not norm[q - 1].isspace():
            q -= 1
        if q == 0 or seen == runs:
            return q
        while q > 0 and norm[q - 1].isspace():
            q -= 1
        seen += 1


def _runs_forward(norm: str, b: int, runs: int) -> int:
    """The end of the word runs runs of spaces after b (len(norm) first): at a space, as
    _TO_SPACE's ends are."""
    n, q, seen = len(norm), b, 0
    while True:
        while q < n and not norm[q].isspace():
            q += 1
        if q == n or seen == runs:
            return q
        while q < n and norm[q].isspace():
            q += 1
        seen += 1


# After a family's last anchor (a month's name, الشهر, the night's word; a pair's month is itself
# an anchor), its match holds at most so many runs of spaces, each followed by one of these
# characters (the first characters of what its expression holds there: the pair's closing
# bracket, a relation word, عام/سنه/لعام, a year, م, ه or هجري), and ends with _E. So a window's
# search may stop at _after_end from its last anchor: no match of the window ends past it, and
# the character there is a space, or one that is no word character and no match holds: _E reads
# it as it reads the text's end, so re's matcher finds the same matches (where it was called at
# each place up to 48 characters past the last anchor, none of which starts a match: every match
# holds one of the window's anchors). tests/core/test_core_dates_numbers_fast_paths.py.
_PAIR_AFTER = "".join(normalize_key(c) for c in ")عسلم12")
_AFTER = {
    "absolute": (4, _PAIR_AFTER),                          # \s*\)? and _Y's three runs
    "month": (5, _PAIR_AFTER + normalize_key("ا")),        # also (?:\s+REL)?
    "hijri": (3, "".join(normalize_key(c) for c in "اه1")),  # \s+REL, \s*YEAR, \s*ه|هجري
    "monthday": (1, "".join(sorted({k[0] for k in _MREF}))),  # \s+ then the month's reference
    "night": (0, ""),                                     # the anchor ends the night's phrase
}


def _after_end(norm: str, b: int, runs: int, after: str) -> int:
    """The latest end of a match that holds no anchor past b and at most runs runs of spaces after
    it, each followed by a character of after: the end of the word that many runs away; before
    that, at a run followed by a character not in after, the run's last space where that
    character is a word character (no match ends before it: _E refuses), else that character."""
    n, q, seen = len(norm), b, 0
    while q < n and not norm[q].isspace():
        q += 1
    while q < n and seen < runs:
        r = q
        while r < n and norm[r].isspace():
            r += 1
        if r == n:
            return n
        c = norm[r]
        if c not in after:
            return r - 1 if c.isalnum() or c == "_" else r
        q = r
        while q < n and not norm[q].isspace():
            q += 1
        seen += 1
    return q


def _merge_py(spans: list[tuple[int, int]], norm: str, left: int = _WINDOW, right: int = _WINDOW,
              left_runs: int = -1, right_runs: int = -1, after_runs: int = -1,
              after: str = "") -> list[tuple[int, int]]:
    """The windows of a family's anchors: left and right characters and at most left_runs and
    right_runs runs of spaces (-1: any) on each side, merged where they meet; then, where
    after_runs >= 0, each window ends at _after_end from its last anchor (the twin of _dates.pyx's
    merge)."""
    out: list[tuple[int, int]] = []
    last: list[int] = []      # each window's last anchor end
    n = len(norm)
    for a, b in sorted(spans):
        # never cut a word: the regexes end on a word boundary (the window runs to the next space)
        lo, hi = max(0, a - left), _TO_SPACE(norm, min(n, b + right)).end()
        if left_runs >= 0:
            lo = max(lo, _runs_back(norm, a, left_runs))
        if right_runs >= 0:
            hi = min(hi, _runs_forward(norm, b, right_runs))
        if out and lo <= out[-1][1]:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
            last[-1] = max(last[-1], b)
        else:
            out.append((lo, hi))
            last.append(b)
    if after_runs >= 0:
        out = [(lo, min(hi, _after_end(norm, b, after_runs, after))) for (lo, hi), b in zip(out, last)]
    return out


_merge = _merge_py if _native is None else _native.merge
_WIDE, _NO_RUNS, _NO_AFTER = (_WINDOW, _WINDOW), (-1, -1), (-1, "")


def _anchor_spans_py(hits, norm: str, codes=None, ordinals=None) -> dict[str, list[tuple[int, int]]]:
    """Each family's anchors among the hits, where its place test holds (the twin of _dates.pyx's
    anchor_spans, which runs the tests by their codes)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for end, (length, tests) in hits:
        a, b = end - length + 1, end + 1
        for placed, fams in tests:
            if placed is None or placed(norm, a, b):
                for f in fams:
                    spans.setdefault(f, []).append((a, b))
    return spans


# the place tests as _dates.pyx's anchor_spans knows them
_PLACED_CODES = {None: 0, _month_placed: 1, _relday_placed: 2, _ago_placed: 3, _period_placed: 4,
                 _weekday_placed: 5}
_anchor_spans = _anchor_spans_py if _native is None else _native.anchor_spans


def _windows(norm: str) -> dict[str, list[tuple[int, int]]]:
    if _SCAN is None:
        hits, digits = _ANCHORS(norm), _digit_anchors(norm)
    else:
        hits, digits = _SCAN(norm)
    spans = _anchor_spans(hits, norm, _PLACED_CODES, _ORDINALS)
    for f, got in digits.items():
        spans.setdefault(f, []).extend(got)
    return {f: _merge(v, norm, *_REACH.get(f, _WIDE), *_RUNS.get(f, _NO_RUNS), *_AFTER.get(f, _NO_AFTER))
            for f, v in spans.items()}


def find_dates(norm: str, published: date | None) -> list[_Found]:
    """All date expressions in a normalised text, longest first where they overlap."""
    found: list[_Found] = []
    wins = _windows(norm)
    for name in _ORDER:
        # nested loops, not a generator over the windows: one frame less a match
        finditer = _RE[name].finditer
        for a, b in wins.get(name, ()):
            for m in finditer(norm, a, b):
                if m.end() == m.start():
                    continue
                try:
                    f = _resolve(name, m, published, norm)
                except (ValueError, OverflowError, KeyError):
                    f = None   # an impossible date in the text is not a reason to fail the document
                if f is not None:
                    found.append(f)
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    out: list[_Found] = []
    for f in found:
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    return out


_SINCE = ("منذ", "ومنذ", "فمنذ")
_ISO: dict[date, str] = {}   # a date's label: date.isoformat formats through printf (about 2,000
_ISO_KEPT = 4096             # instructions), a run's dates are few and repeat


def _iso(d: date) -> str:
    """d.isoformat(), kept for the dates seen (at most _ISO_KEPT of them, then anew)."""
    got = _ISO.get(d)
    if got is None:
        if len(_ISO) >= _ISO_KEPT:
            _ISO.clear()
        got = _ISO[d] = d.isoformat()
    return got   # the word before a day that makes it the start of something ongoing


def component():
    # the regexes and the anchor scan are built once, at import

    def run(doc: Doc) -> None:
        pub = doc.published
        norm = doc.norm
        found = find_dates(norm, pub)
        if not found:
            return
        sentence_of = doc.sentence_finder()   # one C call a date, no doc.sentence_of frame
        for f in found:
            # trim spaces the optional groups may have eaten
            a, b = f.start, f.end
            while a < b and norm[a].isspace():
                a += 1
            while b > a and norm[b - 1].isspace():
                b -= 1
            future = bool(f.data.pop("future", False)) or bool(pub and f.date and f.date > pub)
            since = bool(f.data.pop("since", False))
            before = norm[max(0, a - 6):a].split()
            if not since and before and before[-1] in _SINCE:   # "منذ مساء الثلاثاء"، "ومنذ يوم الجمعة"
                since = True
            # the span's data in dict(date=..., since=..., **f.data)'s order (f.data holds none of
            # these keys), set on the span where doc.span(..., **data) copied it as keywords
            data = {"date": f.date, "precision": f.precision, "kind": f.kind, "future": future, "n0": a, "n1": b,
                    "valid": f.date is not None and not future, "since": since}
            data.update(f.data)
            span = doc.span(a, b, _iso(f.date) if f.date else "", sentence_of(a))
            span.data = data
            doc.add("dates", span)

    return run
