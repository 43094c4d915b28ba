"""The write path stores what the plain code stored: JSON text as
json.dumps gives it, a new place's catalog values as its row gives them back, and a person's
decisions honoured in a transaction group that asks for them once; codes given as numbers
stored as text."""

from __future__ import annotations

import json

import pytest

from marsad.store import open_store
from marsad.store.store import _j

from store_data import coded, event
from test_store_link import CLASH_A, CLASH_B, JOBAR


@pytest.mark.parametrize("value", [
    {"a": 1.5, "b": [1, 2, None, True, "عربي \"مقتبس\"\n"], "c": {"d": -0.0, "e": 1e20}},
    {"weapons": [], "sources": [{"name": "المرصد", "start": 3}]}, [], {}, "نص", 3, None,
    {"x": float("nan"), "y": float("inf"), 1: "a key not text"},
    (1, "a tuple"), 10 ** 30, {"deep": [[[{"z": "\u0000\ud800"}]]]},
])
def test_json_text_is_json_dumps_text(value):
    assert _j(value) == json.dumps(value, ensure_ascii=False)


def test_json_of_a_value_json_cannot_write_fails_as_json_dumps_does():
    with pytest.raises(TypeError):
        _j({"a": {1, 2}})
    assert _j({"a": 1}) == '{"a": 1}'   # the encoder still works after a failure


def test_a_new_places_catalog_values_are_those_its_row_holds(tmp_path):
    """A place written for the first time is kept with the values its row gives back, also when
    the database converts one (a whole number for a coordinate is a float there, a float
    precision an integer)."""
    evs = [event(), event(location="Jobar", geo_precision=2.0),
           event(location="Binnish", latitude=35, longitude=36)]
    with open_store(tmp_path / "p.db") as store:
        with store.db.transaction():
            ids = [store._catalog_place(ev) for ev in evs]
        fields = ("location", "location_ar", "country_code", "admin1_code", "latitude", "longitude",
                  "geo_precision")
        rows = {r["id"]: r for r in store.db.query("SELECT * FROM places")}
        kept = {i: v for i, v in store._known["places"].values()}
        for i in ids:
            held = tuple(rows[i][k] for k in fields)
            assert kept[i] == held and [type(x) for x in kept[i]] == [type(x) for x in held]


def test_a_persons_decision_holds_for_reports_stored_in_a_group(tmp_path):
    """Two reports of a clash split apart by a person, then a third report of it stored in a
    transaction group: the two stay apart, and the store holds what one by one gives."""
    clash = dict(JOBAR, event_date="2015-08-03")
    first = [coded("a", CLASH_A, "2015-08-04", "outlet-a", [event(**clash)]),
             coded("b", CLASH_B, "2015-08-04", "outlet-b", [event(**clash)])]
    later = [coded("c", CLASH_B + " c", "2015-08-04", "outlet-c", [event(**clash)])]
    seen = []
    for group in (False, True):
        with open_store(tmp_path / f"g{group}.db") as store:
            store.load_results(first, extractor_version="test")
            (ev,), _ = store.query_events()
            b = next(r for r in store.get_event(ev["id"])["reports"] if r["source"] == "outlet-b")
            store.split_report(ev["id"], b["report_id"], note="another clash")
            store.load_results(later, extractor_version="test", group=group)
            by_report = {r["record_id"]: r["event_id"] for r in store.db.query(
                "SELECT r.record_id, m.event_id FROM mentions m JOIN reports r ON r.id = m.report_id")}
            assert by_report["a"] != by_report["b"]
            seen.append(sorted(by_report.items()))
    assert seen[0] == seen[1]


def test_a_governorate_given_as_a_number_is_stored_as_text(tmp_path):
    """Outputs from another tool may give a governorate code as a number: both reports naming
    the place are stored (not failed on comparing 12 with "12"), the code as text."""
    place = dict(JOBAR, admin1_code=12)
    with open_store(tmp_path / "n.db") as store:
        stats = store.load_results(
            [coded("a", CLASH_A, "2015-08-04", "outlet-a", [event(**place)]),
             coded("b", CLASH_B, "2015-08-05", "outlet-b", [event(**place)])],
            extractor_version="test")
        assert stats.failed == 0 and not store.failures(limit=10)
        assert {r["admin1_code"] for r in store.db.query("SELECT admin1_code FROM places")} == {"12"}
        assert {r["admin1_code"] for r in store.db.query("SELECT admin1_code FROM events")} == {"12"}


