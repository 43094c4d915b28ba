"""Linking a report's coded events to those of other reports (the store side of marsad.incident).

For each new mention: candidates by blocking (same country, link day within the window, see
marsad.incident.features), each scored (marsad.incident.link); pairs at least "possible" are
kept in the ``links`` table with their score and reason. Then the incidents around the new
mentions are grouped again from scratch (marsad.incident.cluster): the result depends only on
which reports are stored, not on the order they came in, on any backend. A person's decisions
(``link_decisions``: this report's event is / is not the same incident as that one) are kept by
report and event index with the event's signature, so a recode keeps them.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Callable

from ..incident import cluster, link
from ..incident.features import (WIDEST_WINDOW_DAYS, View, _fast, compatible_sub_types, event_kinds, kinds_window,
                                 link_day, slack, unblocked, view as _view)
from . import dedup
from .db import now

if TYPE_CHECKING:
    from .store import Store

_SCAN_SLACK = 2     # how much a stored event's own date precision may widen the window (days)


def mention_view(data: dict, published: str | None, title: str | None, quotes: list[str]) -> dict:
    """A stored or new mention as the linking score reads it."""
    return {**data, "_published": (published or "")[:10] or None, "_title": title or "",
            "_text": " ".join(q for q in quotes if q)}


def signature(ev: dict) -> str:
    return "|".join(str(ev.get(k) or "") for k in ("event_type", "event_date", "location"))


class Views:
    """The linking views of stored mentions (features.View: what the pair features read of
    them, computed once) while their row is the same, by id: an ingest parses a mention, reads
    its evidence and normalises its words once, not once for each new event it is a candidate of. A row
    is the same while its report, index, blocking columns and extractor version are (mentions are
    never updated but for their event; a recode deletes them and clears this). Bounded: emptied
    when it holds ``limit`` views."""

    KEY = ("report_id", "idx", "extractor_version", "sub_event_type", "admin1_code", "link_day")
    _key = staticmethod(itemgetter(*KEY))   # a row's KEY values, as a tuple

    def __init__(self, limit: int = 50_000):
        self.limit = limit
        self._by_id: dict[int, list] = {}     # id -> [row key, view or how to make it]

    def get(self, row: dict) -> View | None:
        hit = self._by_id.get(row["id"])
        if hit is None or hit[0] != self._key(row):
            return None
        if callable(hit[1]):    # put as how to make it: made once, when first asked for
            hit[1] = hit[1]()
        return hit[1]

    def lookup(self, rows) -> list[dict]:
        """get() of each row, set as its "view" (None: not kept), in one loop (a report's block
        rows: 17,499 over news300, a method call each); the rows without one, in order."""
        by_id, key = self._by_id, self._key
        fresh = []
        for r in rows:
            hit = by_id.get(r["id"])
            if hit is None or hit[0] != key(r):
                r["view"] = None
                fresh.append(r)
                continue
            view = hit[1]
            if callable(view):
                view = hit[1] = view()
            r["view"] = view
        return fresh

    def put(self, row: dict, view: View | Callable[[], View]) -> None:
        if len(self._by_id) >= self.limit:
            self._by_id.clear()
        self._by_id[row["id"]] = [self._key(row), view]

    def clear(self) -> None:
        self._by_id.clear()

    def drop(self, ids) -> None:
        """Forget these mentions (deleted: their ids may come back for other rows)."""
        for i in ids:
            self._by_id.pop(i, None)


class Parsed:
    """Stored mentions' data parsed from JSON and their evidence texts, by id while the row is
    the same (its report, index and extractor version): an event is combined and indexed again
    each time another report joins it, from the same mentions. ``get`` gives a copy the caller
    may add keys to. Bounded (fewer than the views: only the events regrouped now read them)."""

    _key = staticmethod(itemgetter("report_id", "idx", "extractor_version"))

    def __init__(self, limit: int = 20_000):
        self.limit = limit
        self._by_id: dict[int, tuple[tuple, dict]] = {}
        self._quotes: dict[int, tuple[tuple, list]] = {}

    def get(self, row: dict) -> dict:
        """row: the mention's id, report_id, idx, extractor_version and data."""
        key, hit = self._key(row), self._by_id.get(row["id"])
        if hit is None or hit[0] != key:
            if len(self._by_id) >= self.limit:
                self._by_id.clear()
            hit = self._by_id[row["id"]] = (key, json.loads(row["data"]))
        return dict(hit[1])

    def holds(self, rows: list[dict]) -> bool:
        """Whether get() of each of these rows gives what it keeps (the rows need no data)."""
        by_id, key = self._by_id, self._key
        for r in rows:
            hit = by_id.get(r["id"])
            if hit is None or hit[0] != key(r):
                return False
        return True

    def put(self, mention_id: int, key: tuple, data: dict) -> None:
        """A mention's data as its row's JSON parses (the store writing it); key as put_quotes'."""
        if len(self._by_id) >= self.limit:
            self._by_id.clear()
        self._by_id[mention_id] = (key, data)

    def put_quotes(self, mention_id: int, key: tuple, quotes: list) -> None:
        """A mention's evidence texts in the order of their rows; key: (report_id, idx,
        extractor_version) of the mention's row."""
        if len(self._quotes) >= self.limit:
            self._quotes.clear()
        self._quotes[mention_id] = (key, quotes)

    def quotes(self, mention_id: int, key: tuple) -> list | None:
        hit = self._quotes.get(mention_id)
        return hit[1] if hit is not None and hit[0] == key else None

    def clear(self) -> None:
        self._by_id.clear()
        self._quotes.clear()

    def drop(self, ids) -> None:
        """Forget these mentions (deleted: their ids may come back for other rows)."""
        for i in ids:
            self._by_id.pop(i, None)
            self._quotes.pop(i, None)


