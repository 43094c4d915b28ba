"""The Store: ingest, deduplicate, read and re-code, over a Database (db.py).

The write path for one report is ``_write_report``: the report, its entities, conditions,
sources, coded events (mentions) with their evidence, and the merge into existing events, all in
one transaction. Extraction runs before the transaction, so a kill loses at most the report
being coded and never leaves half of one.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from typing import Any, Callable, Iterable, Iterator

from ..incident import link
from ..errors import printable
from ..fields import COLUMN_FIELDS
from ..incident.features import View, _fast, link_day
from . import dedup, links
from .db import now
from .ingest import Failure, iter_paths
from .schema import Migration, named
from .search import index_terms, query_groups

_ENTITY_GET = ("type", "start", "end", "text", "latitude", "longitude", "country_code",
               "admin1_code", "geonameid")   # in the order of the entities table's columns
_ENTITY_COLUMNS = frozenset(_ENTITY_GET)
FILTERS = ("date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor",
           "q", "report_id", "min_fatalities", "inter", "interaction", "geo_precision", "min_confidence", "location")


@dataclass
class ReportResult:
    status: str                      # "new" | "duplicate" | "failed"
    report_id: int | None = None
    event_ids: list[int] = field(default_factory=list)
    new_event_ids: list[int] = field(default_factory=list)
    reason: str | None = None
    record_id: str | None = None


@dataclass
class IngestStats:
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    events: int = 0                  # coded events stored (before merging)
    new_event_ids: list[int] = field(default_factory=list)
    report_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, r: ReportResult) -> None:
        if r.status == "new":
            self.new += 1
            self.events += len(r.event_ids)
            self.new_event_ids.extend(r.new_event_ids)
        elif r.status == "duplicate":
            self.duplicate += 1
        else:
            self.failed += 1
        if r.report_id is not None and r.status != "failed":
            self.report_ids.append(r.report_id)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["new_events"] = len(d.pop("new_event_ids"))
        d.pop("report_ids")
        return d


def content_hash(text: str) -> str:
    text = text.strip()   # the text itself when nothing is stripped (a str's strip gives it back)
    if _fast is not None and text.__class__ is str:
        # hashed from the UTF-8 copy the text keeps, which binding the report's text then reuses
        return _fast.utf8_hexdigest(text, hashlib.sha256)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_origin(rec: dict) -> str:
    """Where a record came from, for the failure log; also the id of a record without one."""
    return str(rec.get("origin") or rec.get("url") or rec.get("file") or rec.get("id") or "record")


def _json_text() -> Callable[[Any], str]:
    """json.dumps(value, ensure_ascii=False)'s text from one encoder made once (the store writes
    JSON for every mention, event and place entity: 40,000 values for the 1,213 news articles).
    JSONEncoder.encode made a C encoder for each value (iterencode) through two Python calls:
    here the C encoder is made once, as iterencode makes it, and its chunks joined as encode
    joins them (1.4% of storing's instructions went to encode's own path). No check for
    circular values: the outputs are parsed JSON, which has none."""
    enc = json.JSONEncoder(ensure_ascii=False, check_circular=False)
    make = json.encoder.c_make_encoder
    if make is None:   # no C accelerator: encode's Python path
        return enc.encode
    chunks = make(None, enc.default, json.encoder.encode_basestring, None, enc.key_separator,
                  enc.item_separator, enc.sort_keys, enc.skipkeys, enc.allow_nan)
    join = "".join
    return lambda value: join(chunks(value, 0))


_j: Callable[[Any], str] = _json_text()


def _num(v: Any, kind=float) -> Any:
    if v is None or v == "":
        return None
    try:
        return kind(v)
    except (TypeError, ValueError):
        return None


_SCALARS = (str, int, bool, type(None))   # JSON gives these back as they are (floats: finite)


def _parsed_back(stored: dict, data: str) -> dict:
    """json.loads(data) where data is _j(stored): a copy of stored when each of its keys is text
    and each value a scalar (text, int, bool, none, a finite float) or a list of such, which
    JSON gives back equal and of the same type; else parsed (a value JSON turns into another,
    a tuple, a dict, NaN). Parsing a mention's JSON back was about 0.9% of storing's
    instructions; its lists are copied, as a parse makes new ones."""
    out = {}
    for k, v in stored.items():
        t = type(v)
        if type(k) is not str:
            return json.loads(data)
        if t is list:
            if not all(type(x) in _SCALARS or type(x) is float and math.isfinite(x) for x in v):
                return json.loads(data)
            v = v.copy()
        elif t not in _SCALARS and not (t is float and math.isfinite(v)):
            return json.loads(data)
        out[k] = v
    return out


def _coded_events(out: dict) -> list[dict]:
    """The events of an output line that are stored (a mention each). Their number goes into the
    report's row as it is written (n_events; its events are written in the same transaction),
    not by an UPDATE of the row after them: one statement fewer per report."""
    return [e for e in out.get("events") or [] if isinstance(e, dict) and e.get("event_type")]


def _span_rows(report_id: int, items: list[dict], keys: tuple[str, ...], null: Any = None) -> list[tuple]:
    """(report, name, start, end, text, JSON) of each condition or cited source: its name is the
    first of ``keys`` it gives (as ``a or b or c``: the last one when none is given). null: the
    database's parameter for NULL (Database.null)."""
    rows = []
    for x in items:
        for k in keys:
            name = x.get(k)
            if name:
                break
        start, end, text = _num(x.get("start"), int), _num(x.get("end"), int), x.get("text")
        # most cited sources have no span: their empty columns as null, as _entity_row's
        rows.append((report_id, null if name is None else name, null if start is None else start,
                     null if end is None else end, null if text is None else text, _j(x)))
    return rows


def _entity_row(report_id: int, ent: dict, null: Any = None) -> tuple:
    """An entity's row. Most hold only columns (their data is "{}") and numbers already of
    their column's type (kept as they are: what _num gives them). null: the database's value
    for an empty place column (Database.null: most entities are not places)."""
    # its values read in one map over the columns' names (a report has some 40 entities)
    kind, start, end, text, lat, lon, country, admin1, gid = map(ent.get, _ENTITY_GET)
    return (report_id, kind, start if type(start) is int else _num(start, int),
            end if type(end) is int else _num(end, int), text,
            lat if type(lat) is float else null if lat is None else _num(lat),
            lon if type(lon) is float else null if lon is None else _num(lon),
            null if country is None else country, null if admin1 is None else admin1,
            null if gid is None else str(gid),
            "{}" if ent.keys() <= _ENTITY_COLUMNS else
            _j({k: v for k, v in ent.items() if k not in _ENTITY_COLUMNS}))


def _entity_rows(report_id: int, entities: Any, null: Any = None) -> list[tuple]:
    """_entity_row of each dict of a report's entities, in C where the linking's loops are built
    (_fast.entity_rows: the same tuples; an entity of other types goes to _entity_row there)."""
    if _fast is not None and type(entities) is list:
        return _fast.entity_rows(report_id, entities, null, _ENTITY_COLUMNS, _j, _entity_row)
    return [_entity_row(report_id, ent, null) for ent in entities if isinstance(ent, dict)]


def _progress_bar(progress: Any) -> Callable[[IngestStats], None] | None:
    if progress is None or progress is False:
        return None
    if callable(progress):
        return progress
    from tqdm import tqdm
    total = progress if isinstance(progress, int) and not isinstance(progress, bool) else None
    bar = tqdm(total=total, unit=" reports", file=sys.stderr, dynamic_ncols=True)

    def update(s: IngestStats) -> None:
        bar.update(1)
        bar.set_postfix(new=s.new, duplicate=s.duplicate, failed=s.failed, refresh=False)
    update.close = bar.close  # type: ignore[attr-defined]
    return update


