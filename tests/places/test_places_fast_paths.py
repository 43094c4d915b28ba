"""The geoparser's faster ways against the code they replace: the same answers."""

import random

from marsad.places import geoparser as g
from marsad.places.names import UNKNOWN_CUES

_LETTERS = "وفبلكحيقرهدنمطجعاء_ 1#\"«a"


def _scan_or_skip():
    """The compiled places scan, or the test skipped (not built, or MARSAD_PURE=1)."""
    import pytest
    from marsad.text.native import compiled
    scan = compiled("marsad.places._scan", g.SCAN_API)
    if scan is None:
        pytest.skip("the places scan is not built (or MARSAD_PURE)")
    return scan


def _texts(n=3000, seed=7):
    rnd = random.Random(seed)
    pieces = list(UNKNOWN_CUES) + ["و", "ف", "ب", "ل", "ك", "وب", "ال", " ", " ", "_", "1", "،"]
    for _ in range(n):
        yield "".join(rnd.choice(pieces) if rnd.random() < 0.6 else rnd.choice(_LETTERS)
                      for _ in range(rnd.randint(0, 40)))


def test_cue_words_find_what_the_pattern_finds():
    demo = "قصفت قرية الزيادية وبلدة كفرنبل ومخيم اليرموك، وفي حي الخالدية بمدينة حمص، وكبلده ولحيّ مخيمات"
    for text in [demo, "", "حي", "وحي", "ووحي", "ووفحي", "حيحي", "_حي", "حي_", "ح ي"] + list(_texts()):
        assert g._cue_words(text) == [m.span() for m in g._CUE_WORD.finditer(text)], text


def test_inside_name_answers_as_the_scan_of_names():
    from marsad.places.component import _inside_name
    rnd = random.Random(3)
    for _ in range(500):
        names = [(a, a + rnd.randint(1, 30)) for a in (rnd.randint(0, 100) for _ in range(rnd.randint(1, 8)))]
        inside = _inside_name(names)
        for a in range(0, 130, 3):
            for b in range(a, a + 40, 4):
                assert inside(a, b) == any(s <= a and b <= e for s, e in names)


def test_dateline_end_as_finditer_over_every_offset():
    from marsad.places.component import _DATELINE, dateline_end

    def slow(norm):
        end = 0
        for m in _DATELINE.finditer(norm[:600]):
            end = max(end, m.end())
        return end
    rnd = random.Random(5)
    pieces = ["\n", "\n", " ", "-", ":", " - ", "سبق", "الرياض", "عدن", "(رويترز)", "ا", "ب", "x" * 35]
    texts = ["", "\n", "-", ":", "عين اليوم – بغداد: قتل", "سبق- الرياض: طالب", "\nدمشق - (رويترز):\nعدن -"]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 120))) for _ in range(3000)]
    for text in texts:
        assert dateline_end(text) == slow(text), text


def test_dateline_end_compiled_as_its_twin_and_the_pattern():
    """_scan.dateline_end (when built) against dateline_end_py and finditer, on lines near the
    pattern's limits (40 and 30 letters), \\s runs across lines, other spaces and past 600."""
    from marsad.places.component import _DATELINE, dateline_end_py
    scan = _scan_or_skip()
    rnd = random.Random(11)
    pieces = ["\n", "\n", " ", "\t", "\u00a0", "\u2003", "\r", "-", ":", " - ", "–", "سبق", "ب",
              "x" * 9, "x" * 28, "x" * 29, "x" * 30, "x" * 39, "x" * 40, "y" * 200]
    for _ in range(6000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 60)))
        want = max((m.end() for m in _DATELINE.finditer(text[:600])), default=0)
        assert scan.dateline_end(text) == dateline_end_py(text) == want, repr(text)


def test_compiled_scan_answers_as_its_python_twins():
    """marsad/places/_scan.pyx and the cue words' scan from word ends (when built) against
    prev_word_py and _cue_words_py."""
    import pytest
    from marsad.text.native import compiled
    scan = compiled("marsad.places._scan", g.SCAN_API)
    if scan is None or g._ends is None:
        pytest.skip("the places scan is not built (or MARSAD_PURE)")
    demo = "قصفت قرية الزيادية وبلدة كفرنبل ومخيم اليرموك، وفي حي الخالدية بمدينة حمص، وكبلده ولحيّ مخيمات"
    texts = [demo, "", "حي", " #\"'(«", "«حمص» (حلب) #ادلب"] + list(_texts())
    for text in texts:
        assert g._cue_words(text) == g._cue_words_py(text), text
        for pos in range(len(text) + 1):
            assert scan.prev_word(text, pos) == g.prev_word_py(text, pos), (text, pos)
        assert scan.prev_word(text, -2) == g.prev_word_py(text, -2)
        with pytest.raises(IndexError):
            scan.prev_word(text + "x", len(text) + 3)
    # a word found through two cues is one pair, in text order
    assert g._cue_words("قرى و قرية") == g._cue_words_py("قرى و قرية")



