"""The write path's shortcuts store what the plain path stored: candidates from one query per
report, caches of stored rows, the incident grouping's pair look-ups."""

from __future__ import annotations

import json
import random

import pytest

from marsad.incident import cluster
from marsad.incident.features import blocked
from marsad.store import links, open_store

from store_data import coded, dump, event
from test_store_groups import pairs


def _content(store, without=("schema_version", "failures")) -> dict:
    return {t: [{k: v for k, v in r.items() if not k.endswith("_at")} for r in rows]
            for t, rows in dump(store).items() if t not in without}


def test_a_failed_reports_ids_taken_by_the_next_report_get_its_own_rows(tmp_path, monkeypatch):
    """A report that fails after its events were combined (its savepoint rolled back): the next
    report takes its ids, and what the store had cached of the failed one is not used for it.
    The store is the one the other reports alone make."""
    store = open_store(tmp_path / "g.db")
    write = store._write_coded

    def broken(report_id, text, *args):
        out = write(report_id, text, *args)
        if text.startswith("اشتباكات"):       # the clash: not the last report
            raise RuntimeError("a store bug")
        return out
    monkeypatch.setattr(store, "_write_coded", broken)
    assert store.load_results(pairs(), extractor_version="test", group=True).failed == 1
    with open_store(tmp_path / "ref.db") as ref:
        ref.load_results([p for p in pairs() if p[0]["id"] != "c1"], extractor_version="test",
                         group=True)
        assert _content(store) == _content(ref)
    store.close()


def _old_candidates(db, view: dict, report_id: int) -> list[int]:
    """An event's candidates by its own block query and its rows' views read one by one (as
    before one query per report)."""
    b = links._block(view)
    if b is None:
        return []
    out = []
    for r in links._one_block(db, b, report_id):
        d = db.one("SELECT m.data, r.published, r.title FROM mentions m JOIN reports r ON "
                   "r.id = m.report_id WHERE m.id = ?", (r["id"],))
        quotes = [q["text"] or "" for q in db.query(
            "SELECT text FROM evidence WHERE mention_id = ? ORDER BY span_start, id", (r["id"],))]
        if not blocked(view, links.mention_view(json.loads(d["data"]), d["published"],
                                                d["title"], quotes)):
            out.append(r["id"])
    return out


def test_a_reports_candidates_are_each_events_own_block(tmp_path):
    kinds = [("Explosions/Remote violence", "Air/drone strike"),
             ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
             ("Battles", "Armed clash"), ("Protests", "Peaceful protest"), ("Battles", None)]
    places = [("SY", "SY-ID"), ("SY", "SY-DI"), ("SY", None), ("YE", "YE-TA"), ("IQ", "IQ-AN")]
    rnd = random.Random(7)
    stored = []
    for i in range(40):
        (etype, sub), (cc, a1) = rnd.choice(kinds), rnd.choice(places)
        ev = event(event_type=etype, sub_event_type=sub, country_code=cc, admin1_code=a1,
                   event_date=f"2015-08-{rnd.randint(1, 20):02d}", fatalities=rnd.randint(0, 9))
        stored.append(coded(f"s{i}", f"تقرير رقم {i} عن حادث في المنطقة.", "2015-08-21", "o", [ev]))
    with open_store(tmp_path / "c.db") as store:
        store.load_results(stored, extractor_version="test", group=True)
        news = []
        for i in range(12):   # a report's events: one country or several, days near or far
            (etype, sub), (cc, a1) = rnd.choice(kinds), rnd.choice(places)
            news.append(links.mention_view(
                event(event_type=etype, sub_event_type=sub, country_code=cc, admin1_code=a1,
                      event_date=f"2015-08-{rnd.randint(1, 20):02d}" if i % 5 else None,
                      time_precision=rnd.choice([1, 1, 2])),
                "2015-08-10", "عنوان", [f"نص الحادث {i}"]))
        news.append(links.mention_view(event(admin1_code=3), "2015-08-10", "", ["نص"]))  # not text
        got = links.report_candidates(store.db, news, 999, links.Views())
        assert any(len(g) > 1 for g in got)
        assert [[r["id"] for r in g] for g in got] == \
            [_old_candidates(store.db, v, 999) for v in news]


