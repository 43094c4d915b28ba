"""Name words from the tagger's own reading of unlabeled news (the ``tagged`` feature group).

Most names of new text never occur in ANERcorp, but many occur in the unlabeled news
(SaudiNewsNet, 29k articles), often in contexts the tagger reads well (a title before them, a
full name, a speech verb). A model trained without this group tags the news; each word's share
of occurrences inside a PER, ORG or LOC mention becomes a feature of that word everywhere
(``tg=per0`` ...: class and the bin of the share, as ``marsad.lang.names``), so that a surname
seen as a name in "قال الرئيس اللبناني إميل لحود" helps on a bare "لحود".

The table depends on the model that tagged the news, so it lives beside that model's file
(``anercorp.npz`` -> ``anercorp.tagged.tsv``) and the model's JSON records its sha256.

The model that tags the news is trained on the same ANERcorp sentences as the model that reads
the table (``train.py``), so no ANERcorp text beyond those is read: the held-out block stays out
of its model's table. On those training sentences the table repeats their gold names (the
tagging model learnt them) more reliably than it reads names it never saw, which could teach
the weights to trust it too much; tables made for each half of the training sentences by a
model trained on the other half scored the same on both splits (``model/README.md``), so the
simpler recipe stays.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Callable

from ..lang.clusters import DEFAULT_CORPUS
from ..lang.names import read_table
from .features import spelled_forms

# Floors chosen before measuring, as those of ``marsad.lang.names``: a word is kept for a class
# when the tagger put it inside a mention of that class at least min_count times and in at least
# min_share of its occurrences.
PARAMS = {"min_count": 3, "min_share": 0.05}
CLASSES = {"PER": "per", "ORG": "org", "LOC": "loc"}


def table_path(model_path: str | Path) -> Path:
    """The table beside a model: anercorp.npz -> anercorp.tagged.tsv."""
    p = Path(model_path)
    return p.with_name(p.stem + ".tagged.tsv")


def count(tagger, corpus: str | Path = DEFAULT_CORPUS, limit: int | None = None) -> tuple[Counter, Counter]:
    """(occurrences of each token form, (form, class) -> occurrences inside a mention of that
    class) over the corpus's articles, as the tagger labels them (its Viterbi labels, no
    places step)."""
    from ..doc import Doc

    total, named = Counter(), Counter()
    corpus = Path(corpus)
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                break
            if not line.strip():
                continue
            doc = Doc(json.loads(line)["text"])
            if not doc.tokens:
                continue
            _, labels, _ = tagger.decode(doc)
            words = [t.norm for t in doc.tokens]
            for k, w in spelled_forms(doc.text, doc.offsets, doc.tokens).items():
                words[k] = w  # keyed as the model reads it: هادئ apart from هادي
            total.update(words)
            for w, lab in zip(words, tagger.label_names(labels)):
                cls = CLASSES.get(lab[2:])
                if cls:
                    named[w, cls] += 1
    return total, named


def build(model_path: str | Path, out: str | Path | None = None, corpus: str | Path = DEFAULT_CORPUS,
          params: dict | None = None, limit: int | None = None, log: Callable[[str], None] = lambda s: None) -> Path:
    """Tag the corpus with the model at model_path (trained without the ``tagged`` group) and
    write the table (word, class, count, total), headed by the corpus's and the model's sha256
    and the parameters. Deterministic for one model, corpus and params."""
    from .tagger import Tagger, file_sha256

    p = {**PARAMS, **(params or {}), **({"limit": limit} if limit else {})}
    out = Path(out) if out else table_path(model_path)
    tagger = Tagger(model_path)
    total, named = count(tagger, corpus, limit)
    rows = sorted(((w, cls, c, total[w]) for (w, cls), c in named.items()
                   if c >= p["min_count"] and c >= p["min_share"] * total[w]),
                  key=lambda r: (r[1], -r[2], r[0]))
    kept = Counter(r[1] for r in rows)
    log(f"tagged: {sum(total.values()):,} words; kept " + ", ".join(f"{n:,} {c}" for c, n in sorted(kept.items())))
    import hashlib  # here, not at import: OpenSSL costs every extracting process 3.7 MB
    digest = hashlib.sha256(Path(corpus).read_bytes()).hexdigest()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write("# name words of unlabeled news as a tagger read them (marsad/ner/selftrain.py)\n")
        f.write(f"# corpus: {Path(corpus).name}\n# corpus_sha256: {digest}\n")
        f.write(f"# model_sha256: {file_sha256(Path(model_path))}\n# params: {json.dumps(p)}\n")
        f.write("word\tclass\tcount\ttotal\n")
        f.writelines(f"{w}\t{cls}\t{c}\t{t}\n" for w, cls, c, t in rows)
    read_table.cache_clear()
    return out


def version(path: str | Path) -> str:
    """The table's sha256 and header, for the model's metadata."""
    path = Path(path)
    if not path.exists():
        return "absent"
    with open(path, encoding="utf-8") as f:
        head = [line[1:].strip() for line in f if line.startswith("#")]
    import hashlib  # here, not at import: OpenSSL costs every extracting process 3.7 MB
    return f"{path.name} sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}; " + "; ".join(head[3:])


def load(path: str | Path) -> dict[str, tuple[str, ...]] | None:
    """word -> its values ("per0", "org2" ...); None when the file is absent."""
    return read_table(Path(path)) or None
