"""The places step's faster ways (outside ``find``) against the code they replace."""

import bisect
import random
import re

from marsad.doc import Doc, new_span
from marsad.places import names


def _transliterate_slow(ar):
    """transliterate as it was: a join over the letters' look-ups and re.sub by pattern text."""
    words = []
    for w in names.name_key(ar).split():
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
            pre = "Al "
        else:
            pre = ""
        lat = "".join(names._TRANSLIT.get(ch, ch) for ch in w).replace("'", "")
        lat = re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])w(?=[bcdfghjklmnpqrstvwxz])", "u", lat)
        lat = re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])y(?=[bcdfghjklmnpqrstvwxz])", "i", lat)
        words.append(pre + lat.capitalize())
    return " ".join(words)


def test_transliteration_as_the_letter_by_letter_join():
    rnd = random.Random(5)
    letters = list(names._TRANSLIT) + list("ال ىةأإآؤئ_-،.'wyWYbk1ّ") + ["ال", "وي", "يو", " ال"]
    texts = ["حي الخالدية", "خربة غزالة", "", " ", "ال", "الي", "'", "wyw", "بوب", "ييي"]
    texts += ["".join(rnd.choice(letters) for _ in range(rnd.randint(0, 25))) for _ in range(5000)]
    for t in texts:
        assert names.transliterate(t) == _transliterate_slow(t), t
    assert names.transliterate("حي الخالدية") == "Hy Al Khaldih"


def _loc_spans_slow(doc):
    """tagged.loc_spans as it was: every span of layer "ner" asked, the other layers' table
    made whatever the layer holds."""
    from marsad.places import tagged as t
    out = []
    toks = doc.tokens
    other_starts, reach = t.starts_and_reach([(x.start, x.end) for name in t.OTHER_LAYERS for x in doc.layer(name)])
    for s in doc.layer("ner"):
        if s.label != "LOC" or not s.data.get("tokens"):
            continue
        k = bisect.bisect_left(other_starts, s.end)
        if k and reach[k - 1] > s.start:
            continue
        i, j = s.data["tokens"]
        if not (0 <= i < j <= len(toks)):
            continue
        cut = t._cuts.get(toks[i].norm)
        if cut is None:
            cut = t._cut(toks[i].norm)
        out.append((s, i, j, cut, toks[i].start + cut, toks[j - 1].end))
    return out


def test_loc_spans_as_every_ner_span_asked():
    from marsad.places import tagged as t
    rnd = random.Random(13)
    doc0 = Doc("قصف والقصير وبالرقة في حمص الجديدة، ثم عاد الهدوء إلى للمدينة والريف الشرقي لحلب")
    n = len(doc0.tokens)
    size = len(doc0.text)
    for _ in range(2000):
        doc = Doc(doc0.text)
        for _ in range(rnd.randint(0, 8)):
            i = rnd.randint(-1, n)
            j = rnd.randint(i - 1, n + 1)
            a = rnd.randint(0, size)
            tokens = rnd.choice([(i, j), None, ()])
            data = {} if tokens is None else {"tokens": tokens}
            doc.add("ner", new_span(a, rnd.randint(a, size), rnd.choice(["LOC", "LOC", "PER", "ORG"]), "", -1, data))
        for _ in range(rnd.randint(0, 6)):
            a = rnd.randint(0, size)
            doc.add(rnd.choice(t.OTHER_LAYERS + ("places",)), new_span(a, rnd.randint(a, min(size, a + 12)), "X", "", -1, {}))
        assert t.loc_spans(doc) == _loc_spans_slow(doc)


def _boundaries(starts):
    """The positions where a bisect of the starts can stop: after the last of equal starts."""
    return [k for k in range(1, len(starts) + 1) if k == len(starts) or starts[k] != starts[k - 1]]


class _Plain:
    """Spans with fields of no slot (read by getattr), a class the compiled table has not seen."""

    def __init__(self, start, end):
        self.start, self.end = start, end