class Store:
    """All the store's logic over a ``Database`` (db.py). ``extract`` codes a report for ingest and
    recode: a callable input record -> CONTRACT output line (marsad.extract.Extractor; open_store
    gives that one). A store without one can still load results coded elsewhere and be read."""

    GROUP_SECONDS = 0.5     # a transaction group of an ingest (_group): at most this long,
    GROUP_REPORTS = 200     # and at most this many reports

    def __init__(self, db, extract: Callable[[dict], dict] | None = None):
        self.db = db
        self.extract = extract
        self._retry = threading.local()   # the failure this thread is retrying (retry_failure)
        # what this store has read or written of rows that do not change (_cached): stored
        # mentions' linking views (links.candidates) and data (mentions_of_events), place ids by key
        # and actor names
        self._views = links.Views()
        self._parsed = links.Parsed()
        self._known: dict = {"places": {}, "actors": {}}
        self._rollbacks = 0
        # full-text rows held back until the end of a transaction group (_group), by (kind, id):
        # the terms, or None to delete. SQLite's FTS5 writes its pending rows out at every
        # savepoint, so written with each report they cost a flush per report
        self._fts: _HeldRows | None = None
        self._links: links.LinkCache | None = None   # the group's links (link_cache)
        self._kept_links: tuple | None = None   # the last group's, and the database's mark then
        self._decisions: bool | None = None   # whether a person's link decision is stored
        self._migrated: dict[str, tuple] = {}   # area -> its migrations' names known applied (migrate)

    def _extractor(self) -> Callable[[dict], dict]:
        if self.extract is None:
            raise RuntimeError("this store was opened without an extractor: Store(db, extract=...)")
        return self.extract

    # -- lifecycle ---------------------------------------------------------------------
    def migrate(self, area: str, migrations: list[Migration | str]) -> list[str]:
        """Apply another area's migrations (idempotent; see schema.py). Asked again with the
        same migrations (by name, in order), nothing is read (each `marsad follow` or alerts call
        asks); a list that is not the one applied, even of the same length, goes to the
        database, which applies what is new or refuses what it records otherwise."""
        names = tuple(m.name for m in named(area, migrations))
        if self._migrated.get(area) == names:
            return []
        applied = self.db.migrate(area, migrations)
        self._migrated[area] = names
        return applied

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- ingest --------------------------------------------------------------------------
    def ingest_paths(self, paths: Iterable[str], published: str | None = None,
                     source: str | None = None, progress: Any = None) -> IngestStats:
        # files never keep a group waiting for input; stdin ("-") may: a report per transaction
        return self.ingest_records(iter_paths(paths, published, source), progress,
                                   group="-" not in paths)

    def ingest_records(self, records: Iterable[Any], progress: Any = None,
                       group: bool = False) -> IngestStats:
        """Code and store the records. group: write them in transaction groups (_group), for
        input that does not wait (a file, not a feed or a pipe)."""
        return self._run(records, self.ingest_record, progress, group)

    def load_results(self, pairs: Iterable[tuple[dict, dict]], extractor_version: str | None = None,
                     progress: Any = None, group: bool = False) -> IngestStats:
        """Store (input record, output line) pairs coded elsewhere, without the extractor. A pair
        may hold a third item: what ``marsad.extract.validate`` gave for its record, when the
        caller checked it before coding (scale.ingest), so that it is not checked twice."""
        return self._run(pairs, lambda p: self.load_result(p[0], p[1], extractor_version, *p[2:3]),
                         progress, group)

    def _run(self, items: Iterable[Any], one: Callable[[Any], ReportResult],
             progress: Any, group: bool) -> IngestStats:
        stats = IngestStats()
        t0 = time.perf_counter()
        tick = _progress_bar(progress)
        items = iter(items)
        collector = _Collector()
        try:
            if group:
                while self._group(items, one, stats, tick):
                    pass
            else:
                for item in items:
                    self._count(self._store_item(item, one), stats, tick)
        finally:
            collector.restore()
            if tick and hasattr(tick, "close"):
                tick.close()
            stats.seconds = time.perf_counter() - t0
        return stats

    def _store_item(self, item: Any, one: Callable[[Any], ReportResult]) -> ReportResult:
        if isinstance(item, Failure):
            return self._fail(item.origin, item.reason, item.kind, item.record_id, item.sample)
        if isinstance(item, Exception):   # marsad.extract.RecordError from read_jsonl
            return self._fail("input", str(item), "read")
        return one(item)

    @staticmethod
    def _count(r: ReportResult, stats: IngestStats, tick) -> None:
        stats.add(r)
        if tick:
            tick(stats)

    def _group(self, items: Iterator[Any], one: Callable[[Any], ReportResult], stats: IngestStats,
               tick) -> bool:
        """Store the next reports in one transaction, each in its own savepoint (a report that
        fails leaves nothing, the others stay), for at most GROUP_SECONDS or GROUP_REPORTS:
        one commit for many reports, while other writers wait no longer than that. What the
        group stored is committed even when reading the input or a Ctrl-C stops it. Returns
        whether items remain."""
        stop = time.monotonic() + self.GROUP_SECONDS
        more, error = False, None
        kept = None
        with self.db.transaction():
            self._fts = _HeldRows()
            self._links = self._group_links()
            self._decisions = None
            try:
                for n, item in enumerate(items, 1):
                    self._count(self._store_item(item, one), stats, tick)
                    if n >= self.GROUP_REPORTS or time.monotonic() >= stop:
                        more = True
                        break
            except BaseException as e:
                error = e
            finally:
                kept, self._links = self._links, None
                self._flush_fts()
        if error is not None:
            raise error
        mark = self.db.change_mark()
        if kept is not None and mark is not None:   # committed: the links the database holds
            self._kept_links = (kept, mark)
        return more

    def _group_links(self) -> links.LinkCache:
        """The links for a new group: the last group's when nothing was written to the
        database since it committed (by any connection: SQLite's change mark), else none."""
        kept, self._kept_links = self._kept_links, None
        n = self.db.rollbacks
        if kept is not None and kept[0].rollbacks == n and len(kept[0]) < links.LinkCache.LIMIT \
                and kept[1] == self.db.change_mark():
            return kept[0]
        return links.LinkCache(n)

    def ingest_text(self, text: str, published: str | None = None, source: str | None = None,
                    url: str | None = None, title: str | None = None) -> ReportResult:
        if title and text and not text.lstrip().startswith(title.strip()):
            text = f"{title.strip()}\n\n{text}"
        return self.ingest_record({"id": url or "pasted", "text": text, "published": published,
                                   "source": source, "url": url, "title": title,
                                   "origin": url or "pasted text"})

    def ingest_record(self, rec: Any) -> ReportResult:
        """Validate, skip if already stored, code with the extractor, store: one report."""
        from .version import extractor_version

        checked = self._check(rec)
        if isinstance(checked, ReportResult):
            return checked
        rec, text, published, h, known = checked
        out = self._extractor()({**rec, "text": text})
        return self._write_report(rec, text, published, h, out, extractor_version(), known)

    def load_result(self, rec: dict, out: dict, extractor_version: str | None = None,
                    valid: tuple | None = None) -> ReportResult:
        checked = self._check(rec, valid)
        if isinstance(checked, ReportResult):
            return checked
        rec, text, published, h, known = checked
        if not isinstance(out, dict):
            return self._fail(record_origin(rec), "output line is not a JSON object", "load",
                              str(rec.get("id")))
        return self._write_report(rec, text, published, h, out, extractor_version or
                                  out.get("extractor_version") or "external", known)

    def report_with_hash(self, h: str) -> int | None:
        """The id of the stored report whose text has this content_hash, if any."""
        return self.db.scalar("SELECT id FROM reports WHERE content_hash = ?", (h,))

    def _check(self, rec: Any, valid: tuple | None = None):
        """(record, text, published, hash, the stored report of that hash or None), or the
        ReportResult of a bad or known record. valid: validate's result for this record, when
        the caller has it."""
        from ..extract import RecordError, validate

        if not isinstance(rec, dict):
            return self._fail("input", f"record is not a JSON object but {type(rec).__name__}")
        rec = dict(rec)
        origin = record_origin(rec)
        if rec.get("id") in (None, ""):
            rec["id"] = origin
        try:
            rid, text, published = valid or validate(rec)
        except RecordError as e:
            text = rec.get("text")
            return self._fail(origin, str(e), "validate", str(rec.get("id")),
                              text[:200] if isinstance(text, str) else None, record=rec)
        h = content_hash(text)
        known = self.report_with_hash(h)
        if known is not None and not self._supersedes(known, rec, text, published):
            return ReportResult("duplicate", known, self._report_event_ids(known), record_id=rid)
        return rec, text, published, h, known

    def is_duplicate(self, rec: dict, text: str, published) -> bool:
        """Whether the store holds this text already under a record this one does not replace
        (nothing to code)."""
        known = self.report_with_hash(content_hash(text))
        return known is not None and not self._supersedes(known, rec, text, published)

    def _supersedes(self, report_id: int, rec: dict, text: str, published) -> bool:
        """Whether this record of a stored text takes the stored record's place. Of the records
        of one text the store keeps the one first in _record_rank (the earliest publication),
        whatever came first: what it holds is a function of the set of records. The publication
        date is what the dates are read against, so the report is coded again."""
        row = self.db.one("SELECT published, url, record_id, source, file, title FROM reports "
                          "WHERE id = ?", (report_id,))
        pub = published.isoformat() if published else None
        return row is not None and _record_rank(pub, rec.get("url"), str(rec.get("id")),
                                                rec.get("source"), rec.get("file"),
                                                _title(rec, text)) < _record_rank(
            row["published"], row["url"], row["record_id"], row["source"], row["file"], row["title"])

    def record_failure(self, origin: str, reason: str, kind: str = "input",
                       record_id: str | None = None, sample: str | None = None) -> ReportResult:
        return self._fail(origin, reason, kind, record_id, sample)

    def _fail(self, origin: str, reason: str, kind: str = "read", record_id: str | None = None,
              sample: str | None = None, record: dict | None = None) -> ReportResult:
        from ..extract import MAX_CHARS

        # a reason must be storable whatever the input held (lone surrogates become \udXXX)
        origin, reason, record_id, sample = (printable(x) for x in (origin, reason, record_id, sample))
        key = hashlib.sha256(f"{origin}\x00{kind}\x00{reason}\x00{sample or ''}".encode()).hexdigest()
        # ASCII JSON keeps lone surrogates as escapes; a record larger than ingest accepts is not kept
        full = json.dumps(record, default=str) if record is not None else None
        if full is not None and len(full) > 7 * MAX_CHARS:   # Arabic is 6 ASCII characters a letter
            full = None
        retrying = getattr(self._retry, "id", None)
        with self.db.transaction():
            if retrying is not None:   # a retry that failed again: the same failure, its new reason
                self._retry.failed = True
                self.db.execute("UPDATE failures SET created_at = ?, kind = ?, reason = ?, sample = ?, "
                                "record = COALESCE(?, record) WHERE id = ?",
                                (now(), kind, reason, sample, full, retrying))
                return ReportResult("failed", reason=reason, record_id=record_id)
            self.db.execute("INSERT INTO failures (key, created_at, origin, record_id, kind, reason, "
                            "sample, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                            (key, now(), origin, record_id, kind, reason, sample, full))
        return ReportResult("failed", reason=reason, record_id=record_id)

    def retry_failure(self, failure_id: int) -> ReportResult:
        """Ingest a failed record again: gone from the failures if it is now stored, else its
        reason updated. KeyError: no such failure; ValueError: its record was not kept."""
        row = self.db.query("SELECT record FROM failures WHERE id = ?", (int(failure_id),))
        if not row:
            raise KeyError(f"no failure with id {failure_id}")
        if not row[0]["record"]:
            raise ValueError(f"failure {failure_id} kept no record to retry")
        self._retry.id, self._retry.failed = int(failure_id), False
        try:
            res = self.ingest_record(json.loads(row[0]["record"]))
        finally:
            self._retry.id = None
        if not self._retry.failed:
            with self.db.transaction():
                self.db.execute("DELETE FROM failures WHERE id = ?", (int(failure_id),))
        return res

    # -- the write path ------------------------------------------------------------------------
    def _write_report(self, rec: dict, text: str, published, h: str, out: dict,
                      version: str, known: int | None) -> ReportResult:
        """known: the stored report of this hash when _check looked (None: none)."""
        rid = str(rec.get("id"))
        error = out.get("error")
        pub = published.isoformat() if published else None
        title = _title(rec, text)
        held = self._fts
        if held is not None:   # in a group: what this report changes in it, to undo if it fails
            held.journal = []
        try:
            with self.db.transaction():
                # another process may have stored it since _check, unless _check ran in this
                # group's transaction, which has held the write lock since
                if held is None:
                    known = self.report_with_hash(h)
                if known is not None and not self._supersedes(known, rec, text, published):
                    return ReportResult("duplicate", known, self._report_event_ids(known), record_id=rid)
                if known is not None:   # this record takes the stored one's place: coded again
                    self.db.execute("UPDATE reports SET record_id = ?, source = ?, url = ?, "
                                    "published = ?, file = ?, title = ? WHERE id = ?",
                                    (rid, rec.get("source"), rec.get("url"), pub,
                                     rec.get("file"), title, known))
                    self._recode_one(known, {"text": text, "published": pub, "title": title,
                                             "source": rec.get("source")}, out, version)
                    replaced = ReportResult("duplicate", known, self._report_event_ids(known),
                                            record_id=rid)
                else:
                    replaced = None
                    report_id = self._insert_report(rec, text, pub, h, title, out, version)
                    event_ids, new_ids = self._write_coded(report_id, text, pub, title,
                                                           rec.get("source"), out, version)
        except BaseException as e:
            if held is not None:   # its savepoint is rolled back: its full-text rows go too
                held.undo()
            if not isinstance(e, Exception):
                raise
            # a store bug on one report must not stop the batch
            return self._fail(record_origin(rec), f"could not store: {type(e).__name__}: {e}",
                              "store", rid, record=rec)
        finally:
            if held is not None:
                held.journal = None
        if error:
            self._fail(record_origin(rec), f"extractor: {error}", "extract", rid)
        if replaced is not None:
            return replaced
        return ReportResult("new", report_id, event_ids, new_ids, record_id=rid)

    def _insert_report(self, rec: dict, text: str, pub: str | None, h: str, title: str | None,
                       out: dict, version: str) -> int:
        """A new report's row and its full-text terms (inside its transaction); its empty
        columns bound as Database.null (most records give no url, file or error)."""
        null, error = self.db.null, out.get("error")
        report_id = self.db.insert(
            "INSERT INTO reports (content_hash, record_id, source, url, published, file, "
            "title, text, ingested_at, extractor_version, coded_at, error, n_events) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (h, str(rec.get("id")), *[null if v is None else v for v in (
                rec.get("source"), rec.get("url"), pub, rec.get("file"), title)],
             text, now(), version, now(), null if error is None else error, len(_coded_events(out))))
        self._fts_index("reports", report_id, index_terms(text, once=True))
        return report_id

    def _write_coded(self, report_id: int, text: str, published: str | None, title: str | None,
                     outlet: str | None, out: dict, version: str) -> tuple[list[int], list[int]]:
        """Entities, conditions, sources and events of one report (inside its transaction)."""
        db = self.db
        null = db.null
        db.executemany("INSERT INTO entities (report_id, type, span_start, span_end, text, latitude, "
                       "longitude, country_code, admin1_code, geonameid, data) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       _entity_rows(report_id, out.get("entities") or [], null))
        conditions = [c if isinstance(c, dict) else {"label": str(c)} for c in out.get("conditions") or []]
        if conditions:
            db.executemany("INSERT INTO conditions (report_id, label, span_start, span_end, text, "
                           "data) VALUES (?, ?, ?, ?, ?, ?)",
                           _span_rows(report_id, conditions, ("label", "type", "condition"), null))
        if outlet:
            db.execute("INSERT INTO sources (report_id, kind, name) VALUES (?, 'outlet', ?)",
                       (report_id, outlet))
        cited = [s if isinstance(s, dict) else {"name": str(s)} for s in out.get("sources") or []]
        if cited:
            db.executemany("INSERT INTO sources (report_id, kind, name, span_start, span_end, text, "
                           "data) VALUES (?, 'cited', ?, ?, ?, ?, ?)",
                           _span_rows(report_id, cited, ("name", "label", "source"), null))
        events = _coded_events(out)
        mids: list[int] = []
        targets: list[int] = []
        rows_data: list[str] = []   # each mention's JSON as written
        linked = False
        evidence: list[tuple] = []   # the report's evidence and links, written once its events are
        found: list[tuple] = []
        coded = []
        whole: dict[int, tuple] = {}   # the events written whole: (their fields, their mention)
        for ev in events:
            ev = self._clean_event(ev)
            # in the order every later read gives them (by span, as the candidates' views read
            # them): the new event's view is then the one it has once stored
            quotes = self._quotes(ev, text)
            stored = {k: v for k, v in ev.items() if k != "evidence"}  # evidence has its table
            self._catalog(stored)
            coded.append((ev, quotes, stored, View(links.mention_view(stored, published, title,
                                                                      [q for *_, q in quotes]))))
        # each event's candidates, from one block query for the report (nothing of another
        # report changes while its events are scored: the grouping comes after)
        blocks = links.report_candidates(db, [c[3] for c in coded], report_id, self._cached()._views)
        w = link.weights()   # asked once, not by each pair's decision
        # the pairs below "possible" are neither linked nor kept: no Link made for them
        floor = min(w.possible, w.threshold)
        for idx, ((ev, quotes, stored, view), rows) in enumerate(zip(coded, blocks)):
            day = link_day(view.ev)
            day_iso = links.day_text(day) if day else None   # as the mention's row keeps it
            # scored before the mention exists; the grouping below settles where it belongs
            rows = links.mutual(view, rows)   # a pair found whichever came first
            scored = [(row, lk) for row, lk in zip(rows, link.score_all(
                view, [row["view"] for row in rows], w, floor)) if lk is not None]
            # the best of the pairs decided "same" (Link.decision written out: no method call
            # for each of some 20,000 pairs over 400 news reports, most of them "different")
            threshold = w.threshold
            best = max((x for x in scored if x[1].score >= threshold and not x[1].cap),
                       key=lambda x: (x[1].score, -x[0]["id"]), default=None)
            data = _j(stored)
            parsed = _parsed_back(stored, data)   # as its row gives it back
            if best is not None:
                target = best[0]["event_id"]
                linked = True
            elif not linked:
                # while no event of the report is linked it may stand alone (most do): its row
                # written whole now, from its one mention as mentions_of_events reads it back (its id
                # aside, which dedup.combine does not read), not updated once its mention is
                one = dict(parsed, _published=published, _outlet=outlet, _report_id=report_id,
                           _version=version, _idx=idx)
                alone_ev = dedup.combine([one])
                target = db.insert(_INSERT_EVENT, self._event_values(alone_ev, [one]) + [now(), now()])
                whole[target] = (alone_ev, one)
            else:   # the grouping below recomputes it
                target = db.insert("INSERT INTO events (event_type, created_at, updated_at) "
                                   "VALUES (?, ?, ?) RETURNING id", (ev["event_type"], now(), now()))
            rows_data.append(data)
            mention_id = db.insert(
                "INSERT INTO mentions (event_id, report_id, idx, event_type, sub_event_type, "
                "event_date, fatalities, data, extractor_version, country_code, admin1_code, "
                "link_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (target, report_id, idx, ev["event_type"], ev.get("sub_event_type"),
                 ev.get("event_date"), ev.get("fatalities"), data, version,
                 ev.get("country_code"), ev.get("admin1_code"), day_iso))
            self._keep_view({"id": mention_id, "report_id": report_id, "idx": idx,
                             "extractor_version": version, "sub_event_type": ev.get("sub_event_type"),
                             "admin1_code": ev.get("admin1_code"),
                             "link_day": day_iso}, data, published,
                            title, quotes, stored, view, parsed)
            evidence += [(mention_id, report_id, field_name, a, b, quote) for field_name, a, b, quote in quotes]
            self._cached()._parsed.put_quotes(mention_id, (report_id, idx, version), [q for *_, q in quotes])
            found += links.link_rows(mention_id, scored)
            mids.append(mention_id)
            targets.append(target)
        db.executemany("INSERT INTO evidence (mention_id, report_id, field, span_start, span_end, "
                       "text) VALUES (?, ?, ?, ?, ?, ?)", evidence)
        links.store_links(db, found)
        if self._links is not None:   # the new mentions' links are all in found
            self._links.add(found, mids)
        if linked or self.has_link_decisions() and db.scalar(
                "SELECT COUNT(*) FROM link_decisions WHERE report_a = ? OR report_b = ?",
                (report_id, report_id)):
            placed, alone = links.regroup(self, mids), None
        else:   # nothing links this report to another: each event of it stands alone
            placed = alone = dict(zip(mids, targets))
            for m, e in zip(mids, targets):
                # its row was written whole with it: only its full-text row
                ev_e, one = whole[e]
                one["_mention_id"] = m
                self._event_terms(e, ev_e, [one])
        event_ids = list(dict.fromkeys(placed[m] for m in mids))
        # events only this report tells (no other report's mention in them): new, for alerts;
        # a report linked to none made a new event for each of its events. regroup placed every
        # mention of the events it put these in (its component holds all of their mentions),
        # and this new report's are mids: the others are other reports'
        if alone is None:
            mine = set(mids)
            told = {e for m, e in placed.items() if m not in mine}
        else:
            told = set()
        new_ids = [e for e in event_ids if e not in told]
        return event_ids, new_ids

    @staticmethod
    def _quotes(ev: dict, text: str) -> list[tuple[str, int | None, int | None, str | None]]:
        """(field, start, end, quoted text) of each evidence span, in the order of _span_order
        (as every later read gives them); the quote is taken from the report when the span does
        not carry it. A span's offsets are ints already (the extractor's): kept as they are, not
        sent through _num (two Python calls a span, 16,000 spans over 300 news reports), and
        the spans, all with a start, sorted by it alone (what _span_order's key sorts by then)."""
        out = []
        append = out.append
        starts = True   # every span has a start
        for sp in ev.get("evidence") or []:
            if not isinstance(sp, dict):
                continue
            a, b, quote, name = map(sp.get, _SPAN_GET)
            if type(a) is not int:
                a = _num(a, int)
                if a is None:
                    starts = False
            if type(b) is not int:
                b = _num(b, int)
            if not quote:
                quote = text[a:b] if a is not None and b is not None else None
            append((name or "event", a, b, quote))
        out.sort(key=_START if starts else _span_order)
        return out

    def _keep_view(self, row: dict, data: str, published: str | None,
                   title: str | None, quotes: list, stored: dict | None = None,
                   view: View | None = None, parsed: dict | None = None) -> None:
        """Keep a new mention's parsed data, and how to make its linking view, as if read back
        from its row (links.Parsed, links.Views): the next reports' candidates need not query and
        parse it again. Its JSON parsed (a copy of the values the row holds), its evidence texts
        in the order the candidates' query reads them (span_start, NULL first, then id: the
        order written); the view is made the first time a later event has it as a candidate.
        view: the new event's own, made from ``stored`` with its quotes in that order: kept as
        is when ``stored`` equals what its JSON parses back to (JSON keeps the order of keys and
        the types that compare equal; a tuple or a key not text does not, and is made again)."""
        parsed = json.loads(data) if parsed is None else parsed   # parsed: json.loads(data)
        cache = self._cached()
        cache._parsed.put(row["id"], (row["report_id"], row["idx"], row["extractor_version"]), parsed)
        if view is not None and stored == parsed:
            cache._views.put(row, view)
            return
        texts = [q[3] or "" for q in sorted(quotes, key=lambda q: (q[1] is not None, q[1] or 0))]
        cache._views.put(row, lambda: View(links.mention_view(parsed, published, title, texts)))

    @staticmethod
    def _clean_event(ev: dict) -> dict:
        ev = dict(ev)
        g = ev.get
        # a value already of its type (or none) kept as _num gives it back, without the call
        for k in ("latitude", "longitude", "confidence"):
            v = g(k)
            ev[k] = v if v is None or type(v) is float else _num(v)
        for k in ("time_precision", "geo_precision", "inter1", "inter2", "fatalities"):
            v = g(k)
            ev[k] = v if v is None or type(v) is int else _num(v, int)
        # codes as text: a governorate given as a number (12) would be stored as "12" and then
        # compared with the number when the next event names the place (TypeError)
        for k in ("country_code", "admin1_code"):
            if ev.get(k) is not None and not isinstance(ev[k], str):
                ev[k] = str(ev[k])
        if ev.get("event_date"):
            ev["event_date"] = str(ev["event_date"])[:10]
        return ev

    _MENTIONS = ("SELECT m.event_id, m.id, m.report_id, m.idx, m.data, m.extractor_version, "
                 "r.published, r.source FROM mentions m JOIN reports r ON r.id = m.report_id ")
    _MENTIONS_KEPT = _MENTIONS.replace("m.data, ", "")   # without the JSON: Parsed.holds
    # an order that does not depend on ingestion: the merged event's fields neither (a report's
    # content hash is unique, its mentions' indexes too); NULL first on any backend
    _MENTIONS_ORDER = "COALESCE(r.published, ''), r.content_hash, m.idx"

    def mentions_of_events(self, event_ids: list[int]) -> dict[int, list[dict]]:
        """The stored mentions of each of these events (none: []), as dedup.combine reads them
        (their data with _published, _outlet, _report_id, _mention_id, _version, _idx), in an
        order that does not depend on ingestion; one query per 500 events."""
        by_event: dict[int, list[dict]] = {e: [] for e in event_ids}
        parsed = self._cached()._parsed
        for i in range(0, len(event_ids), 500):   # SQLite's limit of variables
            part = event_ids[i:i + 500]
            where = (f"WHERE m.event_id IN ({','.join('?' * len(part))}) "
                     f"ORDER BY m.event_id, {self._MENTIONS_ORDER}")
            # their JSON only when a row's parse is not kept (the store keeps those it wrote or
            # read): a regroup's mentions are mostly kept, and each data text read cost its decoding
            rows = self.db.query(self._MENTIONS_KEPT + where, part)
            if not parsed.holds(rows):
                rows = self.db.query(self._MENTIONS + where, part)
            # made now, before another part's rows may fill (and so empty) the kept parses
            for r, m in zip(rows, self._mention_dicts(rows)):
                by_event[r["event_id"]].append(m)
        return by_event

    def _mention_dicts(self, rows: list[dict]) -> list[dict]:
        out = []
        parsed = self._cached()._parsed
        for r in rows:
            m = parsed.get(r)
            m.update(_published=r["published"], _outlet=r["source"], _report_id=r["report_id"],
                     _mention_id=r["id"], _version=r["extractor_version"], _idx=r["idx"])
            out.append(m)
        return out

    def refresh_event(self, event_id: int, mentions: list[dict] | None = None) -> dict:
        """Recompute a merged event's row and full-text terms from its mentions; delete it when
        it has none. Returns its fields (dedup.combine's; {} when deleted). mentions: as
        mentions_of_events gives them, when the caller has them."""
        db = self.db
        mentions = self.mentions_of_events([event_id])[event_id] if mentions is None else mentions
        if not mentions:
            db.execute("DELETE FROM merges WHERE event_id = ?", (event_id,))
            db.execute("DELETE FROM events WHERE id = ?", (event_id,))
            self._fts_index("events", event_id, None)
            return {}
        ev = dedup.combine(mentions)
        db.execute(_UPDATE_EVENT, self._event_values(ev, mentions) + [now(), event_id])
        self._event_terms(event_id, ev, mentions)
        return ev

    def _event_values(self, ev: dict, mentions: list[dict]) -> list:
        """An event's row (_EVENT_COLUMNS) combined from its mentions (ev: dedup.combine's)."""
        # the place and the actors are one mention's (dedup.combine), already in the catalogs
        place_id = self._catalog_place(ev)
        weapons, sources = ev["weapons"], ev["sources"]   # lists (dedup.combine): [] as _j writes it
        return [*map(ev.get, COLUMN_FIELDS), _j(weapons) if weapons else "[]",
                _j(sources) if sources else "[]", len({m["_report_id"] for m in mentions}),
                place_id, mentions[-1]["_version"]]

    def _event_terms(self, event_id: int, ev: dict, mentions: list[dict]) -> None:
        """An event's full-text row, now or (in a group) at the group's end."""
        fields = (ev.get("event_type"), ev.get("sub_event_type"), ev.get("location"),
                  ev.get("location_ar"), ev.get("actor1"), ev.get("actor2"), ev.get("notes"),
                  " ".join(m.get("location_ar") or "" for m in mentions))
        # in the mentions' order (mentions_of_events: by report, not by id), as the terms' order shows
        mids = [(m["_mention_id"], (m["_report_id"], m["_idx"], m["_version"])) for m in mentions]
        if self._fts is not None:   # in a group: its terms once, at the end (_flush_fts)
            self._fts["events", event_id] = _EventTerms(fields, mids)
        else:
            quotes = self._quotes_of(mids)
            self._fts_index("events", event_id, index_terms(*fields, *(q for m, _ in mids
                                                                       for q in quotes[m])))

    # The places and actors catalogs hold what the stored mentions name: a merged event's place
    # and actors are one of its mentions' (dedup.combine). Of the values one key has, each row
    # keeps the least (_least), so the catalogs depend only on the set of mentions, not on the
    # order they came in, nor on the events merged on the way.

    def _catalog(self, ev: dict) -> None:
        """A new mention's place and actors into the catalogs."""
        self._catalog_place(ev)
        actors = self._cached()._known["actors"]
        for a, i in (("actor1", "inter1"), ("actor2", "inter2")):
            name = ev.get(a)
            if not name:
                continue
            new = (ev.get("event_date"), ev.get(i))   # first seen: the earliest date naming it
            if name not in actors:
                row = self.db.one("SELECT first_seen, inter FROM actors WHERE name = ?", (name,))
                if row is None:
                    self.db.execute("INSERT INTO actors (name, inter, first_seen) VALUES (?, ?, ?) "
                                    "ON CONFLICT (name) DO NOTHING", (name, new[1], new[0]))
                    actors[name] = new
                    continue
                actors[name] = (row["first_seen"], row["inter"])
            if _least(new, actors[name]):
                self.db.execute("UPDATE actors SET first_seen = ?, inter = ? WHERE name = ?",
                                (new[0], new[1], name))
                actors[name] = new

    def _catalog_place(self, ev: dict) -> int | None:
        """The id of an event's place in the catalog (added, or given the least values)."""
        # its values read in one map (asked for each new mention and each recomputed event)
        new = location, _, country, admin1, lat, lon, _ = tuple(map(ev.get, _PLACE_FIELDS))
        if not (location or lat is not None):
            return None
        key = _place_key(country, admin1, location, lat, lon)
        places = self._cached()._known["places"]
        hit = places.get(key)
        if hit is None:
            row = self.db.one(f"SELECT id, {', '.join(_PLACE_FIELDS)} FROM places WHERE key = ?", (key,))
            if row is None:   # written with these values: its id given back, not read again
                made = self.db.insert(f"INSERT INTO places (key, {', '.join(_PLACE_FIELDS)}) VALUES "
                                      f"(?, {', '.join('?' * len(new))}) ON CONFLICT (key) DO NOTHING "
                                      "RETURNING id", (key, *new))
                # the values as the row holds them only when each is of its column's type (the
                # database converts others: a number for a governorate becomes text, NaN NULL)
                row = {"id": made, **dict(zip(_PLACE_FIELDS, new))} if made is not None and all(
                    x is None or type(x) is t and (t is not float or math.isfinite(x))
                    for x, t in zip(new, _PLACE_TYPES)) else self.db.one(
                    f"SELECT id, {', '.join(_PLACE_FIELDS)} FROM places WHERE key = ?", (key,))
            hit = places[key] = (row["id"], tuple(row[k] for k in _PLACE_FIELDS))
        if _least(new, hit[1]):
            self.db.execute(f"UPDATE places SET {', '.join(k + ' = ?' for k in _PLACE_FIELDS)} "
                            "WHERE id = ?", (*new, hit[0]))
            places[key] = (hit[0], new)
        return hit[0]

    def has_link_decisions(self) -> bool:
        """Whether the store holds a person's link decision: in a transaction group asked once
        (the group holds the write lock, and _decide, the one writer of decisions, sets it),
        else each time (two statements a report saved in an ingest without decisions)."""
        if self._fts is None:
            return self.db.scalar("SELECT 1 FROM link_decisions LIMIT 1") is not None
        if self._decisions is None:
            self._decisions = self.db.scalar("SELECT 1 FROM link_decisions LIMIT 1") is not None
        return self._decisions

    def _cached(self) -> "Store":
        """The store, its caches of rows emptied if a rollback may have undone one they hold
        (a report that failed in its savepoint: its ids come back for the next report's rows).
        Places and actors are never deleted; mentions' views and data are checked by their
        row's key (links.Views)."""
        n = self.db.rollbacks
        if n != self._rollbacks or len(self._known["places"]) + len(self._known["actors"]) > 200_000:
            self._rollbacks = n
            self._views.clear()
            self._parsed.clear()
            self._known = {"places": {}, "actors": {}}
        return self

    def link_cache(self) -> links.LinkCache | None:
        """The links read or written in this transaction group (None outside a group: read
        from the database each time), made anew after a rollback (a report that failed: its
        links are gone)."""
        n = self.db.rollbacks
        if self._links is not None and self._links.rollbacks != n:
            self._links = links.LinkCache(n)
        return self._links

    def _quotes_of(self, mentions: list[tuple[int, tuple]]) -> dict[int, list]:
        """The evidence texts of these (mention id, row key)s, each mention's in the order of
        their rows: those the store wrote or read, the others read in one query."""
        cache = self._cached()._parsed
        out = {m: cache.quotes(m, key) for m, key in mentions}
        missing = [(m, key) for m, key in mentions if out[m] is None]
        if missing:
            read = _evidence_texts(self.db, [m for m, _ in missing])
            for m, key in missing:
                out[m] = read.get(m, [])
                cache.put_quotes(m, key, out[m])
        return out

    def _fts_index(self, kind: str, rowid: int, terms: str | None) -> None:
        """Index (terms None: unindex) a row now, or at the end of the transaction group."""
        if self._fts is not None:
            self._fts[kind, rowid] = terms
        elif terms is None:
            self.db.fts_delete(kind, [rowid])
        else:
            self.db.fts_index(kind, [(rowid, terms)])

    def _flush_fts(self) -> None:
        """Write the group's full-text rows, a few statements for each kind; an event's terms
        made here once, however often the group changed it, its quotes read for all at once."""
        rows, self._fts = self._fts or {}, None
        pending = [(i, t) for (k, i), t in rows.items() if isinstance(t, _EventTerms)]
        if pending:
            quotes = self._quotes_of(sorted({m for _, t in pending for m in t.mentions}))
            for i, t in pending:
                rows["events", i] = index_terms(*t.fields, *(q for m, _ in t.mentions
                                                             for q in quotes[m]))
        for kind in ("reports", "events"):
            self.db.fts_delete(kind, [i for (k, i), terms in rows.items() if k == kind and terms is None])
            self.db.fts_index(kind, [(i, terms) for (k, i), terms in rows.items()
                                     if k == kind and terms is not None])

    # -- re-coding -------------------------------------------------------------------------------
    def recode(self, all_reports: bool = False, progress: Any = None,
               limit: int | None = None) -> dict:
        """Code stored reports again with the current extractor (those coded by another
        version, or all), replacing their mentions and re-merging them."""
        from .version import extractor_version

        version = extractor_version()
        extract = self._extractor()
        where = "" if all_reports else "WHERE extractor_version IS NULL OR extractor_version <> ?"
        ids = [r["id"] for r in self.db.query(f"SELECT id FROM reports {where} ORDER BY id",
                                              () if all_reports else (version,))]
        if limit is not None:
            ids = ids[:limit]
        tick = _progress_bar(progress)
        stats = IngestStats()
        t0 = time.perf_counter()
        counts = {"reports": 0, "events_before": 0, "events_after": 0, "failed": 0}
        try:
            for report_id in ids:
                r = self.db.one("SELECT * FROM reports WHERE id = ?", (report_id,))
                out = extract({"id": r["record_id"] or str(report_id), "text": r["text"],
                               "published": r["published"], "source": r["source"], "url": r["url"]})
                try:
                    before, ev_ids = self._recode_one(report_id, r, out, version)
                except Exception as e:  # the report keeps its old coding; say why
                    counts["failed"] += 1
                    self._fail(r["url"] or r["file"] or str(report_id),
                               f"recode could not store: {type(e).__name__}: {e}", "store",
                               r["record_id"])
                    continue
                counts["events_before"] += before
                counts["events_after"] += len(out.get("events") or [])
                counts["reports"] += 1
                if out.get("error"):
                    counts["failed"] += 1
                    self._fail(r["url"] or r["file"] or str(report_id), f"extractor: {out['error']}",
                               "extract", r["record_id"])
                stats.add(ReportResult("new", report_id, ev_ids))
                if tick:
                    tick(stats)
        finally:
            if tick and hasattr(tick, "close"):
                tick.close()
        counts["version"] = version
        counts["seconds"] = round(time.perf_counter() - t0, 2)
        return counts

    def _recode_one(self, report_id: int, r: dict, out: dict, version: str) -> tuple[int, list[int]]:
        """Replace a stored report's coding by ``out`` (one transaction): its mentions, links and
        merges go, the new ones are linked and grouped again; a person's decisions stay."""
        with self.db.transaction():
            before = self.db.scalar("SELECT COUNT(*) FROM mentions WHERE report_id = ?", (report_id,))
            self._unlink_report(report_id)
            self.db.execute("UPDATE reports SET extractor_version = ?, coded_at = ?, error = ?, "
                            "n_events = ? WHERE id = ?",
                            (version, now(), out.get("error"), len(_coded_events(out)), report_id))
            ev_ids, _ = self._write_coded(report_id, r["text"], r["published"], r["title"],
                                          r["source"], out, version)
        return before, ev_ids

    # -- a person's decisions on merges --------------------------------------------------------
    def split_report(self, event_id: int, report_id: int, note: str | None = None) -> list[int]:
        """A person says this report's event is not the incident of the event's other reports:
        it leaves the event (and stays out after a recode). Returns the events it is in now."""
        with self.db.transaction():
            rows = self.db.query("SELECT id, report_id FROM mentions WHERE event_id = ? ORDER BY id",
                                 (int(event_id),))
            mine = [r["id"] for r in rows if r["report_id"] == int(report_id)]
            if not mine or len(mine) == len(rows):
                raise KeyError(f"report {report_id} is not one of several reports of event {event_id}")
            for m in mine:
                for o in rows:
                    if o["report_id"] != int(report_id):
                        self._decide("different", m, o["id"], note)
            placed = links.regroup(self, [r["id"] for r in rows])
        return sorted({placed[m] for m in mine})

    def merge_events(self, event_a: int, event_b: int, note: str | None = None) -> int:
        """A person says two events are one incident: they become one (and stay one after a
        recode). Returns the event they are now."""
        with self.db.transaction():
            first = {}
            for e in (int(event_a), int(event_b)):
                m = self.db.scalar("SELECT MIN(id) FROM mentions WHERE event_id = ?", (e,))
                if m is None:
                    raise KeyError(f"no event {e}")
                first[e] = m
            if len(set(first.values())) < 2:
                return int(event_a)
            self._decide("same", first[int(event_a)], first[int(event_b)], note)
            ids = [r["id"] for r in self.db.query(
                "SELECT id FROM mentions WHERE event_id IN (?, ?) ORDER BY id", (int(event_a), int(event_b)))]
            placed = links.regroup(self, ids)
        return placed[first[int(event_a)]]

    def _decide(self, kind: str, a_mention: int, b_mention: int, note: str | None) -> None:
        links.decide(self.db, kind, a_mention, b_mention, note)
        self._decisions = True   # has_link_decisions: there is one now

    def link_decisions(self, limit: int = 100) -> list[dict]:
        """A person's split and merge decisions, newest first."""
        return self.db.query("SELECT id, report_a, idx_a, sig_a, report_b, idx_b, sig_b, kind, note, "
                             "created_at FROM link_decisions ORDER BY id DESC LIMIT ?", (int(limit),))

    def possible_duplicates(self, event_id: int | None = None, limit: int = 100) -> list[dict]:
        """Near-misses: pairs of events a "possible" link joins, strongest first."""
        return links.possible_duplicates(self.db, event_id, limit)

    def relink(self) -> dict:
        """Score every pair of stored events again and regroup them (after new weights)."""
        return links.relink(self)

    def _unlink_report(self, report_id: int) -> None:
        db = self.db
        mine = [r["id"] for r in db.query("SELECT id FROM mentions WHERE report_id = ?", (report_id,))]
        # its mentions' ids may come back for other mentions; the other rows stay as they are
        self._views.drop(mine)
        self._parsed.drop(mine)
        if self._links is not None:   # its links go
            self._links = links.LinkCache(db.rollbacks)
        others = [r["id"] for r in db.query(
            "SELECT id FROM mentions WHERE report_id <> ? AND event_id IN (SELECT event_id FROM "
            "mentions WHERE report_id = ?) ORDER BY id", (report_id, report_id))]
        touched = [r["event_id"] for r in db.query(
            "SELECT DISTINCT event_id FROM mentions WHERE report_id = ? ORDER BY event_id", (report_id,))]
        db.execute("DELETE FROM evidence WHERE report_id = ?", (report_id,))
        db.execute("DELETE FROM merges WHERE report_id = ?", (report_id,))
        if mine:
            marks = ",".join("?" * len(mine))
            db.execute(f"DELETE FROM links WHERE mention_a IN ({marks}) OR mention_b IN ({marks})",
                       mine + mine)
        db.execute("DELETE FROM mentions WHERE report_id = ?", (report_id,))
        for table in ("entities", "conditions"):
            db.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
        db.execute("DELETE FROM sources WHERE report_id = ? AND kind = 'cited'", (report_id,))
        db.execute("DELETE FROM sources WHERE report_id = ? AND kind = 'outlet'", (report_id,))
        for event_id in touched:
            self.refresh_event(event_id)
        # the report may have been what held its events' other reports together
        links.regroup(self, others)

    # -- reading ----------------------------------------------------------------------------------
    def _where(self, date_from=None, date_to=None, country=None, admin1=None, event_type=None,
               sub_event_type=None, actor=None, q=None, report_id=None, min_fatalities=None,
               inter=None, interaction=None, geo_precision=None, min_confidence=None,
               location=None) -> tuple[str, list]:
        """SQL conditions for the filters. country, admin1, event_type, sub_event_type, actor,
        inter, interaction and geo_precision take one value or a list (any of them matches)."""
        conds: list[str] = []
        params: list[Any] = []

        def any_of(values, one) -> None:
            values = [v for v in (values if isinstance(values, (list, tuple, set)) else [values])
                      if v not in (None, "")]
            if not values:
                return
            parts = []
            for v in values:
                sql, p = one(v)
                parts.append(sql)
                params.extend(p)
            conds.append("(" + " OR ".join(parts) + ")")

        if date_from:
            conds.append("e.event_date >= ?")
            params.append(str(date_from)[:10])
        if date_to:
            conds.append("e.event_date <= ?")
            params.append(str(date_to)[:10])
        any_of(country, lambda v: ("UPPER(e.country_code) = ?", [str(v).upper()]))
        any_of(admin1, lambda v: ("UPPER(e.admin1_code) = ?", [str(v).upper()]))
        any_of(event_type, lambda v: ("e.event_type = ?", [v]))
        any_of(sub_event_type, lambda v: ("e.sub_event_type = ?", [v]))
        any_of(location, lambda v: ("e.location = ?", [v]))

        def actor_like(v):   # a part of the name, literally: _ and % are not wildcards
            like = "%" + str(v).lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            return "LOWER(e.actor1) LIKE ? ESCAPE '\\' OR LOWER(e.actor2) LIKE ? ESCAPE '\\'", [like, like]
        any_of(actor, actor_like)
        any_of(inter, lambda v: ("e.inter1 = ? OR e.inter2 = ?", [int(v), int(v)]))

        def one_interaction(v):   # ACLED's two-digit code: the two categories in either order; X0 = one actor
            a, b = int(str(v)[0]), int(str(v)[1])
            if b == 0:
                return ("(e.inter1 = ? AND e.inter2 IS NULL) OR (e.inter2 = ? AND e.inter1 IS NULL)", [a, a])
            return "(e.inter1 = ? AND e.inter2 = ?) OR (e.inter1 = ? AND e.inter2 = ?)", [a, b, b, a]
        any_of(interaction, one_interaction)
        any_of(geo_precision, lambda v: ("e.geo_precision = ?", [int(v)]))
        if min_fatalities is not None:
            conds.append("e.fatalities >= ?")
            params.append(int(min_fatalities))
        if min_confidence is not None:
            conds.append("e.confidence >= ?")
            params.append(float(min_confidence))
        if q and query_groups(q):
            sql, p = self.db.fts_filter("events", "e.id", query_groups(q))
            conds.append(sql)
            params += p
        if report_id is not None:
            conds.append("e.id IN (SELECT event_id FROM mentions WHERE report_id = ?)")
            params.append(int(report_id))
        return (" WHERE " + " AND ".join(conds)) if conds else "", params

    def query_events(self, limit: int | None = 50, offset: int = 0, order: str = "date_desc",
                     **filters) -> tuple[list[dict], int]:
        unknown = set(filters) - set(FILTERS)
        if unknown:
            raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        where, params = self._where(**filters)
        total = self.db.scalar(f"SELECT COUNT(*) FROM events e{where}", params)
        order_sql = {"date_desc": "e.event_date DESC, e.id DESC", "date_asc": "e.event_date, e.id",
                     "id": "e.id"}.get(order, "e.event_date DESC, e.id DESC")
        page = ""
        if limit is not None:
            page = " LIMIT ? OFFSET ?"
            params = params + [int(limit), int(offset)]
        rows = self.db.query(f"SELECT e.* FROM events e{where} ORDER BY {order_sql}{page}", params)
        return self._with_reports([_event_dict(r) for r in rows]), total

    POINT_COLUMNS = ("id", "latitude", "longitude", "event_type", "fatalities", "event_date", "geo_precision")

    def event_points(self, limit: int = 50_000, **filters) -> tuple[list[dict], int]:
        """Only the map's columns of the matching events (newest first), and their total.

        ~10x faster than ``query_events`` for a map of thousands of markers: no full event
        dicts, no report lists."""
        unknown = set(filters) - set(FILTERS)
        if unknown:
            raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        where, params = self._where(**filters)
        cols = ", ".join(f"e.{c}" for c in self.POINT_COLUMNS)
        rows = self.db.query(f"SELECT {cols} FROM events e{where} ORDER BY e.event_date DESC, e.id DESC LIMIT ?",
                             list(params) + [int(limit) + 1])
        if len(rows) <= limit:
            return rows, len(rows)
        return rows[:limit], self.db.scalar(f"SELECT COUNT(*) FROM events e{where}", params)

    GROUPS = {"event_type": "e.event_type", "country": "e.country_code", "admin1": "e.admin1_code",
              "sub_event_type": "e.sub_event_type", "location": "e.location"}

    def group_counts(self, by: str, limit: int | None = 10, fatality_cap: int | None = None,
                     **filters) -> list[dict]:
        """Events and fatalities per value of ``by`` (a key of GROUPS, or "actor": actor1 and
        actor2 together) among the matching events, most events first. Tolls of ``fatality_cap``
        or more (flagged outliers) are left out of the fatality sums and counted apart."""
        unknown = set(filters) - set(FILTERS)
        if unknown:
            raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        where, params = self._where(**filters)
        cap = ("CASE WHEN e.fatalities >= ? THEN 0 ELSE COALESCE(e.fatalities, 0) END", [int(fatality_cap)]) \
            if fatality_cap else ("COALESCE(e.fatalities, 0)", [])
        page = " LIMIT ?" if limit is not None else ""
        tail = [int(limit)] if limit is not None else []
        if by == "actor":
            sql = (f"SELECT name AS value, COUNT(*) AS events, SUM(f) AS fatalities FROM ("
                   f"SELECT e.actor1 AS name, {cap[0]} AS f FROM events e{where} UNION ALL "
                   f"SELECT e.actor2 AS name, {cap[0]} AS f FROM events e{where}) AS a "
                   f"WHERE name IS NOT NULL GROUP BY name ORDER BY events DESC, name{page}")
            return self.db.query(sql, cap[1] + params + cap[1] + params + tail)
        col = self.GROUPS[by]
        extra = (", e.country_code AS country_code, e.admin1_code AS admin1_code, AVG(e.latitude) AS latitude, "
                 "AVG(e.longitude) AS longitude, MAX(e.location_ar) AS location_ar") if by == "location" else ""
        group = f"{col}, e.country_code, e.admin1_code" if by == "location" else col
        sql = (f"SELECT {col} AS value, COUNT(*) AS events, SUM({cap[0]}) AS fatalities{extra} "
               f"FROM events e{where}{' AND' if where else ' WHERE'} {col} IS NOT NULL "
               f"GROUP BY {group} ORDER BY events DESC, value{page}")
        return self.db.query(sql, cap[1] + params + tail)

    def iter_events(self, chunk: int = 1000, order: str = "date_asc", **filters) -> Iterator[dict]:
        offset = 0
        while True:
            events, _ = self.query_events(limit=chunk, offset=offset, order=order, **filters)
            yield from events
            if len(events) < chunk:
                return
            offset += chunk

    def _with_reports(self, events: list[dict]) -> list[dict]:
        if not events:
            return events
        ids = [e["id"] for e in events]
        marks = ",".join("?" * len(ids))
        by_event: dict[int, list[int]] = {}
        for r in self.db.query(f"SELECT DISTINCT event_id, report_id FROM mentions "
                               f"WHERE event_id IN ({marks}) ORDER BY report_id", ids):
            by_event.setdefault(r["event_id"], []).append(r["report_id"])
        for e in events:
            e["report_ids"] = by_event.get(e["id"], [])
        return events

    def get_event(self, event_id: int) -> dict | None:
        row = self.db.one("SELECT * FROM events WHERE id = ?", (int(event_id),))
        if row is None:
            return None
        ev = self._with_reports([_event_dict(row)])[0]
        reports = []
        for m in self.db.query(
                "SELECT m.id AS mention_id, m.report_id, m.data, m.extractor_version, r.source, "
                "r.url, r.published, r.title FROM mentions m JOIN reports r ON r.id = m.report_id "
                "WHERE m.event_id = ? ORDER BY m.id", (int(event_id),)):
            spans = self.db.query("SELECT field, span_start AS start, span_end AS end, text FROM "
                                  "evidence WHERE mention_id = ? ORDER BY span_start, id",
                                  (m["mention_id"],))
            mention = json.loads(m.pop("data"))
            mention.pop("evidence", None)
            reports.append({**m, "mention": mention, "evidence": spans})
        ev["reports"] = reports
        ev["evidence"] = [dict(sp, report_id=r["report_id"]) for r in reports for sp in r["evidence"]]
        ev["merges"] = self.db.query("SELECT report_id, mention_id, reason, created_at FROM merges "
                                     "WHERE event_id = ? ORDER BY id", (int(event_id),))
        return ev

    def get_report(self, report_id: int) -> dict | None:
        rep = self.db.one("SELECT * FROM reports WHERE id = ?", (int(report_id),))
        if rep is None:
            return None
        events = []
        for m in self.db.query("SELECT id, event_id, data, extractor_version FROM mentions "
                               "WHERE report_id = ? ORDER BY idx", (int(report_id),)):
            ev = json.loads(m["data"])
            ev["event_id"] = m["event_id"]
            ev["extractor_version"] = m["extractor_version"]
            ev["evidence"] = self.db.query(
                "SELECT field, span_start AS start, span_end AS end, text FROM evidence "
                "WHERE mention_id = ? ORDER BY span_start, id", (m["id"],))
            events.append(ev)
        rep["events"] = events
        rep["entities"] = [_entity_dict(r) for r in self.db.query(
            "SELECT type, span_start AS start, span_end AS end, text, latitude, longitude, "
            "country_code, admin1_code, geonameid, data FROM entities WHERE report_id = ? "
            "ORDER BY id", (int(report_id),))]
        rep["conditions"] = [json.loads(r["data"]) for r in self.db.query(
            "SELECT data FROM conditions WHERE report_id = ? ORDER BY id", (int(report_id),))]
        rep["sources"] = self.db.query(
            "SELECT kind, name, span_start AS start, span_end AS end, text FROM sources "
            "WHERE report_id = ? ORDER BY id", (int(report_id),))
        return rep

    def report_by_url(self, url: str) -> int | None:
        return self.db.scalar("SELECT id FROM reports WHERE url = ? ORDER BY id LIMIT 1", (url,))

    def search_reports(self, q: str, limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
        sql, params = self.db.fts_filter("reports", "r.id", query_groups(q))
        total = self.db.scalar(f"SELECT COUNT(*) FROM reports r WHERE {sql}", params)
        rows = self.db.query(
            f"SELECT r.id, r.record_id, r.title, r.source, r.url, r.published, r.n_events, "
            f"r.error FROM reports r WHERE {sql} ORDER BY r.published DESC, r.id DESC "
            f"LIMIT ? OFFSET ?", params + [int(limit), int(offset)])
        return rows, total

    def failures(self, limit: int = 100, offset: int = 0, kind: str | None = None) -> list[dict]:
        where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
        return self.db.query(f"SELECT id, created_at, origin, record_id, kind, reason, sample, "
                             f"record IS NOT NULL AS retryable FROM failures {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                             params + [int(limit), int(offset)])

    def stats(self, **filters) -> dict:
        where, params = self._where(**filters)
        by_day = self.db.query(
            f"SELECT e.event_date AS date, e.event_type, COUNT(*) AS events, "
            f"COALESCE(SUM(e.fatalities), 0) AS fatalities FROM events e{where} "
            f"GROUP BY e.event_date, e.event_type ORDER BY e.event_date, e.event_type", params)
        by_type: dict[str, int] = {}
        for r in by_day:
            by_type[r["event_type"]] = by_type.get(r["event_type"], 0) + r["events"]
        return {"total": sum(r["events"] for r in by_day),
                "fatalities": sum(r["fatalities"] for r in by_day),
                "by_day": by_day, "by_type": by_type,
                "reports": self.db.scalar("SELECT COUNT(*) FROM reports"),
                "failures": self.db.scalar("SELECT COUNT(*) FROM failures")}

    def status(self) -> dict:
        db = self.db
        count = lambda t: db.scalar(f"SELECT COUNT(*) FROM {t}")  # noqa: E731
        return {
            "database": getattr(db, "path", None) or db.dialect,
            "size_bytes": db.size_bytes(),
            "schema": db.schema_versions(),
            "reports": count("reports"),
            "reports_with_extractor_error": db.scalar(
                "SELECT COUNT(*) FROM reports WHERE error IS NOT NULL"),
            "coded_events": count("mentions"),
            "events": count("events"),
            "merged_events": db.scalar("SELECT COUNT(*) FROM events WHERE n_reports > 1"),
            "entities": count("entities"),
            "failures": {r["kind"]: r["n"] for r in db.query(
                "SELECT kind, COUNT(*) AS n FROM failures GROUP BY kind ORDER BY kind")},
            "extractor_versions": {r["v"] or "?": r["n"] for r in db.query(
                "SELECT extractor_version AS v, COUNT(*) AS n FROM reports "
                "GROUP BY extractor_version ORDER BY n DESC")},
        }

    def merge_log(self, limit: int = 100, offset: int = 0) -> list[dict]:
        return self.db.query("SELECT id, event_id, mention_id, report_id, reason, created_at "
                             "FROM merges ORDER BY id LIMIT ? OFFSET ?", (int(limit), int(offset)))

    # -- what other areas (follow/alerts) read of the core tables --------------------------------
    def last_report_id(self) -> int:
        """The id of the newest stored report (0 when there is none)."""
        return self.db.scalar("SELECT MAX(id) FROM reports") or 0

    def report_ids_after(self, report_id: int, limit: int) -> list[int]:
        """Ids of the reports stored after this one, oldest first."""
        return [r["id"] for r in self.db.query("SELECT id FROM reports WHERE id > ? ORDER BY id LIMIT ?",
                                               (int(report_id), int(limit)))]

    def first_reports_of_events(self, lo: int, hi: int) -> dict[int, int]:
        """{event id: its earliest report id} for the events the reports lo..hi are in."""
        return {r["event_id"]: r["first"] for r in self.db.query(
            "SELECT event_id, MIN(report_id) AS first FROM mentions WHERE event_id IN "
            "(SELECT event_id FROM mentions WHERE report_id BETWEEN ? AND ?) GROUP BY event_id "
            "ORDER BY event_id", (int(lo), int(hi)))}

    def _report_event_ids(self, report_id: int) -> list[int]:
        return [r["event_id"] for r in self.db.query(
            "SELECT DISTINCT event_id FROM mentions WHERE report_id = ? ORDER BY event_id",
            (report_id,))]


class _Collector:
    """The cyclic garbage collector made rare while a run of reports is stored: storing
    allocates many short-lived containers (rows, views, links) over long-lived caches, and
    with CPython's default thresholds the collector took 8% of storing's CPU time (938
    collections over the 1,213 news articles, measured with gc.callbacks). With the
    extractor's thresholds (marsad.tune) its 19 young collections still took 1.5% (0.08 CPU
    s), while the run's whole cyclic garbage is 30 objects (gc.collect after a run without
    collections): the garbage is freed by reference counting. So storing has a young
    generation ten times the extractor's: one young collection over those articles (0.03 CPU
    s). The thresholds the process had come back when the run ends."""

    THRESHOLDS = (100_000, 50, 100)

    def __init__(self):
        self.before = gc.get_threshold()
        self.changed = self.before[0] < self.THRESHOLDS[0]
        if self.changed:
            gc.set_threshold(*self.THRESHOLDS)

    def restore(self) -> None:
        if self.changed:
            gc.set_threshold(*self.before)


_ABSENT = object()


class _HeldRows(dict):
    """A group's full-text rows by (kind, id): the terms, None to delete, or _EventTerms.
    While a report is written, ``journal`` lists what it replaced, so that a report that fails
    takes back only its own rows (copying the group's rows for each report cost more)."""

    journal: list | None = None

    def __setitem__(self, key, value) -> None:
        if self.journal is not None:
            self.journal.append((key, self.get(key, _ABSENT)))
        super().__setitem__(key, value)

    def undo(self) -> None:
        for key, value in reversed(self.journal or []):
            if value is _ABSENT:
                self.pop(key, None)
            else:
                super().__setitem__(key, value)
        self.journal = None


@dataclass(frozen=True)
class _EventTerms:
    """An event's full-text row to make at the end of the group: the terms of its fields and
    of its mentions' evidence (read then: evidence rows never change while their mention is),
    the mentions as (id, row key) in id order."""
    fields: tuple
    mentions: list[tuple[int, tuple]]


def _evidence_texts(db, mention_ids: list[int]) -> dict[int, list[str | None]]:
    """The evidence texts of these mentions, each mention's in the order of their rows."""
    out: dict[int, list[str | None]] = {}
    for i in range(0, len(mention_ids), 500):   # SQLite's limit of variables
        part = mention_ids[i:i + 500]
        for r in db.query(f"SELECT mention_id, text FROM evidence WHERE mention_id IN "
                          f"({','.join('?' * len(part))}) ORDER BY mention_id, id", part):
            out.setdefault(r["mention_id"], []).append(r["text"])
    return out


def _title(rec: dict, text: str) -> str | None:
    """A report's title: the record's, else the text's first line when it has several."""
    return rec.get("title") or (text.strip().split("\n", 1)[0][:300] if "\n" in text.strip() else None)


def _record_rank(published, url, record_id, source, file, title) -> tuple:
    """The order of the records of one text: the earliest publication (a later one is a
    repost; a record without a date last), then the other fields (a missing one first)."""
    return (published is None, published or "", url or "", record_id or "", source or "",
            file or "", title or "")


_EVENT_COLUMNS = (*COLUMN_FIELDS, "weapons", "sources", "n_reports", "place_id", "extractor_version")
_UPDATE_EVENT = ("UPDATE events SET " + ", ".join(f"{c} = ?" for c in _EVENT_COLUMNS) +
                 ", updated_at = ? WHERE id = ?")
# a new event of one mention written whole (its row as refresh_event would make it)
_INSERT_EVENT = (f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}, created_at, updated_at) "
                 f"VALUES ({', '.join('?' * (len(_EVENT_COLUMNS) + 2))}) RETURNING id")