def test_a_one_block_reports_rows_are_its_block_querys_without_the_event_type(tmp_path):
    """A report whose events share one block reads its rows without the event type (nothing
    filters them after): the same rows and values as the block's own query otherwise."""
    kinds = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
             ("Battles", None), ("Protests", "Peaceful protest")]
    places = [("SY", "SY-ID"), ("SY", None), ("YE", "YE-TA")]
    rnd = random.Random(11)
    stored = []
    for i in range(40):
        (etype, sub), (cc, a1) = rnd.choice(kinds), rnd.choice(places)
        stored.append(coded(f"s{i}", f"تقرير رقم {i} عن حادث في المنطقة.", "2015-08-21", "o", [event(
            event_type=etype, sub_event_type=sub, country_code=cc, admin1_code=a1,
            event_date=f"2015-08-{rnd.randint(1, 20):02d}")]))
    with open_store(tmp_path / "c.db") as store:
        store.load_results(stored, extractor_version="test", group=True)
        seen = 0
        for i in range(30):
            (etype, sub), (cc, a1) = rnd.choice(kinds), rnd.choice(places)
            one = links.mention_view(event(event_type=etype, sub_event_type=sub, country_code=cc,
                                           admin1_code=a1, event_date=f"2015-08-{rnd.randint(1, 20):02d}"),
                                     "2015-08-10", "", ["نص"])
            for report in ([one], [one, dict(one)]):   # one event, or two of the same block
                got = links.report_candidates(store.db, report, 999, links.Views())
                own = links._one_block(store.db, links._block(one), 999)
                want = [{k: v for k, v in r.items() if k != "event_type"} for r in own]
                for rows in got:
                    assert [{k: v for k, v in r.items() if k != "view"} for r in rows] == \
                        [w for w in want if w["id"] in {r["id"] for r in rows}]
                    seen += len(rows)
        assert seen > 50


def _groups_pair_by_pair(keys, scores, threshold, same=(), different=(), report_of=lambda k: k[0],
                         linkage=1.0, average=False):
    """cluster.groups as it was written before its pair look-ups by ordered pairs."""
    keys = sorted(set(keys))
    pair = {}
    for (x, y), s in scores.items():
        pair[frozenset((x, y))] = max(s, pair.get(frozenset((x, y)), 0.0))
    forced = {frozenset(p) for p in same}
    banned = {frozenset(p) for p in different} - forced
    members = {k: [k] for k in keys}
    root = {k: k for k in keys}

    def join(a, b):
        ra, rb = root[a], root[b]
        if ra == rb:
            return
        keep, gone = min(ra, rb), max(ra, rb)
        for k in members[gone]:
            root[k] = keep
        members[keep] = sorted(members[keep] + members.pop(gone))

    for x, y in sorted(tuple(sorted(p)) for p in forced if len(p) == 2 and p <= set(keys)):
        join(x, y)

    def allowed(ga, gb):
        linked = total = 0
        for x in ga:
            for y in gb:
                p = frozenset((x, y))
                total += 1
                if p in forced:
                    linked += 1
                    continue
                if p in banned or report_of(x) == report_of(y):
                    return False
                linked += pair.get(p, 0.0) if average else p in pair
        return linked >= linkage * total

    edges = sorted((-s, *sorted(p)) for p, s in pair.items()
                   if s >= threshold and len(p) == 2 and p <= set(keys))
    for _, x, y in edges:
        ra, rb = root[x], root[y]
        if ra != rb and allowed(members[ra], members[rb]):
            join(x, y)
    return sorted(members.values())