def test_span_table_compiled_as_its_twin():
    """``_scan.span_table`` (when built) against ``tagged.span_table_py`` on random groups of
    spans (Spans, Mentions, plain objects; mostly in order, shuffled, reversed, long): the same
    starts, the same furthest end wherever a bisect can stop, the same int objects' values."""
    from marsad.places import geoparser as g
    from marsad.places import tagged as t
    from marsad.text.native import compiled
    scan = compiled("marsad.places._scan", g.SCAN_API)
    assert t.span_table_py([[]]) == ([], []) and t.span_table_py(()) == ([], [])
    if scan is None:
        return
    rnd = random.Random(23)
    kinds = [lambda a, b: new_span(a, b, "X", "", 0, {}), lambda a, b: g.Mention(a, b, "x", 0), _Plain]
    for trial in range(3000):
        groups = []
        for _ in range(rnd.randint(0, 6)):
            n = rnd.choice([0, 1, 3, 10, 40, 300 if trial % 50 == 0 else 5])
            pairs = [(a, a + rnd.randint(0, 25)) for a in (rnd.randint(0, 2000) for _ in range(n))]
            order = rnd.random()
            if order < 0.6:
                pairs.sort()
            elif order < 0.7:
                pairs.sort(reverse=True)
            make = rnd.choice(kinds)
            groups.append([make(a, b) for a, b in pairs])
        want = t.span_table_py(groups)
        got = scan.span_table(groups)
        assert got[0] == want[0]
        for k in _boundaries(want[0]):
            assert got[1][k - 1] == want[1][k - 1], (trial, k)
        assert len(got[1]) == len(want[1])
    assert scan.span_table([[_Plain(5, 9), _Plain(2, 3)], []]) == ([2, 5], [3, 9])
    assert scan.span_table([]) == ([], [])


def test_says_word_compiled_as_its_twin():
    """``_scan.says_word`` (when built) against ``component.says_word_py`` on random token
    lists, O probabilities and spans (inside, across, between and past the tokens)."""
    from marsad.places import component as c
    from marsad.places import geoparser as g
    from marsad.text import Token
    from marsad.text.native import compiled
    scan = compiled("marsad.places._scan", g.SCAN_API)
    if scan is None:
        return
    rnd = random.Random(29)
    for trial in range(2000):
        toks, pos = [], 0
        for i in range(rnd.randint(0, 30)):
            pos += rnd.randint(0, 3)
            end = pos + rnd.randint(1, 6)
            toks.append(Token(pos, end, "w", i, 0))
            pos = end
        rejected = {i: rnd.choice([0.5, 0.8, 0.85, 0.91, 0.95, 1.0]) for i in range(len(toks)) if rnd.random() < 0.7}
        for _ in range(20):
            a = rnd.randint(-2, pos + 3)
            b = a + rnd.randint(0, 12)
            for reject in (0.8, 0.91):
                assert scan.says_word(toks, rejected, a, b, reject) == c.says_word_py(toks, rejected, a, b, reject), \
                    (trial, a, b, reject)


def test_apart_compiled_as_its_twin_and_the_overlap_test():
    """``tagged.apart_py`` keeps the entries the overlap test of the same mentions refuses, in
    order; ``_scan.apart`` (when built) gives the same list (the same tuples)."""
    from marsad.places import geoparser as g
    from marsad.places import tagged as t
    from marsad.text.native import compiled
    scan = compiled("marsad.places._scan", g.SCAN_API)
    rnd = random.Random(31)
    for trial in range(2000):
        ms = [g.Mention(a, a + rnd.randint(0, 20), "x", 0) for a in (rnd.randint(0, 300) for _ in range(rnd.randint(0, 15)))]
        spans = []
        for _ in range(rnd.randint(0, 15)):
            a = rnd.randint(-5, 320)
            spans.append((object(), 0, 1, 0, a, a + rnd.randint(0, 15)))
        tables = t.span_table_py((ms,))
        test = t.overlap_test(ms, tables)
        want = [sp for sp in spans if not any(m.start < sp[5] and sp[4] < m.end for m in ms)]
        assert [sp for sp in spans if not test(sp[4], sp[5])] == want
        assert t.apart_py(spans, *tables) == want
        if scan is not None:
            got = scan.apart(spans, *scan.span_table((ms,)))
            assert len(got) == len(want) and all(x is y for x, y in zip(got, want)), trial