def _gazetteer_codes():
    """The real gazetteer's places and the country, governorate and place codes drawn from."""
    places = g.Geoparser().gaz.places
    ccs = sorted({p.cc for p in places})
    a1s = sorted({p.admin1 for p in places if p.admin1})
    ids = sorted({p.parent for p in places if p.parent} | {p.id for p in places})
    return places, ccs, a1s, ids


def _random_best_args(rnd, places, ccs, a1s, ids):
    """Arguments of geoparser.best as resolve passes them: candidates with scores, the votes of
    the other picks' countries and governorates (``ccs``, ``a1s``), their ids (``ids``), their
    points, the own pick."""
    cands = [(rnd.randrange(len(places)), rnd.uniform(-5, 12)) for _ in range(rnd.randint(1, 6))]
    cc_votes = {rnd.choice(ccs): rnd.choice([0.0, 1.0, 1.5, 2.0, 3.0, 4.5, -1.0]) for _ in range(rnd.randint(0, 4))}
    a1_votes = {rnd.choice(a1s): rnd.choice([0.0, 1.0, 1.5, 2.5, 3.0]) for _ in range(rnd.randint(0, 3))}
    ids_t = {rnd.choice(ids): rnd.randint(-1, 3) for _ in range(rnd.randint(0, 6))}
    # points near the candidates (within a degree or so: the 30 and 100 km bounds are crossed)
    pts = [(places[i].lat + rnd.uniform(-1.2, 1.2), places[i].lon + rnd.uniform(-1.2, 1.2))
           for i, _ in cands for _ in range(rnd.randint(0, 2))]
    pts += [(rnd.uniform(-40, 60), rnd.uniform(-20, 80)) for _ in range(rnd.randint(0, 5))]
    pts = g._Points.of(pts) if pts else None
    if pts is not None and pts.pts and rnd.random() < 0.3:
        pts = g._Points(pts.pts, pts.lats, rnd.randrange(len(pts.pts)))
    own = places[rnd.choice(cands)[0]] if rnd.random() < 0.7 else None
    return cands, cc_votes, a1_votes, ids_t, pts, own


def test_compiled_rounding_to_two_decimals_is_pythons_round():
    """_scan.round2 (a place's score rounded in C) is round(x, 2) to the bit: random values and
    scores' sums of halves and tenths, values at and a few doubles around every decimal half-way
    point of [-30, 30] (ties to even at the exact binary ones: k/4 for odd k), zeros with their
    sign, NaN, infinities, values past the fast path and ints (which stay ints)."""
    import math
    import struct

    scan = _scan_or_skip()
    rnd = random.Random(11)
    vals = [rnd.uniform(-40, 40) for _ in range(100_000)] + [rnd.random() for _ in range(20_000)]
    vals += [sum(rnd.choice((0.5, 0.1, -0.3, 3.0, 6.0, 1.5, 0.25)) for _ in range(rnd.randint(1, 9)))
             for _ in range(20_000)]
    vals += [math.ldexp(rnd.random(), -rnd.randrange(1, 60)) for _ in range(5_000)]
    for j in range(-3000, 3001):
        a = b = (j + 0.5) / 100
        vals.append(a)
        for _ in range(2):
            a, b = math.nextafter(a, -math.inf), math.nextafter(b, math.inf)
            vals += [a, b]
    vals += [k / 8 for k in range(-300, 301)] + [0.0, -0.0, -0.001, 1e6 - 0.005, 1e6 + 0.005, 1e300, -1e-300]
    bits = lambda x: struct.pack("d", x)   # noqa: E731
    assert [bits(scan.round2(v)) for v in vals] == [bits(round(v, 2)) for v in vals]
    for v in (math.inf, -math.inf, 7, -3, 0, True):
        got = scan.round2(v)
        assert type(got) is type(round(v, 2)) and got == round(v, 2)
    assert math.isnan(scan.round2(math.nan))


def test_compiled_best_answers_as_its_python_twin():
    """_scan.best (when built) against geoparser.best_py: the same pick and the same float score,
    on random candidates of the real gazetteer with random context (its haversine must round as
    marsad.geo.distance_km does)."""
    scan = _scan_or_skip()
    places, ccs, a1s, ids = _gazetteer_codes()
    rnd = random.Random(11)
    for _ in range(5000):
        args = _random_best_args(rnd, places, ccs, a1s, ids)
        want, got = g.best_py(places, *args), scan.best(places, *args)
        assert got[0] is want[0] and repr(got[1]) == repr(want[1]), args
    # the haversine's bounds: a point at about 30 and 100 km from a place, either side
    p = next(q for q in places if q.feature == "city")
    for dlat in [k * 1e-4 for k in range(2650, 2750)] + [k * 1e-4 for k in range(8950, 9050)]:
        pts = g._Points.of([(p.lat + dlat, p.lon)])
        for cands in ([(places.index(p), 1.0), (0, -50.0)],):
            assert scan.best(places, cands, {}, {}, {}, pts, None) == g.best_py(places, cands, {}, {}, {}, pts, None)