@pytest.mark.parametrize("seed, trials, reports, n_keys, n_scores, decisions, digits, linkages, average, thresholds", [
    (3, 300, 7, (2, 14), (0, 40), 2, 2, [1.0, 0.5, 0.4], 0.5, [0.5, 0.65]),
    # larger components (many reports, a person's decisions, events of one report): allowed()
    # walks each key's linked partners in the other group, not every cross pair
    (11, 150, 15, (10, 40), (20, 300), 6, 3, [1.0, 0.5, 0.1, 0.05], 0.6, [0.3, 0.6]),
])
def test_grouping_is_the_grouping_pair_by_pair(seed, trials, reports, n_keys, n_scores, decisions, digits,
                                               linkages, average, thresholds):
    rnd = random.Random(seed)
    for trial in range(trials):
        keys = [(f"r{rnd.randint(0, reports)}", i) for i in range(rnd.randint(*n_keys))]
        scores = {(rnd.choice(keys), rnd.choice(keys)): round(rnd.random(), digits)
                  for _ in range(rnd.randint(*n_scores))}
        same = [(rnd.choice(keys), rnd.choice(keys)) for _ in range(rnd.randint(0, decisions))]
        different = [(rnd.choice(keys), rnd.choice(keys)) for _ in range(rnd.randint(0, decisions))]
        kw = dict(linkage=rnd.choice(linkages), average=rnd.random() < average)
        threshold = rnd.choice(thresholds)
        assert cluster.groups(keys, scores, threshold, same, different, **kw) == \
            _groups_pair_by_pair(keys, scores, threshold, same, different, **kw), trial


def test_a_new_mentions_kept_view_is_the_one_its_row_gives(tmp_path):
    """The store keeps each new mention's parsed data and linking view (Store._keep_view) as if
    read back from its row: the same JSON values and the evidence texts in the order the
    candidates' query reads them (span start, none first), not the order the extractor gave."""
    text = "قتل ثلاثة مدنيين في غارة على جوبر أمس. وأصيب 12 آخرون في القصف على سراقب."
    cut = text.index(".") + 1
    spans = [{"start": cut + 1, "end": len(text), "field": "fatalities"},
             {"start": 0, "end": cut, "field": "event"},
             {"field": "date", "text": "أمس"}]      # no offsets: NULL, read first
    recs = [coded(f"k{i}", text + f" ({i})", "2015-08-03", f"outlet-{i}",
                  [event(evidence=spans, fatalities=3 + i, admin1_code=None if i == 2 else "SY-DI")])
            for i in range(4)]
    with open_store(tmp_path / "v.db") as store:
        store.load_results(recs, extractor_version="test", group=True)
        rows = store.db.query(links._BLOCK_COLUMNS + "ORDER BY m.id")
        assert len(rows) == 4
        for r in rows:
            kept = store._views.get(r)
            assert kept is not None
            data, read = _view_read_back(store, r["id"])
            assert kept.ev == read
            assert kept.ev["_text"].startswith("أمس ")
            assert store._parsed.get(dict(r, data=data)) == json.loads(data)


def _view_read_back(store, mention_id: int) -> tuple[str, dict]:
    """A stored mention's JSON row and the linking view read back from its rows (evidence by
    span_start, then id)."""
    d = store.db.one("SELECT m.data, r.published, r.title FROM mentions m JOIN reports r "
                     "ON r.id = m.report_id WHERE m.id = ?", (mention_id,))
    quotes = [q["text"] or "" for q in store.db.query(
        "SELECT text FROM evidence WHERE mention_id = ? ORDER BY span_start, id", (mention_id,))]
    return d["data"], links.mention_view(json.loads(d["data"]), d["published"], d["title"], quotes)


