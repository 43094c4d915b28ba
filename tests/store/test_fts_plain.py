"""The full-text rows FTS5's ascii tokenizer reads (db.plain_terms) are found as unicode61 found
them: a search over the two tables of a kind gives the rows one unicode61 table gave, and a
store made before the ascii tables is migrated and searched the same."""

from __future__ import annotations

import random
import sqlite3

import pytest

from marsad.store import open_store
from marsad.store.db import SQLiteDatabase, _match, plain_terms

from store_data import coded, event
from test_store_groups import pairs

ARABIC = [chr(c) for c in range(0x621, 0x63B)] + [chr(c) for c in range(0x641, 0x64B)]
ASCII = [chr(c) for c in range(1, 128)]
# characters that are not plain: capitals and letters of other scripts, marks (Arabic and Latin
# combining ones), a Persian letter, the Kelvin sign (folded to k), dotted capital I, symbols
OTHER = ["É", "é", "İ", "ı", "\u212a", "Σ", "σ", "ß", "\u0301", "\u064b", "\u0670", "پ", "ی",
         "\u0640", "«", "٣", "\u00a0", "中", "\U0001d400"]
WORDS = ["قصف", "القصف", "حلب", "Aleppo", "ALEPPO", "isis", "K9", "a_b", "_", "12", "كالإمارات"]


def _tokens(conn: sqlite3.Connection, tokenizer: str, texts: list[str]) -> list[list[str]]:
    """The tokens FTS5 makes of each text with this tokenizer (a table and its vocabulary)."""
    conn.execute("DROP TABLE IF EXISTS tok")
    conn.execute(f"CREATE VIRTUAL TABLE tok USING fts5(t, tokenize = '{tokenizer}')")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS tok_v USING fts5vocab(tok, instance)")
    conn.executemany("INSERT INTO tok(rowid, t) VALUES (?, ?)", enumerate(texts))
    out: list[list[str]] = [[] for _ in texts]
    for doc, term in conn.execute("SELECT doc, term FROM tok_v ORDER BY doc, offset"):
        out[doc].append(term)
    return out


def test_plain_characters_make_the_same_tokens_with_both_tokenizers():
    """Every character plain_terms accepts, alone and in random texts of them, tokenized by
    SQLite's ascii and unicode61 tokenizers: the same tokens."""
    rng = random.Random(7)
    alphabet = ASCII + ARABIC
    texts = [c for c in alphabet] + ["a" + c + "b" for c in alphabet] + \
        ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    assert all(plain_terms(t) for t in texts)
    conn = sqlite3.connect(":memory:")
    assert _tokens(conn, "ascii", texts) == _tokens(conn, "unicode61 remove_diacritics 0", texts)
    # and some of the others would differ (else the check would be needless)
    odd = [c for c in OTHER if not plain_terms(c)]
    assert len(odd) == len(OTHER)
    assert _tokens(conn, "ascii", odd) != _tokens(conn, "unicode61 remove_diacritics 0", odd)


def _text(rng: random.Random, odd: bool) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, 6))]
    if odd:   # a word with a character of another kind in it
        w = list(rng.choice(WORDS))
        w.insert(rng.randint(0, len(w)), rng.choice(OTHER))
        words.append("".join(w))
    return " ".join(words)