def test_compiled_best_reads_any_mapping_of_votes_as_its_python_twin():
    """_scan.best reads a plain dict's votes in C and any other mapping through its ``get``
    (pl193): the same answers with the votes as dicts, as Counters and as dicts whose codes are
    equal strings but not the places' own objects."""
    import collections
    scan = _scan_or_skip()
    places, ccs, a1s, ids = _gazetteer_codes()
    rnd = random.Random(193)
    fresh = lambda d: {"".join(list(k)): v for k, v in d.items()}  # noqa: E731 (equal, not the same str)
    for _ in range(3000):
        cands, cc_v, a1_v, ids_t, pts, own = _random_best_args(rnd, places, ccs, a1s, ids)
        want = g.best_py(places, cands, cc_v, a1_v, ids_t, pts, own)
        for cc2, a12 in ((collections.Counter(cc_v), collections.Counter(a1_v)), (fresh(cc_v), fresh(a1_v))):
            got = scan.best(places, cands, cc2, a12, ids_t, pts, own)
            assert got[0] is want[0] and repr(got[1]) == repr(want[1]), (cands, cc_v, a1_v)


def _random_reps(rnd, places, n_keys, n_groups):
    """resolve's groups as round_picks reads them: [mentions, scored, weight, pick, score], some
    names in several groups (another cue), picks among the candidates or none, weights of one or
    more mentions (3.0 in a dateline, 1.5 times in one country), and ``same``."""
    near = [p for p in places if p.lat is not None]
    keys = [f"k{j}" for j in range(n_keys)]
    reps = []
    for _ in range(n_groups):
        base = rnd.choice(near)
        # candidates around a few places: the points' 30 and 100 km bounds are crossed
        cands = [(rnd.randrange(len(places)), rnd.uniform(-5, 12)) for _ in range(rnd.randint(1, 5))]
        if rnd.random() < 0.5:
            cands.append((places.index(base), rnd.uniform(-5, 12)))
        w = sum(rnd.choice((1.0, 3.0)) for _ in range(rnd.randint(1, 3))) * rnd.choice((1.0, 1.5))
        pick = places[rnd.choice(cands)[0]] if rnd.random() < 0.85 else None
        ms = [g.Mention(0, 1, rnd.choice(keys), 0)]
        reps.append([ms, cands, w, pick, 0.0])
    same = {}
    for k, r in enumerate(reps):
        same.setdefault(r[0][0].key, []).append(k)
    return reps, same


def test_compiled_round_picks_answers_as_its_python_twin():
    """_scan.round_picks (when built) against geoparser.round_picks_py: the same pick and the
    same float score per group, on random groups of the real gazetteer's places: names in one
    group or several (their votes and ids left out), few points and more than 60, shared points."""
    scan = _scan_or_skip()
    places = g.Geoparser().gaz.places
    rnd = random.Random(5)
    sizes = [(rnd.randint(1, 12), rnd.randint(1, 15)) for _ in range(600)]
    sizes += [(rnd.randint(20, 90), rnd.randint(60, 120)) for _ in range(40)]
    for n_keys, n_groups in sizes:
        reps, same = _random_reps(rnd, places, n_keys, n_groups)
        want = g.round_picks_py(places, reps, same, {}, g.counted_ids)
        got = scan.round_picks(places, reps, same, {}, g.counted_ids)
        assert len(got) == len(want)
        for (p, s), (q, t) in zip(got, want):
            assert p is q and repr(s) == repr(t), (n_keys, n_groups)


def test_compiled_round_picks_points_of_copied_and_moved_places():
    """_scan.round_picks numbers each pick's point once per place (pl193: cached by the place's id,
    checked by identity): picks that are copies of a place (the same id and point, another
    object) or the same id at another point must count as their points do in round_picks_py."""
    scan = _scan_or_skip()
    places = g.Geoparser().gaz.places
    rnd = random.Random(193)
    for n in range(400):
        reps, same = _random_reps(rnd, places, rnd.randint(1, 10), rnd.randint(2, 80 if n % 10 == 0 else 14))
        for r in reps:
            p = r[3]
            if p is None or p.lat is None or rnd.random() < 0.4:
                continue
            if rnd.random() < 0.5:
                r[3] = p._replace()  # equal, not the same object
            else:  # the same id, moved (to another pick's point, or a little)
                other = rnd.choice(reps)[3]
                lat, lon = (other.lat, other.lon) if other is not None and other.lat is not None and rnd.random() < 0.5 \
                    else (p.lat + rnd.uniform(-0.5, 0.5), p.lon)
                r[3] = p._replace(lat=lat, lon=lon)
        want = g.round_picks_py(places, reps, same, {}, g.counted_ids)
        got = scan.round_picks(places, reps, same, {}, g.counted_ids)
        for (p, s), (q, t) in zip(got, want):
            assert p is q and repr(s) == repr(t), n