def test_loc_rows_compiled_as_its_twin():
    """``_scan.loc_rows`` (when built) against ``tagged.loc_rows_py``: the same rows (the same
    span objects) for random LOC spans (token pairs as tuples or lists, out of range, empty or
    missing) over random tables, and the same words asked of ``cut`` (those the table lacks)."""
    from marsad.places import geoparser as g
    from marsad.places import tagged as t
    from marsad.text.native import compiled
    scan = compiled("marsad.places._scan", g.SCAN_API)
    if scan is None:
        return
    rnd = random.Random(37)
    doc = Doc("قصف والقصير وبالرقة في حمص الجديدة، ثم عاد الهدوء إلى للمدينة والريف الشرقي لحلب")
    toks, n, size = doc.tokens, len(doc.tokens), len(doc.text)
    for trial in range(2000):
        locs = []
        for _ in range(rnd.randint(0, 10)):
            i = rnd.randint(-1, n)
            j = rnd.randint(i - 1, n + 1)
            a = rnd.randint(0, size)
            tokens = rnd.choice([(i, j), [i, j], None, ()])
            locs.append(new_span(a, rnd.randint(a, size), "LOC", "", -1, {} if tokens is None else {"tokens": tokens}))
        others = [new_span(a, a + rnd.randint(0, 12), "X", "", -1, {}) for a in (rnd.randint(0, size) for _ in range(rnd.randint(0, 6)))]
        tables = t.span_table_py((others,))
        seed = {w: t._cut(w) for w in rnd.sample([tk.norm for tk in toks], rnd.randint(0, n))}
        runs = []
        for rows in (t.loc_rows_py, scan.loc_rows):
            cuts, asked = dict(seed), []

            def cut(w, cuts=cuts, asked=asked):
                asked.append(w)
                cuts[w] = t._cut(w)
                return cuts[w]
            runs.append((rows(locs, toks, *tables, cuts, cut), asked, cuts))
        (want, asked_py, cuts_py), (got, asked_c, cuts_c) = runs
        assert got == want and all(x[0] is y[0] for x, y in zip(got, want)), trial
        assert asked_c == asked_py and cuts_c == cuts_py


class _Gaz:
    """The little of a gazetteer that ``place_fields`` reads: places by id, governorate seats."""

    def __init__(self, places, capital):
        self.places, self.capital = places, capital
        self._by_id = {p.id: p for p in places}

    def get(self, pid):
        return self._by_id.get(pid)


def _mention_data_slow(gp, text, m):
    """A resolved mention's data as ``mention_data`` built it before ``place_data``: every key
    in order, geo_precision by the feature, else by the cue and bearing."""
    from marsad.places import component as c
    from marsad.places.geoparser import PRECISION
    p = m.place
    location, lat, lon, cc, admin1, geonameid, pid, feature, parent = c.place_fields(gp, p)
    if p.feature in PRECISION:
        precision = PRECISION[p.feature]
    else:
        precision = 2 if m.cue == "countryside" or m.direction else 1
    return {"location": location, "location_ar": text, "latitude": lat, "longitude": lon,
            "centroid": [p.lat, p.lon], "country_code": cc, "admin1_code": admin1,
            "geo_precision": precision, "geonameid": geonameid, "place_id": pid, "resolved": True,
            "feature": feature, "parent": parent, "score": round(m.score, 2),
            "countryside": m.cue == "countryside", "demonym": m.demonym, "context": m.context_only,
            "direction": m.direction or None}