_PLACE_FIELDS = ("location", "location_ar", "country_code", "admin1_code", "latitude",
                 "longitude", "geo_precision")
_PLACE_TYPES = (str, str, str, str, float, float, int)   # their columns' (schema.py: places)


def _least(new: tuple, old: tuple) -> bool:
    """Whether catalog values come before those stored (none after any value)."""
    if new == old:   # mostly: the same values again
        return False
    return [(x is None, x if x is not None else 0) for x in new] < \
        [(x is None, x if x is not None else 0) for x in old]


_SPAN_GET = ("start", "end", "text", "field")   # what _quotes reads of an evidence span
_START = itemgetter(1)   # a quote's start (_span_order when every start is given)


def _span_order(quote: tuple) -> tuple:
    """An evidence span's place among its event's, as SQLite orders span_start (NULL first)."""
    return (quote[1] is not None, quote[1] or 0)


def _round(x: Any) -> Any:
    return round(x, 4) if isinstance(x, float) else x


_PLACE_KEYS: dict[tuple, str] = {}   # (country, admin1, location, latitude, longitude) -> key
_PLACE_KEYS_LIMIT = 100_000
_TEXT = (str, type(None))


def _place_key(country, admin1, location, lat, lon) -> str:
    """A place's catalog key: its codes, name and point rounded to four decimals, as text
    (format(x, "") is str(x)). Asked for each new mention and each event written (some 4,000
    times over news300's 300 reports, 457 of them distinct), and a float's round and text
    each go through its decimal digits: kept by the values when they are text or none and the
    point's floats not zero (values that compare equal give one text then; 1 and True, or 0.0
    and -0.0, would not)."""
    plain = type(country) in _TEXT and type(admin1) in _TEXT and type(location) in _TEXT and \
        (lat is None or type(lat) is float and lat != 0.0) and (lon is None or type(lon) is float and lon != 0.0)
    if plain:
        got = _PLACE_KEYS.get(values := (country, admin1, location, lat, lon))
        if got is not None:
            return got
    key = f"{country}|{admin1}|{location}|{_round(lat)}|{_round(lon)}"
    if plain:
        if len(_PLACE_KEYS) >= _PLACE_KEYS_LIMIT:
            _PLACE_KEYS.clear()
        _PLACE_KEYS[values] = key
    return key


def _entity_dict(row: dict) -> dict:
    ent = {k: v for k, v in row.items() if k != "data" and v is not None}
    ent.update(json.loads(row["data"] or "{}"))
    return ent


def _event_dict(row: dict) -> dict:
    ev = dict(row)
    ev.pop("place_id", None)
    for k in ("weapons", "sources"):
        try:
            ev[k] = json.loads(ev.get(k) or "[]")
        except ValueError:
            ev[k] = []
    return ev
