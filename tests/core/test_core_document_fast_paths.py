"""The document step's faster ways against the code they replace: the same answers.

``fill_opponents`` counts each armed name once per country and asks the allies' table once per
name and event, where it counted every mention per event; it must pick the same opponent (the
name told most often that is not the known side's, the first told of equals) with the same
evidence (its first mention), and none for a name told once.
"""

import random
from collections import Counter

from marsad.components import document as D
from marsad.components.events import actors as A
from marsad.components.events.incident import Incident
from marsad.components.events.native import _fast
from marsad.doc import Span


def _reference(doc, events, actor_out, same_side):
    """fill_opponents as it was written before (a Counter of every mention, per event)."""
    battles = [e for e in events if e["event_type"] in D.OPPONENT_TYPES and e.get("actor1") and not e.get("actor2")]
    lone = [e for e in events if e["event_type"] == "Battles" and e.get("actor2") and not e.get("actor1")]
    if not battles and not lone:
        return
    spans = [x for x in doc.layer("actors") if not A.is_victim(x) and x.data.get("inter") in D.ARMED
             and not x.data.get("not_party")]
    named_in = {}
    for e in battles + lone:
        known, missing = ("actor1", "actor2") if e.get("actor1") else ("actor2", "actor1")
        cc = e.get("country_code")
        named = named_in.get(cc)
        if named is None:
            named = named_in[cc] = [(name, x) for x in spans for name in (actor_out(x, cc)[0],)
                                    if name and not name.startswith("Unidentified")]
        names, first = Counter(), {}
        side = e[known]
        for name, x in named:
            if same_side(name, side):
                continue
            names[name] += 1
            first.setdefault(name, x)
        if not names:
            continue
        (name, n), = names.most_common(1)
        if n < 2:
            continue
        x = first[name]
        e[missing], e["inter" + missing[-1]] = actor_out(x, e.get("country_code"))
        e["evidence"].append(x.to_evidence(missing))


class _Doc:
    def __init__(self, spans):
        self.spans = spans

    def layer(self, name):
        return self.spans if name == "actors" else []


_NAMES = ["Houthis", "Popular Resistance", "Military Forces of Yemen", "ISIS", "Unidentified Armed Group",
          "Saudi Coalition", "Ansar Allah", ""]
# two names on one side, as the allies' table would say (and the name itself)
_ALLIES = {"Houthis": "h", "Ansar Allah": "h", "Popular Resistance": "g", "Military Forces of Yemen": "g",
           "Saudi Coalition": "g", "ISIS": "i", "Unidentified Armed Group": "u"}


def _fake_actor_out(x, cc):
    name = x.label if cc != "IQ" or x.label != "ISIS" else "Islamic State"
    return (name or None), 2


def _fake_same_side(a, b):
    return bool(a and b) and _ALLIES.get(a, a) == _ALLIES.get(b, b)


def _case(rnd):
    spans = []
    for k in range(rnd.randint(0, 14)):
        # victims by kind with an armed code too (fill_opponents tests the code before is_victim)
        data = {"inter": rnd.choice([1, 2, 3, 8, 7, 6, None]), "not_party": rnd.random() < 0.1}
        if rnd.random() < 0.2:
            data["kind"] = rnd.choice(["civilians", "protesters", "militia"])
        s = Span(k * 10, k * 10 + 5, rnd.choice(_NAMES), "x" * 5, 0, data)
        spans.append(s)
    events = []
    for _ in range(rnd.randint(1, 5)):
        f = {"event_type": rnd.choice(["Battles", "Explosions/Remote violence", "Protests"]),
             "country_code": rnd.choice(["YE", "IQ", None]), "evidence": []}
        side = rnd.choice([n for n in _NAMES if n])
        if rnd.random() < 0.6:
            f["actor1"] = side
        else:
            f["actor2"] = side
        events.append(Incident(f))
    return _Doc(spans), events


