"""The cheap tests in front of the dates and numbers steps skip only what could give nothing.

The dates step runs a family's regex only around the anchors its expression can hold (a month's
name that is a word, not "آب" inside "انتخاب"), and finds the iso and year anchors with
`str.find`; the numbers step runs its rules only at tokens where one can start. Each is compared
with the path it replaced on many composed texts.
"""

import random
from datetime import date

import pytest

from marsad.components import dates as D
from marsad.components import numbers as N
from marsad.doc import Doc
from marsad.lexicon import word_lists

PUB = date(2015, 8, 6)


def _all_windows(monkeypatch):
    """The dates step as it was: every anchor hit opens its windows, the digit anchors by a regex
    scan of the whole text."""
    monkeypatch.setattr(D, "_PLACED", {})
    monkeypatch.setattr(D, "_REACH", {})
    monkeypatch.setattr(D, "_ANCHORS", D._anchor_scan(compiled=False))
    monkeypatch.setattr(D, "_SCAN", None)
    iso = D.re.compile(r"\d[/.-][01]?\d[/.-]\d")
    year = D.re.compile(r"(?:19|20)\d\d(?!\d)")
    monkeypatch.setattr(D, "_digit_anchors", lambda norm: {
        f: got for f, got in (("iso", [(m.start(), m.end()) for m in iso.finditer(norm)]),
                              ("year", [(m.start(), m.end()) for m in year.finditer(norm)])) if got})


# words of date expressions, the same glued inside other words, digits, separators and spaces
_PIECES = ["اب", "انتخاب", "الاباء", "تموز", "وتموز", "بتموز", "لاب", "واب", "شهر", "من", "عام", "2015", "2014م",
           "3", "15", "الخامس", "الخامساب", "5اب", "ابعام", "اب2015", "امس", "الامس", "الخامس", "بغداد", "غدا",
           "بعد", "غد", "قبل", "المقبل", "مستقبل", "منذ", "يومين", "ايام", "اسبوع", "الماضي", "الماضيه", "الاسبوع",
           "الشهر", "اليوم", "اليومين", "الاحد", "والاحد", "بالاحد", "الاحدث", "الاثنين", "يوم", "مساء", "فجر",
           "الليله", "ليلا", "رمضان", "شوال", "1436", "ه", "(", ")", "/", "-", ".", ",", "؛", "3/8/2015",
           "2015-08-03", "1.2.2015", "12-3-2014", "٣", "١٩٩٩", "ايلول", "يوليو", "ابريل", "مايو", "كانون الثاني"]


_FILLER = ["قصفت", "الطائرات", "المدينه", "القوات", "وقتل", "مدنيين", "في", "على", "الحكومه", "مواقع"]


def _texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        # mostly words of no date, so that a window holds one or two anchors
        words = [rnd.choice(_PIECES) if rnd.random() < 0.15 else rnd.choice(_FILLER)
                 for _ in range(rnd.randint(1, 60))]
        out.append("".join(w + rnd.choice([" ", " ", " ", "", "  ", "\n", ". ", "، "]) for w in words))
    return out


def _dates(text: str) -> list[tuple]:
    norm = Doc(text).norm
    return [(f.start, f.end, f.date, f.precision, f.kind, sorted(f.data.items())) for f in D.find_dates(norm, PUB)]


def test_the_anchor_tests_find_the_dates_every_hit_finds(monkeypatch):
    texts = _texts(3000, 16)
    fast = [_dates(t) for t in texts]
    with monkeypatch.context() as m:
        _all_windows(m)
        slow = [_dates(t) for t in texts]
    assert fast == slow
    assert sum(map(len, fast)) > 1500          # the texts do hold dates


_AGO_PERIOD = ["منذ", "ومنذ", "فمنذ", "لقبل", "وبقبل", "قبل", "المقبل", "3", "4", "يومين", "ايام", "يوما", "اسبوع",
               "ساعات", "الايام", "القليله", "الاسبوع", "الشهر", "الساعات", "24", "ال", "الماضي", "الماضيه",
               "الماضيين", "الاخير", "الاخيره", "الحالي", "المقبل", "القادم", "الجاري", "العام", "السنه",
               "والماضي", "خلال", "الاثنين", "يوم"]