def test_a_search_of_both_tables_finds_what_one_unicode61_table_found(tmp_path):
    """Rows of plain and other terms indexed, replaced (moving between the tables) and deleted
    through the database, and the same rows in one unicode61 table: each query of words, plain or
    not, finds the same rows in both."""
    rng = random.Random(11)
    db = SQLiteDatabase(str(tmp_path / "f.db"))
    ref = sqlite3.connect(":memory:")
    ref.execute("CREATE VIRTUAL TABLE r USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0')")
    rows: dict[int, str] = {}
    for _ in range(6):
        batch = {rng.randint(1, 120): _text(rng, rng.random() < 0.3) for _ in range(40)}
        gone = rng.sample(sorted(rows), min(len(rows), 5)) if rows else []
        gone = [i for i in gone if i not in batch]
        with db.transaction():
            db.fts_delete("events", gone + [500])
            db.fts_index("events", list(batch.items()))
        for i in gone:
            rows.pop(i)
        rows.update(batch)
    ref.executemany("INSERT INTO r(rowid, terms) VALUES (?, ?)", rows.items())
    stored = dict((r["rowid"], r["terms"]) for r in db.query("SELECT rowid, terms FROM fts_events_rows"))
    assert stored == rows
    assert db.scalar("SELECT COUNT(*) FROM fts_events_rows") == len(rows)   # each row once
    assert db.scalar("SELECT COUNT(*) FROM fts_events") > 0 and db.scalar("SELECT COUNT(*) FROM fts_events_plain") > 0
    for table in ("fts_events", "fts_events_plain"):
        db.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    stored_words = sorted({w for t in rows.values() for w in t.split()})
    odd_words = [w for w in stored_words if not plain_terms(w)]
    queries = [[[w]] for w in WORDS + [w.upper() for w in WORDS] + odd_words] + \
        [[[w.upper()]] for w in odd_words] + \
        [[[rng.choice(WORDS), _text(rng, True).split()[-1]], [rng.choice(WORDS)]] for _ in range(60)] + \
        [[[_text(rng, True).split()[-1]]] for _ in range(100)]
    found_any = 0
    for groups in queries:
        sql, params = db.fts_filter("events", "rowid", groups)
        got = [r["rowid"] for r in db.query(f"SELECT rowid FROM fts_events_rows WHERE {sql} ORDER BY rowid", params)]
        want = [r for r, in ref.execute("SELECT rowid FROM r WHERE terms MATCH ? ORDER BY rowid",
                                        [_match([[t.replace('"', "") for t in g] for g in groups])])]
        assert got == want, groups
        found_any += bool(want)
    assert len(odd_words) > 20 and found_any > len(queries) // 3


def _old_store(path) -> None:
    """Make the store at path one of main before the ascii tables: their rows in the unicode61
    tables, their tables, views and migration gone."""
    conn = sqlite3.connect(path)
    with conn:
        for kind in ("reports", "events"):
            conn.execute(f"INSERT INTO fts_{kind}(rowid, terms) SELECT rowid, terms FROM fts_{kind}_plain")
            conn.execute(f"DROP VIEW fts_{kind}_rows")
            conn.execute(f"DROP TABLE fts_{kind}_plain")
        conn.execute("DELETE FROM schema_version WHERE area = 'store' AND name = "
                     "'full-text tables of the ascii tokenizer'")
    conn.close()


def _found(store, searches) -> dict:
    """For each search, the ids of the reports and of the events it finds."""
    return {q: ([r["id"] for r in store.search_reports(q)[0]], [e["id"] for e in store.query_events(q=q)[0]])
            for q in searches}


def test_a_store_made_before_the_ascii_tables_is_migrated_and_searched_the_same(tmp_path):
    path = str(tmp_path / "old.db")
    searches = ["قصف", "أريحا", "جوبر", "اشتباكات", "سراقب", "Aleppo"]
    with open_store(path) as store:
        store.load_results(pairs()[:3], extractor_version="test", group=True)
        before = _found(store, searches)
    _old_store(path)
    conn = sqlite3.connect(path)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'fts_events_plain'").fetchone()
    conn.close()
    with open_store(path) as store:   # migrated: the new tables empty, the old rows where they were
        assert store.db.scalar("SELECT COUNT(*) FROM fts_events_plain") == 0
        assert _found(store, searches) == before
        # more reports: the strike's event gains reports, its row moves to the ascii table
        more = [coded("x1", "Aleppo: " + pairs()[3][0]["text"], "2015-08-04", "outlet-x",
                      [event(fatalities=6)])]
        store.load_results(pairs()[3:] + more, extractor_version="test", group=True)
        db = store.db
        assert db.scalar("SELECT COUNT(*) FROM fts_events_plain") > 0
        assert db.scalar("SELECT COUNT(*) FROM fts_events_rows") == db.scalar("SELECT COUNT(*) FROM events")
        assert db.scalar("SELECT COUNT(DISTINCT rowid) FROM fts_events_rows") == db.scalar("SELECT COUNT(*) FROM events")
        assert db.scalar("SELECT COUNT(*) FROM fts_reports_rows") == db.scalar("SELECT COUNT(*) FROM reports") == 6
        after = _found(store, searches)
    with open_store(str(tmp_path / "new.db")) as fresh:   # the same records into a new store
        fresh.load_results(pairs()[:3], extractor_version="test", group=True)
        fresh.load_results(pairs()[3:] + more, extractor_version="test", group=True)
        assert _found(fresh, searches) == after
    assert len(after["Aleppo"][0]) == 1 and after["قصف"][0] and after["قصف"][1]


