"""Readers: from files, folders, JSONL, CSV and HTML pages to CONTRACT input records.

Every reader yields either a record (a dict with id, text, published, source, url, title and the
provenance ``file`` and ``origin``) or a ``Failure`` saying what is wrong with one input item.
Readers never raise for bad input: a batch goes on past binary files, wrong encodings, empty
or gigantic files and malformed JSON lines or CSV rows.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

MAX_FILE_BYTES = 20_000_000      # one text/HTML report larger than this is not a news report
MAX_LINE_CHARS = 2_000_000       # one JSONL line / CSV field
MIN_HTML_WORDS = 8
HTML_EXT = {".html", ".htm", ".xhtml"}
JSONL_EXT = {".jsonl", ".ndjson", ".json"}
CSV_EXT = {".csv", ".tsv"}
TEXT_COLUMNS = ("text", "body", "content", "article", "النص")
DATE_COLUMNS = ("published", "date", "pub_date", "published_at")


@dataclass
class Failure:
    origin: str
    reason: str
    kind: str = "read"
    record_id: str | None = None
    sample: str | None = None


def iter_paths(paths: Iterable[str], published: str | None = None,
               source: str | None = None) -> Iterator[dict | Failure]:
    """Records from files and folders (recursive, in name order); "-" reads JSONL on stdin."""
    for p in paths:
        if p == "-":
            yield from read_jsonl_lines(sys.stdin, "<stdin>", source)
            continue
        path = Path(p)
        if path.is_dir():
            for f in walk(path):
                yield from read_file(f, published, source)
        elif path.exists():
            yield from read_file(path, published, source)
        else:
            yield Failure(str(p), "no such file or folder")


# A store kept in the folder being ingested (marsad.db and its WAL files) is not a report.
_STORE_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal", ".sqlite", ".sqlite3")


def walk(folder: Path) -> list[Path]:
    """The files of a folder to ingest, recursively in name order: no hidden files or folders
    (.git, .DS_Store), no SQLite store files."""
    return sorted(f for f in folder.rglob("*")
                  if f.is_file() and not f.name.lower().endswith(_STORE_SUFFIXES)
                  and not any(part.startswith(".") for part in f.relative_to(folder).parts))


def read_file(path: Path, published: str | None = None,
              source: str | None = None) -> Iterator[dict | Failure]:
    ext = path.suffix.lower()
    origin = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        yield Failure(origin, f"cannot read: {e.strerror}")
        return
    if size == 0:
        yield Failure(origin, "empty file")
        return
    try:
        if ext in JSONL_EXT:
            with open(path, "rb") as f:
                head = f.read(4096)
            if _binary(head):
                yield Failure(origin, "binary file, not JSON lines")
                return
            with open(path, "rb") as f:
                yield from read_jsonl_lines(f, origin, source)
        elif ext in CSV_EXT:
            yield from read_csv(path, source)
        elif ext in HTML_EXT:
            yield from read_html(path, published, source)
        else:  # .txt, no extension, or anything else: a text file if it decodes as one
            yield from read_text_file(path, published, source)
    except UnicodeDecodeError as e:
        yield Failure(origin, f"not UTF-8 text (invalid byte 0x{e.object[e.start]:02x} at "
                              f"position {e.start}); convert it, e.g. iconv -f CP1256 -t UTF-8")
    except OSError as e:
        yield Failure(origin, f"cannot read: {e.strerror or e}")


def _binary(head: bytes) -> bool:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and ctrl / len(head) > 0.05


def decode(data: bytes, origin: str) -> str | Failure:
    if _binary(data[:4096]):
        return Failure(origin, "binary file, not text")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        hint = ""
        try:
            alt = data.decode("cp1256")
            if sum("\u0600" <= c <= "\u06FF" for c in alt) > len(alt) / 4:
                hint = "; it looks like Windows-1256 Arabic: iconv -f CP1256 -t UTF-8"
        except UnicodeDecodeError:
            pass
        return Failure(origin, f"not UTF-8 text (invalid byte 0x{data[e.start]:02x} at "
                               f"position {e.start}){hint}")


def _too_big(size: int, origin: str) -> Failure | None:
    if size > MAX_FILE_BYTES:
        return Failure(origin, f"file too large for one report ({size / 1e6:.1f} MB; the limit "
                               f"is {MAX_FILE_BYTES / 1e6:.0f} MB)")
    return None


def _record_id(path: Path) -> str:
    return path.stem


def read_text_file(path: Path, published: str | None, source: str | None) -> Iterator[dict | Failure]:
    origin = str(path)
    big = _too_big(path.stat().st_size, origin)
    if big:
        yield big
        return
    text = decode(path.read_bytes(), origin)
    if isinstance(text, Failure):
        yield text
        return
    text = text.replace("\r\n", "\n")
    yield {"id": _record_id(path), "text": text, "published": _date_in(path.name) or published,
           "source": source, "url": None, "file": origin, "origin": origin}


_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d\d|19\d\d)-(\d\d)-(\d\d)(?!\d)")


def _date_in(name: str) -> str | None:
    """A YYYY-MM-DD in a file name is taken as its publication date."""
    m = _DATE_IN_NAME.search(name)
    return m.group(0) if m else None


def read_jsonl_lines(lines: Iterable[str | bytes], origin: str,
                     source: str | None = None) -> Iterator[dict | Failure]:
    """Records from JSON lines (str or bytes; bytes are decoded line by line so one badly
    encoded line is one failure)."""
    for n, line in enumerate(lines, 1):
        where = f"{origin}:{n}"
        if isinstance(line, bytes):
            if n == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as e:
                yield Failure(where, f"not UTF-8 text (invalid byte 0x{line[e.start]:02x} at "
                                     f"column {e.start + 1})")
                continue
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            yield Failure(where, f"line too long ({len(line):,} characters)", sample=line[:200])
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield Failure(where, f"not valid JSON: {e.msg} at column {e.colno}", sample=line[:200])
            continue
        if not isinstance(rec, dict):
            yield Failure(where, f"not a JSON object but {type(rec).__name__}", sample=line[:200])
            continue
        rec = dict(rec)
        rec.setdefault("id", f"{Path(origin).name}:{n}")
        if source and not rec.get("source"):
            rec["source"] = source
        rec.setdefault("file", None if origin == "<stdin>" else origin)
        rec["origin"] = where
        yield rec


def read_csv(path: Path, source: str | None = None) -> Iterator[dict | Failure]:
    origin = str(path)
    csv.field_size_limit(MAX_LINE_CHARS)
    with open(path, encoding="utf-8-sig", errors="strict", newline="") as f:
        head = f.read(8192)
        f.seek(0)
        delim = "\t" if path.suffix.lower() == ".tsv" or head.split("\n", 1)[0].count("\t") > \
            head.split("\n", 1)[0].count(",") else ","
        reader = csv.reader(f, delimiter=delim)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            yield Failure(origin, "empty CSV file")
            return
        except csv.Error as e:
            yield Failure(f"{origin}:1", f"malformed CSV header: {e}")
            return
        text_col = next((c for c in TEXT_COLUMNS if c in header), None)
        if text_col is None:
            yield Failure(origin, f"CSV has no text column (one of {', '.join(TEXT_COLUMNS)}); "
                                  f"columns: {', '.join(header)[:200]}")
            return
        while True:
            line_no = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                yield Failure(f"{origin}:{line_no}", f"malformed CSV row: {e}")
                continue
            if not any(c.strip() for c in row):
                continue
            where = f"{origin}:{line_no}"
            if len(row) != len(header):
                yield Failure(where, f"malformed CSV row: {len(row)} fields, the header has "
                                     f"{len(header)}", sample=delim.join(row)[:200])
                continue
            r = dict(zip(header, row))
            text = r[text_col]
            if r.get("title") and text and not text.startswith(r["title"]):
                text = r["title"].strip() + "\n\n" + text
            yield {"id": r.get("id") or f"{path.name}:{line_no}", "text": text,
                   "published": next((r[c] for c in DATE_COLUMNS if r.get(c)), None),
                   "source": r.get("source") or source, "url": r.get("url") or None,
                   "title": r.get("title") or None, "file": origin, "origin": where}


def read_html(path: Path, published: str | None, source: str | None) -> Iterator[dict | Failure]:
    origin = str(path)
    big = _too_big(path.stat().st_size, origin)
    if big:
        yield big
        return
    data = path.read_bytes()
    if _binary(data[:4096]):
        yield Failure(origin, "binary file, not HTML")
        return
    rec = html_record(data, origin)
    if isinstance(rec, Failure):
        yield rec
        return
    rec.update(id=_record_id(path), file=origin, origin=origin)
    rec["published"] = rec.get("published") or _date_in(path.name) or published
    rec["source"] = source or rec.get("source")
    yield rec


def html_record(html: bytes | str, origin: str, url: str | None = None) -> dict | Failure:
    """The article in an HTML page: title, main text (boilerplate removed), date, site, url."""
    try:
        import trafilatura  # heavy: only when there is HTML to read
    except ImportError:
        return Failure(origin, "reading HTML needs trafilatura: pip install 'marsad[store]'")

    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                          include_comments=False, include_tables=False,
                                          favor_precision=True)
    except Exception as e:  # a broken page must not stop the batch
        return Failure(origin, f"HTML could not be parsed: {type(e).__name__}: {e}")
    data: dict[str, Any] = doc.as_dict() if hasattr(doc, "as_dict") else (doc or {})
    body = (data.get("text") or "").strip()
    if len(body.split()) < MIN_HTML_WORDS:   # a menu or a caption is not an article
        return Failure(origin, f"no article text found in the HTML page ({len(body.split())} words)")
    title = (data.get("title") or "").strip()
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    date = data.get("date")
    return {"text": text, "title": title or None,
            "published": date[:10] if isinstance(date, str) and len(date) >= 10 else None,
            "source": data.get("sitename") or data.get("hostname") or None,
            "url": data.get("url") or url}


def count_items(paths: Iterable[str]) -> int | None:
    """About how many records the paths hold (for a progress bar's total); None for stdin."""
    n = 0
    for p in paths:
        if p == "-":
            return None
        path = Path(p)
        files = walk(path) if path.is_dir() else [path]
        for f in files:
            kind = file_kind(str(f))
            if kind in ("jsonl", "csv"):
                try:
                    with open(f, "rb") as fh:
                        lines = sum(1 for line in fh if line.strip())
                except OSError:
                    lines = 1
                n += max(1, lines - (kind == "csv"))
            else:
                n += 1
    return n


def file_kind(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    for kind, exts in (("jsonl", JSONL_EXT), ("csv", CSV_EXT), ("html", HTML_EXT)):
        if ext in exts:
            return kind
    return "text"
