"""The store's schema as an ordered list of migrations (one list per area).

A migration's position in its list is its version; ``schema_version`` records (area, version,
name) so each runs once. To change the schema, append a Migration; never edit one that has shipped
(a database that records another name at a version refuses the list: ``pending``).
``{pk}`` in the SQL becomes the dialect's auto-increment integer primary key. A migration
whose sql is a dict gives SQL per dialect; a dialect missing from it has nothing to do.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    name: str
    sql: str | dict[str, str]

    def for_dialect(self, dialect: str, pk: str) -> str:
        sql = self.sql.get(dialect, "") if isinstance(self.sql, dict) else self.sql
        return sql.replace("{pk}", pk)


class MigrationMismatch(RuntimeError):
    """A database records another migration at a version than the list given for the area: a
    shipped migration edited, or another list under the area's name. Not taken as applied."""


def named(area: str, migrations: list[Migration | str]) -> list[Migration]:
    """The area's migrations, a bare SQL string named "AREA VERSION" (as schema_version
    records it)."""
    return [Migration(f"{area} {v}", m) if isinstance(m, str) else m for v, m in enumerate(migrations, 1)]


def pending(area: str, migrations: list[Migration], recorded: dict[int, str | None]) -> list[tuple[int, Migration]]:
    """(version, migration) of each of the area's (``named``) migrations that ``recorded``
    (version -> name in schema_version) lacks, in order; MigrationMismatch when a version is
    recorded under another name (a row without a name matches any)."""
    out = []
    for version, m in enumerate(migrations, 1):
        if version not in recorded:
            out.append((version, m))
        elif recorded[version] is not None and recorded[version] != m.name:
            raise MigrationMismatch(f"{area}: migration {version} is {recorded[version]!r} in the "
                                    f"database, {m.name!r} here (a shipped migration is never edited)")
    return out


_CORE = """
CREATE TABLE reports (
  id {pk},
  content_hash TEXT NOT NULL UNIQUE,   -- SHA-256 of the text: the idempotency key
  record_id TEXT,                      -- the input record's id
  source TEXT, url TEXT, published TEXT, file TEXT, title TEXT,
  text TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  extractor_version TEXT, coded_at TEXT,
  n_events INTEGER NOT NULL DEFAULT 0, -- mentions stored with it (checked after a crash)
  error TEXT                           -- the extractor failed on it (kept so recode retries)
);
CREATE INDEX reports_url ON reports(url);
CREATE INDEX reports_published ON reports(published);

CREATE TABLE places (
  id {pk},
  key TEXT NOT NULL UNIQUE,
  location TEXT, location_ar TEXT, country_code TEXT, admin1_code TEXT,
  latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, geo_precision INTEGER, geonameid TEXT
);

CREATE TABLE actors (
  name TEXT PRIMARY KEY,
  inter INTEGER,
  first_seen TEXT
);

-- One incident, possibly merged from several reports (its mentions).
CREATE TABLE events (
  id {pk},
  event_type TEXT NOT NULL, sub_event_type TEXT, plover_type TEXT,
  event_date TEXT, time_precision INTEGER,
  country_code TEXT, admin1_code TEXT, location TEXT, location_ar TEXT,
  latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, geo_precision INTEGER,
  place_id INTEGER REFERENCES places(id),
  actor1 TEXT, inter1 INTEGER, actor2 TEXT, inter2 INTEGER,
  fatalities INTEGER, notes TEXT, confidence DOUBLE PRECISION,
  weapons TEXT NOT NULL DEFAULT '[]',   -- JSON list
  sources TEXT NOT NULL DEFAULT '[]',   -- JSON list: cited sources, then outlets
  n_reports INTEGER NOT NULL DEFAULT 1,
  extractor_version TEXT,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX events_date_type ON events(event_date, event_type);
CREATE INDEX events_country ON events(country_code, admin1_code);

-- An event as coded from one report (the extractor's output line, one item of "events").
CREATE TABLE mentions (
  id {pk},
  event_id INTEGER NOT NULL REFERENCES events(id),
  report_id INTEGER NOT NULL REFERENCES reports(id),
  idx INTEGER NOT NULL,
  event_type TEXT, sub_event_type TEXT, event_date TEXT, fatalities INTEGER,
  data TEXT NOT NULL,                  -- the full CONTRACT event as JSON
  extractor_version TEXT,
  UNIQUE (report_id, idx)
);
CREATE INDEX mentions_event ON mentions(event_id);

CREATE TABLE evidence (
  id {pk},
  mention_id INTEGER NOT NULL REFERENCES mentions(id),
  report_id INTEGER NOT NULL REFERENCES reports(id),
  field TEXT, span_start INTEGER, span_end INTEGER, text TEXT
);
CREATE INDEX evidence_mention ON evidence(mention_id);

CREATE TABLE entities (
  id {pk},
  report_id INTEGER NOT NULL REFERENCES reports(id),
  type TEXT, span_start INTEGER, span_end INTEGER, text TEXT,
  latitude DOUBLE PRECISION, longitude DOUBLE PRECISION, country_code TEXT, admin1_code TEXT,
  geonameid TEXT, data TEXT
);
CREATE INDEX entities_report ON entities(report_id);

CREATE TABLE sources (
  id {pk},
  report_id INTEGER NOT NULL REFERENCES reports(id),
  kind TEXT NOT NULL,                  -- "outlet" (who published) or "cited" (named in the text)
  name TEXT, span_start INTEGER, span_end INTEGER, text TEXT, data TEXT
);
CREATE INDEX sources_report ON sources(report_id);

CREATE TABLE conditions (
  id {pk},
  report_id INTEGER NOT NULL REFERENCES reports(id),
  label TEXT, span_start INTEGER, span_end INTEGER, text TEXT, data TEXT
);
CREATE INDEX conditions_report ON conditions(report_id);

CREATE TABLE failures (
  id {pk},
  key TEXT NOT NULL UNIQUE,            -- same bad input twice is one failure
  created_at TEXT NOT NULL,
  origin TEXT,                         -- file, file:line, url, ...
  record_id TEXT,
  kind TEXT NOT NULL,                  -- read | validate | extract | store | (other areas' kinds)
  reason TEXT NOT NULL,
  sample TEXT
);

-- Why a report's mention was merged into an existing event.
CREATE TABLE merges (
  id {pk},
  event_id INTEGER NOT NULL,
  mention_id INTEGER NOT NULL,
  report_id INTEGER NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX merges_event ON merges(event_id);
"""