def candidates(db, view: dict | View, report_id: int, views: Views | None = None) -> list[dict]:
    """Stored mentions of other reports in the new event's block, with their views
    (``row["view"]``, a features.View; its event dict is ``.ev``)."""
    return report_candidates(db, [view], report_id, views)[0]


_BLOCK_COLUMNS = ("SELECT m.id, m.report_id, m.idx, m.event_id, m.extractor_version, "
                  "m.sub_event_type, m.admin1_code, m.link_day, m.event_type FROM mentions m ")
# without the event type, which only _in_block_rows reads: a query of one block is not filtered
# after it, and each column read costs (sqlite3 releases the GIL around its type and makes a str)
_BLOCK_COLUMNS_ONE = _BLOCK_COLUMNS.replace(", m.event_type FROM", " FROM")


# a day's ISO text (date.isoformat formats it each time: some 4,000 instructions), and a block's
# first and last days' from its day and reach, made once: the store asks for them for each new
# event and each candidate's mutual test
day_text = lru_cache(maxsize=4096)(date.isoformat)


@lru_cache(maxsize=4096)
def _days_around(day: date, reach: int) -> tuple[str, str]:
    return (day - timedelta(days=reach)).isoformat(), (day + timedelta(days=reach)).isoformat()


def _block(view: dict | View, days: int = WIDEST_WINDOW_DAYS) -> tuple | None:
    """(country, first day, last day, governorate, kinds, event type) of a new event's block:
    the same country, the link day within the window (days: by default the widest any pair
    has, so a stored bomb is found from a new event of any kind; features.blocked narrows it
    by pair), the same governorate or one not known, kinds of event that may be one incident
    (the type table's, or any of the same event type: the reports' words may tell the kind the
    other report was coded with, features.type_score). None: it has no block."""
    ev = view.ev if isinstance(view, View) else view
    day = link_day(ev)
    if day is None or not ev.get("country_code"):
        return None
    return (ev["country_code"], *_days_around(day, days + slack(ev) + _SCAN_SLACK),
            ev.get("admin1_code") or None, compatible_sub_types(ev.get("sub_event_type")),
            ev.get("event_type"))


def _in_block(b: tuple, r: dict) -> bool:
    """Whether a stored mention's row is in the block, as SQL compares (NULL matches nothing)."""
    _, lo, hi, admin1, kinds, event_type = b
    day = r["link_day"]
    if day is None or not lo <= day <= hi:
        return False
    if admin1 is not None and r["admin1_code"] is not None and r["admin1_code"] != admin1:
        return False
    return kinds is None or r["sub_event_type"] in kinds or (
        event_type is not None and r["event_type"] == event_type)