def test_a_new_events_own_view_is_kept_only_when_its_json_reads_back_equal(tmp_path):
    """Store._keep_view keeps the view the new event was scored with when its data is what its
    JSON row parses back to; a value JSON does not give back (a tuple) makes it from the row."""
    text = "قتل ثلاثة مدنيين في غارة على جوبر أمس."
    recs = [coded("t0", text, "2015-08-03", "outlet-0", [event(weapons=("aircraft",))]),
            coded("t1", text + " (1)", "2015-08-03", "outlet-1", [event()])]
    with open_store(tmp_path / "t.db") as store:
        store.load_results(recs, extractor_version="test", group=True)
        for r in store.db.query(links._BLOCK_COLUMNS + "ORDER BY m.id"):
            kept = store._views.get(r)
            assert kept.ev == _view_read_back(store, r["id"])[1]
        assert store._views.get(store.db.query(links._BLOCK_COLUMNS + "ORDER BY m.id")[0]).ev[
            "weapons"] == ["aircraft"]


def test_a_groups_links_kept_in_memory_are_the_stored_ones(tmp_path):
    """links.LinkCache gives a component's links as the links table holds them, the new ones
    added as written, a pair's new values replacing its old."""
    with open_store(tmp_path / "l.db") as store:
        store.load_results(pairs(), extractor_version="test")
        ids = [r["id"] for r in store.db.query("SELECT id FROM mentions ORDER BY id")]
        table = [tuple(r.values()) for r in store.db.query(
            "SELECT mention_a, mention_b, score, status, reason FROM links ORDER BY mention_a, mention_b")]
        assert table
        cache = links.LinkCache()
        assert cache.within(store.db, ids) == table
        assert cache.same(store.db, ids) == {x for t in table if t[3] == "same" for x in t[:2]}
        a, b = table[0][:2]
        cache.add([(a, b, 0.1, "possible", "changed", "now"), (ids[-1] + 1, a, 0.9, "same", "new", "now")])
        assert cache.within(store.db, [a, b])[0] == (a, b, 0.1, "possible", "changed")
        assert ids[-1] + 1 in cache.same(store.db, [a])


def test_a_recode_and_a_failure_inside_a_group_store_what_reports_one_by_one_store(tmp_path, monkeypatch):
    """A record that takes a stored text's place (recoded inside the group: its links go) and a
    report that fails after its links are written (rolled back) leave the group's links in
    memory right: the store holds what the other records stored one by one hold."""
    earlier = coded("a0", pairs()[0][0]["text"], "2015-08-02", "outlet-z", [event()])
    recs = pairs() + [earlier] + pairs()[3:]
    with open_store(tmp_path / "one.db") as one, open_store(tmp_path / "g.db") as grouped:
        one.load_results(recs[:1] + recs[2:], extractor_version="test")
        write = grouped._write_coded

        def flaky(report_id, text, *args):
            out = write(report_id, text, *args)
            if text == recs[1][0]["text"]:     # b1, linked to a1: after its links are written
                raise RuntimeError("a store bug")
            return out
        monkeypatch.setattr(grouped, "_write_coded", flaky)
        stats = grouped.load_results(recs, extractor_version="test", group=True)
        assert stats.failed == 1 and grouped.db.scalar("SELECT COUNT(*) FROM links") > 0
        assert grouped.db.scalar("SELECT record_id FROM reports WHERE id = 1") == "a0"
        assert _content(one) == _content(grouped)


def test_a_lone_new_events_fields_are_those_its_row_gives(tmp_path):
    """A report linked to no other has each event recomputed from its one mention as the write
    path knows it (no query): the same row as recomputing it from the stored mention."""
    with open_store(tmp_path / "s.db") as store:
        store.load_results(pairs(), extractor_version="test", group=True)
        before = _content(store)
        with store.db.transaction():
            for e in [r["id"] for r in store.db.query("SELECT id FROM events ORDER BY id")]:
                store.refresh_event(e)
        assert _content(store) == before


