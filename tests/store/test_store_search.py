"""Full-text search with Arabic normalisation and clitic stripping."""

from __future__ import annotations

import pytest

from store_data import coded, event

TEXTS = {
    "t1": "القصف المدفعي استهدف حي الوعر في حمص.",
    "t2": "قتل ثلاثة أشخاص بقصف على بلدة تلبيسة.",
    "t3": "وقصفت الطائرات مواقع التنظيم قرب تدمر.",
    "t4": "تظاهر الأهالي في مدينة إدلب ضد الحصار.",
}


def _load(store):
    pairs = []
    for i, (rid, text) in enumerate(TEXTS.items()):
        pairs.append(coded(rid, text, "2015-08-03", "o",
                           [event(event_date=f"2015-08-0{i + 1}", location=f"L{i}",
                                  latitude=30.0 + i, notes="",
                                  evidence=[{"start": 0, "end": len(text), "field": "event"}])]))
    store.load_results(pairs)


def _ids(store, q):
    rows, total = store.search_reports(q)
    assert total == len(rows)
    return sorted(r["record_id"] for r in rows)


def test_clitic_forms_are_found(store):
    _load(store)
    assert _ids(store, "قصف") == ["t1", "t2", "t3"]          # القصف، بقصف، وقصفت
    assert _ids(store, "القصف") == ["t1", "t2", "t3"]
    assert _ids(store, "وقصفت") == ["t1", "t2", "t3"]
    assert _ids(store, "تظاهر") == ["t4"]
    assert _ids(store, "ادلب") == ["t4"]                      # hamza normalised: إدلب
    assert _ids(store, "قصف تدمر") == ["t3"]                  # every word must match
    assert _ids(store, "طائرة") == ["t3"]                    # الطائرات: same stem
    assert _ids(store, "مدرسة") == []


def test_event_query_text_filter(store):
    _load(store)
    events, total = store.query_events(q="قصف")
    assert total == 3
    assert store.query_events(q="حمص")[1] == 1
    assert store.query_events(q="قصف", date_from="2015-08-02")[1] == 2
    assert store.query_events(q='"') == store.query_events()   # no usable word: no filter


def _words_path(monkeypatch, compiled: bool):
    """search with its words found by the compiled core's pass (_core.key_words) or by numpy."""
    import pytest

    from marsad.store import search
    if compiled and search._core is None:
        pytest.skip("the compiled text core is not built (or MARSAD_PURE is set)")
    if not compiled:
        monkeypatch.setattr(search, "_core", None)
    search._text_words.cache_clear()
    return search


@pytest.mark.parametrize("compiled", [True, False])
def test_report_words_by_code_units_are_the_regular_expressions(monkeypatch, compiled):
    """search.key_words (a report's words by one pass in C, or one numpy look-up) and
    search._text_words (a quote's distinct words) give the words of
    _WORD.findall(normalize_key(text)) for any text: dropped marks joining two words' halves,
    punctuation and digits of other scripts, lone surrogates, characters past the BMP and
    presentation forms (several characters: the regular expression), text of Latin-1 only."""
    import random

    from marsad.text import normalize_key

    search = _words_path(monkeypatch, compiled)
    fixed = ["", " ", "abc", "déjà vu\xa0x_y", "قَصْفٌ على حمص، ودمشق؟ ١٢٣ و٤٥٦", "ـالقـصف_عاجل",
             "\ud800ab\udfffc", "رمز \U0001F600 هنا", "ﻻ ﷲ ﻷ", "AbC déjà\u00a0vu\u200cx",
             "q\u064bw\u0640e", "قصف قصف حمص قصف"]
    rng = random.Random(5)
    bmp = [chr(c) for c in range(0x10000)]
    marks = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0640", "\u200c"]
    texts = fixed + ["".join(rng.choice(bmp if rng.random() < 0.3 else marks + list("ab قصف ,"))
                             for _ in range(rng.randint(0, 50))) for _ in range(3000)]
    for t in texts:
        expected = search._WORD.findall(normalize_key(t))
        assert search.key_words(t) == expected, repr(t)
        assert search._text_words(t) == tuple(dict.fromkeys(expected)), repr(t)