def test_compiled_first_round_answers_as_its_python_twin():
    """_scan.first_round (when built) against geoparser.first_round_py: the same scores (their
    repr, an int base score left as it is when no rule moves it), pick and one-country answer,
    on candidates drawn among governorates, regions, big cities of their countries, quarters,
    camps and places of Oman and Jordan, after every cue and written form of عمان."""
    scan = _scan_or_skip()
    places = g.Geoparser().gaz.places
    by = {}
    for i, p in enumerate(places):
        kind = ("big city" if p.feature == "city" and p.population > 50000 else
                p.cc if p.cc in ("OM", "JO") and p.feature in ("country", "city") else p.feature)
        by.setdefault(kind, []).append(i)
    pools = [by[k] for k in ("admin1", "region", "big city", "quarter", "camp", "village", "OM", "JO", "country")
             if k in by] + [range(len(places))]
    cues = ["", "", "province", "admin1", "city", "village", "quarter", "camp", "countryside", "region", "x"]
    rnd = random.Random(19)
    seen = set()
    for _ in range(20000):
        # a few countries only, so that a governorate often meets a big city of its own
        cc = rnd.choice(("SY", "YE", "IQ", "OM", "JO"))
        pick = [i for i in rnd.choice(pools[:-1]) if places[i].cc == cc] or list(pools[-1])
        cands = [(rnd.choice(pick if rnd.random() < 0.8 else pools[-1]),
                  rnd.choice((rnd.uniform(-5, 12), 3, 2.5))) for _ in range(rnd.randint(1, 6))]
        cue, surface = rnd.choice(cues), rnd.choice(["", "عمان", "عُمان", "عمّان"])
        want = g.first_round_py(places, cands, cue, surface, g.CUE_FITS)
        got = scan.first_round(places, cands, cue, surface, g.CUE_FITS)
        assert repr(got[0]) == repr(want[0]) and got[1] is want[1] and repr(got[2]) == repr(want[2]), \
            (cands, cue, surface)
        assert got[3] is want[3]
        seen.update((want[3], type(want[2])))
    assert seen == {True, False, int, float}


def _groups_as_keyed(mentions, orig_text, orig, dateline_end, first_round):
    """resolve's groups as it built them before ``group_reps``: a 5-part key per mention, round 1
    asked by (cue, written form, tuple of the candidates)."""
    groups = {}
    for m in mentions:
        if m.cands:
            surface = ""
            if m.key == "عمان" and orig is not None:
                a, b = orig(m.start, m.end)
                surface = orig_text[a:b]
            groups.setdefault((m.key, m.cue, m.direction, m.demonym, surface), []).append(m)
    reps, firsts = [], {}
    for (key, cue, direction, demonym, surface), ms in groups.items():
        cands = ms[0].cands
        fkey = (cue, surface, tuple(cands))
        got = firsts.get(fkey)
        if got is None:
            got = firsts[fkey] = first_round(cands, cue, surface)
        scored, first, first_s, one_country = got
        w = sum(3.0 if m.start < dateline_end else 1.0 for m in ms)
        reps.append([ms, scored, w * 1.5 if one_country else w, first, first_s])
    same = {}
    for k, r in enumerate(reps):
        same.setdefault(r[0][0].key, []).append(k)
    return reps, same


def test_group_reps_as_a_key_per_mention():
    """geoparser.group_reps_py and _scan.group_reps (when built) against the grouping they
    replace: the same groups of the same mentions in the same order, the same round-1 answers
    and float weights, the same name -> groups; on random mentions of a few names, cues,
    directions, demonyms and written forms of عمان, candidate lists shared, copied or new, and
    caches kept from one report to the next (a list's id is not taken for another's)."""
    from marsad.text.native import compiled
    scan = compiled("marsad.places._scan", g.SCAN_API)
    gp = g.Geoparser()
    places = gp.gaz.places
    rnd = random.Random(17)
    shared = [[(rnd.randrange(len(places)), rnd.uniform(-5, 12)) for _ in range(rnd.randint(1, 4))]
              for _ in range(6)]
    # Oman and Jordan: the written forms of عمان choose between them (its first round differs)
    shared.append([(next(i for i, p in enumerate(places) if p.cc == cc), 1.0) for cc in ("OM", "JO")])
    text = "عمان عُمان عمّان حمص"
    spans = [(0, 4), (5, 10), (11, 16), (17, 20)]
    twins = [g.group_reps_py] + ([scan.group_reps] if scan is not None else [])
    caches = [({}, {}) for _ in twins]
    for _ in range(1500):
        ms = []
        for _ in range(rnd.randint(0, 14)):
            a, b = rnd.choice(spans)
            c = rnd.random()
            cands = (rnd.choice(shared) if c < 0.6 else list(rnd.choice(shared)) if c < 0.8 else [] if c < 0.9
                     else [(rnd.randrange(len(places)), rnd.uniform(-5, 12))])
            ms.append(g.Mention(a, b, rnd.choice(("عمان", "حمص", "دوما", "x")), 0, cands,
                                rnd.choice(("", "", "city", "province", "village")), rnd.choice(("", "", "شمال")),
                                False, rnd.random() < 0.1))
        orig = (lambda a, b: (a, b)) if rnd.random() < 0.8 else None
        end = rnd.choice((0, 5, 12, 30))
        want, want_same = _groups_as_keyed(ms, text, orig, end, gp._first_round)
        for twin, (firsts, firsts_at) in zip(twins, caches):
            got, got_same = twin(ms, text, orig, end, firsts, firsts_at, gp._first_round)
            assert got_same == want_same
            assert len(got) == len(want)
            for r, w in zip(got, want):
                assert len(r[0]) == len(w[0]) and all(m is n for m, n in zip(r[0], w[0]))
                assert r[1] == w[1] and r[3] is w[3] and repr(r[2]) == repr(w[2]) and repr(r[4]) == repr(w[4])
            if rnd.random() < 0.05:
                firsts.clear()
                firsts_at.clear()