def test_a_reports_rows_filtered_by_a_block_are_those_in_block():
    """links._in_block_rows (a report's rows filtered by one of its blocks; in C where built)
    and its Python twin keep the rows _in_block keeps, in their order (the same row objects)."""
    rnd = random.Random(5)
    days = [None] + [f"2015-08-{d:02d}" for d in range(1, 29)]
    rows = [{"id": i, "link_day": rnd.choice(days), "admin1_code": rnd.choice([None, "A", "B", 12]),
             "sub_event_type": rnd.choice([None, "x", "y", "z"]),
             "event_type": rnd.choice([None, "T", "U"])} for i in range(400)]
    for _ in range(300):
        lo, hi = sorted(rnd.sample(days[1:], 2))
        b = ("SY", lo, hi, rnd.choice([None, "A", "B", 12, 12.0]),
             rnd.choice([None, ["x"], ["x", "z"], [], ("y",)]), rnd.choice([None, "T"]))
        want = [r for r in rows if links._in_block(b, r)]
        for got in (links._in_block_rows(b, rows), links._in_block_rows_py(b, rows)):
            assert got == want and all(x is y for x, y in zip(got, want))


def test_a_groups_links_are_kept_for_the_next_only_while_nothing_was_written(tmp_path):
    """The next transaction group starts from the last group's links when nothing was written
    to the database since it committed; a write by another connection, or by this one, makes
    it start anew. Groups of one report store what reports one by one store."""
    import sqlite3

    with open_store(tmp_path / "k.db") as store, open_store(tmp_path / "one.db") as one:
        store.GROUP_REPORTS = 1
        store.load_results(pairs(), extractor_version="test", group=True)
        one.load_results(pairs(), extractor_version="test")
        assert _content(store) == _content(one)
        kept = store._kept_links[0]
        assert len(kept) > 0
        with store.db.transaction():
            assert store._group_links() is kept
        store._kept_links = (kept, store.db.change_mark())
        other = sqlite3.connect(tmp_path / "k.db")
        other.execute("DELETE FROM links WHERE rowid = (SELECT MIN(rowid) FROM links)")
        other.commit()
        other.close()
        with store.db.transaction():
            assert store._group_links() is not kept
        store._kept_links = (kept, store.db.change_mark())
        with store.db.transaction():
            store.db.execute("DELETE FROM links WHERE rowid = (SELECT MIN(rowid) FROM links)")
        with store.db.transaction():
            assert store._group_links() is not kept


def test_the_mentions_of_many_events_are_each_events_own(tmp_path):
    """Store.mentions_of_events (one query for the events a regroup recomputes) gives each
    event's mentions as asked alone, in the order of their reports (publication, content
    hash) and index, whatever the order the events are asked in; an event without any: none."""
    with open_store(tmp_path / "m.db") as store:
        store.load_results(pairs(), extractor_version="test", group=True)
        ids = [r["id"] for r in store.db.query("SELECT id FROM events ORDER BY id")]
        alone = {e: store.mentions_of_events([e])[e] for e in ids}
        assert any(len(m) > 1 for m in alone.values())
        assert store.mentions_of_events(ids[::-1] + [10_000]) == {**alone, 10_000: []}
        rows = {r["id"]: r for r in store.db.query(
            "SELECT m.id, m.event_id, m.idx, r.published, r.content_hash FROM mentions m "
            "JOIN reports r ON r.id = m.report_id")}
        for e, mentions in alone.items():
            got = [m["_mention_id"] for m in mentions]
            assert {rows[m]["event_id"] for m in got} == {e}
            assert got == sorted(got, key=lambda m: (rows[m]["published"] or "",
                                                     rows[m]["content_hash"], rows[m]["idx"]))