def test_place_data_as_the_data_built_key_by_key():
    """``component.place_data_py`` and ``_scan.place_data`` (when built), through
    ``mention_data`` and its template table, give the data (keys in order, values and their
    types) that the mention's fields and its place gave key by key, on random mentions (every
    feature, cue, bearing, score; a subclass of Mention read by name); None without a place or
    a template."""
    from types import SimpleNamespace

    from marsad.places import component as c
    from marsad.places import geoparser as g
    from marsad.places.gazetteer import Place
    from marsad.text.native import compiled
    scan = compiled("marsad.places._scan", g.SCAN_API)
    ways = [c.place_data_py] + ([scan.place_data] if scan is not None else [])

    class _Sub(g.Mention):
        __slots__ = ()

    rnd = random.Random(43)
    features = list(g.PRECISION) + ["city", "village", "quarter", "camp", "base", "airport", "crossing"]
    places = [Place(f"p{i}", rnd.choice([None, 1000 + i]), f"Name{i}", "اسم", rnd.choice([None, 33.5, -1.25]),
                    rnd.choice([None, 36.25, 44.0]), "SY", rnd.choice(["", "SY-HM", "SY-DI"]), rnd.choice(features),
                    rnd.randint(0, 50000), rnd.choice(["", "p0", "p1"]), "test") for i in range(60)]
    places += [Place("seat", 1, "Homs", "حمص", 34.7, 36.7, "SY", "SY-HM", "city", 900000, "", "test")]
    gp = SimpleNamespace(gaz=_Gaz(places, {"SY-HM": len(places) - 1}))
    doc = SimpleNamespace(text="في حي الخالدية بمدينة حمص " * 3)
    for way in ways:
        c.place_data = way
        try:
            fields = {}
            for trial in range(3000):
                cls = _Sub if rnd.random() < 0.2 else g.Mention
                m = cls(0, 3, "key", 0, cue=rnd.choice(["", "countryside", "city", "quarter"]),
                        direction=rnd.choice(["", "شمال"]), demonym=rnd.random() < 0.1,
                        place=rnd.choice(places), score=rnd.choice([0.0, 1.0, 0.125, 0.375, 2.675, 0.5 + trial / 7, 3]),
                        context_only=rnd.random() < 0.2)
                a = rnd.randint(0, 20)
                b = a + rnd.randint(0, 15)
                want = _mention_data_slow(gp, doc.text[a:b], m)
                got = c.mention_data(gp, doc, m, a, b, fields if trial % 5 else None)
                assert list(got.items()) == list(want.items()), (way, trial)
                assert [type(v) for v in got.values()] == [type(v) for v in want.values()], (way, trial)
                again = way(fields, doc.text[a:b], m)
                assert again is None or (again == want and again is not got), (way, trial)
            m = g.Mention(0, 3, "key", 0)
            assert way(fields, "", m) is None
            m.place = Place("new", None, "New", "جديد", None, None, "SY", "", "city", 0, "", "test")
            assert way(fields, "", m) is None
        finally:
            c.place_data = c._scan.place_data if c._scan is not None else c.place_data_py


def _check_governorate_slow(mentions, places, capital=None):
    """geoparser.check_governorate as it was: a pass for the governorates, one for every
    governorate's names, one over all mentions."""
    from marsad.places.geoparser import _MINOR, NEST_KM, SMALL_POP, _km
    gov = {}
    for m in mentions:
        if m.place is not None and m.place.feature == "admin1" and not m.demonym:
            gov.setdefault(m.sent, []).append(m.place)
    if not gov:
        return
    where = {g.admin1: [(g.lat, g.lon)] for gs in gov.values() for g in gs}
    for a1 in where:
        if capital and a1 in capital:
            c = places[capital[a1]]
            where[a1].append((c.lat, c.lon))
    admin1_keys = {}
    for m in mentions:
        if m.place is not None and m.place.admin1:
            admin1_keys.setdefault(m.place.admin1, set()).add(m.key)
    for m in mentions:
        p = m.place
        if p is None or m.sent not in gov or m.hashtag or p.feature not in _MINOR or p.population >= SMALL_POP:
            continue
        same_cc = [g for g in gov[m.sent] if g.cc == p.cc]
        if not same_cc or any(g.admin1 == p.admin1 for g in same_cc) or len(admin1_keys[p.admin1]) > 1:
            continue
        if p.lat is not None and any(la is not None and _km(p.lat, p.lon, la, lo) <= NEST_KM
                                     for g in same_cc for la, lo in where[g.admin1]):
            continue
        alt = [(i, s) for i, s in m.cands if any(places[i].admin1 == g.admin1 for g in same_cc)]
        if alt:
            m.place = places[max(alt, key=lambda c: c[1])[0]]
        else:
            m.place, m.score = None, 0.0


