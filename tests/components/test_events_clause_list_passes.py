"""A place's list read from words scanned in C (events/_sides.pyx's list_words, no match object
per word) gives what split._list_items_py gives, call by call: the words are split._LIST_WORD's,
a word cut where the scan starts read as cut; the head test's sift (a bit per head's length,
first two letters and last letter) lets every head through. And the clause openers compared letter by letter with the first words of a token's own
first letter and length (events/_fast.pyx: a chain per letter and length) give
clauses._clause_openers_py's starts.
A sentence's clause marks where it holds a "-" scanned in C (events/_cand.pyx's clause_marks)
are clauses._CLAUSE_PUNCT's matches. MARSAD_PURE=1 runs the twins (these comparisons then skip)."""

from __future__ import annotations

import random

import pytest

from marsad.components.events import clauses, native
from marsad.components.events.context import Ctx
from marsad.doc import Doc, new_span

from twin_reports import reports

needs_sides = pytest.mark.skipif(native._sides is None or native.candidate_path() is None,
                                 reason="events/_sides.pyx is not built (or MARSAD_PURE)")
needs_fast = pytest.mark.skipif(native._fast is None, reason="events/_fast.pyx is not built (or MARSAD_PURE)")

# lists after plural and dual heads, one behind و/ف/ب, after "بين", long sentences (the scan
# starts 120 characters before the place, inside a word), quotes and brackets around names
LISTS = [
    "قصفت قوات النظام قرى الحويز والحواش والعنكاوي في ريف حماة، فيما قتل 3 مدنيين في حلب.",
    "أصيب ثلاثة جنود بانفجار عبوة ناسفة في قريتي محمبل وجوزف بريف إدلب بعد أن قصف الجيش المنطقة.",
    "سيطر الجيش على مناطق الجفينة والسائلة والتباب السود في محافظة مأرب، الا ان المعارك مستمرة.",
    "قتل 5 مدنيين في قصف على بلدات كفرنبل وحاس وسراقب وقرية الزرقاء، كما قتل جندي في درعا.",
    "قطع مسلحون الطريق الرابط بين مدينتي بيتليس وديار بكر جنوب شرق تركيا.",
    "شنت طائرات التحالف غارات على مديريات «حيس» و«الخوخة» و(موزع) غرب تعز وقتلت 9 مسلحين.",
    "واستهدف القصف المدفعي العنيف الذي نفذته قوات النظام السوري صباح اليوم الاثنين من مواقعها "
    "المتمركزة في التلال المحيطة بالمنطقة وبقرى السكيك والتمانعة والخوين وأم جلال في ريف إدلب الجنوبي.",
    "وقالت مصادر محلية إن الطيران الحربي شن أكثر من عشرين غارة جوية استهدفت بشكل مكثف ومتواصل أحياء "
    "المدينة القديمة وفبلدات تلبيسة والرستن والغنطو، وأدى القصف إلى مقتل 7 أشخاص.",
]


@needs_sides
def test_list_words_are_the_list_pattern_words():
    """list_words' (start, end) pairs are split._LIST_WORD's matches from the scan's start (inside
    a word or not) to the sentence's end (or past the text's), over random texts of words, spaces, punctuation, quotes and brackets."""
    from marsad.components.events import _sides, split

    rnd = random.Random(11)
    pieces = ["قرى", "وقرية", "الحويز", "ب", "،", ",", ".", "؛", "«", "»", "(", ")", "\"", "'", " ", "  ",
              "\n", "\t", "\u00a0", "و", "مدن", "x", "12", "؟"]
    n = 0
    for _ in range(400):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        s0 = rnd.randint(0, len(text))
        s1 = rnd.randint(s0, len(text) + 3)
        want = [m.span() for m in split._LIST_WORD.finditer(text, s0, s1)]
        assert _sides.list_words(text, s0, s1) == want, (text, s0, s1)
        n += len(want)
    assert n > 400


def _places_at_every_word(doc: Doc, rnd: random.Random) -> list:
    """Spans standing for places at each word start, at a letter inside words, and at the real
    places of the report (what list_items reads of a place: its sentence and normalised ends)."""
    out = list(doc.layer("places"))
    for si, (s0, s1) in enumerate(doc.sentences):
        for t in doc.tokens:
            if s0 <= t.start < s1:
                for a in {t.start, min(t.start + rnd.randint(0, 3), t.end - 1)}:
                    b = max(a + 1, min(t.end, s1))
                    out.append(new_span(doc.offsets[a], doc.offsets[b] if b < len(doc.offsets) else len(doc.text),
                                        "LOC", doc.norm[a:b], si, {"n0": a, "n1": b}))
    return out


