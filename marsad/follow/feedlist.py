"""The FEEDS file: one feed URL per line, optionally followed by the outlet's name.

    # comments and blank lines are ignored
    https://www.example-news.net/rss.xml   شبكة الأخبار
    https://other.example/feed/atom        Other Outlet

A line that is not an http(s) URL is reported with its line number, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


@dataclass(frozen=True)
class Feed:
    url: str
    name: str = ""

    @property
    def outlet(self) -> str:
        return self.name or (urlsplit(self.url).hostname or self.url)


def parse_feeds(text: str) -> tuple[list[Feed], list[str]]:
    """(feeds, problems) from the FEEDS file's text; duplicates keep the first line."""
    feeds: dict[str, Feed] = {}
    problems: list[str] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        url, _, name = line.partition(" ") if "\t" not in line else line.partition("\t")
        url, name = url.strip(), name.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"line {n}: not an http(s) URL: {url[:80]!r}")
            continue
        feeds.setdefault(url, Feed(url, name))
    return list(feeds.values()), problems


def read_feeds(path: str) -> tuple[list[Feed], list[str]]:
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        return parse_feeds(f.read())


_TRACKING = ("utm_", "fbclid", "gclid", "at_medium", "at_campaign", "ocid")


def canonical_url(url: str) -> str:
    """The URL an article is known by: no fragment, no tracking parameters, lower-case host."""
    p = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(p.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]
    netloc = p.netloc.lower()
    return urlunsplit((p.scheme.lower(), netloc, p.path or "/", urlencode(query), ""))