def test_compiled_taken_answers_as_its_python_twin():
    """_scan.Taken (when built) against geoparser.TakenPy: the same overlap answers as spans are
    claimed, on random spans (the geoparser claims only spans that overlap none)."""
    scan = _scan_or_skip()
    rnd = random.Random(13)
    for _ in range(3000):
        fast, slow = scan.Taken(), g.TakenPy()
        for _ in range(rnd.randint(0, 30)):
            a = rnd.randint(0, 100)
            b = a + rnd.randint(1, 8)
            q = (rnd.randint(0, 110), rnd.randint(0, 110))
            assert fast.overlaps(*q) == slow.overlaps(*q), q
            if not slow.overlaps(a, b):
                fast.add(a, b)
                slow.add(a, b)


def test_a_report_resolves_the_same_whatever_was_resolved_before():
    """The first round of a name's resolution is kept per process (``Geoparser._firsts``, by cue,
    written form and candidates): a report's places are those a fresh geoparser gives, in any
    order of reports (the same names after other cues, عمان written as Amman and as Oman)."""
    from marsad.doc import Doc
    texts = ["قصفت الطائرات مدينة حمص وريف حمص وقتل 3 في محافظة حمص",
             "اشتباكات في محافظة حمص وفي حمص وفي حي الخالدية",
             "وصل الوفد إلى عمّان ثم إلى عُمان ومنها إلى مسقط",
             "وصل الوفد إلى عمان قادما من إربد",
             "غارات على صنعاء ومحافظة صنعاء ومأرب وإقليم عدن",
             "معارك في مدينة مأرب وقرية الجفينة ومنطقة الساحل"]
    docs = [Doc(t) for t in texts]
    gp = g.Geoparser()

    def places(d):
        ms = gp.find(d.norm, d.sentence_of)
        gp.resolve(ms, d.text, d.orig, 0)
        return [(m.start, m.end, m.place.id if m.place else None, m.score) for m in ms]

    fresh = []
    for d in docs:
        gp._firsts.clear()
        gp._firsts_at.clear()
        fresh.append(places(d))
    assert [places(d) for d in docs] == fresh
    assert [places(d) for d in reversed(docs)] == fresh[::-1]
    assert sum(p is not None for got in fresh for _, _, p, _ in got) >= 10


# Reports of several places of one country or of namesakes, some of whose picks the context of
# the others moves in round 2 (the last three need round 3: their scores change there).
_CONTEXT_TEXTS = ["قصفت الطائرات مدينة حمص وريف حمص وقتل 3 في محافظة حمص",
                  "غارات على صنعاء ومحافظة صنعاء ومأرب وإقليم عدن",
                  "قصف على الحميدية والقصور والجبل في حمص وتلكلخ",
                  "اشتباكات في البيضاء ورداع وذمار والحديدة",
                  "غارات على الرمادي والفلوجة وهيت والقائم والبغدادي",
                  "قتلى في الشجاعية وبيت حانون وخان يونس ورفح",
                  "قصف على الشيخ مقصود والأشرفية وبستان القصر في حلب",
                  "قتال في الزاوية وصبراتة وغريان وترهونة",
                  "وصل الوفد إلى عمّان ثم إلى عُمان ومنها إلى مسقط",
                  "وصل الوفد إلى عمان قادما من إربد",
                  "مواجهات في القدس والخليل وبيت لحم ونابلس وجنين"]


def test_resolution_stops_once_no_pick_moves_as_if_it_ran_every_round(monkeypatch):
    """resolve's rounds 2-3 read the other names' picks alone: when round 2 moves no pick, round
    3 is not run (it would give the same). Against every round run (``best`` returning copies
    of its picks, so that each round looks moved): the same places and the same float scores."""
    from marsad.doc import Doc
    gp = g.Geoparser()

    def places(d):
        ms = gp.find(d.norm, d.sentence_of)
        gp.resolve(ms, d.text, d.orig, 0)
        return [(m.start, m.end, m.place.id if m.place else None, repr(m.score)) for m in ms]

    docs = [Doc(t) for t in _CONTEXT_TEXTS]
    got = [places(d) for d in docs]
    calls = []
    real = g.round_picks

    def copying(*args):
        calls.append(1)
        return [((None if p is None else g.Place(*p)), s) for p, s in real(*args)]
    monkeypatch.setattr(g, "round_picks", copying)
    every = [places(d) for d in docs]
    assert got == every and calls
    assert sum(p is not None for ps in got for _, _, p, _ in ps) >= 35