@needs_sides
def test_list_items_from_list_words_equal_their_python_twin(monkeypatch):
    """Every place of each report, and a place at every word (and inside words: the scan then
    starts inside one 120 characters before in the long sentences): the same items in the same
    shapes as split._list_items_py; the same with the head test replaced (the module's
    _head_before asked, then the full scan)."""
    from marsad.components.events import _sides, split
    from marsad.pipeline import default_pipeline

    assert split._list_items is _sides.list_items
    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    rnd = random.Random(3)
    found = {True: 0, False: 0}
    for forced in (False, True):
        if forced:
            monkeypatch.setattr(split, "_head_before", lambda text, lo, n0, s1: True)
        for text, published in reports(LISTS, seed=True):
            doc = Doc(text, published, {})
            for step in steps:
                step(doc)
            places = _places_at_every_word(doc, rnd)
            ctx = Ctx(doc)
            for p in places:
                got = _sides.list_items(doc, ctx, p.sent, p)
                want = split._list_items_py(doc, ctx, p.sent, p)
                assert got == want and [type(x) for x in got] == [type(x) for x in want], (doc.norm, p.data)
                found[bool(got)] += 1
    assert found[True] >= 40 and found[False] >= 400, found


@needs_fast
def test_clause_openers_compared_by_letters_equal_their_python_twin():
    """The openers of random texts by word lists whose first words share first letters and
    lengths ("كما"/"كذا", "حين"/"حيث"), with tokens of those letters and lengths that are no first
    word, and by a list with a first word of 64 letters (looked up per token): the same starts."""
    from marsad.components.events import _fast

    rnd = random.Random(5)
    lists = [
        clauses._CLAUSE_WORDS,
        {"كما": ([],), "كذا": (["ذلك"],), "حين": ([],), "حيث": ([], ["ان"]), "في": (["حين"], ["غضون", "ذلك"])},
        {"كما": ([],), "ب" * 64: ([],), "في": (["حين"],)},
    ]
    pieces = ["كما", "كذا", "كمن", "حين", "حيث", "حيز", "في", "فيما", "ذلك", "ان", "غضون", "قصف", "و",
              "ب" * 64, "ب" * 63, "كما؟"]
    n = 0
    for _ in range(300):
        doc = Doc(" ".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 25))))
        norms = [t.norm for t in doc.tokens]
        for words in lists:
            saved, clauses._CLAUSE_WORDS = clauses._CLAUSE_WORDS, words
            try:
                want = clauses._clause_openers_py(doc, norms)
            finally:
                clauses._CLAUSE_WORDS = saved
            assert _fast.clause_openers(doc.tokens, norms, words) == want, (doc.norm, words)
            n += len(want)
    assert n > 500


@needs_fast
def test_clause_openers_chains_and_long_lists_equal_their_python_twin():
    """First words chained by letter and length (four of "ك" and three letters), the following
    words equal by letters but not the same objects, a str subclass among the tokens' words, and
    a list of more than 256 first words (looked up per token): clauses._clause_openers_py's starts."""
    from marsad.components.events import _fast

    class Word(str):
        pass

    rnd = random.Random(7)
    chain = {"كما": ([],), "كذا": (["ذلك"],), "كان": (["قد", "قصف"],), "كتب": ([], ["ان"])}
    many = dict(chain)
    for i in range(300):
        many["ق" + str(i)] = (["ذلك"],) if i % 2 else ([],)
    pieces = ["كما", "كذا", "كان", "كتب", "كنز", "قد", "قصف", "ذلك", "ان", "ق7", "ق8", "ق299", "و"]
    n = 0
    for _ in range(300):
        norms = ["".join(list(rnd.choice(pieces))) for _ in range(rnd.randint(1, 20))]
        if rnd.random() < 0.3:
            norms[rnd.randrange(len(norms))] = Word(rnd.choice(pieces))
        doc = Doc(" ".join(norms))
        for words in (chain, many):
            saved, clauses._CLAUSE_WORDS = clauses._CLAUSE_WORDS, words
            try:
                want = clauses._clause_openers_py(doc, norms)
            finally:
                clauses._CLAUSE_WORDS = saved
            assert _fast.clause_openers(doc.tokens, norms, words) == want, (norms, len(words))
            n += len(want)
    assert n > 300


