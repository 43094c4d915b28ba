"""From an article page (bytes) to its title, main text and publication date.

Arabic outlets still serve pages in windows-1256 or ISO-8859-6, often declaring it only in a
``<meta>`` tag, so the page is decoded here rather than trusting the HTTP client's default:
charset of the Content-Type header, else the one declared in the page, else UTF-8 if it
decodes, else charset detection. The main text is found by trafilatura (boilerplate removal);
the date comes from the page's metadata (htmldate, through trafilatura), else from the feed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import date

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)
# WHATWG: labels that browsers treat as another encoding
_ALIASES = {"iso-8859-1": "windows-1252", "latin1": "windows-1252", "us-ascii": "windows-1252",
            "ascii": "windows-1252", "iso-8859-6": "iso8859_6", "arabic": "iso8859_6",
            "x-mac-arabic": "mac_arabic"}
MIN_TEXT_CHARS = 80            # less than this is a teaser or an index page, not an article


class ExtractError(ValueError):
    """A page that gives no article, with the reason."""


@dataclass
class Article:
    title: str
    text: str                  # main text, without the title
    published: date | None
    date_from: str             # "page", "feed" or ""
    encoding: str

    def report_text(self) -> str:
        """The report as CONTRACT.md wants it: the title is the first paragraph."""
        if self.title and not self.text.startswith(self.title):
            return f"{self.title}\n\n{self.text}"
        return self.text


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(content: bytes, content_type: str = "") -> tuple[str, str]:
    """(text, encoding used) for an HTML page.

    The declared charsets are tried in order (header, then page) and the first one the bytes
    are valid in wins: servers that send "charset=utf-8" for every page are common.
    """
    if content.startswith(codecs.BOM_UTF8):
        return content[3:].decode("utf-8", errors="replace"), "utf-8"
    candidates = []
    m = _HEADER_CHARSET.search(content_type or "")
    if m:
        candidates.append(_codec(m.group(1)))
    m = _META_CHARSET.search(content[:4096])
    if m:
        candidates.append(_codec(m.group(1).decode("ascii", "ignore")))
    candidates.append("utf-8")
    for enc in candidates:
        if enc:
            try:
                return content.decode(enc), enc
            except UnicodeDecodeError:
                continue
    from charset_normalizer import from_bytes
    best = from_bytes(content[:200_000]).best()
    enc = (_codec(best.encoding) if best else None) or next((c for c in candidates if c), "utf-8")
    return content.decode(enc, errors="replace"), enc


def extract_article(content: bytes, url: str, content_type: str = "",
                    feed_title: str = "", feed_date: date | None = None) -> Article:
    """The article in a page, or ExtractError saying why there is none."""
    import trafilatura

    html, enc = decode_html(content, content_type)
    if not html.strip():
        raise ExtractError("empty page")
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractError(f"no article text found in the page ({len(text)} characters extracted)")
    title = (getattr(doc, "title", None) or feed_title or "").strip()
    published, date_from = _page_date(getattr(doc, "date", None)), "page"
    if published is None:
        published, date_from = feed_date, ("feed" if feed_date else "")
    return Article(title=title, text=text, published=published, date_from=date_from, encoding=enc)


def _page_date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