def test_the_ago_and_period_windows_find_what_the_wide_windows_find(monkeypatch):
    """"ago" reaches two letters before its anchor, "period" none after it (_REACH): the dates
    are those of windows of _WINDOW on both sides, with runs of spaces, proclitics and anchors
    close together (windows that merged when wide and stand apart now)."""
    rnd = random.Random(143)
    texts = []
    for _ in range(3000):
        words = [rnd.choice(_AGO_PERIOD) if rnd.random() < 0.5 else rnd.choice(_FILLER)
                 for _ in range(rnd.randint(1, 40))]
        texts.append("".join(w + rnd.choice([" ", " ", "", "   ", "\n", ". ", "، "]) for w in words))
    fast = [_dates(t) for t in texts]
    with monkeypatch.context() as m:
        m.setattr(D, "_REACH", {})
        wide = [_dates(t) for t in texts]
    assert fast == wide
    assert sum(1 for ds in fast for d in ds if d[4] in ("relative", "range", "week", "month", "year")) > 300


def _as_lists(pattern: str) -> str:
    """A family's pattern with each of its word trees (dates._alt) as the plain alternation
    (dates._alt_list) it stands for."""
    lists = {D._alt(ws): D._alt_list(ws) for ws in (D._WD, D._MON, D._HMON, D._ORD, D._NW, D._MREF,
                                                   D.words(D._FILE, "day_part"))}
    for tree in sorted(lists, key=len, reverse=True):
        norm_tree = "".join(c if c.isascii() else D.normalize_key(c) for c in tree)
        assert norm_tree == tree        # the words are normalised already
        pattern = pattern.replace(tree, lists[tree])
    return pattern


def test_the_word_trees_and_word_starts_match_as_the_alternations_and_lookbehinds_do():
    r"""Each family's regex with its word lists as trees, ``\b`` for its opening ``(?<![\w])``
    (all but "hijri": their matches open with a word character) and ``(?:X|)`` for its opening
    ``(?:X)?`` finds what it found with plain
    alternations and the lookbehind, groups included, at every place of texts thick with date
    words (backtracking into a tree when what follows fails: "الخامس" before a word that is no
    month; spaces, brackets and digits before a word)."""
    rnd = random.Random(1436)
    texts = [Doc(t).norm for t in _texts(1500, 5)]
    for _ in range(1500):
        words = [rnd.choice(_PIECES + _AGO_PERIOD + sorted(D._WD) + sorted(D._ORD) + sorted(D._HMON))
                 for _ in range(rnd.randint(1, 25))]
        texts.append(Doc("".join(w + rnd.choice([" ", " ", "", "  ", ", ", "/", "(", "_", "-"]) for w in words)).norm)
    found = 0
    for name, rx in D._RE.items():
        assert rx.pattern.startswith(D._W if name == "hijri" else D._B)
        assert ("|)" in rx.pattern) == (name not in ("iso", "year"))
        plain = D.re.compile(_as_lists(rx.pattern).replace(D._B, D._W).replace("|)", ")?"))
        assert plain.pattern != rx.pattern
        for t in texts:
            got = [(m.span(), m.groupdict()) for m in rx.finditer(t)]
            assert got == [(m.span(), m.groupdict()) for m in plain.finditer(t)], (name, t)
            found += len(got)
    assert found > 5000
    for ws in (["ab", "abcd", "abc", "ac", "b"], ["x"], ["xy", "x y"]):
        tree, plain = D.re.compile(D._alt(ws)), D.re.compile(D._alt_list(ws))
        for t in ("abcd", "abce", "ac", "b", "x y", "xy", "abx"):
            assert [m.span() for m in tree.finditer(t)] == [m.span() for m in plain.finditer(t)]


