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


# The store's linking across reports (its score, features, grouping and fitted weights): a refit
# is applied by `marsad relink`, and must not make every stored report look stale to `recode`.
# The document step's part of marsad/incident (within.py, merging.py, tables.py) stays in.
_LINKING = {"incident/link.py", "incident/features.py", "incident/cluster.py", "incident/data/weights.json",
            "incident/data/counted_nouns.tsv", "incident/data/pair_kinds.tsv",
            "incident/data/summary_words.tsv"}


def extractor_files() -> list[Path]:
    """The files whose content is the extractor's version, in a fixed order."""
    root = Path(marsad.__file__).parent
    out = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if not p.is_file() or p.suffix not in _SUFFIXES or rel.parts[0] in _NOT_EXTRACTOR \
                or "__pycache__" in rel.parts or rel.name in ("cli.py", "commands.py") \
                or rel.as_posix() in _LINKING:
            continue
        out.append(p)
    return out


@lru_cache(maxsize=1)
def extractor_version() -> str:
    root = Path(marsad.__file__).parent
    h = hashlib.sha1()
    for p in extractor_files():
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return f"{marsad.__version__}+{h.hexdigest()[:10]}"
