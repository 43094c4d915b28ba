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
FORMAT = 2   # bump when what is pickled changes without a source changing
STALE_TMP_SECONDS = 600   # a build writes its file in well under a second


def cache_dir() -> Path:
    """The cache folder of every compiled table (the gazetteer's index, ``cached``'s tables, the
    regular expressions): ``$MARSAD_CACHE``, else ``~/.cache/marsad``."""
    d = os.environ.get("MARSAD_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "marsad")
    return Path(d)


def digest(sources: Iterable[Path]) -> str:
    """CRC-32 (zlib: hashlib would load OpenSSL, 3.7 MB of RSS) of each source's name, size and
    bytes (an absent one counts as absent), the format and the versions of Python and numpy.
    Tells a changed source from the one cached, from no adversary: one CRC (the gazetteer's
    Adler-32 beside it doubled the cost, 50 M instructions a start-up over the 6 MB read)."""
    import numpy
    crc = zlib.crc32(f"{FORMAT};{sys.version};{numpy.__version__};".encode())
    for p in sources:
        try:
            data = Path(p).read_bytes()
        except FileNotFoundError:
            data = None
        crc = zlib.crc32(f"{Path(p).name}:{-1 if data is None else len(data)};".encode(), crc)
        if data:
            crc = zlib.crc32(data, crc)
    return f"{crc:08x}"


def givable(read: Callable[[Path], T], default: Path) -> Callable[..., T]:
    """``read`` (a path -> its table, an ``lru_cache``) answering with a table already in memory:
    after ``f.give(path, table)``, ``f(path)`` is that table until ``f.cache_clear()``. The name
    tagger's compiled copy (marsad/ner/tables.py) gives the cluster and name tables so that their
    modules read the one copy whose words the tagger's tables share, not the file again."""
    given: dict[Path, T] = {}

    def read_table(path: Path = default) -> T:
        table = given.get(path) if given else None   # (a Path: a str path reads the file)
        return read(path) if table is None else table

    def give(path: Path, table: T) -> None:   # the caller's Path itself: asked again by that object,
        given[path if isinstance(path, Path) else Path(path)] = table   # found without a Path.__eq__

    def cache_clear() -> None:   # as an lru_cache's: the next read is the file's
        given.clear()
        read.cache_clear()

    read_table.give = give
    read_table.cache_clear = cache_clear
    read_table.__doc__ = read.__doc__
    return read_table


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
    with build_lock(folder, name):
        found = _read(path)   # another process may have built it while this one waited
        if found is not None:
            return found[0]
        value = build()
        with suppress(OSError):   # a read-only folder: kept in memory
            _write(value, path, name)
    return value


def _read(path: Path) -> tuple | None:
    """(value,) from the file at path (``_write``'s layout); None when absent, truncated or
    foreign (then rebuilt)."""
    try:
        with open(path, "rb") as f:
            words = pickle.load(f)
            if type(words) is not str:
                return None
            u = pickle.Unpickler(f)
            u.persistent_load = words.split("\n").__getitem__   # a C call per string, no frame
            return (u.load(),)
    except FileNotFoundError:
        return None
    except Exception:
        return None


class _Pickler(pickle.Pickler):
    """Pickles each string (but those with a line break) as its number in ``words``: written
    once, all in one string, which the reader splits into all of them at once. Unpickled one by
    one, the 100,000 strings of the tagger's tables were half of their load (900 instructions
    each, in UTF-8 decoding); one string for each value, as shared as the build shares them."""

    def __init__(self, f, words: dict[str, int]):
        super().__init__(f, protocol=pickle.HIGHEST_PROTOCOL)
        self.words = words

    def persistent_id(self, obj):
        if type(obj) is str and "\n" not in obj:
            i = self.words.get(obj)
            if i is None:
                i = self.words[obj] = len(self.words)
            return i
        return None


def _write(value, path: Path, name: str) -> None:
    """The strings joined by line breaks, pickled, then the value pickled with each string as
    its number among them (``_Pickler``), to a temporary file renamed over path."""
    import io
    words: dict[str, int] = {}
    body = io.BytesIO()
    _Pickler(body, words).dump(value)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump("\n".join(words), f, protocol=pickle.HIGHEST_PROTOCOL)
            f.write(body.getbuffer())
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
def build_lock(folder: Path, name: str):
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