def _quotes_plain(ev, text):
    """_quotes as it was written before its shortcuts: every offset through _num, then sorted by
    _span_order."""
    from marsad.store.store import _num, _span_order
    out = []
    for sp in ev.get("evidence") or []:
        if not isinstance(sp, dict):
            continue
        a, b = _num(sp.get("start"), int), _num(sp.get("end"), int)
        quote = sp.get("text") or (text[a:b] if a is not None and b is not None else None)
        out.append((sp.get("field") or "event", a, b, quote))
    return sorted(out, key=_span_order)


@pytest.mark.parametrize("spans", [
    [{"start": 9, "end": 12, "text": "قصف", "field": "event"}, {"start": 0, "end": 4, "field": "actor"},
     {"start": 9, "end": 11, "text": ""}, {"start": 3, "end": 5, "text": "x", "field": "place"}],
    [{"start": "4", "end": "7"}, {"start": 2.0, "end": 3.9, "text": "y"}, {"start": True, "end": 2},
     {"start": None, "end": 5, "text": "no start"}, {"start": "", "end": ""}, "not a span", {}],
    [{"start": 5, "end": None}, {"end": 3}, {"start": 1, "end": 2, "field": None, "text": None}],
    [],
])
def test_an_events_quotes_are_those_of_every_offset_through_num_in_span_order(spans):
    """The evidence spans' (field, start, end, quote) of _quotes, which keeps ints as they are
    and sorts by the start alone when every span has one, are what the plain loop gives: offsets
    as text, floats, a bool or missing, quotes taken from the report, spans without a start
    first (fails if a start of text is kept as text, or the order differs: checked)."""
    from marsad.store.store import Store
    text = "الجيش السوري قصف مدينة حمص"
    ev = {"evidence": spans}
    got = Store._quotes(ev, text)
    assert got == _quotes_plain(ev, text)
    assert [tuple(map(type, q)) for q in got] == [tuple(map(type, q)) for q in _quotes_plain(ev, text)]


@pytest.mark.parametrize("values", [
    {}, {"latitude": 34.7, "longitude": 36, "confidence": "0.8", "time_precision": 1.0,
         "geo_precision": "2", "inter1": True, "inter2": None, "fatalities": 3},
    {"latitude": "", "longitude": "x", "confidence": None, "fatalities": "12", "inter1": 2.7},
    {"latitude": float("nan"), "fatalities": 0, "country_code": 12, "event_date": "2015-08-01T10:00"},
])
def test_a_cleaned_events_numbers_are_those_num_gives(values):
    """_clean_event keeps a number already of its column's type as it is and sends the others
    through _num: the values and their types are _num's for every field, a missing one None."""
    from marsad.store.store import Store, _num
    got = Store._clean_event(values)
    for k in ("latitude", "longitude", "confidence"):
        want = _num(values.get(k))
        assert type(got[k]) is type(want) and (got[k] == want or got[k] != got[k] and want != want)
    for k in ("time_precision", "geo_precision", "inter1", "inter2", "fatalities"):
        want = _num(values.get(k), int)
        assert type(got[k]) is type(want) and got[k] == want


def test_a_places_catalog_key_is_its_values_text_whatever_was_asked_before():
    """store._place_key keeps a key by the place's values: each key is the text of its codes,
    name and point rounded to four decimals, asked in any order, for values that compare equal
    and read otherwise (0.0 and -0.0, 1 and True and 1.0, a NaN, a code as a number)."""
    import math
    import random

    from marsad.store import store as st

    def text(country, admin1, location, lat, lon):
        r = lambda x: round(x, 4) if isinstance(x, float) else x   # noqa: E731
        return f"{country}|{admin1}|{location}|{r(lat)}|{r(lon)}"

    points = [None, 0.0, -0.0, 1, True, 1.0, 36.20214999, 36.2021, -12.5, math.nan, math.inf, 3.14159265]
    codes = [None, "SY", "SY-HL", 12, "12", True, 1]
    names = [None, "Aleppo", "حلب", 1.0]
    rnd = random.Random(5)
    values = [(rnd.choice(codes), rnd.choice(codes), rnd.choice(names), rnd.choice(points), rnd.choice(points))
              for _ in range(3000)]
    st._PLACE_KEYS.clear()
    for order in (values, values[::-1], sorted(values, key=repr)):
        for v in order:
            assert st._place_key(*v) == text(*v)
    assert st._PLACE_KEYS   # some were kept