def test_fill_opponents_picks_what_the_count_of_every_mention_picked(monkeypatch):
    monkeypatch.setattr(D, "actor_out", _fake_actor_out)
    monkeypatch.setattr(D, "same_side", _fake_same_side)
    rnd = random.Random(13)
    filled = 0
    for _ in range(3000):
        doc, events = _case(rnd)
        mine = [Incident(dict(e.fields, evidence=[])) for e in events]
        theirs = [Incident(dict(e.fields, evidence=[])) for e in events]
        D.fill_opponents(doc, mine)
        _reference(doc, theirs, _fake_actor_out, _fake_same_side)
        assert [e.fields for e in mine] == [e.fields for e in theirs]
        filled += sum(bool(e["evidence"]) for e in mine)
    assert filled > 300


def test_the_opponent_is_the_side_told_most_and_first_of_equals(monkeypatch):
    monkeypatch.setattr(D, "actor_out", _fake_actor_out)
    monkeypatch.setattr(D, "same_side", _fake_same_side)

    def spans(*names):
        return [Span(k * 10, k * 10 + 5, n, n, 0, {"inter": 2}) for k, n in enumerate(names)]

    def opponent(names, side="Popular Resistance"):
        e = Incident({"event_type": "Battles", "actor1": side, "country_code": "YE", "evidence": []})
        D.fill_opponents(_Doc(spans(*names)), [e])
        return e.get("actor2"), [x["start"] for x in e["evidence"]]

    # allies of the known side never count; the most told other side wins, its first mention is the evidence
    assert opponent(["Military Forces of Yemen"] * 3 + ["ISIS", "Houthis", "ISIS", "Houthis", "Houthis"]) \
        == ("Houthis", [40])
    # equals: the first told
    assert opponent(["ISIS", "Houthis", "Houthis", "ISIS"]) == ("ISIS", [0])
    # told once: no settled opponent
    assert opponent(["ISIS", "Houthis", "Saudi Coalition", "Saudi Coalition"]) == (None, [])
    assert opponent([]) == (None, [])


def test_an_events_record_is_incident_record():
    """The step's ``_record`` gives ``Incident.record()``: every coded field in EVENT_FIELDS'
    order, None where unset, the same objects; fields holding another key fall back to it."""
    from marsad.fields import EVENT_FIELDS
    rnd = random.Random(5)
    for _ in range(500):
        keys = rnd.sample(EVENT_FIELDS, rnd.randint(0, len(EVENT_FIELDS)))
        f = {k: [k] if rnd.random() < 0.5 else rnd.choice([None, 0, "", k]) for k in keys}
        if rnd.random() < 0.1:
            f["stray"] = 1
        e = Incident(f)
        got, want = D._record(e), e.record()
        assert got == want and list(got) == list(EVENT_FIELDS) == list(want)
        assert all(got[k] is want[k] for k in EVENT_FIELDS)


def test_a_towns_quarters_found_as_quarter_of_finds_them():
    """The fold of a general mention asks ``_town_id`` of the town once and ``_quarter_in`` of
    each other mention: the same answers as ``_quarter_of`` for every pair (explosions or not, a
    copy whose span is another place's, a place without id, a quarter of another town)."""
    rnd = random.Random(9)
    ids = ["ye-taizz", "ye-aden", "", None]

    def mention():
        pid = rnd.choice(ids)
        data = {"location": rnd.choice(["Taizz", "Aden", "Taizz - Jabal Sabir"]), "place_id": pid,
                "parent": rnd.choice(ids), "feature": rnd.choice(["quarter", "city", "village"])}
        f = {"event_type": rnd.choice(["Explosions/Remote violence", "Battles"]),
             "location": data["location"] if rnd.random() < 0.8 else "Elsewhere"}
        return Incident(f, place_span=Span(0, 1, "x", "x", 0, data) if rnd.random() < 0.9 else None)
    found = 0
    for _ in range(3000):
        town, e = mention(), mention()
        t = D._town_id(town)
        got = bool(t) and D._quarter_in(e, t)
        assert got == D._quarter_of(town, e)
        found += got
    assert found > 20


