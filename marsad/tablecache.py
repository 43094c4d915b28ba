"""Tables built from the repository's files, kept compiled in the cache folder between processes.

Every process that codes reports (each CLI call, each worker of a pool, each cold benchmark)
built the same tables at start-up: the name tagger's feature tables from its model and TSV files,
the event detector's from ``detector.json``; parsing text into millions of Python objects was
most of a start-up. ``cached`` builds such a table once with the project's own code, pickles it
under the cache folder (``$MARSAD_CACHE``, else ``~/.cache/marsad``, as the gazetteer's compiled
index) and later processes unpickle it: one read, the objects made in C. The pickle keeps objects
shared that the build shares (one string for a word in several tables).

The file name holds a digest of the sources' bytes, of the code that builds from them, of the
format and of the Python and numpy versions: a change to any reads no older table. A table is
written to a temporary file renamed over it (a reader sees it whole or not at all), builders of
one folder take turns under a lock, and a folder that cannot be written leaves the table in
memory, as built."""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import time
import zlib
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
FORMAT = 1   # bump when what is pickled changes without a source changing
STALE_TMP_SECONDS = 600   # a build writes its file in well under a second


def cache_dir() -> Path:
    """The cache folder (the gazetteer's): ``$MARSAD_CACHE``, else ``~/.cache/marsad``."""
    d = os.environ.get("MARSAD_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "marsad")
    return Path(d)


def digest(sources: Iterable[Path]) -> str:
    """CRC-32 and Adler-32 (zlib, as the gazetteer's: hashlib would load OpenSSL, 3.7 MB of RSS)
    of each source's name and bytes (an absent one counts as absent), the format and the
    versions of Python and numpy. Tells a changed source from the one cached, from no adversary."""
    import numpy
    head = f"{FORMAT};{sys.version};{numpy.__version__};".encode()
    crc, adler = zlib.crc32(head), zlib.adler32(head)
    for p in sources:
        try:
            data = Path(p).read_bytes()
        except FileNotFoundError:
            data = b"\0absent"
        name = Path(p).name.encode() + b"\0"
        crc, adler = zlib.crc32(data, zlib.crc32(name, crc)), zlib.adler32(data, zlib.adler32(name, adler))
    return f"{crc:08x}{adler:08x}"


def cached(name: str, sources: Iterable[Path], build: Callable[[], T], folder: Path | None = None) -> T:
    """build()'s value, read from ``folder/name-DIGEST.pkl`` when there, else built and written
    there (older digests of the name removed). sources: every file the value is derived from,
    the code that derives it included."""
    folder = cache_dir() if folder is None else Path(folder)
    path = folder / f"{name}-{digest(sources)}.pkl"
    found = _read(path)
    if found is not None:
        return found[0]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    with _build_lock(folder, name):
        found = _read(path)   # another process may have built it while this one waited
        if found is not None:
            return found[0]
        value = build()
        with suppress(OSError):   # a read-only folder: kept in memory
            _write(value, path, name)
    return value


def _read(path: Path) -> tuple | None:
    """(value,) from the pickle at path; None when absent, truncated or foreign (then rebuilt)."""
    try:
        with open(path, "rb") as f:
            return (pickle.load(f),)
    except FileNotFoundError:
        return None
    except Exception:
        return None


def _write(value, path: Path, name: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    now = time.time()
    for old in path.parent.glob(f"{name}-*.pkl"):   # tables of older sources
        if old != path:
            with suppress(OSError):
                old.unlink()
    for old in path.parent.glob(f".{name}-*.tmp"):   # and files of builds killed while writing
        with suppress(OSError):
            if now - old.stat().st_mtime > STALE_TMP_SECONDS:
                old.unlink()


@contextmanager
def _build_lock(folder: Path, name: str):
    """Held while building name into folder: processes started together on an empty cache (the
    workers of one run) build it once, the others wait and then read it. Where no lock can be
    had (no fcntl, a read-only folder) each builds its own."""
    try:
        import fcntl
        f = open(folder / f".{name}.lock", "ab")
    except (ImportError, OSError):
        yield
        return
    with f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