def _random_entities(rnd, n):
    """Entities of the extractor's shapes and of others: offsets of text, floats or bools,
    points of ints, text or NaN, codes of numbers, keys beyond the columns, a dict subclass."""
    class Ent(dict):
        pass
    values = [None, 0, 7, 12.0, "3", True, float("nan"), -0.0, 33.51, "حلب", "", [1, "x"], {"a": None}]
    keys = ["type", "start", "end", "text", "latitude", "longitude", "country_code", "admin1_code",
            "geonameid", "geo_precision", "location", "place_id", "role"]
    out = []
    for _ in range(n):
        ent = {k: rnd.choice(values) for k in rnd.sample(keys, rnd.randint(0, len(keys)))}
        if rnd.random() < 0.5:   # most: the extractor's types
            ent.update(start=rnd.randint(0, 900), end=rnd.randint(0, 900),
                       latitude=rnd.choice([None, 36.2]), longitude=rnd.choice([None, 37.1]))
        out.append(Ent(ent) if rnd.random() < 0.05 else ent)
    return out + ["not an entity", None, 3]


@pytest.mark.parametrize("null", [None, float("nan")])
def test_a_reports_entity_rows_are_entity_rows_of_each_entity(null):
    """_entity_rows (in C where built: _fast.entity_rows) gives _entity_row's tuple for each
    dict, of the same values and types, whatever the entities hold (fails if C keeps an
    offset of another type or drops a key beyond the columns: checked)."""
    import random

    from marsad.store.store import _entity_row, _entity_rows

    rnd = random.Random(7)
    for _ in range(200):
        ents = _random_entities(rnd, rnd.randint(0, 40))
        got = _entity_rows(5, ents, null)
        want = [_entity_row(5, e, null) for e in ents if isinstance(e, dict)]
        assert repr(got) == repr(want)
        assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in want]
    assert _entity_rows(5, (), null) == [] and _entity_rows(5, ({"start": 1},), null) == [_entity_row(5, {"start": 1}, null)]


def test_an_entitys_keys_beyond_the_columns_are_their_json():
    """The keys beyond an entity's columns are written (in C where built: _fast.entity_rows,
    which writes plain ones itself) as _j writes them, whatever their values: text with quotes,
    backslashes, control characters or none of them, ints, bools, None, and values and keys it
    leaves to the encoder (floats, NaN, lists, subclasses, keys not text). Fails if C writes a
    quote as it is: checked."""
    import enum
    import random

    from marsad.store.store import _ENTITY_COLUMNS, _entity_row, _entity_rows

    class Text(str):
        pass

    class Level(enum.IntEnum):
        ONE = 1

    texts = ["gn:99237", "Iraq", "العراق", "", " ", "a\"b", "a\\b", "\n", "\t", "\x00", "\x1f", "\x7f",
             "\u2028", "é", "\U0001f600", "\ud800", "ﻻ"]
    values = texts + [None, True, False, 0, 3, -12, 10 ** 30, 1.5, -0.0, float("nan"), float("inf"),
                      [1, "x"], {"a": 1}, Text("x"), Level.ONE, (1,)]
    keys = ["place_id", "location", "geo_precision", "a\"b", "\x01", "ع", Text("role"), 7, None,
            True, 2.5]
    rnd = random.Random(11)
    ents = []
    for _ in range(3000):
        ent = {"type": "LOC", "start": 1, "end": 4}
        for k in rnd.sample(keys, rnd.randint(0, 4)):
            ent[k] = rnd.choice(values if rnd.random() < 0.3 else texts + [None, 3, True])
        ents.append(ent)
    got = _entity_rows(5, ents)
    assert got == [_entity_row(5, e) for e in ents]
    assert [r[-1] for r in got] == [_j({k: v for k, v in e.items() if k not in _ENTITY_COLUMNS})
                                    if e.keys() - _ENTITY_COLUMNS else "{}" for e in ents]