def test_check_governorate_as_it_was():
    """``check_governorate`` (one pass sorting the governorates and the small places, the names
    by governorate only when asked) leaves the mentions' places and scores as the three full
    passes did, on random reports of governorates, towns near and far, namesakes and demonyms."""
    import copy

    from marsad.places import geoparser as g
    from marsad.places.gazetteer import Place
    rnd = random.Random(47)
    a1s = ["SY-HM", "SY-DI", "YE-DA", "YE-HJ"] * 5 + [""]
    places = []
    for i in range(80):
        a1 = rnd.choice(a1s)
        feature = "admin1" if i < 8 and a1 else rnd.choice(["city", "village", "quarter", "camp", "admin2", "area"])
        lat, lon = rnd.choice([(None, None), (33.0 + rnd.random() * 3, 36.0 + rnd.random() * 3)])
        places.append(Place(f"p{i}", None, f"N{i}", "اسم", lat, lon, a1[:2] or "SY", a1, feature,
                            rnd.choice([0, 0, 5000, 19999, 20000, 100000]), "", "test"))
    capital = {"SY-HM": 10, "YE-DA": 11}
    for trial in range(1500):
        ms = []
        for _ in range(rnd.randint(0, 14)):
            i = rnd.randrange(len(places))
            m = g.Mention(0, 1, rnd.choice([f"k{i}", f"k{i}", "a"]), rnd.randint(0, 1),
                          cands=[(j, rnd.random()) for j in rnd.sample(range(len(places)), rnd.randint(0, 12))],
                          hashtag=rnd.random() < 0.1, demonym=rnd.random() < 0.1,
                          place=None if rnd.random() < 0.15 else places[i], score=rnd.random())
            ms.append(m)
        want = copy.deepcopy(ms)
        outcomes = []
        for f, arg in ((_check_governorate_slow, want), (g.check_governorate, ms)):
            try:
                f(arg, places, capital if trial % 3 else None)
                outcomes.append(None)
            except KeyError as e:  # a small place without a governorate code, as it was
                outcomes.append(e.args)
        assert outcomes[0] == outcomes[1], trial
        assert [(m.place, m.score) for m in ms] == [(m.place, m.score) for m in want], trial


def test_lands_of_as_the_readings_alone():
    """``geoparser._in_territory`` (a word ending in no territory word is none, without its
    readings) as the proclitic readings of the previous word alone said, on random texts of
    territory words with clitics, near misses and "من داخل"."""
    from marsad.places import geoparser as g
    from marsad.text.tokens import strip_proclitics
    rnd = random.Random(53)
    terr = sorted(g._TERRITORY)
    pieces = terr + ["و" + t for t in terr] + ["بال" + t.removeprefix("ال") for t in terr] + [t[1:] for t in terr]
    pieces += [t + "ه" for t in terr] + ["من", "داخل", "في", "السوريه", "قصف", "وللاراضي", "اراض", "،", "\n"]
    for trial in range(3000):
        text = " ".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 6))) + " دمشق"
        pos = len(text) - 4
        prev, pstart = g.prev_word(text, pos)
        want = any(stem in g._TERRITORY for _, stem in strip_proclitics(prev)) and not g._FROM.search(
            text, max(0, pstart - 12), pstart)
        assert g._in_territory(text, pos) == g._lands_of(text, prev, pstart) == want, text


def _cut_by_readings(first):
    """tagged._cut as it was: the largest cut among the word's proclitic readings."""
    from marsad.places.names import _AL_PROCLITICS
    from marsad.text import strip_proclitics
    cut = 0
    for p, stem in strip_proclitics(first):
        if p in _AL_PROCLITICS and p != "ال" and len(stem) >= 3:
            cut = max(cut, len(p) - 2 if p.endswith("ال") else len(p))
    return cut


def test_cut_as_the_readings_give():
    from marsad.places import tagged
    from marsad.text.tokens import PROCLITICS
    rnd = random.Random(16)
    heads = sorted(set(PROCLITICS) | names._AL_PROCLITICS) + ["", "ا", "و", "ف", "ب", "ل", "ك"]
    tails = ["", "ا", "ل", "ال", "ب", "قصير", "رقة", "بيروت", "لاذقية", "ع", "عد", "عدن", "ي"]
    words = ["والقصير", "بالقصير", "للقصير", "بيروت", "وادي", "ولل", "وللا", "وللاب", "فبالعين", ""]
    words += [rnd.choice(heads) + rnd.choice(heads) + rnd.choice(tails) for _ in range(5000)]
    for w in words:
        tagged._cuts.pop(w, None)
        assert tagged._cut(w) == _cut_by_readings(w), w
        assert tagged._cuts[w] == _cut_by_readings(w)