def test_span_data_the_same_whatever_places_were_named_before():
    """The places step keeps what a resolved span's data takes from its place (``place_fields``,
    by place id) across reports: each report's spans and entities are those a fresh step gives,
    in any order of reports (a governorate at its main town, a quarter under its city)."""
    from marsad.doc import Doc
    from marsad.places.component import component
    texts = _CONTEXT_TEXTS + ["اشتباكات في محافظة حمص وفي حمص وفي حي الخالدية بحمص",
                              "قصف على محافظة إدلب ومحافظة حلب وحي الشعار في حلب"]

    def out(step, text):
        d = Doc(text)
        step(d)
        return [(s.start, s.end, s.data) for s in d.layer("places")], d.entities
    fresh = [out(component(), t) for t in texts]
    shared = component()
    assert [out(shared, t) for t in texts] == fresh
    assert [out(shared, t) for t in reversed(texts)] == fresh[::-1]
    kinds = {data["feature"] for spans, _ in fresh for _, _, data in spans}
    assert {"admin1", "city", "quarter"} <= kinds


def test_a_cue_word_behind_its_clitics_is_the_longest_reading_without_the_article():
    """``_bare`` (a cue word or bearing behind و/ف/ب/ل/ك, not behind ال or لل) and
    ``_compound_first`` (a compound name's first word behind a proclitic without ال) give what
    their first definitions gave: every reading sorted longest proclitic first, the bare word
    last. Words: every cue, bearing and compound first word behind each proclitic, and others."""
    from marsad.places.names import COMPOUND_FIRST, GENERIC_FEATURE
    from marsad.text import strip_proclitics
    from marsad.text.tokens import PROCLITICS

    def bare(word):
        for p, stem in sorted(strip_proclitics(word), key=lambda x: -len(x[0])):
            if "ال" in p or p == "لل":
                continue
            if stem in GENERIC_FEATURE or stem in g.DIRECTIONS:
                return stem
        return word

    def compound_first(word):
        if word in COMPOUND_FIRST:
            return word
        for p, stem in strip_proclitics(word):
            if stem in COMPOUND_FIRST and "ال" not in p:
                return stem
        return ""

    stems = sorted(set(GENERIC_FEATURE) | g.DIRECTIONS | COMPOUND_FIRST) + ["حمص", "بيروت", "لبنان", "ال", "و"]
    words = {p + w for p in ("",) + PROCLITICS for w in stems} | {"", "و", "ب", "ال", "لل", "وال"}
    cues = firsts = 0
    for w in sorted(words):
        assert g._bare.__wrapped__(w) == bare(w), w
        assert g._compound_first.__wrapped__(w) == compound_first(w), w
        cues += g._bare(w) != w
        firsts += bool(g._compound_first(w))
    assert g._bare("بمحافظه") == "محافظه" and g._bare("بالمحافظه") == "بالمحافظه"
    assert g._bare("وبريف") == "ريف" and g._bare("للمدينه") == "للمدينه"
    assert cues > 500 and firsts > 50


def test_overlap_tables_as_the_running_maximum():
    """``tagged.starts_and_reach`` (the tables of the places step's overlap tests, by a plain loop)
    gives the sorted starts and, at every place a bisect of them can stop (after the last of
    equal starts), ``accumulate(ends, max)`` of the sorted pairs; ``overlap_test`` answers as a
    scan."""
    from itertools import accumulate

    from marsad.places.tagged import overlap_test, starts_and_reach
    rnd = random.Random(17)
    for _ in range(2000):
        pairs = [(a, a + rnd.randint(0, 25)) for a in (rnd.randint(0, 90) for _ in range(rnd.randint(0, 9)))]
        ref = sorted(pairs)
        starts, reach = starts_and_reach(list(pairs))
        assert starts == [a for a, _ in ref]
        far = list(accumulate((b for _, b in ref), max))
        for k in range(1, len(ref) + 1):
            if k == len(ref) or starts[k] != starts[k - 1]:
                assert reach[k - 1] == far[k - 1], (pairs, k)
        ms = [g.Mention(a, b, "x", 0) for a, b in pairs]
        test = overlap_test(ms)
        for a in range(0, 120, 7):
            for b in range(a, a + 30, 5):
                assert test(a, b) == any(s < b and a < e for s, e in pairs), (pairs, a, b)


def test_each_place_span_has_data_of_its_own():
    """Spans of one place (its data copied from one template per place) share no dict or list:
    a change to one span's data (the step sets ``context``, the tagger's fields) leaves the
    others, and the next report's, as a fresh step gives them."""
    from marsad.doc import Doc
    from marsad.places.component import component
    step = component()
    text = "قصف على حمص، ثم اشتباكات في حمص وفي ريف حمص"
    d = Doc(text)
    step(d)
    homs = [s for s in d.layer("places") if s.data.get("resolved")]
    assert len(homs) >= 2
    a, b = homs[0].data, homs[1].data
    assert a is not b and a["centroid"] is not b["centroid"]
    keys = list(a)
    assert keys[:5] == ["location", "location_ar", "latitude", "longitude", "centroid"]
    assert keys[-4:] == ["countryside", "demonym", "context", "direction"]
    a["context"] = "changed"
    a["centroid"].append(0)
    assert b["context"] != "changed" and len(b["centroid"]) == 2
    again = Doc(text)
    step(again)
    fresh = Doc(text)
    component()(fresh)
    assert [s.data for s in again.layer("places")] == [s.data for s in fresh.layer("places")]


