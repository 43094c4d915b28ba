"""The document step's pair tests and folds, written faster (sp138), against the code they replace.

``same_incident`` reads the places, the dates and the passages inline; ``_fold`` keys the host's
evidence by an ``itemgetter``. Both must answer, and fold, as the composed tests did, on random
mentions that share or differ in each field the tests read.
"""

import copy
import random

from marsad.components import document as D
from marsad.components.events.incident import Incident
from marsad.incident import within as W


def _old_same_incident(a, b):
    fa, fb = a.fields, b.fields
    return (fa["event_type"] == fb["event_type"] and fa["sub_event_type"] == fb["sub_event_type"]
            and (W._places_compatible(a, b) or W._same_toll_nearby(a, b))
            and W._dates_compatible(a, b) and not W._passages_apart(a, b)
            and (W._actors_compatible(a, b) or W._one_side_shared(a, b)))


_SUB = [("Battles", "Armed clash"), ("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike")]
_PLACES = [(None, None, None, None), ("YE", None, None, None), ("YE", "YE01", "Taizz", 2), ("YE", "YE01", "Taizz", 1),
           ("YE", "YE02", "Aden", 1), ("SY", "SY01", "Aleppo", 1), ("SY", None, None, 4)]
_DATES = [None, "2015-04-01", "2015-04-02", "2015-04-03"]
_ACTORS = [None, "Houthis", "Popular Resistance", "Unidentified Armed Group", "Military Forces of Yemen"]


def _mention(rnd, k):
    et, st = rnd.choice(_SUB)
    cc, a1, loc, prec = rnd.choice(_PLACES)
    fields = {"event_type": et, "sub_event_type": st, "country_code": cc, "admin1_code": a1, "location": loc,
              "geo_precision": prec, "latitude": 13.5 + rnd.choice([0, 0.1, 1]), "longitude": 44.0,
              "event_date": rnd.choice(_DATES), "time_precision": rnd.choice([1, 2]),
              "actor1": rnd.choice(_ACTORS), "actor2": rnd.choice(_ACTORS), "inter1": 2, "inter2": 3,
              "fatalities": rnd.choice([None, 0, 3, 8]), "weapons": rnd.sample(["bomb", "rocket", "gun"], rnd.randint(0, 2)),
              "sources": [], "evidence": [{"start": s, "end": s + 3, "field": f, "text": "x"}
                                          for s, f in rnd.sample([(s, f) for s in range(0, 40, 5)
                                                                  for f in ("event", "fatalities", "actor1")],
                                                                 rnd.randint(0, 5))]}
    # a field left out reads as None, as in a mention the event step coded without it
    for key in ("admin1_code", "event_date", "geo_precision"):
        if fields[key] is None and rnd.random() < 0.3:
            del fields[key]
    return Incident(fields, sent=k, has_date_cue=rnd.random() < 0.5, date_src=rnd.choice([0, 1, 2]),
                    began=rnd.random() < 0.2, fat_known=rnd.random() < 0.6, fat_approx=rnd.random() < 0.2,
                    split=rnd.random() < 0.2, place_resolved=rnd.random() < 0.5)


def test_same_incident_answers_as_the_composed_tests():
    rnd = random.Random(138)
    answers = set()
    for _ in range(6000):
        a, b = _mention(rnd, 0), _mention(rnd, 1)
        got = W.same_incident(a, b)
        assert got == _old_same_incident(a, b), (a, b)
        answers.add(got)
    assert answers == {True, False}


def test_same_incident_keeps_passages_and_named_days_apart():
    base = {"event_type": "Battles", "sub_event_type": "Armed clash", "country_code": "YE", "admin1_code": "YE01",
            "location": "Taizz", "actor1": "Houthis", "actor2": None}
    a = Incident(dict(base, event_date="2015-04-01"), date_src=1)
    b = Incident(dict(base, event_date="2015-04-02"), date_src=1)
    assert not W.same_incident(a, b)          # two passages, two days
    b.date_src = 0
    assert W.same_incident(a, b)              # the publication's day joins any
    a.has_date_cue = b.has_date_cue = True
    assert not W.same_incident(a, b)          # two named days
    a.began = True
    assert W.same_incident(a, b)              # begun one day, told again the next


def _old_fold_evidence(into, e):
    seen = {(x["start"], x["end"], x["field"]) for x in into["evidence"]}
    for x in e["evidence"]:
        if (x["start"], x["end"], x["field"]) not in seen:
            into["evidence"].append(x)