@pytest.mark.parametrize("stored", [
    {"event_type": "Battles", "latitude": 36.2, "fatalities": 3, "inter1": True, "notes": "نص \"مقتبس\"\n",
     "weapons": ["قذائف", 2, None, 1.5], "sources": []},
    {}, {"x": -0.0, "y": 10 ** 30, "z": "\ud800"},
    {"sources": [{"name": "المرصد"}]}, {"x": float("nan")}, {"x": float("inf")}, {"x": [float("nan")]},
    {"x": (1, 2)}, {1: "a key not text"}, {"x": {"y": 1}}, {"x": [[1]]},
])
def test_a_mentions_data_given_back_is_its_json_parsed(stored):
    """_parsed_back gives what json.loads gives of the mention's JSON: the same values of the
    same types, its lists and dicts new ones (fails if a tuple or a key not text is kept: checked)."""
    from marsad.store.store import _parsed_back

    data = _j(stored)
    got, want = _parsed_back(stored, data), json.loads(data)
    assert repr(got) == repr(want)
    assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
    for k, v in got.items():
        if isinstance(v, (list, dict)):
            assert v is not stored[k]


def test_a_querys_rows_are_the_dicts_of_their_columns(tmp_path):
    """SQLiteDatabase.query's dicts (a dict display made per set of columns: _dicts_of) are
    dict(zip(names, row)) for columns of any name, one column, NULLs and values of each type;
    a name given twice keeps its first column's value (fails if a display drops or reorders a
    column: checked)."""
    from marsad.store.db import SQLiteDatabase, _dicts_of

    db = SQLiteDatabase(str(tmp_path / "q.db"))
    sql = ("SELECT 1 AS a, 'عربي' AS \"b c\", NULL AS \"d'e\", 2.5 AS \"f\"\"g\", x'00' AS \"COUNT(*)\" "
           "UNION ALL SELECT 2, '', 3, NULL, NULL")
    cur = db.conn.cursor()
    cur.row_factory = None
    rows = cur.execute(sql).fetchall()
    names = [d[0] for d in cur.description]
    assert db.query(sql) == [dict(zip(names, r)) for r in rows]
    assert [list(d) for d in db.query(sql)] == [names, names]
    assert db.query("SELECT 7 AS only") == [{"only": 7}]
    assert db.query("SELECT 1 AS a, 2 AS a, 3 AS b") == [{"a": 1, "b": 3}]
    assert db.query("SELECT 1 AS a WHERE 0") == []
    assert _dicts_of(("x", "y"))([(1, 2), (3, 4)]) == [{"x": 1, "y": 2}, {"x": 3, "y": 4}]


