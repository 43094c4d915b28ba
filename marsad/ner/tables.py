"""The shipped tagger's tables, compiled once into the cache folder (``marsad/tablecache.py``).

A Tagger derives from its files: the perceptron model (``anercorp.npz``: 163,000 feature
strings), its ``tagged`` table and the news persons read from it, the word-type slots
(``_slots``, ``KindSlots``) and the token features' vocabulary (``_token_vocab``), with the
cluster and names tables whose words those share. Parsing and indexing them was about 60% of a
process's start-up (callgrind, 2026-12-07 twelfth session: su121); unpickled from the cache they
are the same objects, shared as built (a word of the cluster table is one string in every table).

``load`` gives the cluster and names tables to their modules (``clusters.give``, ``names.give``),
so that the events step and the tagger's rules read the same tables, not a second parse."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..lang import clusters, names
from .perceptron import _stamp

_HERE = Path(__file__).resolve().parent
# the code that derives the tables: a change to it reads no older compiled copy
CODE = (_HERE / "tables.py", _HERE / "tagger.py", _HERE / "features.py", _HERE / "perceptron.py",
        _HERE / "selftrain.py", _HERE / "persons.py", _HERE.parent / "lang" / "clusters.py",
        _HERE.parent / "lang" / "names.py", _HERE.parent / "tablecache.py")


def sources(model_path: Path) -> list[Path]:
    """Every file the tables are derived from: the model's, the word tables, the code."""
    from .selftrain import table_path
    from .tagger import meta_path

    return [Path(model_path), meta_path(model_path), table_path(model_path), clusters.PATH, names.PATH, *CODE]


def build(model_path: Path, groups: Iterable[str]) -> dict:
    """The tables as ``Tagger.__init__`` derived them from the files, in the same order (the
    tagged table first shares the cluster table's words, then the names table, then the slots)."""
    from .features import KindSlots, cluster_table
    from .perceptron import Model
    from .persons import news_persons
    from .selftrain import load, table_path
    from .tagger import _slots, _token_vocab

    groups = frozenset(groups)
    model = Model.load(model_path)
    tagged = load(table_path(model_path)) if "tagged" in groups else None
    news = news_persons(str(table_path(model_path))) if tagged else frozenset()
    table = clusters.read_table(clusters.PATH)
    named = names.read_table(names.PATH) if "names" in groups else None
    base, slots = _slots(model.items())
    kinds = KindSlots(base, clusters.same_words() if "clusters" in groups and cluster_table() else None)
    vocab = _token_vocab(model.items())
    model.drop_names()
    return {"model": model, "tagged": tagged, "news": news, "clusters": table, "names": named,
            "slots": slots, "kinds": kinds, "vocab": vocab}


def load(model_path: Path, groups: Iterable[str]) -> dict:
    """``build``'s tables, from the cache folder when compiled there (else built and written);
    the cluster and names tables (and the tagged one) given to the modules that read them."""
    from .. import tablecache
    from .selftrain import table_path

    groups = tuple(sorted(groups))
    t = tablecache.cached("tagger", sources(model_path), lambda: build(model_path, groups))
    model = t["model"]
    model._path = (Path(model_path), _stamp(model_path))   # where its names are read again
    if t["clusters"]:
        clusters.read_table.give(clusters.PATH, t["clusters"])
    if t["names"]:
        names.read_table.give(names.PATH, t["names"])
    if t["tagged"]:
        names.read_table.give(Path(table_path(model_path)), t["tagged"])
    return t
