"""The SQLite backend: connection, pragmas, transactions, migrations and FTS5.

Everything SQLite-specific lives here. The Store (store.py) talks to a ``Database`` through
``execute``/``query``/``one``/``insert``/``transaction``/``migrate`` and the three ``fts_*``
methods, with ``?`` placeholders, so a server backend can stand in for this class.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from bisect import bisect_right
from contextlib import contextmanager
from functools import lru_cache
from datetime import datetime, timezone
from operator import itemgetter
from typing import Any, Callable, ContextManager, Hashable, Iterable, Iterator, Protocol

from .schema import MIGRATIONS, Migration, named, pending


class Database(Protocol):
    """What the Store needs of a backend (SQLiteDatabase here, PostgresDatabase in postgres.py).
    SQL is written with ``?`` placeholders and standard SQL (ON CONFLICT, RETURNING)."""

    dialect: str          # "sqlite" | "postgresql": picks a Migration's SQL
    pk: str               # the dialect's auto-increment integer primary key
    null: Any             # a parameter that stores NULL, for rows of many (None also does)
    rollbacks: int        # transactions and savepoints rolled back on this connection so far
                          # (what a cache of rows written since may no longer find)

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any: ...
    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None: ...
    def query(self, sql: str, params: Iterable[Any] = ()) -> list[dict]: ...
    def one(self, sql: str, params: Iterable[Any] = ()) -> dict | None: ...
    def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any: ...
    def insert(self, sql: str, params: Iterable[Any] = ()) -> int | None: ...
    def transaction(self) -> ContextManager[None]: ...
    def migrate(self, area: str, migrations: list[Migration | str]) -> list[str]: ...
    def schema_versions(self) -> dict[str, int]: ...
    def change_mark(self, wait: bool = True) -> Hashable | None: ...
    def fts_index(self, kind: str, rows: list[tuple[int, str]]) -> None: ...   # (rowid, terms)
    def fts_delete(self, kind: str, rowids: list[int]) -> None: ...
    def fts_filter(self, kind: str, column: str, groups: list[list[str]]) -> tuple[str, list]: ...
    def size_bytes(self) -> int: ...
    def checkpoint(self) -> None: ...
    def close(self) -> None: ...


@contextmanager
def joinable_transaction(db: Any, outermost: Callable[[], ContextManager[None]]) -> Iterator[None]:
    """Run the body inside ``outermost()`` (the backend's real write transaction), or inside the
    one already open on ``db``: a report's writes and those of the helpers it calls commit
    together. Joined, the body runs in a savepoint: if it raises, its writes are undone and the
    outer transaction's stay (a report that fails in a group of reports leaves nothing).
    ``db`` has ``lock`` (an RLock) and ``_depth``; each rollback counts one in ``db.rollbacks``
    (what a cache of rows written since may no longer find: Store._cached)."""
    with db.lock:
        if db._depth:
            name = f"nested_{db._depth}"
            db._depth += 1
            db.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                db.rollbacks += 1
                db.execute(f"ROLLBACK TO SAVEPOINT {name}")
                db.execute(f"RELEASE SAVEPOINT {name}")
                raise
            finally:
                db._depth -= 1
            db.execute(f"RELEASE SAVEPOINT {name}")
            return
        db._depth = 1
        try:
            with outermost():
                yield
        except BaseException:
            db.rollbacks += 1
            raise
        finally:
            db._depth = 0


_NOW = (-1, "")   # the last second asked for and its text, replaced whole (threads)


def now() -> str:
    """The time now in UTC to the second (its text made once a second: the store asks for it
    several times for each event)."""
    second = int(time.time())
    kept = _NOW
    if kept[0] != second:
        kept = _now(second)
    return kept[1]


def _now(second: int) -> tuple[int, str]:
    global _NOW
    _NOW = (second, datetime.fromtimestamp(second, timezone.utc).isoformat(timespec="seconds"))
    return _NOW


_INTO = re.compile(r"\s*INSERT INTO (\w+)[\s(]", re.IGNORECASE)   # its table: a plain name
_DO_NOTHING = re.compile(r"\s+ON CONFLICT\s*(\([^()]*\))?\s*DO NOTHING\s*$", re.IGNORECASE)


@lru_cache(maxsize=256)
def _rowid_insert(sql: str) -> tuple[str, str] | None:
    """An ``INSERT INTO t (...) VALUES (...) [ON CONFLICT ... DO NOTHING] RETURNING id`` of one
    row without the RETURNING clause (its id is then the connection's last rowid, when the
    statement inserted its row and t's id is its rowid), and t; None for any other statement:
    one that may insert another row or several (OR REPLACE, an UPSERT's update, INSERT ...
    SELECT, rows of VALUES)."""
    head, sep, tail = sql.rpartition(" RETURNING id")
    into = _INTO.match(head)
    if into is None:
        return None
    nothing = _DO_NOTHING.search(head)
    core = head[:nothing.start()] if nothing else head
    upper = core.upper()
    if not sep or tail.strip() or " ON CONFLICT" in upper or upper.count(" VALUES ") != 1:
        return None
    values = core[upper.index(" VALUES ") + 8:].strip()
    depth = 0
    for i, c in enumerate(values):   # the values one parenthesised row, to the end
        depth += (c == "(") - (c == ")")
        if depth == 0 and (c != ")" or i != len(values) - 1):
            return None
    return (head, into[1]) if values and depth == 0 else None


class SQLiteDatabase:
    dialect = "sqlite"
    pk = "INTEGER PRIMARY KEY"
    # SQLite binds a NaN as NULL. None is a NULL too, but Python's sqlite3 first asks its adapter
    # protocol about it (an AttributeError raised and cleared per value: 1.1% of storing's
    # instructions went there, for the entities' empty place columns)
    null = float("nan")

    def __init__(self, path: str):
        self.path = path
        if path != ":memory:":
            parent = os.path.dirname(os.path.abspath(path))
            os.makedirs(parent, exist_ok=True)
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE in transaction()), so one
        # report and its events are committed together and nothing is left half-written.
        # cached_statements: an ingest runs some 450 distinct statements (IN lists of many
        # lengths); with the default 128 the frequent ones were prepared again and again
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                    timeout=30, cached_statements=1024)
        self.conn.row_factory = sqlite3.Row
        self.lock = threading.RLock()   # one connection shared by a web server's threads
        self._depth = 0
        self.rollbacks = 0
        self._rowid_ids: dict[str, bool] = {}   # table -> whether its id is its rowid (_rowid_id)
        for pragma in ("journal_mode = WAL",       # readers do not block the ingest
                       "synchronous = NORMAL",      # in WAL: a commit survives a process kill
                       "foreign_keys = ON",
                       "busy_timeout = 30000",
                       "temp_store = MEMORY",
                       # 16 MiB of pages, not SQLite's 2: an ingest's indexes and full-text
                       # segments outgrew the default, which read pages back from the file
                       # 64,000 times over the 1,213 news articles, 23,000 with this
                       # (docs/rounds/scale.md, store39). Memory taken only as it fills
                       "cache_size = -16384"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.migrate("store", MIGRATIONS)

    # -- statements --------------------------------------------------------------
    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        with self.lock:
            return self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        with self.lock:
            # the rows as they are (sqlite3 binds any sequence): no copy of each row as a tuple
            self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[dict]:
        # plain tuples zipped with the column names: dict(sqlite3.Row) costs a third more
        with self.lock:
            cur = self.conn.cursor()
            cur.row_factory = None
            rows = cur.execute(sql, tuple(params)).fetchall()
            if not rows:
                return []
            cols = [d[0] for d in cur.description]
        if len(set(cols)) < len(cols):   # a name twice: its first column's value, as Row gives
            first = [cols.index(c) for c in dict.fromkeys(cols)]
            return [{cols[i]: r[i] for i in first} for r in rows]
        return _dicts_of(tuple(cols))(rows)

    def one(self, sql: str, params: Iterable[Any] = ()) -> dict | None:
        with self.lock:
            row = self.conn.execute(sql, tuple(params)).fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        with self.lock:
            row = self.conn.execute(sql, tuple(params)).fetchone()
        return row[0] if row is not None else None

    def insert(self, sql: str, params: Iterable[Any] = ()) -> int | None:
        """Run an INSERT ... RETURNING id and return the id (None: no row inserted, as ON
        CONFLICT DO NOTHING may leave it)."""
        plain = _rowid_insert(sql)
        with self.lock:
            if plain is None or not self._rowid_id(plain[1]):
                row = self.conn.execute(sql, tuple(params)).fetchone()
                return row[0] if row is not None else None
            # the same id: the row's rowid (the table's id is its rowid), without RETURNING,
            # which SQLite runs as a trigger program of its own (some 40,000 instructions an
            # insert: 146 M of storing news300's 8,184 M)
            cur = self.conn.execute(plain[0], tuple(params))
            return cur.lastrowid if cur.rowcount == 1 else None

    def _rowid_id(self, table: str) -> bool:
        """Whether the table's id is its rowid (an INTEGER PRIMARY KEY of a rowid table, as
        {pk} makes every id of the store's tables), asked of SQLite once per table."""
        known = self._rowid_ids.get(table)
        if known is None:
            keys = self.conn.execute("SELECT name, type FROM pragma_table_info(?) WHERE pk > 0",
                                     (table,)).fetchall()
            made = self.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                     (table,)).fetchone()
            known = self._rowid_ids[table] = len(keys) == 1 and keys[0][0].lower() == "id" and \
                keys[0][1].upper() == "INTEGER" and made is not None and \
                "WITHOUT ROWID" not in made[0].upper() and \
                re.search(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\s+DESC\b", made[0], re.IGNORECASE) is None
        return known

    def transaction(self):
        """A write transaction; nested calls join the outer one."""
        return joinable_transaction(self, self._begin_immediate)

    @contextmanager
    def _begin_immediate(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")  # take the write lock now, not at the first write
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def change_mark(self, wait: bool = True) -> tuple[int, int] | None:
        """What changes whenever the database's rows may have: commits of other connections
        (PRAGMA data_version) and this connection's own writes (total_changes). None when
        ``wait`` is false and another thread holds the connection."""
        if not self.lock.acquire(blocking=wait):
            return None
        try:
            return self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes
        finally:
            self.lock.release()

    # -- schema ----------------------------------------------------------------------
    def migrate(self, area: str, migrations: list[Migration | str]) -> list[str]:
        """Apply the area's migrations not yet applied, each in its own transaction."""
        with self.lock:
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (area TEXT NOT NULL, "
                              "version INTEGER NOT NULL, name TEXT, applied_at TEXT, "
                              "PRIMARY KEY (area, version))")
            done = {r[0]: r[1] for r in self.conn.execute(
                "SELECT version, name FROM schema_version WHERE area = ?", (area,))}
            applied = []
            for version, m in pending(area, named(area, migrations), done):
                sql = m.for_dialect(self.dialect, self.pk)
                # executescript commits first and runs the script as is: BEGIN/COMMIT inside it
                # make the migration and its schema_version row one transaction.
                stamp = now().replace("'", "")
                name = m.name.replace("'", "''")
                try:
                    self.conn.executescript(
                        f"BEGIN IMMEDIATE;\n{sql}\n;INSERT INTO schema_version VALUES "
                        f"('{area}', {version}, '{name}', '{stamp}');\nCOMMIT;")
                except sqlite3.Error:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    # another process may have applied it at the same moment
                    if self.conn.execute("SELECT 1 FROM schema_version WHERE area = ? AND "
                                         "version = ?", (area, version)).fetchone():
                        continue
                    raise
                applied.append(m.name)
            return applied

    def schema_versions(self) -> dict[str, int]:
        return {r["area"]: r["v"] for r in self.query(
            "SELECT area, MAX(version) AS v FROM schema_version GROUP BY area")}

    # -- full-text search (FTS5 over pre-analysed terms, see search.py) ---------------------
    # Each kind has two tables (schema.py): a row whose terms are plain_terms in the one of FTS5's
    # ascii tokenizer, which makes of them the tokens unicode61 makes at a fraction of the cost,
    # the others (and the rows of a store made before it) in the unicode61 one. A row is in one
    # of them; a search asks both, each in its tokenizer's terms (fts_filter).
    def fts_index(self, kind: str, rows: list[tuple[int, str]]) -> None:
        """Index the rows (rowid, terms), replacing what they had."""
        tables = _fts_tables(kind)
        parts: tuple[list, list] = ([], [])
        for row in sorted(rows, key=itemgetter(0)):
            parts[plain_terms(row[1])].append(row)
        # a row that changes table leaves the other one (a merged event's terms that gained a
        # character of another script, a row stored before the ascii tables)
        for table, other in ((tables[0], parts[1]), (tables[1], parts[0])):
            gone = self._fts_held(table, [i for i, _ in other])
            if gone:
                self._fts_remove(table, gone)
        for table, part in zip(tables, parts):
            self._fts_write(table, part)

    def _fts_write(self, table: str, rows: list[tuple[int, str]]) -> None:
        # in rowid order, each replaced row's old terms taken out just before its new ones go
        # in (REPLACE): FTS5 writes its pending terms out as a new segment whenever a rowid
        # comes below the one before it (a DELETE of the replaced rows, then the INSERT of all,
        # did so at each call), and a DELETE of several rows opens a statement savepoint, at
        # which FTS5 writes out every full-text table's pending terms
        if not rows:
            return
        top = self._fts_top(table)
        held = 0 if top is None else bisect_right(rows, top, key=itemgetter(0))
        if held:   # rows the table may hold (a new report's or event's row is not there yet)
            self.executemany(f"REPLACE INTO {table}(rowid, terms) VALUES (?, ?)", rows[:held])
        self.executemany(f"INSERT INTO {table}(rowid, terms) VALUES (?, ?)", rows[held:])

    def _fts_top(self, table: str) -> int | None:
        """The largest rowid the full-text table holds (its content table's last)."""
        return self.conn.execute(f"SELECT MAX(id) FROM {table}_content").fetchone()[0]

    def _fts_held(self, table: str, rowids: list[int]) -> list[int]:
        """Those of these rowids that the full-text table holds, read from its content table
        (no statement savepoint, unlike a DELETE: see _fts_write); most are past its last."""
        top = self._fts_top(table) if rowids else None
        rowids = [r for r in rowids if top is not None and r <= top]
        held = []
        for i in range(0, len(rowids), 500):   # SQLite's limit of variables
            part = rowids[i:i + 500]
            held += [r for r, in self.conn.execute(
                f"SELECT id FROM {table}_content WHERE id IN ({','.join('?' * len(part))})", part)]
        return held

    def _fts_remove(self, table: str, rowids: list[int]) -> None:
        for i in range(0, len(rowids), 500):   # one statement per 500 (SQLite's limit of variables)
            part = rowids[i:i + 500]
            self.execute(f"DELETE FROM {table} WHERE rowid IN ({','.join('?' * len(part))})", part)

    def fts_delete(self, kind: str, rowids: list[int]) -> None:
        # only the rowids the table may hold: FTS5 looks each one up (a new report's or event's
        # row, most of a group's, is not there yet)
        for table in _fts_tables(kind):
            top = self._fts_top(table) if rowids else None
            self._fts_remove(table, [r for r in rowids if top is not None and r <= top])

    def fts_filter(self, kind: str, column: str, groups: list[list[str]]) -> tuple[str, list]:
        """SQL condition 'column is a row whose terms match': every group must match one of
        its alternatives (a word and its clitic-stripped forms)."""
        groups = [[t.replace('"', "") for t in g] for g in groups if g]
        if not groups:
            return "1 = 1", []
        # the ascii table's query: each term as unicode61's tokens of it (the same where it is plain)
        odd = [t for g in groups for t in g if not plain_terms(t)]
        tokens = dict(zip(odd, self._unicode61_tokens(odd))) if odd else {}
        plain = [[tokens.get(t, t) for t in g] for g in groups]
        full, ascii_ = _fts_tables(kind)
        return (f"({column} IN (SELECT rowid FROM {full} WHERE terms MATCH ?) OR "
                f"{column} IN (SELECT rowid FROM {ascii_} WHERE terms MATCH ?))",
                [_match(groups), _match(plain)])

    def _unicode61_tokens(self, texts: list[str]) -> list[str]:
        """The tokens FTS5's unicode61 tokenizer (as the full-text tables have it) makes of each
        text, joined by spaces: asked of SQLite, by a temporary table and its vocabulary."""
        with self.lock:
            conn = self.conn
            conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_tokens USING "
                         "fts5(terms, tokenize = 'unicode61 remove_diacritics 0')")
            conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_tokens_of USING "
                         "fts5vocab(temp, fts_tokens, instance)")
            conn.execute("DELETE FROM temp.fts_tokens")
            conn.executemany("INSERT INTO temp.fts_tokens(rowid, terms) VALUES (?, ?)", enumerate(texts))
            out: list[list[str]] = [[] for _ in texts]
            for doc, term in conn.execute("SELECT doc, term FROM temp.fts_tokens_of ORDER BY doc, offset"):
                out[doc].append(term)
            conn.execute("DELETE FROM temp.fts_tokens")
        return [" ".join(t) for t in out]

    # -- housekeeping --------------------------------------------------------------------
    def size_bytes(self) -> int:
        if self.path == ":memory:":
            return 0
        return sum(os.path.getsize(p) for p in (self.path, self.path + "-wal")
                   if os.path.exists(p))

    def checkpoint(self) -> None:
        with self.lock:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self.lock:
            try:
                self.conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            self.conn.close()


@lru_cache(maxsize=512)
def _dicts_of(cols: tuple[str, ...]) -> Callable[[list[tuple]], list[dict]]:
    """A function of rows of these (distinct) columns to their dicts: a dict display of the
    names, each a constant (repr), one CPython instruction a row making the dict at its size,
    where dict(zip(cols, row)) went through a pair per column (2.7 times as long; the block
    query's 21,000 rows over news300 took 1.6% of storing's time as dicts). Made once per set of
    columns, as the statement cache keeps a statement."""
    names = ", ".join(f"c{i}" for i in range(len(cols)))
    display = ", ".join(f"{c!r}: c{i}" for i, c in enumerate(cols))
    return eval(f"lambda rows: [{{{display}}} for {names}{',' if len(cols) == 1 else ''} in rows]")


def _fts_tables(kind: str) -> tuple[str, str]:
    """The kind's full-text tables: unicode61's, the ascii tokenizer's."""
    if kind not in ("reports", "events"):
        raise ValueError(f"no full-text index for {kind!r}")
    return f"fts_{kind}", f"fts_{kind}_plain"


def _match(groups: list[list[str]]) -> str:
    return " AND ".join("(" + " OR ".join('"%s"' % t for t in g) + ")" for g in groups)


# The characters of which FTS5's ascii tokenizer and unicode61 (remove_diacritics 0) make the
# same tokens: ASCII (both take its letters and digits as token characters, the rest as
# separators, and fold its capitals) and the Arabic letters (unicode61 takes them as token
# characters, which it does not fold; ascii takes every non-ASCII character as one). Other
# characters (capitals of other scripts, marks, letters newer than SQLite's Unicode tables) may
# differ. tests/store/test_fts_plain.py asks SQLite. (A match of the whole text: some 30
# instructions a character; a search for another character took 60.)
_PLAIN = re.compile("[\x00-\x7f\u0621-\u063a\u0641-\u064a]*")


def plain_terms(terms: str) -> bool:
    """Whether the ascii tokenizer makes of this text the tokens unicode61 makes."""
    fast = _fast()
    return _PLAIN.fullmatch(terms) is not None if fast is None else fast.plain_text(terms)


def _fast():
    """The linking's compiled loops (marsad/incident/_fast.pyx: plain_text, one pass in C),
    when built and wanted; imported when first asked (the linking imports the store)."""
    global _FAST
    if _FAST is _UNSET:
        from ..incident.features import _fast as fast
        _FAST = fast
    return _FAST


_UNSET = object()
_FAST = _UNSET