def _in_block_rows(b: tuple, rows: list[dict]) -> list[dict]:
    """The rows in the block (_in_block written out: a report's rows are filtered by each of
    its blocks), in C where the linking's loops are built (_fast.in_block_rows)."""
    if _fast is not None and type(b) is tuple and type(rows) is list:
        return _fast.in_block_rows(b, rows)
    return _in_block_rows_py(b, rows)


def _in_block_rows_py(b: tuple, rows: list[dict]) -> list[dict]:
    """_in_block_rows in Python (the twin of _fast.in_block_rows)."""
    _, lo, hi, admin1, kinds, event_type = b
    if kinds is not None:
        kinds = frozenset(kinds)
    return [r for r in rows if (day := r["link_day"]) is not None and lo <= day <= hi
            and (admin1 is None or (a := r["admin1_code"]) is None or a == admin1)
            and (kinds is None or r["sub_event_type"] in kinds
                 or (event_type is not None and r["event_type"] == event_type))]


_PLAIN = {str, type(None)}


def _plain(b: tuple) -> bool:
    """A block whose values are all text or none: Python compares them as SQL does."""
    country, _, _, admin1, kinds, event_type = b
    # the types of the values, in C (a subclass of str counts as not plain: its own query)
    return isinstance(country, str) and {*map(type, (admin1, event_type, *(kinds or ())))} <= _PLAIN


def _block_rows(db, blocks: list[tuple], report_id: int, filtered: bool = True) -> list[dict]:
    """The stored mentions of other reports in any of these blocks (one country), in id order:
    one query over their days merged (a report's events mostly share them), narrowed by the
    union of their governorates and kinds. filtered: the rows are filtered by block after
    (_in_block_rows), so they carry the event type too."""
    spans: list[list[str]] = []
    for b in sorted(blocks, key=lambda b: b[1]):
        if spans and b[1] <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b[2])
        else:
            spans.append([b[1], b[2]])
    conds = ["m.country_code = ?", "(" + " OR ".join("m.link_day BETWEEN ? AND ?" for _ in spans) + ")",
             "m.report_id <> ?"]
    params: list = [blocks[0][0], *[d for span in spans for d in span], report_id]
    if all(b[3] is not None for b in blocks):
        areas = sorted({b[3] for b in blocks})
        conds.append(f"(m.admin1_code IN ({','.join('?' * len(areas))}) OR m.admin1_code IS NULL)")
        params += areas
    if all(b[4] is not None for b in blocks):
        kinds = sorted({k for b in blocks for k in b[4]})
        types = sorted({b[5] for b in blocks if b[5] is not None})
        of_type = f" OR m.event_type IN ({','.join('?' * len(types))})" if types else ""
        conds.append(f"(m.sub_event_type IN ({','.join('?' * len(kinds))}){of_type})")
        params += kinds + types
    cols = _BLOCK_COLUMNS if filtered else _BLOCK_COLUMNS_ONE
    return _by_id(db.query(cols + "WHERE " + " AND ".join(conds), params))


_ID = itemgetter("id")


def _by_id(rows: list[dict]) -> list[dict]:
    """A block query's rows in id order, sorted here: the query reads them in the covering
    index's order (country, day, ...), and an ORDER BY made SQLite sort them in a temporary
    b-tree of its own (ids are unique: the same order on any backend)."""
    rows.sort(key=_ID)
    return rows