def _real_case(rnd):
    doc, events = _case(rnd)
    for x in doc.spans:   # what actor_out reads, varied, and a key it does not read
        x.data.update(inter_abroad=rnd.choice([None, 2, 8]), country=rnd.choice([None, "Yemen", "Iraq"]),
                      by_country=rnd.choice([None, "", "Yemen"]), note=rnd.random())
    return doc, events


def test_fill_opponents_with_the_real_naming_picks_what_every_mention_picked():
    """Grouped by actor_in, the real actor_out and allies' table choose as the count of every mention."""
    rnd = random.Random(29)
    filled = 0
    for _ in range(1500):
        doc, events = _real_case(rnd)
        mine = [Incident(dict(e.fields, evidence=[])) for e in events]
        theirs = [Incident(dict(e.fields, evidence=[])) for e in events]
        D.fill_opponents(doc, mine)
        _reference(doc, theirs, D.actor_out, D.same_side)
        assert [e.fields for e in mine] == [e.fields for e in theirs]
        filled += sum(bool(e["evidence"]) for e in mine)
    assert filled > 100


def test_spans_equal_in_actor_in_are_named_alike():
    """actor_in holds all that actor_out reads: spans that differ only elsewhere get one name."""
    rnd = random.Random(31)
    for _ in range(400):
        doc, _ = _real_case(rnd)
        for x in doc.spans:
            twin = Span(x.start + 1, x.end + 3, x.label, "y", 4, dict(x.data, note=-1.0, not_party=True, kind="z"))
            assert A.actor_in(twin) == A.actor_in(x)
            for cc in ("YE", "IQ", None):
                assert D.actor_out(twin, cc) == D.actor_out(x, cc)


def test_armed_groups_compiled_group_as_the_python_twin():
    """_fast.armed_groups: the same keys (actor_in's) in the same order, the same counts and first
    spans as actors._armed_groups_py, over spans with odd codes (True, 1.0, "2", None) and kinds."""
    rnd = random.Random(171)
    groups = grouped = 0
    twins = [A._armed_groups_py] + ([_fast.armed_groups] if _fast is not None else [])
    for _ in range(2000):
        doc, _ = _real_case(rnd)
        for x in doc.spans:
            if rnd.random() < 0.15:
                x.data["inter"] = rnd.choice([True, 1.0, "2", 6.0, 4, 5])
            if rnd.random() < 0.1:
                del x.data["inter"]
        for k, x in enumerate(doc.spans):   # a side named again, its data another dict
            if k and rnd.random() < 0.4:
                y = rnd.choice(doc.spans[:k])
                x.label, x.data = y.label, dict(y.data, note=rnd.random())
        want = {}
        for x in doc.spans:   # as fill_opponents read them before (per span, actor_in's key)
            if not A._is_victim_py(x) and x.data.get("inter") in A.ARMED and not x.data.get("not_party"):
                want.setdefault(A.actor_in(x), []).append(x)
        for group in twins:
            got = group(doc.spans, A.ARMED)
            assert list(got) == list(want)
            assert all(n == len(want[k]) and x is want[k][0] for k, (n, x) in got.items())
        groups += len(want)
        grouped += sum(len(v) > 1 for v in want.values())
    assert groups > 3000 and grouped > 500


def test_two_places_is_round_to_two_places():
    """confidence's remembered rounding gives round(c, 2)'s float for every input, asked once or
    again: random sums in its range, exact ties (0.125, 0.375), the cap and hundredths' neighbours."""
    rng = random.Random(16)
    xs = [rng.uniform(0.0, 1.0) for _ in range(20000)]
    xs += [0.125, 0.375, 0.625, 0.875, 0.97, 0.25, 0.0, 1.0]
    xs += [k / 100 + d for k in range(101) for d in (0.005, -1e-12, 1e-12, 0.00499999999, 0.00500000001)]
    xs += [0.25 + 0.35 * rng.random() + rng.choice((0.0, 0.03, 0.1)) + 0.05 * rng.randint(0, 2)
           for _ in range(5000)]
    for _ in range(2):
        for x in xs:
            got = D._two_places(x)
            assert got == round(x, 2) and type(got) is float, x