class _NerSpan:
    """A span read by name (no slots): the compiled readers ask getattr."""

    def __init__(self, start, end, label, text, data):
        self.start, self.end, self.label, self.text, self.data = start, end, label, text, data


def _scan_module():
    from marsad.places import geoparser as g
    from marsad.text.native import compiled
    return compiled("marsad.places._scan", g.SCAN_API)


def test_sure_names_compiled_as_its_twin():
    """``_scan.sure_names`` (when built) against ``component.sure_names_py`` on random layers
    (labels, scores missing, None, 0, ints, floats, numeric strings, NaN; texts with "#"; Spans
    and spans read by name): the same pairs, in order, the spans' own int objects."""
    from marsad.places import component as c
    assert c.sure_names_py([new_span(1, 4, "PER", "a#", 0, {"score": 1.0}),
                            new_span(5, 9, "ORG", "ab", 0, {"score": "0.5"})], 0.3) == [(5, 9)]
    scan = _scan_module()
    if scan is None:
        return
    rnd = random.Random(31)
    scores = [None, 0, 0.0, "", 1, 0.3, 0.29999, 0.30001, 0.9, "0.3", "0.1", float("nan"), True, 2]
    for trial in range(3000):
        layer = []
        for _ in range(rnd.randint(0, 40)):
            a = rnd.randint(0, 500)
            data = {} if rnd.random() < 0.15 else {"score": rnd.choice(scores)}
            args = (a, a + rnd.randint(1, 20), rnd.choice(["PER", "ORG", "LOC", "MISC", "per"]),
                    rnd.choice(["حمص", "#حمص", "a#b", "x"]), data)
            layer.append(new_span(args[0], args[1], args[2], args[3], 0, args[4]) if rnd.random() < 0.8
                         else _NerSpan(*args))
        for score in (0.3, 0.0, 0.95):
            want = c.sure_names_py(layer, score)
            got = scan.sure_names(layer, score)
            assert got == want, (trial, score)
            assert all(x[0] is y[0] and x[1] is y[1] for x, y in zip(got, want))


def test_overlaps_entity_compiled_as_its_twin():
    """``_scan.overlaps_entity`` (when built) against ``component.overlaps_entity_py`` on random
    entity lists (types, missing offsets, a Mapping that is no dict), spans before, across and
    after them."""
    from collections import UserDict

    from marsad.places import component as c
    assert c.overlaps_entity_py([{"type": "LOC", "start": 3, "end": 5}], 4, 9)
    assert not c.overlaps_entity_py([{"type": "DATE", "start": 3, "end": 5}], 4, 9)
    scan = _scan_module()
    if scan is None:
        return
    rnd = random.Random(37)
    for trial in range(3000):
        ents = []
        for _ in range(rnd.randint(0, 12)):
            e = {"type": rnd.choice(["LOC", "PER", "ORG", "DATE", "MISC"])}
            a = rnd.randint(0, 100)
            if rnd.random() < 0.9:
                e["start"] = a
            if rnd.random() < 0.9:
                e["end"] = a + rnd.randint(0, 15)
            ents.append(UserDict(e) if rnd.random() < 0.1 else e)
        for _ in range(10):
            a = rnd.randint(-3, 120)
            b = a + rnd.randint(0, 10)
            assert scan.overlaps_entity(ents, a, b) == c.overlaps_entity_py(ents, a, b), (trial, a, b)