def test_the_mentions_of_events_read_without_their_json_are_those_read_with_it(tmp_path):
    """Store.mentions_of_events reads the mentions' JSON only when a row's parse is not kept
    (Parsed.holds): the store that wrote them, a store that keeps none (opened anew) and one
    that keeps some, one of them under another row key (a row that changed), give the same."""
    with open_store(tmp_path / "m.db") as store:
        store.load_results(pairs(), extractor_version="test", group=True)
        ids = [r["id"] for r in store.db.query("SELECT id FROM events ORDER BY id")]
        kept = store.mentions_of_events(ids)
        assert store._parsed.holds(store.db.query("SELECT id, report_id, idx, extractor_version "
                                                  "FROM mentions"))
    with open_store(tmp_path / "m.db") as fresh:
        rows = fresh.db.query("SELECT id, report_id, idx, extractor_version, data FROM mentions "
                              "ORDER BY id")
        assert not fresh._parsed.holds(rows)
        assert fresh.mentions_of_events(ids) == kept
    with open_store(tmp_path / "m.db") as some:
        for r in rows[::2]:
            some._parsed.get(r)
        assert not some._parsed.holds(rows)
        assert some.mentions_of_events(ids) == kept
        some._parsed.put(rows[0]["id"], (rows[0]["report_id"], rows[0]["idx"], "other"), {"x": 1})
        assert not some._parsed.holds(rows[:1])
        assert some.mentions_of_events(ids) == kept
        assert some.mentions_of_events(ids[::-1] + [10_000]) == {**kept, 10_000: []}


def test_a_failed_reports_full_text_rows_are_taken_back_in_place():
    """A group's held full-text rows: a report that fails takes back what it replaced and what
    it added, the others' rows and their order stay."""
    from marsad.store.store import _HeldRows

    held = _HeldRows()
    held["reports", 1] = "a"
    held["events", 1] = "b"
    before = list(held.items())
    held.journal = []
    held["events", 1] = "c"
    held["events", 2] = "d"
    held["events", 1] = None
    held.undo()
    assert list(held.items()) == before and held.journal is None
    held["events", 3] = "e"     # outside a report: nothing journaled
    assert held.journal is None


def test_rows_read_as_dicts_are_those_sqlite_rows_give(tmp_path):
    """Database.query zips plain tuples with the column names: the dicts sqlite3.Row gave
    (the last of two columns of one name, none for no row); now() is the time to the second."""
    import sqlite3
    from datetime import datetime, timezone

    from marsad.store.db import now

    with open_store(tmp_path / "q.db") as store:
        store.load_results(pairs(), extractor_version="test")
        conn = sqlite3.connect(tmp_path / "q.db")
        conn.row_factory = sqlite3.Row
        for sql in ("SELECT * FROM mentions ORDER BY id", "SELECT id, id AS x, data AS id FROM mentions",
                    "SELECT * FROM reports WHERE id < 0"):
            assert store.db.query(sql) == [dict(r) for r in conn.execute(sql)]
        conn.close()
    t = now()
    assert t == datetime.fromisoformat(t).isoformat(timespec="seconds")
    assert abs((datetime.now(timezone.utc) - datetime.fromisoformat(t)).total_seconds()) < 3


@pytest.mark.parametrize("own_query", [False, True])
def test_a_blocks_candidates_come_in_id_order_whatever_order_the_index_reads(tmp_path, own_query):
    """The block query reads the covering index in its order (country, day, ...): stored
    mentions whose days fall as their ids rise come back sorted by id all the same, from the
    report's one query and from an event's own query (a block of values Python may compare
    unlike SQL)."""
    stored = [coded(f"s{i}", f"تقرير رقم {i} عن غارة في المنطقة.", "2015-08-25", "o",
                    [event(event_date=f"2015-08-{20 - i:02d}")]) for i in range(12)]
    with open_store(tmp_path / "o.db") as store:
        store.load_results(stored, extractor_version="test", group=True)
        assert [r["link_day"] for r in store.db.query(
            "SELECT link_day FROM mentions ORDER BY id")] == [f"2015-08-{20 - i:02d}" for i in range(12)]
        new = links.mention_view(event(event_date="2015-08-14"), "2015-08-15", "", ["نص"])
        if own_query:
            rows = links._one_block(store.db, links._block(new), 999)
        else:
            rows = links.report_candidates(store.db, [new], 999, links.Views())[0]
        ids = [r["id"] for r in rows]
        assert len(ids) > 3 and ids == sorted(ids)