def test_fold_keeps_the_evidence_the_comprehension_kept():
    rnd = random.Random(7)
    grew = 0
    for _ in range(2000):
        into, e = _mention(rnd, 0), _mention(rnd, 1)
        want = copy.deepcopy(into["evidence"])
        ref = Incident({"evidence": want})
        _old_fold_evidence(ref, e)
        D._fold(into, e, add_fatalities=rnd.random() < 0.5)
        assert into["evidence"] == want
        grew += len(want) > 0
    assert grew


def test_fold_adds_only_new_spans_in_order():
    into = Incident({"evidence": [{"start": 0, "end": 3, "field": "event"}], "weapons": [], "sources": []})
    e = Incident({"evidence": [{"start": 0, "end": 3, "field": "event"}, {"start": 0, "end": 3, "field": "actor1"},
                               {"start": 9, "end": 12, "field": "event"}], "weapons": [], "sources": []})
    D._fold(into, e, add_fatalities=False)
    assert [(x["start"], x["field"]) for x in into["evidence"]] == [(0, "event"), (0, "actor1"), (9, "event")]


def _old_fold_general_into_specific(events):
    """_fold_general_into_specific as main wrote it before sp138 (mentions with no place span: no seat)."""
    folded = set()
    of_type = {}
    for e in events:
        of_type.setdefault(e["event_type"], []).append(e)

    def precision(x):
        return (x.get("geo_precision") or 4) if x.get("location") else 5

    for e in sorted(events, key=lambda x: -precision(x)):
        precise = (e.get("geo_precision") or 3) < 2 and e.get("location") is not None
        town = D._town_id(e) if precise else None
        if precise and not town:
            continue
        hosts = [m for m in of_type[e["event_type"]] if m is not e and id(m) not in folded
                 and D._same_sub_type(m, e)
                 and (D._quarter_in(m, town) if precise else W._inside(e, m))
                 and W._dates_compatible(m, e) and (W._actors_compatible(m, e) or D._summed_up_sides(m, e))
                 and not D._battle_of_another_day(m, e)
                 and not (m.sent == e.sent and m.place_in_sentence
                          and e.place_in_sentence and m.clause_place and e.clause_place)
                 and not (m.sent == e.sent and m.split and e.split)]
        if hosts:
            host = min(hosts, key=lambda m: m.get("geo_precision") or 3)
            D._fold(host, e, add_fatalities=False)
            folded.add(id(e))
    return [e for e in events if id(e) not in folded]


def test_general_mentions_fold_where_they_folded():
    rnd = random.Random(11)
    folds = 0
    for _ in range(800):
        events = []
        for k in range(rnd.randint(1, 7)):
            e = _mention(rnd, rnd.randint(0, 2))
            e.place_in_sentence, e.clause_place = rnd.random() < 0.5, rnd.random() < 0.5
            events.append(e)
        twin = copy.deepcopy(events)
        got, want = D._fold_general_into_specific(events), _old_fold_general_into_specific(twin)
        assert [events.index(e) for e in got] == [twin.index(e) for e in want]
        assert [e.fields for e in events] == [e.fields for e in twin]
        assert [e.mentions for e in events] == [e.mentions for e in twin]
        folds += len(got) < len(events)
    assert folds > 50


def test_actors_compatible_reads_the_fields_as_get_did():
    rnd = random.Random(3)
    for _ in range(3000):
        a, b = _mention(rnd, 0), _mention(rnd, 1)
        if rnd.random() < 0.3:
            del a.fields["actor2"]
        x = {n for n in (W._named(a.get("actor1")), W._named(a.get("actor2"))) if n}
        y = {n for n in (W._named(b.get("actor1")), W._named(b.get("actor2"))) if n}
        assert W._actors_compatible(a, b) == W._actors_compatible(Incident(dict(a.fields)), Incident(dict(b.fields)))
        if x <= y or y <= x:
            assert W._actors_compatible(a, b)