def report_candidates(db, new: list[dict | View], report_id: int,
                      views: Views | None = None) -> list[list[dict]]:
    """candidates() of each of a report's new events, from one query per country (the rows'
    data only for views not known), each event's exactly the rows its own block query gave."""
    views = views if views is not None else Views()
    new = [_view(v) for v in new]
    blocks = [_block(v) for v in new]
    by_country: dict[Any, list[int]] = {}
    for i, b in enumerate(blocks):
        if b is not None:
            by_country.setdefault(b[0] if _plain(b) else ("one", i), []).append(i)
    found: list[list[dict]] = [[] for _ in new]
    for key, idxs in by_country.items():
        if isinstance(key, tuple):   # a value SQL would compare otherwise: its own query
            found[idxs[0]] = _one_block(db, blocks[idxs[0]], report_id)
            continue
        of_block: dict[tuple, list[dict]] = {}   # a report's events often share their block
        for i in idxs:
            b = blocks[i]
            of_block.setdefault((*b[:4], None if b[4] is None else tuple(b[4]), b[5]), []).append(i)
        rows = _block_rows(db, [blocks[i] for i in idxs], report_id, len(of_block) > 1)
        for key, same in of_block.items():
            # one block: the query asked exactly for it
            part = rows if len(of_block) == 1 else _in_block_rows(blocks[same[0]], rows)
            for i in same:
                found[i] = part
    seen: dict[int, dict] = {}    # a row in several blocks: one dict, its view got once
    found = [[seen.setdefault(r["id"], r) for r in rows] for rows in found]
    fresh = views.lookup(seen.values())
    for i in range(0, len(fresh), 500):    # SQLite's limit of variables
        part = fresh[i:i + 500]
        marks = ",".join("?" * len(part))
        ids = [r["id"] for r in part]
        data = {d["id"]: d for d in db.query(
            f"SELECT m.id, m.data, r.published, r.title FROM mentions m JOIN reports r ON "
            f"r.id = m.report_id WHERE m.id IN ({marks})", ids)}
        quotes: dict[int, list[str]] = {}
        for q in db.query(f"SELECT mention_id, text FROM evidence WHERE mention_id IN ({marks}) "
                          f"ORDER BY mention_id, span_start, id", ids):
            quotes.setdefault(q["mention_id"], []).append(q["text"] or "")
        for r in part:
            d = data[r["id"]]
            r["view"] = View(mention_view(json.loads(d["data"]), d["published"], d["title"],
                                          quotes.get(r["id"], [])))
            views.put(r, r["view"])
    return [unblocked(view, rows) for view, rows in zip(new, found)]


def _ev(view: dict | View) -> dict:
    return view.ev if isinstance(view, View) else view


def mutual(view: dict | View, rows: list[dict]) -> list[dict]:
    """The candidates (rows with their "view") whose block also holds the new event. A block
    reaches as far as its own event's date precision allows (a month: 31 days), the store's
    query for a new event's only _SCAN_SLACK days beyond its own: without this a pair would be
    linked when its less precise event came last and not when it came first."""
    new = _ev(view)
    reach, sub = slack(new), new.get("sub_event_type")   # the new event's, once
    # _mutual's first test read from a candidate's View (its slack and kind, computed once)
    # before the call: most candidates pass it
    return [r for r in rows if (sub and (v := r["view"]).__class__ is View and v.slack >= reach and v.sub)
            or _mutual(new, _ev(r["view"]), reach, sub)]


def _mutual(new: dict, old: dict, reach: int | None = None, sub: str | None = None) -> bool:
    """reach, sub: the new event's slack and sub-event type, when the caller has them."""
    if reach is None:
        reach, sub = slack(new), new.get("sub_event_type")
    if sub and slack(old) >= reach and old.get("sub_event_type"):
        return True   # its block reaches as far, and kinds of event may be one both ways
    b = _block(old, kinds_window(event_kinds(new), event_kinds(old)))   # the pair's own window
    day = link_day(new)
    return b is not None and b[0] == new.get("country_code") and _in_block(b, {
        "link_day": day_text(day) if day else None, "admin1_code": new.get("admin1_code") or None,
        "sub_event_type": new.get("sub_event_type"), "event_type": new.get("event_type")})


def _one_block(db, b: tuple, report_id: int) -> list[dict]:
    """One event's block by its own query (values Python might compare unlike SQL)."""
    country, lo, hi, admin1, kinds, event_type = b
    where, params = "", []
    if admin1 is not None:
        where += " AND (m.admin1_code = ? OR m.admin1_code IS NULL)"
        params.append(admin1)
    if kinds is not None:
        where += f" AND (m.sub_event_type IN ({','.join('?' * len(kinds))}) OR m.event_type = ?)"
        params += kinds + [event_type]
    return _by_id(db.query(_BLOCK_COLUMNS + "WHERE m.country_code = ? AND m.link_day BETWEEN ? AND ? "
                           f"AND m.report_id <> ?{where}", [country, lo, hi, report_id] + params))