@pytest.mark.skipif(D.ends is None, reason="the compiled word-end scan is not built (or MARSAD_PURE)")
def test_the_compiled_anchor_scan_gives_the_automatons_hits_in_its_order():
    compiled, automaton = D._anchor_scan(compiled=True), D._anchor_scan(compiled=False)
    texts = [Doc(t).norm for t in _texts(2000, 7)] + ["", "اب", "اباب", "امسالامس", "غدغدا"]
    got = [compiled(t) for t in texts]
    assert got == [list(automaton(t)) for t in texts]
    assert sum(map(len, got)) > 5000      # every hit, inside words too


@pytest.mark.skipif(D.native_dates() is None or D.ends is None,
                    reason="the compiled dates module or word-end scan is not built (or MARSAD_PURE)")
def test_the_anchor_table_of_states_finds_every_hit_of_the_end_trie_and_the_automaton():
    """``_dates.Anchors.hits`` (the dates step's scan) is ``_ends.every_hit`` over an ``EndTrie``
    of the same words and the automaton's iter: the anchors over composed texts in one, two and
    four bytes a character, and random words of a small alphabet, thick with words inside words,
    words ending together and hits at the text's first and last characters."""
    ahocorasick = pytest.importorskip("ahocorasick")
    native = D.native_dates()

    def three(items, texts):
        items = list(items)
        dense, trie = native.Anchors(items), D.ends.EndTrie(items)
        auto = ahocorasick.Automaton()
        for w, v in items:
            auto.add_word(w, v)
        auto.make_automaton()
        found = 0
        for t in texts:
            got = dense.hits(t)
            assert got == D.ends.every_hit(trie, t) == list(auto.iter(t)), t
            found += len(got)
        return found

    words = sorted({w for ws in D._FAMILY_ANCHORS.values() for w in ws})
    texts = [Doc(t).norm for t in _texts(1500, 161)]
    texts += [t + "\U0001F600" for t in texts[:300]] + ["", "اب", "اباب", "امسالامس", "غدغدا", "abc", "\U0001F600اب"]
    assert three(((w, (len(w), w)) for w in words), texts) > 5000
    rnd = random.Random(1616)
    for _ in range(200):
        alphabet = rnd.choice(["ab", "abc", "اب", "ابت", "aب1"])
        ws = {"".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 5))) for _ in range(rnd.randint(1, 12))}
        small = ["".join(rnd.choice(alphabet + " \u00e9\U0001F600") for _ in range(rnd.randint(0, 40)))
                 for _ in range(30)]
        three(((w, i) for i, w in enumerate(sorted(ws))), small)
    for bad in ([("", 1)], [("a\u0700", 1)], [("ab", 1), ("ab", 2)]):
        with pytest.raises(ValueError):
            native.Anchors(bad)


@pytest.mark.skipif(D.native_dates() is None, reason="the compiled dates module is not built (or MARSAD_PURE)")
def test_the_one_pass_scan_gives_the_anchor_hits_and_the_digit_anchors():
    """``Anchors.scan`` (the step's scan where compiled) is ``hits`` and ``digit_anchors`` of the
    same text: texts of anchors, digits and separators in one, two and four bytes a character."""
    native = D.native_dates()
    scan, hits = D._ANCHORS.__self__.scan, D._ANCHORS
    rnd = random.Random(171)
    alphabet = "0123456789/.-١٢٣ ab\u0966\u0967"
    texts = [Doc(t).norm for t in _texts(1500, 173)] + ["", "1", "2015", "3/8/2015", "-", "19", "2015-08-03"]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(5000)]
    texts += [t + "\U0001F600" for t in texts[:300]] + ["\U0001F6002015 اب 3/8/2015"]
    found = 0
    for t in texts:
        got = scan(t)
        assert got == (hits(t), native.digit_anchors(t)), t
        found += len(got[0]) + sum(map(len, got[1].values()))
    assert found > 5000
    # words holding a digit or a separator: the two passes, the same answers
    for words in ([("a1", 1), ("ب", 2)], [("-", 1)], [("ab", 1)]):
        table = native.Anchors(words)
        for t in ("a1 2015 ب-3/8/2015", "", "-1-", "ab2019 19/1/2015"):
            assert table.scan(t) == (table.hits(t), native.digit_anchors(t)), (words, t)