def test_empty_place_columns_of_an_entity_are_null(tmp_path):
    """Database.null (SQLite: a NaN) stores NULL, as None does."""
    rec, out = pairs()[0]
    out = dict(out, entities=[{"type": "PER", "start": 0, "end": 4, "text": "قصفت"},
                              {"type": "LOC", "start": 5, "end": 10, "text": "طائرات", "latitude": 35.1,
                               "longitude": 36.2, "country_code": "SY", "admin1_code": None}])
    with open_store(tmp_path / "e.db") as store:
        store.load_results([(rec, out)], extractor_version="test")
        got = store.db.query("SELECT typeof(latitude) AS la, typeof(longitude) AS lo, typeof(country_code) AS c, "
                             "typeof(admin1_code) AS a, typeof(geonameid) AS g FROM entities ORDER BY id")
        assert got == [{"la": "null", "lo": "null", "c": "null", "a": "null", "g": "null"},
                       {"la": "real", "lo": "real", "c": "text", "a": "null", "g": "null"}]
        assert store.get_report(1)["entities"][0] == {"type": "PER", "start": 0, "end": 4, "text": "قصفت"}


def test_the_compiled_check_of_plain_terms_is_the_regular_expression():
    from marsad.incident import features
    from marsad.store.db import _PLAIN
    if features._fast is None:
        pytest.skip("the linking's loops are not compiled here")
    rng = random.Random(3)
    alphabet = ASCII + ARABIC + OTHER + [chr(c) for c in (0x80, 0xff, 0x620, 0x63b, 0x640, 0x64b, 0xffff)]
    texts = ["", "abc", "é", "\U0001d400", "قصف", "قصف\u0640"] + \
        ["".join(rng.choice(alphabet) if rng.random() < 0.03 else rng.choice(ARABIC + [" ", "a"])
                 for _ in range(rng.randint(0, 50))) for _ in range(20000)]
    got = [features._fast.plain_text(t) for t in texts]
    assert got == [_PLAIN.fullmatch(t) is not None for t in texts]
    assert 0 < sum(got) < len(texts)


def test_empty_columns_of_reports_conditions_sources_and_events_are_null(tmp_path):
    """None in any statement's values (bound as Database.null) stores NULL, never a number."""
    rec, out = pairs()[0]
    rec = {k: v for k, v in rec.items() if k not in ("source", "url", "file")}
    out = dict(out, conditions=[{"label": "ceasefire"}], sources=[{"name": "witnesses"}],
               events=[{k: v for k, v in ev.items() if k not in ("actor2", "latitude", "longitude")}
                       for ev in out["events"]])
    with open_store(tmp_path / "n.db") as store:
        store.load_results([(rec, out)], extractor_version="test")
        db = store.db
        assert db.query("SELECT typeof(source) AS s, typeof(url) AS u, typeof(file) AS f, "
                        "typeof(error) AS e FROM reports") == [{"s": "null", "u": "null", "f": "null", "e": "null"}]
        for table in ("conditions", "sources"):
            assert db.query(f"SELECT typeof(span_start) AS a, typeof(span_end) AS b, typeof(text) AS t "
                            f"FROM {table} WHERE data IS NOT NULL") == [{"a": "null", "b": "null", "t": "null"}]
        assert db.scalar("SELECT COUNT(*) FROM events") > 0
        assert db.scalar("SELECT COUNT(*) FROM events WHERE actor2 IS NOT NULL OR latitude IS NOT NULL "
                         "OR longitude IS NOT NULL") == 0
        assert store.get_report(1)["conditions"] == [{"label": "ceasefire"}]