def test_span_of_as_new_span():
    """``_scan.span_of`` (when built) and ``component.span_of_py`` make doc.new_span's Span: the
    same class and fields, the same objects; a class of another shape gets its fields by name."""
    from marsad.doc import Span
    from marsad.places import component as c
    scan = _scan_module()
    makers = [c.span_of_py] + ([scan.span_of] if scan is not None else [])

    class Sub(Span):
        __slots__ = ("extra",)

    for make in makers:
        for k in range(200):
            data, label, text = {"k": k}, f"L{k}", "نص" * (k % 3)
            s = make(Span, k, k + 5, label, text, k % 7, data)
            want = new_span(k, k + 5, label, text, k % 7, data)
            assert type(s) is Span and s == want
            assert s.label is label and s.text is text and s.data is data
        t = make(Sub, 1, 2, "a", "b", 3, {})
        assert type(t) is Sub and (t.start, t.end, t.label, t.text, t.sent, t.data) == (1, 2, "a", "b", 3, {})
        u = make(Span, 0, 1, "x", "y", 0, {})
        assert type(u) is Span and u.sent == 0


def test_name_start_of_a_one_word_key_is_the_names_start():
    """The places step asks ``_name_start`` only of a key with a space: for any other it is the
    name's start (after a cue word) or the mention's."""
    from marsad.places import component as c
    from marsad.places import geoparser as g
    rnd = random.Random(41)
    words = ["جنوب", "شمال", "لبنان", "حمص", "الخالدية", "غرب"]
    for _ in range(3000):
        key = rnd.choice(words) if rnd.random() < 0.5 else " ".join(rnd.sample(words, 2))
        text = rnd.choice(["", "في ", "محافظة "]) + key + " " + rnd.choice(words)
        start = rnd.randint(0, 8)
        m = g.Mention(start, start + len(key), key, 0, name_start=rnd.choice([-1, start, start + 3]))
        if " " not in key:
            assert c._name_start(text, m) == (m.name_start if m.name_start >= 0 else m.start)


def test_common_after_cue_only_of_an_unknown_word_after_a_cue():
    """The places step asks ``_common_after_cue`` only of a mention with a cue word and no place:
    for any other it is False."""
    from marsad.places import component as c
    from marsad.places import geoparser as g
    doc = Doc("قاعدة تبلغ في مطار دولي")
    gaz_place = g.Geoparser().gaz.places[0]
    for cue_word in ("", "قاعده", "مطار"):
        for place in (None, gaz_place):
            for tagger in (False, True):
                m = g.Mention(6, 10, "تبلغ", 0, cue_word=cue_word, place=place, tagger=tagger)
                if not cue_word or place is not None:
                    assert c._common_after_cue(doc, doc.norm, m, 6, 10, 6, 10) is False


def _check_nesting_slow(mentions, text, places, capital=None):
    """geoparser.check_nesting as it was: every pair's tests in Python, in one loop."""
    from marsad.places import geoparser as g
    ms = [m for m in mentions if not m.demonym]
    ms.sort(key=lambda m: m.start)
    for k in range(len(ms) - 1, 0, -1):
        m, n = ms[k - 1], ms[k]
        if m.sent != n.sent or n.start - m.end > 30 or m.place is None or n.place is None \
                or m.place.feature == "country":
            continue
        if m.place.feature in ("admin1", "region") or n.place.feature not in g._NEST_FEATURES \
                or not g._nest_gap(text[m.end:n.start]):
            continue
        if m.place.feature == "city" and n.place.feature == "city" and m.place.population > n.place.population:
            continue
        country_like = n.place.feature == "country" or any(
            places[i].feature == "country" and places[i].cc == n.place.cc for i, _ in n.cands)
        main = places[capital[n.place.admin1]] if (
            capital and n.place.feature == "admin1" and n.place.admin1 in capital) else None
        if g._fits(m.place, n.place, country_like, main):
            continue
        alt = [(i, s) for i, s in m.cands if g._fits(places[i], n.place, country_like, main)]
        if alt:
            m.place = places[max(alt, key=lambda c: c[1])[0]]
        else:
            m.place, m.score = None, 0.0