def test_a_mention_alone_of_its_type_is_left_as_it_was_and_the_others_fold_as_before():
    # _fold_general_into_specific reads only the mentions that share their type with another
    rnd = random.Random(161)
    alone = folds = 0
    for _ in range(800):
        events = []
        for k in range(rnd.randint(1, 6)):
            e = _mention(rnd, rnd.randint(0, 2))
            if rnd.random() < 0.3:
                e.fields["event_type"], e.fields["sub_event_type"] = "Violence against civilians", "Attack"
            e.place_in_sentence, e.clause_place = rnd.random() < 0.5, rnd.random() < 0.5
            events.append(e)
        twin = copy.deepcopy(events)
        got, want = D._fold_general_into_specific(events), _old_fold_general_into_specific(twin)
        assert got is not events
        assert [events.index(e) for e in got] == [twin.index(e) for e in want]
        assert [e.fields for e in events] == [e.fields for e in twin]
        kinds = [e["event_type"] for e in events]
        alone += any(kinds.count(t) == 1 for t in kinds)
        folds += len(got) < len(events)
    assert alone > 200 and folds > 50


def test_merging_asks_the_rule_only_of_one_type_as_asking_every_pair_would(monkeypatch):
    # with the rule deciding, merge_events asks it only of mentions of one type and sub-type (the
    # weak mentions' scan too); asking every pair, as under a learned decision, merges the same
    rnd = random.Random(1616)
    kinds = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
             ("Explosions/Remote violence", "Air/drone strike"), ("Violence against civilians", "Attack")]
    merges = 0
    for _ in range(600):
        events = []
        for k in range(rnd.randint(1, 8)):
            e = _mention(rnd, rnd.randint(0, 3))
            e.fields["event_type"], e.fields["sub_event_type"] = rnd.choice(kinds)
            e.weak, e.ongoing = rnd.random() < 0.4, rnd.random() < 0.2
            e.place_in_sentence, e.kind = rnd.random() < 0.5, rnd.choice(["clash", "kill", "strike"])
            events.append(e)
        twin = copy.deepcopy(events)
        got = D.merge_events(events)
        with monkeypatch.context() as m:
            m.setattr(D, "rule_decides", lambda: False)
            want = D.merge_events(twin)
        assert [events.index(e) for e in got] == [twin.index(e) for e in want]
        assert [e.fields for e in events] == [e.fields for e in twin]
        merges += len(got) < len(events)
    assert merges > 100


def _old_conditions(doc):
    """document.conditions as main wrote it before dc161 (the fallback place read first, always)."""
    from collections import OrderedDict
    spans = doc.layer("conditions")
    if not spans:
        return []
    fallback = D.most_frequent_place(doc)
    grouped = OrderedDict()
    for s in spans:
        g = grouped.setdefault(s.label, {"condition": s.label, "_places": [], "evidence": []})
        g["evidence"].append({"start": s.start, "end": s.end, "field": "condition", "text": s.text})
        ps = [p for p in doc.in_sentence("places", s.sent) if p.data.get("resolved", True)]
        if not ps:
            ps = [fallback] if fallback is not None else []
        else:
            best = max(D.specificity(p) for p in ps)
            ps = [p for p in ps if D.specificity(p) == best]
        for p in ps:
            if p not in g["_places"]:
                g["_places"].append(p)
                g["evidence"].append(p.to_evidence("location"))
    out = []
    for g in grouped.values():
        names, names_ar = [], []
        for p in g["_places"]:
            n = p.data.get("location") or p.label
            if n not in names:
                names.append(n)
                names_ar.append(p.data.get("location_ar") or p.text)
        out.append({"condition": g["condition"], "location": "; ".join(names) or None,
                    "location_ar": "؛ ".join(names_ar) or None, "evidence": g["evidence"]})
    return out


def test_conditions_read_the_fallback_place_only_where_a_sentence_has_none():
    from marsad.doc import Doc, Span
    rnd = random.Random(16)
    fell = 0
    for _ in range(400):
        doc = Doc("x" * 400)
        places = []
        for k in range(rnd.randint(0, 6)):
            loc = rnd.choice(["Taizz", "Aden", "Sanaa"])
            data = {"location": loc, "location_ar": loc[::-1], "latitude": 13.0, "resolved": rnd.random() < 0.8,
                    "feature": rnd.choice(["town", "admin1", "quarter", "village"]), "score": rnd.choice([None, 4.0, 9.0])}
            places.append(Span(k * 10, k * 10 + 5, loc, loc, rnd.randint(0, 3), data))
        conds = [Span(200 + k * 10, 205 + k * 10, rnd.choice(["famine", "displacement"]), "c", rnd.randint(0, 4))
                 for k in range(rnd.randint(0, 4))]
        doc.layers["places"], doc.layers["conditions"] = places, conds
        assert D.conditions(doc) == _old_conditions(doc)
        fell += any(not [p for p in places if p.sent == c.sent and p.data["resolved"]] for c in conds)
    assert fell > 100