def link_rows(mention_id: int, scored: list[tuple[dict, link.Link]]) -> list[tuple]:
    """The new mention's links worth keeping (at least "possible"), as store_links takes them:
    each reason worded with the two events in their own order (link.in_order), not of arrival."""
    w = link.weights()
    at = now()
    return [(*sorted((mention_id, row["id"])), lk.score, lk.decision(w), lk.why, at)
            for row, lk in scored if lk.score >= w.possible]


def store_links(db, rows: list[tuple]) -> None:
    if rows:
        db.executemany("INSERT INTO links (mention_a, mention_b, score, status, reason, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (mention_a, mention_b) DO UPDATE SET "
                       "score = EXCLUDED.score, status = EXCLUDED.status, reason = EXCLUDED.reason",
                       rows)


class LinkCache:
    """The links of mentions read or written during one transaction group, by mention: each
    mention's complete set once read (no other writer changes links while the group holds the
    write lock). A report's incident is grouped again each time another report joins it: the
    component's links are then read from here, not queried again. The store makes a new one
    for a group (keeping the last group's when nothing was written since it committed,
    Store._group_links), and after a rollback or a recode (Store.link_cache)."""

    LIMIT = 200_000   # mentions: a store keeps a group's cache for the next only below this

    def __init__(self, rollbacks: int = 0):
        self.rollbacks = rollbacks   # the database's count when made
        self._of: dict[int, dict[int, tuple]] = {}   # id -> {other id: (a, b, score, status, reason)}
        self._same: dict[int, set[int]] = {}         # id -> the others of its "same" links

    def __len__(self) -> int:
        return len(self._of)

    def load(self, db, ids) -> None:
        """Read the links of the mentions not known yet."""
        todo = [i for i in ids if i not in self._of]
        for n in range(0, len(todo), 250):    # SQLite's limit of variables: 500 a statement
            part = todo[n:n + 250]
            marks = ",".join("?" * len(part))
            mine = set(part)
            for i in part:
                self._of[i] = {}
                self._same[i] = set()
            for r in db.query(f"SELECT mention_a, mention_b, score, status, reason FROM links WHERE "
                              f"mention_a IN ({marks}) OR mention_b IN ({marks})", part + part):
                t = (r["mention_a"], r["mention_b"], r["score"], r["status"], r["reason"])
                for x, y in ((t[0], t[1]), (t[1], t[0])):
                    if x in mine:
                        self._put(x, y, t)

    def _put(self, x: int, y: int, t: tuple) -> None:
        self._of[x][y] = t
        if t[3] == "same":
            self._same[x].add(y)
        else:
            self._same[x].discard(y)

    def add(self, rows: list[tuple], new: list[int] = ()) -> None:
        """Links just written (store_links' rows: a new pair, or a pair's new values). new:
        mentions just written, whose every link is among these rows (known without a query)."""
        for i in new:
            self._of[i] = {}
            self._same[i] = set()
        for a, b, score, status, reason, *_ in rows:
            t = (a, b, score, status, reason)
            for x, y in ((a, b), (b, a)):
                if x in self._of:
                    self._put(x, y, t)

    def same(self, db, ids: list[int]) -> set[int]:
        """The mentions of "same" links touching these (and these, when they have one)."""
        self.load(db, ids)
        out: set[int] = set()
        for i in ids:
            if self._same[i]:
                out.add(i)
                out |= self._same[i]
        return out

    def within(self, db, ids: list[int]) -> list[tuple]:
        """The links between these mentions, as (a, b, score, status, reason) by (a, b)."""
        self.load(db, ids)
        inside = set(ids)
        return sorted({t[:2]: t for i in ids for o, t in self._of[i].items() if o in inside}.values())