def _lone_abroad_slow(reps, places):
    """_lone_abroad as it was: the table of sentences built for every report."""
    by_sent, inner, whole = {}, {}, set()
    for ms, _, _, p, sc in reps:
        if p is None:
            continue
        for m in ms:
            by_sent.setdefault(m.sent, []).append(
                (p.cc, p.feature != "country" and sc >= g.SURE and not m.weak and not m.demonym))
        if p.feature == "country":
            whole.add(p.cc)
        else:
            inner.setdefault(p.cc, set()).add(ms[0].key)
    out = {}
    for k, (ms, cands, _, p, sc) in enumerate(reps):
        if p is None or sc < g.SURE or ms[0].hashtag or ms[0].demonym or not (
                p.feature in g._SMALL_FEATURES or (p.feature == "city" and p.population < g.SMALL_POP)
                or (p.feature == "admin1" and p.cc not in whole)) or len(inner[p.cc]) > 1:
            continue
        others = set()
        for m in ms:
            here = by_sent[m.sent]
            sure = {cc for cc, s in here if s and cc != p.cc}
            if not sure or sum(cc == p.cc for cc, _ in here) > sum(n.sent == m.sent for n in ms):
                break
            others |= sure
        else:
            alt = [(i, s) for i, s in cands if places[i].cc in others]
            out[k] = (places[max(alt, key=lambda c: c[1])[0]], sc) if alt else (None, 0.0)
    return out


def test_lone_abroad_as_the_table_built_for_every_report():
    from types import SimpleNamespace as P
    rnd = random.Random(11)
    feats = ["village", "quarter", "camp", "admin2", "city", "admin1", "country"]
    places = [P(cc=rnd.choice("ABCD"), feature=rnd.choice(feats), population=rnd.choice([500, 30_000]))
              for _ in range(40)]
    found = 0
    for _ in range(3000):
        reps = []
        for _ in range(rnd.randint(0, 7)):
            key = rnd.choice(["x", "y", "z", "w"])
            ms = [g.Mention(0, 1, key, rnd.randint(0, 3), hashtag=rnd.random() < 0.05,
                            demonym=rnd.random() < 0.05, weak=rnd.random() < 0.1)
                  for _ in range(rnd.randint(1, 3))]
            cands = [(i, rnd.uniform(0, 12)) for i in rnd.sample(range(40), rnd.randint(1, 4))]
            p = None if rnd.random() < 0.15 else places[rnd.choice(cands)[0]]
            reps.append([ms, cands, 1.0, p, rnd.uniform(4, 12)])
        got = g._lone_abroad(reps, places)
        assert got == _lone_abroad_slow(reps, places)
        found += bool(got)
    assert found > 50  # the groups tested, not only reports with none to test


def test_points_with_one_skipped_as_the_points_without_it():
    """resolve leaves one gone point out by its index: the same closeness and truth as a list
    without it (what it built before)."""
    rnd = random.Random(5)
    for _ in range(2000):
        pts = sorted({(round(rnd.uniform(33, 36), 2), round(rnd.uniform(35, 38), 2))
                      for _ in range(rnd.randint(1, 12))})
        k = rnd.randrange(len(pts))
        left = pts[:k] + pts[k + 1:]
        skipped = g._Points(pts, [la for la, _ in pts], k)
        plain = g._Points(left, [la for la, _ in left])
        assert bool(skipped) == bool(plain)
        for _ in range(5):
            lat, lon = rnd.uniform(33, 36), rnd.uniform(35, 38)
            assert skipped.closeness(lat, lon) == plain.closeness(lat, lon)


def test_compiled_mention_is_made_as_its_init_makes_it():
    """_scan.new_mention (when built) against geoparser.new_mention_py (the dataclass's __init__):
    the same fields, given ones in order and the rest their defaults; a class it cannot fill in
    place (a default_factory left to the __init__, a __post_init__) made by its __init__."""
    import dataclasses
    scan = _scan_or_skip()
    names = [f.name for f in dataclasses.fields(g.Mention)]
    rnd = random.Random(17)
    for _ in range(300):
        values = tuple(rnd.choice([0, 7, "حمص", "", None, True, False, 0.5, [(1, 0.2)]])
                       for _ in range(rnd.randint(4, len(names))))
        fast, slow = scan.new_mention(g.Mention, values), g.new_mention_py(g.Mention, values)
        assert type(fast) is g.Mention
        assert [getattr(fast, n) for n in names] == [getattr(slow, n) for n in names], values
    # cands (the fifth field) has a default_factory: each mention its own new list
    a, b = scan.new_mention(g.Mention, (1, 2, "x", 0)), scan.new_mention(g.Mention, (1, 2, "x", 0))
    assert a.cands == [] and a.cands is not b.cands

    @dataclasses.dataclass(slots=True)
    class Checked:
        start: int
        end: int = 0

        def __post_init__(self):
            self.end = max(self.end, self.start)

    assert scan.new_mention(Checked, (5,)).end == 5