def _old_absorbs(battle, e, norm=""):
    # as main had it before dc171: every test in one expression, asked of every incident
    bf, ef = battle.fields, e.fields
    return (bf["event_type"] == "Battles" and ef["event_type"] == "Explosions/Remote violence"
            and ef["sub_event_type"] in D.EXPLOSION_IN_BATTLE
            and not (ef.get("actor2") or "").startswith("Civilians")
            and ef.get("location") is not None and W._place_key(battle) == W._place_key(e)
            and bf.get("event_date") == ef.get("event_date")
            and (D._actors(e) - {None}) <= D._actors(battle) | {a for a in D._actors(e) if a.startswith("Civilians")}
            and not D._names_word(norm[e.region[0]:e.region[1]], D._civilian_sites()))


def _old_details(general, e):
    return (not general.weak and general["event_type"] == e["event_type"]
            and general["sub_event_type"] == e["sub_event_type"]
            and ((general.get("geo_precision") or 3) >= 3 or not general.get("admin1_code"))
            and W._inside(general, e) and W._dates_compatible(general, e) and W._actors_compatible(general, e))


_KINDS = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
          ("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
          ("Violence against civilians", "Attack")]


def _report(rnd, n):
    """n random mentions of a report whose text names a civilian site in some mentions' stretch."""
    site = sorted(D._civilian_sites())[0]
    norm = "قصف عنيف على المدينة " + site + " ثم اشتباكات في الريف " * 3
    events = []
    for k in range(n):
        e = _mention(rnd, rnd.randint(0, 3))
        e.fields["event_type"], e.fields["sub_event_type"] = rnd.choice(_KINDS)
        if rnd.random() < 0.2:
            e.fields["actor2"] = "Civilians (Yemen)"
        e.weak, e.ongoing = rnd.random() < 0.5, rnd.random() < 0.3
        e.place_in_sentence, e.kind = rnd.random() < 0.6, rnd.choice(["clash", "kill", "strike"])
        e.region = rnd.choice([(0, 20), (20, 40), (40, len(norm))])
        if events and rnd.random() < 0.6:   # told at the place and on the day of another mention
            for key in ("country_code", "admin1_code", "location", "geo_precision", "event_date"):
                e.fields[key] = events[0].fields.get(key)
        events.append(e)
    return events, norm


def test_absorbs_tests_of_the_mention_alone_answer_as_the_whole_test():
    # _absorbable(e) false: no battle absorbs e; _absorbs answers as the one expression did
    rnd = random.Random(1711)
    absorbed = refused_alone = 0
    for _ in range(1500):
        events, norm = _report(rnd, 6)
        for e in events:
            alone = D._absorbable(e)
            refused_alone += not alone
            for m in events:
                want = _old_absorbs(m, e, norm)
                assert D._absorbs(m, e, norm) == want
                assert alone or not want
                absorbed += want
    assert absorbed > 100 and refused_alone > 1000


def test_details_reads_the_fields_as_item_access_did():
    rnd = random.Random(1712)
    hits = 0
    for _ in range(3000):
        (a, b), _norm = _report(rnd, 2)
        if rnd.random() < 0.5:   # a strong mention at country level, of the other's type
            a.weak = False
            a.fields.update(country_code=b.fields.get("country_code"), admin1_code=None, location=None,
                            geo_precision=rnd.choice([None, 3, 4]), event_type=b.fields["event_type"],
                            sub_event_type=b.fields["sub_event_type"])
        got = D._details(a, b)
        assert got == _old_details(a, b)
        hits += got
    assert hits > 30


def test_merging_asks_absorbs_only_of_mentions_that_pass_its_own_tests(monkeypatch):
    # the weak and ongoing mentions' scans skip _absorbs where the mention fails its tests of itself:
    # the same merges as asking the whole test of every incident
    rnd = random.Random(1713)
    merges = 0
    for _ in range(800):
        events, norm = _report(rnd, rnd.randint(2, 9))
        twin = copy.deepcopy(events)
        got = D.merge_events(events, norm)
        with monkeypatch.context() as m:
            m.setattr(D, "_absorbable", lambda e: True)
            m.setattr(D, "_absorbs", _old_absorbs)
            want = D.merge_events(twin, norm)
        assert [events.index(e) for e in got] == [twin.index(e) for e in want]
        assert [e.fields for e in events] == [e.fields for e in twin]
        assert [e.weak for e in events] == [e.weak for e in twin]
        merges += len(got) < len(events)
    assert merges > 200