def component(db, start: list[int], people: bool = True, cache: LinkCache | None = None) -> list[int]:
    """The mentions reachable from ``start`` through "same" links and a person's decisions,
    plus the other mentions of their events. people=False: the store holds no decision.
    cache: the group's links read so far (else they are queried)."""
    seen = set(start)
    todo = list(start)
    while todo:
        marks = ",".join("?" * len(todo))
        if cache is not None:
            nxt = cache.same(db, todo)
        else:
            nxt = set()
            for r in db.query(f"SELECT mention_a AS a, mention_b AS b FROM links WHERE status = 'same' "
                              f"AND (mention_a IN ({marks}) OR mention_b IN ({marks}))", todo + todo):
                nxt.update((r["a"], r["b"]))
        # the other mentions of their events by a join: SQLite built the list of an IN of a
        # subquery as a table of its own at each step (some 30,000 instructions a query)
        for r in db.query(f"SELECT o.id FROM mentions m JOIN mentions o ON o.event_id = m.event_id "
                          f"WHERE m.id IN ({marks})", todo):
            nxt.add(r["id"])
        if people:
            nxt.update(_decided(db, todo))
        todo = sorted(nxt - seen)
        seen |= nxt
    return sorted(seen)


def _decided(db, mention_ids: list[int]) -> set[int]:
    """Mentions a person said are the same incident as these."""
    out: set[int] = set()
    for a, b, kind in decisions(db, mention_ids):
        if kind == "same":
            out.update((a, b))
    return out


def decisions(db, mention_ids: list[int]) -> list[tuple[int, int, str]]:
    """A person's decisions touching these mentions, as (mention, mention, kind), resolved to
    the mentions stored now (a recode may have renumbered them)."""
    if not mention_ids:
        return []
    marks = ",".join("?" * len(mention_ids))
    reports = sorted({r["report_id"] for r in db.query(
        f"SELECT report_id FROM mentions WHERE id IN ({marks})", mention_ids)})
    if not reports:
        return []
    rmarks = ",".join("?" * len(reports))
    out = []
    for d in db.query(f"SELECT * FROM link_decisions WHERE report_a IN ({rmarks}) OR report_b IN "
                      f"({rmarks}) ORDER BY id", reports + reports):
        a = resolve(db, d["report_a"], d["idx_a"], d["sig_a"])
        b = resolve(db, d["report_b"], d["idx_b"], d["sig_b"])
        if a is not None and b is not None and a != b:
            out.append((a, b, d["kind"]))
    return out


def resolve(db, report_id: int, idx: int | None, sig: str | None) -> int | None:
    """The mention of a report a decision meant: same signature (type, date, place) first,
    else the same index."""
    rows = db.query("SELECT id, idx, data FROM mentions WHERE report_id = ? ORDER BY idx",
                    (report_id,))
    for r in rows:
        if sig and signature(json.loads(r["data"])) == sig:
            return r["id"]
    for r in rows:
        if r["idx"] == idx:
            return r["id"]
    return None