@pytest.mark.parametrize("text", ["وقعت الانتخابات في اب الماضي", "قتل 3 في 5 اب 2015 وفي انتخاب",
                                  "في 03/08/2015 و2015-08-03 وعام 2014"])
def test_a_month_inside_a_word_opens_no_window_and_one_that_is_a_word_does(text):
    assert _dates(text)
    wins = D._windows(Doc(text).norm)
    # no window of the month families starts at "انتخاب"'s آب
    for a, b in wins.get("month", []):
        assert "اب" in Doc(text).norm[a:b]


def test_the_digit_anchors_are_the_regex_scans():
    rnd = random.Random(7)
    alphabet = "0123456789/.-١٢٣ ab\u0966\u0967"   # ASCII, Eastern and Devanagari digits
    iso = D.re.compile(r"\d[/.-][01]?\d[/.-]\d")
    year = D.re.compile(r"(?:19|20)\d\d(?!\d)")
    for _ in range(20000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert D._iso_anchors(s) == [(m.start(), m.end()) for m in iso.finditer(s)], s
        assert sorted(D._year_anchors(s)) == [(m.start(), m.end()) for m in year.finditer(s)], s


def test_every_word_a_casualty_rule_starts_at_passes_the_token_test():
    """A rule of the numbers step starts at a cue word (with its proclitics), a number or vague
    word (or و + one), or a token with a digit first or second: _rule_starts keeps each."""
    for lst, entries in word_lists(N._FILE).items():
        for r in entries:
            w = r["word"]
            for form in (w, "و" + w, "ال" + w, "وال" + w, "ب" + w):
                if (form in N._PRE_X or form in N._LABEL_X or form in N._POST_X or form in N._LABEL_DUAL
                        or N._may_start_number(form) or N._strip_wa(form)[0] in N._PLURAL_CUE):
                    assert form in N._RULE_START or N._DIGIT_FIRST_OR_SECOND(form), (lst, form)
    doc = Doc("قتل و40 شخصا و3 اخرون في 2015 بينهم ب5")
    words = [t.norm for t in doc.tokens]
    assert [words[i] for i in N._rule_starts(doc, 0, words)] == ["قتل", "و40", "و3", "2015", "ب5"]


@pytest.mark.parametrize("text, count", [
    ("قتل 40 شخصا في القصف.", 40),
    ("أسفر الهجوم عن مقتل خمسة وعشرين مدنيا.", 25),
    ("وقتل و40 من المسلحين.", 40),
    ("لقي شاب مصرعه في الحادث.", 1),
])
def test_the_numbers_step_finds_counts_in_sentences_it_reads(text, count):
    from marsad.pipeline import Pipeline
    spans = Pipeline(["numbers"])(text, PUB).layer("casualties")
    assert any(s.data["count"] == count for s in spans), [(s.text, s.data["count"]) for s in spans]


def _run_texts(n: int, seed: int) -> list[str]:
    """Texts thick with the words around the anchors the run bounds (_RUNS) count: day parts of
    several words, relative-day phrases, weekdays in brackets, count words, years after عام/منذ,
    periods and months with their pairs, separated by runs of spaces of every length."""
    rnd = random.Random(seed)
    pieces = (_PIECES + _AGO_PERIOD + sorted(D.words(D._FILE, "day_part")) + sorted(D._REL) + sorted(D._NW)
              + sorted(D._WD) + sorted(D._NIGHT) + ["منذ عام 2014", "في عام 2015", "خلال سنه 2013", "العام 2015",
                                                  "(الاثنين)", "( الاحد )", "قبل الماضي", "الساعات ال 24",
                                                  "الساعات الاربع والعشرين", "ال24 ساعه", "تموز/ يوليو", "اب (اغسطس)",
                                                  # the most runs each bound counts
                                                  "الساعات الاربع والعشرين قبل الماضي",
                                                  "الليله قبل الماضيه ( الاحد )"])
    out = []
    for _ in range(n):
        words = [rnd.choice(pieces) if rnd.random() < 0.6 else rnd.choice(_FILLER) for _ in range(rnd.randint(1, 40))]
        out.append("".join(w + rnd.choice([" ", " ", "", "   ", "\n", " \n ", ". ", "، ", "\t"]) for w in words))
    return out


def test_the_windows_bounded_in_runs_of_spaces_find_what_the_wide_windows_find(monkeypatch):
    """A window reaches no further from its anchor than the runs of spaces its family's match can
    hold (_RUNS): the dates are those of the windows of _WINDOW characters alone, where a window
    bounded so ends or starts inside what was one wide window."""
    texts = _run_texts(4000, 151) + _texts(1000, 152)
    fast = [_dates(t) for t in texts]
    with monkeypatch.context() as m:
        m.setattr(D, "_RUNS", {})
        wide = [_dates(t) for t in texts]
    assert fast == wide
    kinds = {d[4] for ds in fast for d in ds}
    assert {"relative", "weekday", "month", "year", "range", "week"} <= kinds
    assert sum(map(len, fast)) > 8000


def test_the_runs_walks_stop_at_the_word_that_many_runs_away():
    norm = "ab  cd\nef \t gh"
    assert [D._runs_back(norm, 12, k) for k in range(5)] == [12, 7, 4, 0, 0]
    assert [D._runs_back(norm, 13, k) for k in range(2)] == [12, 7]
    assert [D._runs_forward(norm, 0, k) for k in range(5)] == [2, 6, 9, 14, 14]
    assert [D._runs_forward(norm, 5, k) for k in range(2)] == [6, 9]
    assert D._runs_back("", 0, 3) == 0 and D._runs_forward("", 0, 3) == 0


def _after_texts(n: int, seed: int) -> list[str]:
    """Texts thick with what a month's, a hijri month's, الشهر's or the night's expression holds
    after its anchor (_AFTER): pairs, brackets, relation words, عام/سنه/لعام, years glued or apart,
    م, ه and هجري, the month's references, and words that start with the same letters, between
    runs of spaces of every length, punctuation and nothing."""
    rnd = random.Random(seed)
    pieces = (_PIECES + sorted(D._MON) + sorted(D._HMON) + sorted(D._MREF) + sorted(D._NIGHT)
              + ["تموز/ يوليو", "اب (اغسطس)", "( اغسطس )", "تموز -يوليو", "/", "(", ")", "-", "2015", "1999",
                 "2015م", "م", "مم", "عام", "سنه", "لعام", "العام", "عامه", "سنوات", "لعامين", "الماضي", "المنصرم",
                 "الفايت", "الجاري", "الحالي", "المقبل", "القادم", "المبارك", "الاول", "1436", "1436ه", "ه", "هـ",
                 "هجري", "هجريه", "هجريا", "هجرا", "هو", "تموزعام", "اب2015", "رمضان1436", "شوال 1436 ه",
                 "الشهر", "من الشهر", "من هذا الشهر", "الشهر الجاري", "الشهرين", "يوم الاثنين 20 من الشهر",
                 "الليل", "ليلا", "الليلي", "ليلاه", "،", ".", "_", "3", "20", "الخامس", "من", "شهر",
                 # the most runs each bound counts
                 "3 تموز ) عام 2015 م", "شهر تموز/ يوليو ) الماضي عام 2015 م", "20 رمضان المبارك 1436 هجري",
                 "5 اب سنه 2014 م", "الخامس من اب لعام 2015", "تموز ) سنه",
                 "3 تموز/ يوليو ) عام 2015 م", "3 تموز 1999", "3 اب عام 2015",
                 "يوم الخميس 20 من الشهر الجاري", "يوم الاثنين 20 من الشهر الماضي"])
    out = []
    for _ in range(n):
        words = [rnd.choice(pieces) if rnd.random() < 0.6 else rnd.choice(_FILLER) for _ in range(rnd.randint(1, 40))]
        out.append("".join(w + rnd.choice([" ", " ", "", "  ", "   ", "\n", " \n ", ". ", "، ", "\t", " ،", " _"])
                           for w in words))
    return out


def test_the_windows_ended_after_their_last_anchor_find_what_the_longer_windows_find(monkeypatch):
    """A window of "absolute", "month", "hijri", "monthday" or "night" ends where no match holding
    its anchors can reach (_AFTER: so many runs of spaces after the last anchor, each before one
    of the characters the expression may hold there): the dates are those of the windows as they
    were, on texts thick with what those expressions hold after their anchors."""
    texts = _after_texts(5000, 171) + _texts(1000, 172)
    fast = [_dates(t) for t in texts]
    with monkeypatch.context() as m:
        m.setattr(D, "_AFTER", {})
        longer = [_dates(t) for t in texts]
        longer_chars = sum(b - a for t in texts[:500] for ws in D._windows(Doc(t).norm).values() for a, b in ws)
    assert fast == longer
    assert sum(b - a for t in texts[:500] for ws in D._windows(Doc(t).norm).values() for a, b in ws) < longer_chars
    kinds = {d[4] for ds in fast for d in ds}
    assert {"absolute", "month", "hijri", "night"} <= kinds
    assert sum(map(len, fast)) > 8000


def test_the_after_walk_stops_at_the_runs_and_the_characters_it_is_given():
    norm = "ab  1x cd\t،e  f"
    assert [D._after_end(norm, 0, k, "1c،") for k in range(6)] == [2, 6, 9, 12, 13, 13]
    assert D._after_end(norm, 1, 2, "1") == 6            # before cd: its run's last space
    assert D._after_end(norm, 7, 1, "") == 10            # before ،, no word character: at it
    assert D._after_end("ab  ", 0, 1, "") == 4 and D._after_end("", 0, 3, "x") == 0
    assert D._after_end("ab cd", 5, 0, "") == 5


@pytest.mark.skipif(D.native_dates() is None, reason="the compiled dates module is not built (or MARSAD_PURE)")
def test_the_compiled_merge_is_its_twin():
    native = D.native_dates()
    rnd = random.Random(1513)
    texts = [Doc(t).norm for t in _run_texts(600, 153)] + ["", "a", " ", "ab cd"]
    for norm in texts:
        n = len(norm)
        for _ in range(5):
            spans = []
            for _ in range(rnd.randint(0, 8)):
                a = rnd.randint(0, n)
                spans.append((a, min(n, a + rnd.randint(0, 12))))
            args = (rnd.choice([0, 2, 10, D._WINDOW]), rnd.choice([0, 3, D._WINDOW]),
                    rnd.choice([-1, 0, 1, 2, 5]), rnd.choice([-1, 0, 1, 3]),
                    *rnd.choice([(-1, ""), (0, ""), (2, "ا"), (3, "ام1 "), (5, D._AFTER["month"][1])]))
            assert native.merge(list(spans), norm, *args) == D._merge_py(list(spans), norm, *args), (norm, spans, args)


@pytest.mark.skipif(D.native_dates() is None, reason="the compiled dates module is not built (or MARSAD_PURE)")
def test_the_compiled_digit_anchors_are_their_twins_and_the_regex_scans():
    native = D.native_dates()
    rnd = random.Random(151)
    alphabet = "0123456789/.-١٢٣ ab\u0966\u0967"   # ASCII, Eastern and Devanagari digits
    iso = D.re.compile(r"\d[/.-][01]?\d[/.-]\d")
    year = D.re.compile(r"(?:19|20)\d\d(?!\d)")
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(20000)]
    texts += [Doc(t).norm for t in _run_texts(300, 154)] + ["1", "19", "199", "1999", "2015-08-03", "3/8/2015", "\U0001d7ce/1/2"]
    for s in texts:
        got = native.digit_anchors(s)
        assert got == D._digit_anchors_py(s), s
        assert got.get("iso", []) == [(m.start(), m.end()) for m in iso.finditer(s)], s
        assert sorted(got.get("year", [])) == [(m.start(), m.end()) for m in year.finditer(s)], s
    assert sum("iso" in native.digit_anchors(s) for s in texts) > 1000