@needs_sides
def test_head_sift_passes_every_head_and_keeps_the_head_test():
    """The head test's sift (a bit per length, first two letters and last letter of the shipped
    heads) lets every head through, bare and after و/ف/ب, and the compiled head test still gives
    split._head_before_py's verdict over random texts of heads and words that share a head's
    length, first letters and last letter ("قريني" beside "قريتي", "مدى" beside "مدن")."""
    from marsad.components.events import _sides, split

    assert all(_sides.maybe_head(h) and all(_sides.maybe_head(c + h) for c in "وفب") for h in split._HEADS)
    near = ["قريني", "مدى", "بلدان", "مناطقي", "قرى", "حيث", "محاولات", "مديرية", "قصف", "المدن"]
    pool = sorted(split._HEADS) + near
    rnd = random.Random(13)
    seen = {True: 0, False: 0}
    for _ in range(3000):
        text = ""
        for _ in range(rnd.randint(0, 16)):
            text += rnd.choice([" ", "، ", "  ", " «", "» ", "\n"]) + rnd.choice(["", "و", "ف", "ب", "ل"]) + rnd.choice(pool)
        n = len(text)
        lo, n0 = rnd.randint(0, n), rnd.randint(0, n + 2)
        s1 = rnd.choice([n, rnd.randint(0, n + 1)])
        want = split._head_before_py(text, lo, n0, s1)
        assert _sides.head_before(split._HEADS, text, lo, n0, s1) == want, (text, lo, n0, s1)
        seen[want] += 1
    assert min(seen.values()) > 300, seen
    # a word list of other heads is looked up word by word (the sift is the shipped heads')
    assert _sides.head_before(frozenset(["مدى"]), "قصف مدى حلب", 0, 8, 11)


@needs_sides
def test_clause_marks_are_the_clause_punct_matches():
    """clause_marks: the starts of clauses._CLAUSE_PUNCT's finditer matches over random texts of
    dashes between spaces of several kinds (" - - ", "\t-\n", "x-y", a dash at the scan's end),
    brackets and commas, at random bounds; and a report's breaks through clause_breaks."""
    from marsad.components.events import context

    cand = native.candidate_path()
    rnd = random.Random(17)
    pieces = [" ", "-", " - ", "\t", "\n", "\u00a0", "،", ",", ":", ";", "(", ")", "[", "]", "قصف", "x", "--", "ـ"]
    n = 0
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25)))
        a = rnd.randint(-2, len(text) + 1)
        b = rnd.randint(a, len(text) + 3)
        want = [m.start() for m in clauses._CLAUSE_PUNCT.finditer(text, a, b)]
        assert cand.clause_marks(text, a, b) == want, (text, a, b)
        n += len(want)
    assert n > 3000
    doc = Doc("قصف الجيش - المدينة - وقتل 3")
    norm = doc.norm
    ctx = context.Ctx(doc)
    assert cand.clause_breaks(doc, ctx, 0, len(norm)) == [m.start() for m in clauses._CLAUSE_PUNCT.finditer(norm)]


@needs_sides
def test_neighbour_clusters_made_in_c_equal_the_lookup(monkeypatch):
    """A word the neighbours' cluster cache lacks gets clusters.lookup's answer (the word, or its
    stem behind a proclitic) from the compiled path, kept in the cache as __missing__ keeps it;
    a word met again is the cached answer; with another clusters module in place, its lookup is
    asked (through the cache's __missing__)."""
    from types import SimpleNamespace

    from marsad.components.events import features

    if features._clusters is None:
        pytest.skip("no clusters module")
    cand = native.candidate_path()
    lookup = features._clusters.lookup
    words = set()
    for text, _ in reports(LISTS, seed=True):
        words.update(t.norm for t in Doc(text).tokens)
    words |= {"وال" + w for w in list(words)[:50]} | {"بال" + w for w in list(words)[:50]} | {"و", "ال", "xyz"}
    fresh = features._ClusterOf()
    monkeypatch.setattr(features, "_CLUSTER_OF", fresh)
    found = 0
    for w in sorted(words):
        want = lookup(w)
        assert cand.cluster_of(w) == want and w in fresh and fresh[w] == want, w
        assert cand.cluster_of(w) == want
        found += want is not None
    assert found > 50 and len(fresh) == len(words)
    assert cand.cluster_of("") is None
    other = features._ClusterOf()
    monkeypatch.setattr(features, "_CLUSTER_OF", other)
    monkeypatch.setattr(features, "_clusters", SimpleNamespace(lookup=lambda w: (7, len(w))))
    assert cand.cluster_of("قصف") == (7, 3) and other["قصف"] == (7, 3)