def test_an_inserts_id_is_the_one_returning_gives(tmp_path):
    """SQLiteDatabase.insert takes a row's id as the connection's last rowid for a plain one-row
    INSERT (and one ON CONFLICT DO NOTHING: None when it inserted nothing); any other statement
    runs with its RETURNING clause. Each gives the id (or None) RETURNING gives and leaves the
    same rows, in a twin table written by RETURNING alone (fails when the last rowid is taken
    for an UPSERT that updates, several rows of VALUES or an INSERT ... SELECT: checked)."""
    from marsad.store.db import SQLiteDatabase, _rowid_insert

    db = SQLiteDatabase(str(tmp_path / "i.db"))
    for t in ("a", "b"):
        db.execute(f"CREATE TABLE {t} (id INTEGER PRIMARY KEY, key TEXT UNIQUE, n INTEGER, s TEXT)")
        db.execute(f"CREATE TABLE {t}_log (id INTEGER PRIMARY KEY, x TEXT)")
    statements = [
        ("INSERT INTO {t} (key, n, s) VALUES (?, ?, ?) RETURNING id", ("k1", 1, "x"), True),
        ("INSERT INTO {t} (key, n, s) VALUES (?, ?, '(') RETURNING id", ("k2", 2), False),
        ("INSERT INTO {t} (key, n, s) VALUES (?, (SELECT MAX(n) FROM {t}), ?) RETURNING id", ("k3", "y"), True),
        ("INSERT INTO {t} (key, n) VALUES (?, ?) ON CONFLICT (key) DO NOTHING RETURNING id", ("k1", 9), True),
        ("INSERT INTO {t} (key, n) VALUES (?, ?) ON CONFLICT (key) DO NOTHING RETURNING id", ("k4", 9), True),
        ("INSERT INTO {t} (key, n) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id", ("k4", 5), True),
        ("INSERT INTO {t}_log (x) VALUES ('a') RETURNING id", (), True),
        ("INSERT INTO {t} (key, n) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET n = 7 RETURNING id", ("k1", 3), False),
        ("INSERT INTO {t} (key, n) VALUES (?, 1), (?, 2) RETURNING id", ("k5", "k6"), False),
        ("INSERT INTO {t} (key, n) SELECT key || 'z', n FROM {t} WHERE key = ? RETURNING id", ("k2",), False),
        ("INSERT INTO {t} (key, n) SELECT 'none', 1 WHERE 0 RETURNING id", (), False),
        ("INSERT OR IGNORE INTO {t} (key, n) VALUES (?, ?) RETURNING id", ("k1", 1), False),
        ("INSERT OR REPLACE INTO {t} (key, n) VALUES (?, ?) RETURNING id", ("k4", 4), False),
        ("INSERT INTO {t} (key, n) VALUES (?, ?) RETURNING id, n", ("k7", 1), False),
    ]
    with db.transaction():
        for sql, params, plain in statements:
            assert (_rowid_insert(sql.format(t="a")) is not None) == plain, sql
            got = db.insert(sql.format(t="a"), params)
            row = db.conn.execute(sql.format(t="b"), params).fetchone()
            assert got == (row[0] if row is not None else None), sql
    for t in ("", "_log"):
        assert db.query(f"SELECT * FROM a{t} ORDER BY id") == db.query(f"SELECT * FROM b{t} ORDER BY id")
    # tables whose id is not their rowid: RETURNING's id, whatever the statement's shape
    for i, table in enumerate(("(id TEXT PRIMARY KEY, n INTEGER)", "(id INTEGER PRIMARY KEY, n INTEGER) WITHOUT ROWID",
                               "(id INTEGER PRIMARY KEY DESC, n INTEGER)", "(k INTEGER PRIMARY KEY, id INTEGER, n INTEGER)",
                               "(id INTEGER, n INTEGER, PRIMARY KEY (id, n))", "(id INTEGER PRIMARY KEY, n INTEGER)")):
        db.execute(f"CREATE TABLE o{i} {table}")
        with db.transaction():
            for n in (5, 3, 9):
                sql = f"INSERT INTO o{i} (id, n) VALUES (?, ?) RETURNING id"
                assert db.insert(sql, (str(n * 7) if i == 0 else n * 7, n)) == (str(n * 7) if i == 0 else n * 7)
                assert db._rowid_id(f"o{i}") == (i == 5)


def test_a_texts_content_hash_is_the_sha256_of_its_stripped_utf8():
    """content_hash (in C where built: _fast.utf8_hexdigest, read from the UTF-8 copy the text
    keeps) is the SHA-256 of the stripped text's UTF-8 for texts of every storage kind, empty,
    long, stripped or not, a str subclass, and asked twice of one object (the copy then made);
    a lone surrogate raises UnicodeEncodeError as encode does. Fails when C hashes one byte
    less: checked."""
    import hashlib
    import random

    from marsad.incident.features import _fast
    from marsad.store.store import content_hash

    class Text(str):
        pass

    alphabet = "ab Z9\n\t" + "é\u00ff" + "عربي\u0640\u064b" + "\u2028\uffff" + "\U0001f600\U00010000"
    rnd = random.Random(13)
    texts = ["", " ", "\n x \n", "abc", "نص", "\U0001f600", "x" * 100_000, "ع" * 70_000, Text(" نص ")]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 300))) for _ in range(2000)]
    for t in texts:
        want = hashlib.sha256(t.strip().encode("utf-8")).hexdigest()
        assert content_hash(t) == want
        assert content_hash(t) == want   # again, its UTF-8 copy now made
        if _fast is not None and t.__class__ is str:
            assert _fast.utf8_hexdigest(t, hashlib.sha256) == hashlib.sha256(t.encode("utf-8")).hexdigest()
            assert _fast.utf8_hexdigest(t, hashlib.md5) == hashlib.md5(t.encode("utf-8")).hexdigest()
    for t in ("\ud800", "a\udfffb ", "نص\udc80"):
        with pytest.raises(UnicodeEncodeError):
            content_hash(t)