def test_the_scan_shares_a_names_candidates_and_gives_the_same_hits():
    """gazetteer_hits with its memo of candidates (``_cands_memo``) gives the hits of a scan
    without one, compiled or not; the hits of one name with prefixes of one kind share a list
    (find reads its per-name facts by it), over several texts."""
    gp = g.Geoparser()
    texts = ["في حمص وبحمص ولحمص ثم في حمص", "القاهرة والقاهرة وبالقاهرة وللقاهرة",
             "#بلدة_الزبداني في ريف دمشق ولبنان ودمشق", "زار دمشق ثم دمشق"]
    seen = {}
    for text in texts + texts:
        g._last_scan = (None, None, [])
        hits = g.gazetteer_hits(gp.gaz, text, text)
        assert hits == g.gazetteer_hits_py(gp.auto, gp.gaz.index, text, text)
        for h in hits:
            key = (h[3], text[h[0]:h[1] - len(h[3])])  # the name and its prefix
            assert seen.setdefault(key, h[4]) is h[4], key
    assert any(len(hs) > 0 for hs in seen.values())


def _set_picks_slow(reps, named, cc_count, abroad):
    """resolve's checks after the rounds as they were: every check asking for a pick, the kept
    picks listed, then set."""
    sure_all = sum(cc_count.values())
    kept = []
    for k, (ms, _, _, p, sc) in enumerate(reps):
        m0 = ms[0]
        if p is not None and m0.key in g.NEEDS_ADMIN1_CONTEXT and not (m0.cue or m0.hashtag) \
                and not any(r[3] is not None and r[3].admin1 == p.admin1 and r[0][0].key != m0.key
                            for r in reps):
            for m in ms:
                m.weak = True
            p, sc = None, 0.0
        own = 0 if m0.weak or sc < g.SURE else 1
        if p is not None and p.feature == "quarter" and p.parent not in named and not m0.hashtag \
                and cc_count.get(p.cc, 0) == own and sure_all > own:
            p, sc = None, 0.0
        if p is not None and m0.cue in g._SMALL_CUES and not m0.hashtag \
                and cc_count.get(p.cc, 0) == own and sure_all - own >= 2 \
                and not any(r[3] is not None and r[3].cc == p.cc and r[0][0].key != m0.key
                            and not r[0][0].weak for r in reps):
            p, sc = None, 0.0
        if p is not None and m0.nested and p.parent not in named:
            p, sc = None, 0.0
        if p is not None and k in abroad:
            p, sc = abroad[k]
        kept.append((ms, p, sc))
    countries = {p.cc for ms, p, _ in kept if p is not None and not ms[0].weak}
    for ms, p, sc in kept:
        if p is not None and ms[0].weak and not ms[0].hashtag and p.cc not in countries:
            p, sc = None, 0.0
        for m in ms:
            m.place, m.score = p, sc


def test_set_picks_as_the_checks_asking_each_for_a_pick():
    import copy
    from types import SimpleNamespace as P
    rnd = random.Random(13)
    feats = ["village", "quarter", "camp", "admin2", "city", "admin1", "country"]
    ids = ["a", "b", "c", "d"]
    places = [P(id=rnd.choice(ids), parent=rnd.choice(ids + [""]), cc=rnd.choice("ABC"),
                admin1=rnd.choice("xy"), feature=rnd.choice(feats)) for _ in range(30)]
    keys = ["x", "y", "z"] + sorted(g.NEEDS_ADMIN1_CONTEXT)[:2]
    cues = ["", "village", "quarter", "city", "area"]
    dropped = 0
    for _ in range(3000):
        reps = []
        for _ in range(rnd.randint(0, 7)):
            key = rnd.choice(keys)
            ms = [g.Mention(0, 1, key, 0, cue=rnd.choice(cues), hashtag=rnd.random() < 0.1,
                            weak=rnd.random() < 0.3, nested=rnd.random() < 0.2)
                  for _ in range(rnd.randint(1, 3))]
            p = None if rnd.random() < 0.1 else rnd.choice(places)
            reps.append([ms, [], 1.0, p, rnd.choice([4.0, g.SURE, 12.0])])
        named = {rnd.choice(ids) for _ in range(rnd.randint(0, 3))}
        cc_count = {cc: rnd.randint(0, 3) for cc in "ABC" if rnd.random() < 0.6}
        abroad = {k: (rnd.choice([None, places[0]]), 1.5) for k in range(len(reps)) if rnd.random() < 0.1}
        old = copy.deepcopy(reps)
        _set_picks_slow(old, named, cc_count, abroad)
        g._set_picks(reps, named, cc_count, abroad)
        got = [(m.place, m.score, m.weak) for r in reps for m in r[0]]
        want = [(m.place, m.score, m.weak) for r in old for m in r[0]]
        # deep copies: places compared by their fields
        assert [(vars(p) if p else p, s, w) for p, s, w in got] == [(vars(p) if p else p, s, w) for p, s, w in want]
        dropped += sum(r[3] is not None and r[0][0].place is None for r in reps)
    assert dropped > 300  # the checks dropped picks, not only kept them