@pytest.mark.parametrize("compiled", [True, False])
def test_report_words_of_every_code_unit_are_the_regular_expressions(monkeypatch, compiled):
    """Each of the 65,536 code units (those whose normal form is one character or none: the
    others take the regular expression) gives through search.key_words' tables the word, or no
    word, that normalize_key and \\w+ give it."""
    from marsad.text import normalize_key

    search = _words_path(monkeypatch, compiled)
    text = " ".join(c for c in map(chr, range(0x10000)) if len(normalize_key(c)) <= 1)
    words = search.key_words(text)
    assert len(words) > 40_000
    assert words == search._WORD.findall(normalize_key(text))


def test_terms_line_in_c_is_the_python_one(monkeypatch):
    """index_terms joins each word's readings in the compiled text core (_core.joined_terms):
    the same line as the Python path, each term once in order of first appearance, for one text,
    several texts sharing words, and a table cleared when it grows past its limit."""
    import random

    import pytest

    from marsad.store import search
    if search._core is None:
        pytest.skip("the compiled text core is not built (or MARSAD_PURE is set)")
    rng = random.Random(7)
    words = "قصف القصف وقصفت بقصف الطائرات طائرة حمص ادلب في على قتل ثلاثة abc 123 x".split()
    texts = list(TEXTS.values()) + [" ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
                                    for _ in range(200)]
    calls = [((t,), True) for t in texts] + [(tuple(rng.sample(texts, 3)) + (None, ""), once)
                                              for once in (False, True) for _ in range(50)]
    monkeypatch.setattr(search, "_TERMS_LIMIT", 20)   # cleared again and again
    compiled = [search.index_terms(*t, once=o) for t, o in calls]
    assert len(search._TERMS) <= 20 < len({w for t in texts for w in search.key_words(t)})
    monkeypatch.setattr(search, "_core", None)
    search._TERMS.clear()
    assert compiled == [search.index_terms(*t, once=o) for t, o in calls]
    assert compiled[0].split() == list(dict.fromkeys(compiled[0].split()))   # each term once


def test_terms_line_written_in_c_is_the_joined_terms():
    """_core.joined_terms writes each new term into the line itself: the line is " ".join of
    the words' terms, each once in order of first appearance, for terms of each storage kind
    (ASCII, Latin-1, Arabic, past the BMP), an empty term first, repeated and shared ones, no
    words, a line longer than its first buffer, and words whose terms it makes; a term that is
    not a str raises TypeError (fails if the characters of a term past the BMP are narrowed:
    checked)."""
    import random
    from itertools import chain

    from marsad.store import search
    if search._core is None:
        pytest.skip("the compiled text core is not built (or MARSAD_PURE is set)")
    rng = random.Random(3)
    pool = ["a", "abc", "é", "café", "ع", "قصف", "\U0001f600", "x\U0001f600", "ÿ", "\u2028", "ـ", ""]
    table = {f"w{i}": tuple(rng.sample(pool, rng.randint(0, 4))) for i in range(40)}
    made = ["والقصف", "بغداد", "abc", "حمص"]

    def line(words):
        terms = chain.from_iterable(table[w] if w in table else search.readings_py(w) for w in words)
        return " ".join(dict.fromkeys(terms))

    table["empty"] = ("", "a")
    cases = [[], ["w0"], ["w1", "w1"], made, [f"w{i}" for i in range(40)] * 3, ["empty", "w2"]]
    cases += [[rng.choice(list(table) + made) for _ in range(rng.randint(0, 60))] for _ in range(300)]
    big = {f"long{i}": (f"{'ق' * 50}{i}", f"x{i}") for i in range(500)}
    table.update(big)
    cases.append(list(big))
    for words in cases:
        want = line(words)
        got = search._core.joined_terms(iter(words), dict(table), search.PROCLITICS,
                                        search._SUFFIXES, search.MIN_STEM)
        assert got == want and type(got) is str
        assert got.isascii() == want.isascii()
    with pytest.raises(TypeError):
        search._core.joined_terms(["w"], {"w": ("a", 3)}, search.PROCLITICS, search._SUFFIXES,
                                  search.MIN_STEM)