@pytest.mark.skipif(D.native_dates() is None, reason="the compiled dates module is not built (or MARSAD_PURE)")
def test_the_compiled_place_tests_keep_the_anchors_the_python_tests_keep():
    native = D.native_dates()
    rnd = random.Random(1514)
    glue = ["", " ", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل", "لل", "ال", "x", "_", "1", "2", "ع", "س", "(",
            "الخامس", "الحادي عشر", "3", "\n", "\u0966"]
    texts = [Doc(t).norm for t in _run_texts(1500, 155) + _texts(1500, 156)]
    for _ in range(3000):   # anchors glued to proclitics, ordinals, digits and letters on both sides
        words = [rnd.choice(glue) + rnd.choice(_PIECES + _AGO_PERIOD) + rnd.choice(glue) for _ in range(rnd.randint(1, 12))]
        texts.append(Doc(" ".join(words)).norm)
    texts += ["", "اب", "امس", " قبل ", "الماضي"]
    kept = 0
    for norm in texts:
        hits = D._ANCHORS(norm)
        got = native.anchor_spans(hits, norm, D._PLACED_CODES, D._ORDINALS)
        assert got == D._anchor_spans_py(hits, norm), norm
        kept += sum(map(len, got.values()))
    assert kept > 10000
    # a test without a code is called
    hits = [(2, (3, ((lambda norm, a, b: a == 0, ("x",)), (None, ("y",)))))]
    assert native.anchor_spans(hits, "abc", D._PLACED_CODES, D._ORDINALS) == {"x": [(0, 3)], "y": [(0, 3)]}


@pytest.mark.skipif(D.native_dates() is None, reason="the compiled dates module is not built (or MARSAD_PURE)")
@pytest.mark.parametrize("ordinals", [("",), ("س", "ر", "الخامس"), ("الخامس", "")])
def test_the_compiled_month_test_asks_the_ordinals_ending_in_the_letter_before(monkeypatch, ordinals):
    """The compiled month test asks only the ordinals ending in the letter before the month (by
    last letter, made once per tuple): the anchors kept are the Python test's with any tuple of
    ordinals, the empty one (which ends every text) included, and again with the real ones after."""
    native = D.native_dates()
    rnd = random.Random(1617)
    glue = ["", " ", "و", "ب", "ال", "س", "ر", "الخامس", "الخامسو", "ه", "1"]
    texts = [Doc(" ".join(rnd.choice(glue) + rnd.choice(["اب", "تموز", "ايار", "يوليو"]) + rnd.choice(glue)
                          for _ in range(rnd.randint(1, 10)))).norm for _ in range(2000)]
    for ords in (ordinals, D._ORDINALS):
        with monkeypatch.context() as m:
            m.setattr(D, "_ORDINALS", ords)
            for norm in texts:
                hits = D._ANCHORS(norm)
                assert native.anchor_spans(hits, norm, D._PLACED_CODES, ords) == D._anchor_spans_py(hits, norm), norm


def test_a_dates_label_is_its_isoformat_kept_or_not(monkeypatch):
    """The dates step's labels come from a bounded dict of the dates seen: each is the date's
    isoformat, whether kept, found again or made after the dict was emptied."""
    from datetime import timedelta
    monkeypatch.setattr(D, "_ISO", {})
    monkeypatch.setattr(D, "_ISO_KEPT", 50)
    rnd = random.Random(1618)
    for _ in range(3000):
        d = date(2015, 1, 1) + timedelta(days=rnd.randint(-400, 400))
        assert D._iso(d) == d.isoformat()
        assert len(D._ISO) <= 50
    assert D._iso(date(1, 1, 1)) == "0001-01-01"
