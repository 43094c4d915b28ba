"""Readers: from files, folders, JSONL, CSV and HTML pages to CONTRACT input records.

Every reader yields either a record (a dict with id, text, published, source, url, title and the
provenance ``file`` and ``origin``) or a ``Failure`` saying what is wrong with one input item.
Readers never raise for bad input: a batch goes on past binary files, wrong encodings, empty
or gigantic files and malformed JSON lines or CSV rows.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .. import errors
from ..decoding import WIDE, bom_encoding, decode_text, encoding_hint, looks_binary, parse_json, text_lines
from ..errors import InputError

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
        if p == "-":   # bytes, decoded line by line: one badly encoded line is one failure
            yield from read_jsonl_lines(text_lines(sys.stdin.buffer), "<stdin>", source)
            continue
        path = Path(p)
        if path.is_dir():
            for f in walk(path):
                yield from read_file(f, published, source)
        elif path.exists() or path.is_symlink():
            yield from read_file(path, published, source)
        else:
            yield Failure(str(p), "no such file or folder")


# A store kept in the folder being ingested (marsad.db and its WAL files) is not a report.
_STORE_SUFFIXES = (".db", ".db-wal", ".db-shm", ".db-journal", ".sqlite", ".sqlite3")


def walk(folder: Path) -> list[Path]:
    """The files of a folder to ingest, recursively in name order: no hidden files or folders
    (.git, .DS_Store), no SQLite store files. Broken and looping symbolic links are listed too,
    so that reading them records why they were not read."""
    return sorted(f for f in folder.rglob("*")
                  if (f.is_file() or (f.is_symlink() and not f.exists()))
                  and not f.name.lower().endswith(_STORE_SUFFIXES)
                  and not any(part.startswith(".") for part in f.relative_to(folder).parts))


def _unreadable(path: Path, e: OSError) -> str:
    """Why a path cannot be read, naming a broken or looping symbolic link as such."""
    if path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        if e.errno == errno.ELOOP:
            return f"symbolic link loop ({path.name} -> {target})"
        if e.errno == errno.ENOENT:
            return f"broken symbolic link (points to {target}, which does not exist)"
    return f"cannot read: {e.strerror or e}"


def read_file(path: Path, published: str | None = None,
              source: str | None = None) -> Iterator[dict | Failure]:
    ext = path.suffix.lower()
    origin = str(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        yield Failure(origin, _unreadable(path, e))
        return
    if size == 0:
        yield Failure(origin, "empty file")
        return
    try:
        if ext in JSONL_EXT:
            with open(path, "rb") as f:
                if looks_binary(f.read(4096)):
                    yield Failure(origin, errors.binary("JSON lines"))
                    return
                f.seek(0)
                yield from read_jsonl_lines(text_lines(f), origin, source)
        elif ext in CSV_EXT:
            yield from read_csv(path, source)
        elif ext in HTML_EXT:
            yield from read_html(path, published, source)
        else:  # .txt, no extension, or anything else: a text file if it decodes as one
            yield from read_text_file(path, published, source)
    except UnicodeDecodeError as e:   # a CSV file, decoded as it is read
        yield Failure(origin, errors.not_utf8(e.object[e.start], e.start,
                                              hint=encoding_hint(bytes(e.object))))
    except OSError as e:
        yield Failure(origin, f"cannot read: {e.strerror or e}")


def decode(data: bytes, origin: str, what: str = "text") -> str | Failure:
    """The text of a file (``marsad.decoding.decode_text``), or its Failure."""
    try:
        return decode_text(data, what)
    except InputError as e:
        return Failure(origin, str(e))


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


def read_jsonl_lines(lines: Iterable[str | bytes | InputError], origin: str,
                     source: str | None = None) -> Iterator[dict | Failure]:
    """Records from JSON lines: str, or bytes decoded line by line (so one badly encoded line
    is one failure), or the InputErrors of lines ``marsad.decoding.text_lines`` could not decode."""
    for n, line in enumerate(lines, 1):
        where = f"{origin}:{n}"
        if isinstance(line, bytes):
            try:
                line = decode_text(line[3:] if n == 1 and line.startswith(b"\xef\xbb\xbf") else line,
                                   "JSON lines", where="column")
            except InputError as e:
                line = e
        if isinstance(line, InputError):
            yield Failure(where, str(line))
            continue
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            yield Failure(where, f"line too long ({len(line):,} characters)", sample=_sample(line))
            continue
        try:
            rec = parse_json(line)
        except InputError as e:
            yield Failure(where, str(e), sample=_sample(line))
            continue
        if not isinstance(rec, dict):
            yield Failure(where, f"not a JSON object but {type(rec).__name__}", sample=_sample(line))
            continue
        rec = dict(rec)
        rec.setdefault("id", f"{Path(origin).name}:{n}")
        if source and not rec.get("source"):
            rec["source"] = source
        rec.setdefault("file", None if origin == "<stdin>" else origin)
        rec["origin"] = where
        yield rec


def _sample(line: str) -> str:
    return str(errors.printable(line[:200]))


def read_csv(path: Path, source: str | None = None) -> Iterator[dict | Failure]:
    origin = str(path)
    csv.field_size_limit(MAX_LINE_CHARS)
    with open(path, "rb") as fb:
        head = fb.read(4096)
    if bom_encoding(head) in WIDE:   # UTF-16/32: decoded whole, as `decode_text` decodes files
        try:
            f = io.StringIO(decode_text(path.read_bytes(), "CSV"), newline="")
        except InputError as e:
            yield Failure(origin, str(e))
            return
    elif looks_binary(head):
        yield Failure(origin, errors.binary("CSV"))
        return
    else:
        f = open(path, encoding="utf-8-sig", errors="strict", newline="")
    with f:
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
    if looks_binary(data[:4096]):
        yield Failure(origin, errors.binary("HTML"))
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


def count_items(paths: Iterable[str], at_most: int | None = None) -> int | None:
    """About how many records the paths hold (for a progress bar's total); None for stdin. With
    ``at_most`` the count stops once it reaches that many (a decision that needs only "at least
    N" then reads the start of the inputs, not all of them a second time)."""
    paths = list(paths)
    if "-" in paths:
        return None
    n = 0
    for p in paths:
        path = Path(p)
        files = walk(path) if path.is_dir() else [path]
        for f in files:
            if at_most is not None and n >= at_most:
                return n
            kind = file_kind(str(f))
            if kind in ("jsonl", "csv"):
                header = kind == "csv"
                lines = _count_lines(f, None if at_most is None else at_most - n + header)
                n += max(1, lines - header)
            else:
                n += 1
    return n


def _count_lines(path: Path, at_most: int | None) -> int:
    """The lines of a file, counted by newlines in blocks (no line objects, no parse); a blank
    line counts too. Stops at ``at_most`` or more."""
    n, last = 0, b"\n"
    try:
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                n += block.count(b"\n")
                last = block[-1:]
                if at_most is not None and n >= at_most:
                    return n
    except OSError:
        return 1
    return n + (last != b"\n")   # a last line without its newline


def file_kind(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    for kind, exts in (("jsonl", JSONL_EXT), ("csv", CSV_EXT), ("html", HTML_EXT)):
        if ext in exts:
            return kind
    return "text"