def test_views_lookup_gives_each_row_what_get_gives():
    """Views.lookup sets each row's "view" to what get() gives it (a view put as how to make
    it made once, then kept) and returns the rows get() has none for, in order: rows of kept
    ids with their key, with another key (a changed row), and unknown ids, in random orders
    (fails when lookup skips the key test or drops a row: checked)."""
    from marsad.store.links import Views

    rnd = random.Random(16)
    for _ in range(200):
        views, twin = Views(), Views()
        made = []
        rows = []
        for i in range(rnd.randint(0, 12)):
            row = {"id": i, "report_id": rnd.randint(1, 3), "idx": rnd.randint(0, 2),
                   "extractor_version": rnd.choice(["a", "b", None]), "sub_event_type": rnd.choice(["x", None]),
                   "admin1_code": rnd.choice(["Y1", "Y2", None]), "link_day": rnd.choice(["2015-01-01", None])}
            kind = rnd.random()
            if kind < 0.7:   # kept: a view, or how to make one
                view = object()
                if rnd.random() < 0.5:
                    views.put(row, view)
                    twin.put(row, view)
                else:
                    views.put(row, lambda v=view: made.append(v) or v)
                    twin.put(row, lambda v=view: v)
            if kind < 0.2:   # the row changed since
                row = dict(row, idx=row["idx"] + 1)
            rows.append(dict(row, view="old"))
        rnd.shuffle(rows)
        rows += rows[:rnd.randint(0, len(rows))]   # a row asked twice: its view made once
        want = [twin.get(r) for r in rows]
        fresh = views.lookup(rows)
        assert [r["view"] for r in rows] == want
        assert fresh == [r for r, v in zip(rows, want) if v is None]
        assert len(made) == len(set(map(id, made)))


def test_a_components_mentions_are_those_reached_through_same_links_and_shared_events(tmp_path):
    """links.component from any start: the mentions reachable through "same" links and through
    the mentions of the events they are in (one mention moved into another's event, so that an
    event alone joins them), with the group's link cache or by queries; the closure computed
    here from the whole tables (fails if the events' query gives only the start's own
    mentions: checked)."""
    from itertools import combinations

    with open_store(tmp_path / "c.db") as store:
        store.load_results(pairs(), extractor_version="test", group=True)
        db = store.db
        mentions = {r["id"]: r["event_id"] for r in db.query("SELECT id, event_id FROM mentions")}
        lone = sorted(m for m in mentions if sum(e == mentions[m] for e in mentions.values()) == 1)
        assert len(lone) >= 2
        db.execute("UPDATE mentions SET event_id = ? WHERE id = ?", (mentions[lone[0]], lone[1]))
        mentions[lone[1]] = mentions[lone[0]]
        same = [(r["mention_a"], r["mention_b"]) for r in db.query(
            "SELECT mention_a, mention_b FROM links WHERE status = 'same'")]
        assert same

        def reach(start):
            seen, todo = set(start), list(start)
            while todo:
                m = todo.pop()
                near = {b for a, b in same if a == m} | {a for a, b in same if b == m} | \
                    {o for o, e in mentions.items() if e == mentions[m]}
                todo += near - seen
                seen |= near
            return sorted(seen)

        starts = [[m] for m in mentions] + [list(c) for c in combinations(sorted(mentions), 2)]
        for start in starts:
            want = reach(start)
            assert links.component(db, start, people=False) == want
            assert links.component(db, start, people=True, cache=links.LinkCache()) == want
        assert len(links.component(db, [lone[1]], people=False)) == 2