def regroup(store: Store, mention_ids: list[int]) -> dict[int, int]:
    """Group the incidents around these mentions again; move mentions between events, create
    and delete events as needed; rewrite their merge log. Returns {mention_id: event_id}.
    Reads and writes through the store's public methods and its database (any backend)."""
    db = store.db
    # a person's decisions are looked up (two queries at each step) only when there are some
    people = store.has_link_decisions()
    cache = store.link_cache()
    comp = component(db, mention_ids, people, cache)
    if not comp:
        return {}
    marks = ",".join("?" * len(comp))
    rows = db.query(f"SELECT m.id, m.report_id, m.idx, m.event_id, r.content_hash FROM mentions m "
                    f"JOIN reports r ON r.id = m.report_id WHERE m.id IN ({marks}) ORDER BY m.id", comp)
    key = {r["id"]: (r["content_hash"], r["idx"]) for r in rows}
    by_key = {v: k for k, v in key.items()}
    w = link.weights()
    scores, reasons = {}, {}
    if cache is not None:
        inside = cache.within(db, comp)
    else:
        inside = [(r["mention_a"], r["mention_b"], r["score"], r["status"], r["reason"]) for r in db.query(
            f"SELECT mention_a, mention_b, score, status, reason FROM links WHERE mention_a IN ({marks}) "
            f"AND mention_b IN ({marks}) ORDER BY mention_a, mention_b", comp + comp)]
    strength = {}
    for a, b, score, status, reason in inside:
        p = (key[a], key[b])
        # a capped pair (link.CAPS) scores high but stays a near-miss: it never joins by itself
        s = scores[p] = score if status == "same" else min(score, w.possible)
        pair = frozenset(p)
        reasons[pair] = reason
        strength[pair] = s
    same, different, decided = [], [], set()
    for a, b, kind in (decisions(db, comp) if people else []):
        if a in key and b in key:
            (same if kind == "same" else different).append((key[a], key[b]))
            reasons[frozenset((key[a], key[b]))] = f"a person's decision: {kind}"
            decided.add(frozenset((key[a], key[b])))
    # a report's two events may be one incident it coded twice whenever another report's event of
    # the group links "same" to both (cluster.groups vouches): a predicate on the two copies' fields
    # (blocking and caps) lost true joins for almost no false merge saved, since the copies differ
    # in date, kind or place, which is why the document step kept them apart (docs/linking.md, dr91)
    parts = cluster.groups(key.values(), scores, w.threshold, same, different, linkage=w.linkage,
                           average=w.average, twice=True)
    current = {r["id"]: r["event_id"] for r in rows}
    taken: set[int] = set()
    # events whose mentions change (the new or decided mentions' and those a mention leaves or
    # joins) are recomputed; the rest of the component is left as it is
    touched = {current[m] for m in mention_ids if m in current}
    result: dict[int, int] = {}
    for part in sorted(parts, key=lambda p: (-len(p), p)):   # the largest group keeps its id
        members = [by_key[k] for k in part]
        ids = sorted({current[m] for m in members} - taken)
        # the event most of the group is already in keeps its id (then the lowest id)
        ids.sort(key=lambda e: (-sum(1 for m in members if current[m] == e), e))
        if ids:
            event_id = ids[0]
        else:
            event_id = db.insert("INSERT INTO events (event_type, created_at, updated_at) VALUES "
                                 "((SELECT event_type FROM mentions WHERE id = ?), ?, ?) RETURNING id",
                                 (members[0], now(), now()))
        taken.add(event_id)
        for m in members:
            result[m] = event_id
            if current[m] != event_id or m in mention_ids:
                touched.update((current[m], event_id))
            if current[m] != event_id:
                db.execute("UPDATE mentions SET event_id = ? WHERE id = ?", (event_id, m))
    db.execute(f"DELETE FROM merges WHERE mention_id IN ({marks})", comp)
    touched = sorted(touched)
    of_event = store.mentions_of_events(touched)   # one query, not one per event
    combined = {e: store.refresh_event(e, of_event[e]) for e in touched}
    report_of = {r["id"]: r["report_id"] for r in rows}
    said: dict = {}   # each key's partners in a pair with a reason, and the pair
    for p in reasons:
        if len(p) == 2:
            x, y = p
            said.setdefault(x, []).append((y, p))
            said.setdefault(y, []).append((x, p))
    # the events left unchanged that the merge log names: their fields as stored, their
    # mentions read in one query (not one per event)
    unchanged = sorted({result[by_key[k]] for part in parts if len(part) > 1 for k in part[1:]}
                       - combined.keys())
    for e, mentions in store.mentions_of_events(unchanged).items() if unchanged else ():
        combined[e] = dedup.combine(mentions)
    merges = []
    for part in parts:
        if len(part) < 2:
            continue
        in_part = set(part)
        for k in part[1:]:
            m = by_key[k]
            # the report's strongest link into its group (a person's decision first): under
            # partial linkage its link to the group's first report may be a weak one (the
            # least of distinct pairs: whatever the order they are looked at in)
            known = [(p not in decided, -strength.get(p, 0.0), sorted(p)) for o, p in said.get(k, ())
                     if o in in_part]
            why = reasons[frozenset(min(known)[2])] if known else \
                "grouped with the incident's other reports"
            ev = combined[result[m]] or {}
            merges.append((result[m], m, report_of[m], f"{why}; fatalities {ev.get('_fatalities_why')}",
                           now()))
    if merges:
        db.executemany("INSERT INTO merges (event_id, mention_id, report_id, reason, created_at) "
                       "VALUES (?, ?, ?, ?, ?)", merges)
    return result