def test_check_nesting_as_it_was():
    """``check_nesting`` (its pairs found by ``nest_next``, compiled when built, else its twin)
    against the loop as it was on 1,500 random reports of close mentions of real places (chains
    whose changed place meets the next pair; gaps of nest words, commas, "ل"): the same places
    and scores; ``nest_next_py`` and the compiled one give the same pair at every step."""
    import copy

    from marsad.places import geoparser as g
    gaz = g.Geoparser().gaz
    places, capital = gaz.places, gaz.capital
    scan = _scan_module()
    rnd = random.Random(43)
    by_feature = {}
    for i, p in enumerate(places):
        by_feature.setdefault(p.feature, []).append(i)
    pool = [i for f in ("village", "city", "quarter", "admin1", "admin2", "country", "region", "camp")
            for i in rnd.sample(by_feature.get(f, []), min(60, len(by_feature.get(f, []))))]
    gaps = [" ", " في ", " بريف ", " قرب ", "، في ", " ل ", " التابعه ل ", " (", " و ", " في ريف محافظة ", "  "]
    gaps += [" " + "(" * r + " في " for r in range(20, 32)]  # (marks are spaces: the 30-letter edge)
    changed = 0
    for trial in range(1500):
        text, ms = "", []
        for _ in range(rnd.randint(0, 12)):
            text += rnd.choice(gaps) if text else ""
            a = len(text)
            text += "اسم" * rnd.randint(1, 3)
            cands = [(i, rnd.random() * 5) for i in rnd.sample(pool, rnd.randint(1, 4))]
            m = g.Mention(a, len(text), "x", rnd.choice([0, 0, 0, 1]), cands=cands,
                          demonym=rnd.random() < 0.05, score=1.0)
            m.place = None if rnd.random() < 0.1 else places[cands[0][0]]
            ms.append(m)
        rnd.shuffle(ms)
        want = copy.deepcopy(ms)
        _check_nesting_slow(want, text, places, capital)
        got = copy.deepcopy(ms)
        g.check_nesting(got, text, places, capital)
        assert [(m.place, m.score) for m in got] == [(m.place, m.score) for m in want], trial
        changed += [(m.place, m.score) for m in got] != [(m.place, m.score) for m in ms]
        if scan is not None:
            srt = sorted((m for m in ms if not m.demonym), key=lambda m: m.start)
            for k in range(1, len(srt)):
                assert scan.nest_next(srt, k, g._NEST_FEATURES) == g.nest_next_py(srt, k), (trial, k)
    assert changed > 20  # (the reports do move places)


def test_metonym_compiled_as_its_twin():
    """``_scan.metonym`` (when built) against ``geoparser.metonym_py`` on random texts of capitals
    and countries behind clitics, words of place (bare and behind و/ف), adjectives with ال, "the
    lands of", headlines, and mentions with cues, bearings, hashtags, other features, no place."""
    import pytest

    from marsad.places import geoparser as g
    from marsad.places.gazetteer import Place
    scan = _scan_module()
    if scan is None:
        pytest.skip("the places scan is not built (or MARSAD_PURE)")
    rnd = random.Random(61)
    places = [Place(f"p{i}", None, f"N{i}", "اسم", 33.0, 36.0, "SY", "", feature, 0, "", "test")
              for i, feature in enumerate(["country", "city", "city", "admin1", "country"])]
    national = frozenset({"p1"})
    seen = set()
    words = ["في", "وفي", "ففي", "من", "قرب", "سمحت", "العاصمه", "التركيه", "التركية", "السوري", "الاراضي",
             "باراضي", "من داخل الاراضي", "داخل", "و", "ف", "قصفت", "\n", ":", "#", "الي", "ال"]
    names = ["انقره", "دمشق", "سوريا", "تركيا"]
    for _ in range(6000):
        parts = [rnd.choice(words) for _ in range(rnd.randint(0, 4))]
        text = " ".join(parts) + rnd.choice([" ", "", "\n", " #"])
        text += rnd.choice(["", "", "و", "ف", "ب", "وب", "ل"])  # the name's clitics
        start = len(text)
        text += rnd.choice(names) + rnd.choice(["", " قالت", ":"])
        m = g.Mention(start, start + 4, "k", 0, place=rnd.choice(places + [None]),
                      cue=rnd.choice(["", "", "", "city"]), direction=rnd.choice(["", "", "", "شمال"]),
                      hashtag=rnd.random() < 0.1)
        want = g.metonym_py(text, m, national, g.LOCATIVE, g._lands_of)
        seen.add(want)
        assert scan.metonym(text, m, national, g.LOCATIVE, g._lands_of) == want, (text, m)
    assert seen == {True, False}
