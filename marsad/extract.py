"""From input records (CONTRACT.md) to output records, one record at a time.

``extract_record`` never raises for a bad record: it returns the record's output line with an
``error`` and empty lists, so a batch goes on.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterable, Iterator

import numpy as np

from . import errors
from .decoding import parse_json
from .errors import InputError as RecordError  # the name extract's callers know
from .lines import fast as _lines
from .lines import has_surrogates
from .pipeline import Pipeline, default_pipeline

MAX_CHARS = 200_000        # a report longer than this is not a news report: refuse it
MIN_ARABIC_SHARE = 0.3     # share of letters that must be Arabic


_WORD_RUN = re.compile(r"[^\W\d_]+")  # letters, and the few numerals that are not digits
_ARABIC_RUN = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFEFF]+")
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFEFF))   # _ARABIC_RUN's
_KINDS = None   # for each BMP code point: 0 no letter, 1 a letter, 2 an Arabic letter (_kinds)


def _letters(chars: str) -> int:
    return len(chars) if chars.isalpha() else sum(map(str.isalpha, chars))


def arabic_share(text: str) -> float:
    """Share of the letters (str.isalpha) that are Arabic: counted in C when built
    (``_lines.arabic_counts``: one pass over the code points), else each code point's kind looked
    up in one numpy table (``arabic_share_np``; checking the records was 2.5-3% of storing with
    the regular expressions of arabic_share_re, which give the same counts)."""
    if _lines is not None:
        n, n_arabic = _lines.arabic_counts(text)
        return n_arabic / n if n else 0.0
    return arabic_share_np(text)


def arabic_share_np(text: str) -> float:
    """arabic_share by a numpy table of the BMP's code points; a text with a character beyond
    the BMP takes arabic_share_re."""
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    if len(units) != len(text):
        return arabic_share_re(text)
    _, n_other, n_arabic = np.bincount(_kinds()[units], minlength=3).tolist()
    n = n_other + n_arabic
    return n_arabic / n if n else 0.0


def _kinds() -> np.ndarray:
    global _KINDS
    if _KINDS is None:
        kinds = np.fromiter(map(str.isalpha, map(chr, range(1 << 16))), dtype=np.uint8,
                            count=1 << 16)
        for lo, hi in _ARABIC_RANGES:
            kinds[lo:hi + 1] *= 2
        _KINDS = kinds
    return _KINDS


def arabic_share_re(text: str) -> float:
    """arabic_share by regular expressions: the letters of the word runs, the Arabic ones of
    those (a letter is in a word run, so the counts are those of the text's letters)."""
    letters = "".join(_WORD_RUN.findall(text))
    n = _letters(letters)
    if not n:
        return 0.0
    return _letters("".join(_ARABIC_RUN.findall(letters))) / n


def parse_published(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RecordError(f"published must be a YYYY-MM-DD string, got {type(value).__name__}")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise RecordError(f"published is not a YYYY-MM-DD date: {value[:40]!r}") from None


def validate(rec: Any) -> tuple[str, str, date | None]:
    """The record's id, text and publication date, or a RecordError saying what is wrong."""
    if not isinstance(rec, dict):
        raise RecordError(f"record is not a JSON object but {type(rec).__name__}")
    rid = rec.get("id")
    text = rec.get("text")
    if rid is None or rid == "":
        raise RecordError("record has no id")
    if not isinstance(text, str):
        raise RecordError("record has no text" if text is None else "text is not a string")
    if not text or text.isspace():   # (not text.strip(): a copy of the whole text)
        raise RecordError("text is empty")
    if len(text) > MAX_CHARS:
        raise RecordError(f"text is too long ({len(text):,} characters; the limit is {MAX_CHARS:,})")
    if "\x00" in text:
        raise RecordError("text contains NUL bytes (binary data?)")
    for field in ("id", "text", "published", "source", "url", "title"):
        value = rec.get(field)
        if isinstance(value, str) and has_surrogates(value):
            raise RecordError(f"{field} is {errors.invalid_unicode(value)}")
    share = arabic_share(text)
    if share < MIN_ARABIC_SHARE:
        raise RecordError(f"text is not Arabic ({share:.0%} of its letters are Arabic)")
    return str(rid), text, parse_published(rec.get("published"))


def error_line(rid: Any, message: str) -> dict:
    """The output line of a record that could not be coded (its id writable as UTF-8)."""
    return {"id": errors.printable(rid), "error": message, "events": [], "entities": []}


def extract_record(rec: Any, nlp: Pipeline | None = None) -> dict:
    """The CONTRACT.md output line for one input record."""
    rid = rec.get("id") if isinstance(rec, dict) else None
    try:
        rid, text, published = validate(rec)
        meta = {k: rec.get(k) for k in ("source", "url") if rec.get(k)}
        doc = (nlp or default_pipeline())(text, published, meta)
        return {"id": rid, **doc.to_json()}
    except RecordError as e:
        return error_line(rid, str(e))
    except Exception as e:  # a bug on one record must not stop the batch; say what happened
        return error_line(rid, f"internal error: {type(e).__name__}: {e}")


_ID_IN_BROKEN_LINE = re.compile(r'"id"\s*:\s*"?([^",}]*)')


def read_jsonl(lines: Iterable[str]) -> Iterator[Any]:
    """Parsed records; a line that is not JSON yields a RecordError in its place.

    The error keeps the record's id when it can still be read from the broken line, so the
    output line can be matched to its input."""
    for n, line in enumerate(lines, 1):
        if isinstance(line, RecordError):   # a line that could not be decoded
            line.args = (f"line {n}: {line}",)
            yield line
            continue
        if not line or line.isspace():   # a blank line (line.strip() copied each line)
            continue
        try:
            yield parse_json(line)
        except RecordError as e:
            err = RecordError(f"line {n}: {e}")
            m = _ID_IN_BROKEN_LINE.search(line[:10_000])
            err.record_id = m.group(1)[:200] if m else None
            yield err


def extract_stream(records: Iterable[Any], nlp: Pipeline | None = None) -> Iterator[dict]:
    for rec in records:
        if isinstance(rec, RecordError):
            yield error_line(getattr(rec, "record_id", None), str(rec))
        else:
            yield extract_record(rec, nlp)


class Extractor:
    """The extractor a Store codes reports with (``Store(db, extract=Extractor())``): a callable
    input record -> output line. The pipeline is built on the first call, once per process, and
    the process is tuned for a long run (marsad.tune)."""

    def __init__(self, nlp: Pipeline | None = None):
        self._nlp = nlp

    @property
    def nlp(self) -> Pipeline:
        if self._nlp is None:
            from .tune import warm_process
            self._nlp = warm_process()
        return self._nlp

    def __call__(self, rec: dict) -> dict:
        return extract_record(rec, self.nlp)