def relink(store: Store) -> dict:
    """Score every stored pair again (after new weights or tables) and regroup all events."""
    db = store.db
    with db.transaction():
        db.execute("DELETE FROM links")
        rows = db.query("SELECT m.id, m.report_id, m.data, r.published, r.title FROM mentions m "
                        "JOIN reports r ON r.id = m.report_id ORDER BY m.id")
        quotes: dict[int, list[str]] = {}
        for q in db.query("SELECT mention_id, text FROM evidence ORDER BY mention_id, span_start, id"):
            quotes.setdefault(q["mention_id"], []).append(q["text"] or "")
        n = 0
        views = Views()
        for r in rows:
            view = View(mention_view(json.loads(r["data"]), r["published"], r["title"],
                                     quotes.get(r["id"], [])))
            earlier = [row for row in mutual(view, candidates(db, view, r["report_id"], views))
                       if row["id"] < r["id"]]
            scored = list(zip(earlier, link.score_all(view, [row["view"] for row in earlier])))
            store_links(db, link_rows(r["id"], scored))
            n += len(scored)
        done: set[int] = set()
        for e in db.query("SELECT DISTINCT event_id FROM mentions ORDER BY event_id"):
            ids = [m["id"] for m in db.query("SELECT id FROM mentions WHERE event_id = ?", (e["event_id"],))]
            if not set(ids) <= done:
                done.update(regroup(store, ids))
        return {"mentions": len(rows), "pairs_scored": n,
                "events": db.scalar("SELECT COUNT(*) FROM events"),
                "links": {r["status"]: r["n"] for r in db.query(
                    "SELECT status, COUNT(*) AS n FROM links GROUP BY status ORDER BY status")}}


def decide(db, kind: str, a_mention: int, b_mention: int, note: str | None = None) -> None:
    """Record a person's decision on two mentions ("same" or "different"); Store._decide, which
    also notes that the store holds one, is how the store records it."""
    if kind not in ("same", "different"):
        raise ValueError(f"kind must be same or different, not {kind!r}")
    rows = {r["id"]: r for r in db.query("SELECT id, report_id, idx, data FROM mentions WHERE id IN (?, ?)",
                                         (a_mention, b_mention))}
    if len(rows) != 2:
        raise KeyError("no such mention")
    ra, rb = rows[a_mention], rows[b_mention]
    # the latest decision on a pair is the one that holds
    db.execute("DELETE FROM link_decisions WHERE (report_a = ? AND idx_a = ? AND report_b = ? AND "
               "idx_b = ?) OR (report_a = ? AND idx_a = ? AND report_b = ? AND idx_b = ?)",
               (ra["report_id"], ra["idx"], rb["report_id"], rb["idx"],
                rb["report_id"], rb["idx"], ra["report_id"], ra["idx"]))
    db.execute("INSERT INTO link_decisions (report_a, idx_a, sig_a, report_b, idx_b, sig_b, kind, "
               "note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (ra["report_id"], ra["idx"], signature(json.loads(ra["data"])), rb["report_id"],
                rb["idx"], signature(json.loads(rb["data"])), kind, note, now()))


def possible_duplicates(db, event_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Near-misses: pairs of events a "possible" link joins (a person may merge them)."""
    where = ""
    params: list[Any] = []
    if event_id is not None:
        where = "AND (ma.event_id = ? OR mb.event_id = ?)"
        params = [int(event_id), int(event_id)]
    return db.query(
        "SELECT ma.event_id AS event_a, mb.event_id AS event_b, l.mention_a, l.mention_b, "
        "l.score, l.reason FROM links l JOIN mentions ma ON ma.id = l.mention_a "
        "JOIN mentions mb ON mb.id = l.mention_b WHERE l.status = 'possible' "
        f"AND ma.event_id <> mb.event_id {where} ORDER BY l.score DESC, l.mention_a, l.mention_b LIMIT ?",
        params + [int(limit)])
