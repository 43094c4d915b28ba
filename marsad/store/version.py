"""Which extractor produced an event: the package version plus a digest of the extractor's code
and language data, so that any change to a lexicon, model or component gives a new version and
`marsad recode` knows which reports to code again."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import marsad

# Areas that do not change what the extractor outputs.
_NOT_EXTRACTOR = {"store", "web", "follow", "scale", "demo", "__pycache__"}
_SUFFIXES = {".py", ".tsv", ".yaml", ".json", ".crfsuite", ".txt", ".csv"}


@lru_cache(maxsize=1)
def extractor_version() -> str:
    root = Path(marsad.__file__).parent
    h = hashlib.sha1()
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if not p.is_file() or p.suffix not in _SUFFIXES or rel.parts[0] in _NOT_EXTRACTOR \
                or "__pycache__" in rel.parts or rel.name in ("cli.py", "commands.py"):
            continue
        h.update(str(rel).encode())
        h.update(p.read_bytes())
    return f"{marsad.__version__}+{h.hexdigest()[:10]}"