# Full-text search: SQLite FTS5 over pre-analysed terms (see search.py); rowid = reports.id /
# events.id. Other dialects provide their own index in this slot.
_FTS = {
    "sqlite": """
CREATE VIRTUAL TABLE fts_reports USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE fts_events USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');
""",
}

_FTS_PLAIN = {
    "sqlite": """
CREATE VIRTUAL TABLE fts_reports_plain USING fts5(terms, tokenize = 'ascii');
CREATE VIRTUAL TABLE fts_events_plain USING fts5(terms, tokenize = 'ascii');
CREATE VIEW fts_reports_rows (rowid, terms) AS
  SELECT rowid, terms FROM fts_reports UNION ALL SELECT rowid, terms FROM fts_reports_plain;
CREATE VIEW fts_events_rows (rowid, terms) AS
  SELECT rowid, terms FROM fts_events UNION ALL SELECT rowid, terms FROM fts_events_plain;
""",
}

_LINKS = """
ALTER TABLE mentions ADD COLUMN country_code TEXT;
ALTER TABLE mentions ADD COLUMN admin1_code TEXT;
ALTER TABLE mentions ADD COLUMN link_day TEXT;      -- event date, else the report's publication day
CREATE INDEX mentions_link ON mentions(country_code, link_day);

-- Pairs of mentions (of two reports) the linking score rates at least "possible" (marsad.incident):
-- status "same" (grouped into one event unless a person decided otherwise) or "possible"
-- (a near-miss a person may confirm). mention_a < mention_b.
CREATE TABLE links (
  id {pk},
  mention_a INTEGER NOT NULL,
  mention_b INTEGER NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (mention_a, mention_b)
);
CREATE INDEX links_b ON links(mention_b);

-- A person's decision that two reports' events are (not) one incident: kept by report, event
-- index and signature (type|date|place), so re-coding the reports keeps it.
CREATE TABLE link_decisions (
  id {pk},
  report_a INTEGER NOT NULL, idx_a INTEGER, sig_a TEXT,
  report_b INTEGER NOT NULL, idx_b INTEGER, sig_b TEXT,
  kind TEXT NOT NULL,                  -- same | different
  note TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX link_decisions_a ON link_decisions(report_a);
CREATE INDEX link_decisions_b ON link_decisions(report_b);
"""

# mentions stored before the links migration get their blocking columns (not their links:
# `marsad relink` scores them)
_LINKS_BACKFILL = {
    "sqlite": """UPDATE mentions SET country_code = json_extract(data, '$.country_code'),
      admin1_code = json_extract(data, '$.admin1_code'),
      link_day = COALESCE(event_date, (SELECT substr(published, 1, 10) FROM reports r
                                       WHERE r.id = mentions.report_id));""",
    "postgresql": """UPDATE mentions SET country_code = (data::json ->> 'country_code'),
      admin1_code = (data::json ->> 'admin1_code'),
      link_day = COALESCE(event_date, (SELECT substr(published, 1, 10) FROM reports r
                                       WHERE r.id = mentions.report_id));""",
}

MIGRATIONS: list[Migration] = [
    Migration("core tables", _CORE),
    Migration("full-text search", _FTS),
    # content-word stems of a mention's evidence, compared when deciding a merge (dedup.py)
    Migration("mention evidence terms", "ALTER TABLE mentions ADD COLUMN terms TEXT"),
    Migration("same-incident links and a person's decisions", _LINKS),
    Migration("blocking columns of older mentions", _LINKS_BACKFILL),
    # the whole failed input record (JSON, at most the size ingest accepts) so it can be retried
    Migration("failed records kept for a retry", "ALTER TABLE failures ADD COLUMN record TEXT"),
    # linking reads a new event's block from this index alone, without the mentions' rows
    Migration("a covering index for linking candidates", """
CREATE INDEX mentions_block ON mentions(country_code, link_day, admin1_code, sub_event_type,
  report_id, idx, event_id, extractor_version);
DROP INDEX mentions_link;"""),
    # with the event type too: a block's kinds are "these sub-event types or this event type",
    # which the index without it checked in the mentions' rows (links.report_candidates)
    Migration("the block index with the event type", """
CREATE INDEX mentions_block_type ON mentions(country_code, link_day, admin1_code, sub_event_type,
  event_type, report_id, idx, event_id, extractor_version);
DROP INDEX mentions_block;"""),
    # regrouping an incident deletes its mentions' merge log rows (links.regroup): without it
    # each regroup read the whole merges table, a cost that grew with the store
    Migration("merges by mention", "CREATE INDEX merges_mention ON merges(mention_id);"),
    # full-text rows FTS5's ascii tokenizer reads as unicode61 does (db.plain_terms: ASCII and
    # Arabic letters) go to these tables: unicode61 looks each non-ASCII character up in its
    # Unicode tables, 9% of storing's instructions. The tables of the full-text search migration
    # keep the other rows and those stored before; a view of both for readers
    Migration("full-text tables of the ascii tokenizer", _FTS_PLAIN),
]
