"""Train the name tagger on ANERcorp (CoNLL: ``token TAG`` lines, blank between sentences).

    marsad ner train [--data ../shared/data/anercorp/train.txt] [--out MODEL.npz]
                     [--heldout-out /tmp/h.txt] [--with levels|tagged|doc] [--without shape|lexicon|clusters|names]
                     [--all] [--tune] [--cv 5] [--news NEWS.jsonl.gz]

Held-out split: the contiguous last fifth of the file (whole articles, bar the one cut at the
boundary): a scattered split leaks names between neighbouring sentences of one article and
reads far higher than new text does. ``--all`` then trains the shipped model on every sentence.
The gold tokens are joined by spaces (as the evaluation does) and re-tokenised by Marsad's own
tokenizer, and each gold label is projected onto the tokens it covers, so the model learns on
exactly what it will see at run time. The model (.npz) and a JSON file beside it (data sha256,
split, feature groups, lexicons, held-out figures) are written; the shipped model lives in
``marsad/ner/model/``. With the ``tagged`` group (``selftrain.py``) the unlabeled news is first
tagged by a model trained on the same sentences without it, and the table is written beside the model.

``--cv K``: a second split, so that a recipe is not chosen for one block: K contiguous folds of
the first four fifths (the held-out block never read), mean figures of the folds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterable

import numpy as np

from ..doc import Doc
from ..text import sentence_ranges
from ..lang.names import version as names_version
from .features import DEFAULT_GROUPS, GROUPS, LexiconFeatures, WordFeatures, available_sources
from .perceptron import train as train_perceptron
from .tagger import MODEL_PATH, Tagger, _runs, bio_spans, file_sha256, meta_path, token_features

DEFAULT_DATA = "../shared/data/anercorp/train.txt"
DEFAULT_NEWS = "../shared/data/news/saudinewsnet_2015.jsonl.gz"   # the ``tagged`` group's unlabeled news
HOLDOUT_FRACTION = 5   # the last 1/5 of the sentences
# Passes over the data. 8 was chosen on a tuning block before the ``tagged`` group (8, 12, 20);
# with it, five-fold CV of the training part (``--cv 5 --with tagged``) gave micro-F1 0.7594 at 8,
# 0.7629 at 6 (higher or level in every fold), 0.7616 at 5, 0.7596 at 7, less at 4 (two folds).
EPOCHS = 6
# Runs averaged; chosen on the tuning block (one, two, three runs). Four (13, 29, 1, 2) scored
# micro-F1 0.768 there where two scored 0.762 (within the seeds' own spread), 0.705 on the
# held-out block where two scored 0.706, and the union of their features added 3 MB to the
# extractor's peak memory: two it stays.
SEEDS = (13, 29)
DROPOUT = 0.4  # chosen on a tuning block inside the training part (0, 0.2, 0.4, 0.6)
# Sentences with a name are seen this many times a pass (each time with its own dropout draws):
# 1, 2, 3 scored micro-F1 0.767, 0.761, 0.756 on the tuning block (with the names group).
NAME_PASSES = 1
# Loss-augmented training (``perceptron.train``'s cost): the gold labels must win by this much per
# token they differ on. Tuning block micro-F1 over three seed pairs (13/29, 1/2, 3/4): 0 -> 0.762,
# 0.763, 0.764; 8 -> 0.768, 0.767 (two pairs); 15 -> 0.770, 0.773, 0.765; 25 -> 0.769, 0.767.
COST = 15.0
_TAG = {"PERS": "PER"}


def read_conll(path: str | Path) -> list[list[tuple[str, str]]]:
    sents, cur = [], []
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.strip()
            if not line:
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            parts = line.split()
            cur.append((parts[0], parts[-1] if len(parts) > 1 else "O"))
    if cur:
        sents.append(cur)
    return sents


def split(sents: list) -> tuple[list, list]:
    """The first four fifths to train on, the contiguous last fifth held out."""
    cut = len(sents) - len(sents) // HOLDOUT_FRACTION
    return sents[:cut], sents[cut:]


def write_conll(sents: Iterable[list[tuple[str, str]]], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for s in sents:
            f.write("".join(f"{t} {g}\n" for t, g in s) + "\n")


def _label(tag: str) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    bi, typ = tag.split("-", 1)
    return f"{bi}-{_TAG.get(typ, typ)}"


def project(sent: list[tuple[str, str]]) -> tuple[Doc, list[str]]:
    """A Doc of the space-joined tokens and the gold label of each of its tokens."""
    text = " ".join(t for t, _ in sent)
    owner = []  # character -> gold token index
    for k, (t, _) in enumerate(sent):
        owner.extend([k] * len(t))
        owner.append(-1)
    doc = Doc(text)
    labels, prev = [], -1
    for tok in doc.tokens:
        a, _ = doc.orig(tok.start, tok.end)
        k = owner[a]
        lab = _label(sent[k][1]) if k >= 0 else "O"
        if lab.startswith("B-") and k == prev:   # second piece of a split gold token
            lab = "I-" + lab[2:]
        labels.append(lab)
        prev = k
    return doc, labels


def sequences(sents, words: WordFeatures, lex: LexiconFeatures):
    """(token features, labels) per Marsad sentence of each gold sentence."""
    for sent in sents:
        doc, labels = project(sent)
        lx = lex.for_tokens(doc.norm, doc.tokens) if lex.sources else None
        toks = doc.tokens
        forms = words.forms(doc)
        for i, j in sentence_ranges(toks):
            yield token_features(words, doc.norm, toks[i:j], lx[i:j] if lx else None, forms), labels[i:j]


def span_scores(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """Exact-span precision/recall/F1 per type over Marsad tokens (a quick development figure)."""
    c = {t: [0, 0, 0] for t in ("LOC", "PER", "ORG")}
    for g, p in zip(gold, pred):
        gs = {s for s in bio_spans(g) if s[0] in c}
        ps = {s for s in bio_spans(p) if s[0] in c}
        for t in c:
            gt = {s for s in gs if s[0] == t}
            pt = {s for s in ps if s[0] == t}
            c[t][0] += len(gt & pt)
            c[t][1] += len(pt - gt)
            c[t][2] += len(gt - pt)

    def f(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return round(p, 4), round(r, 4), round(2 * p * r / (p + r) if p + r else 0.0, 4)
    out = {f"{t}_f1": f(*v)[2] for t, v in c.items()}
    tot = [sum(v[i] for v in c.values()) for i in range(3)]
    out["micro_precision"], out["micro_recall"], out["micro_f1"] = f(*tot)
    return out


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _levels_version() -> str:
    """The cluster levels table the model learnt from (``marsad train levels``)."""
    from ..lang.clusters import LEVELS_PATH
    return f"levels.tsv sha256 {sha256(LEVELS_PATH)[:16]}" if LEVELS_PATH.exists() else "absent"


def lexicon_versions(sources) -> dict[str, str]:
    """Versions of the lexicons whose membership features the model learnt."""
    out = {}
    if "gaz" in sources:
        try:
            from ..places.gazetteer import source_digest
            out["gaz"] = source_digest()
        except Exception:  # the places step may change its API: the version is informative only
            out["gaz"] = "unknown"
    if "act" in sources:
        from ..lexicon import LANG_DIR
        out["act"] = "actors.tsv sha256 " + sha256(LANG_DIR / "actors.tsv")[:16]
    if "org" in sources:
        from .features import DATA_DIR
        out["org"] = "orgs.tsv sha256 " + sha256(DATA_DIR / "orgs.tsv")[:16]
    return out


def fit_temperature(probe: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool]]) -> float:
    """The softmax temperature under which a mention's score (the mean over its tokens of the
    label's probability given the neighbours' labels) best predicts that the mention is right
    (log-loss over the mentions the tagger finds in the held-out block)."""
    if not probe:
        return 1.0
    local = np.concatenate([p[0] for p in probe])
    pred = np.concatenate([p[1] for p in probe])
    seg = np.repeat(np.arange(len(probe)), [len(p[1]) for p in probe])
    size = np.bincount(seg)
    right = np.array([p[2] for p in probe])
    best, best_loss = 1.0, float("inf")
    for t in np.geomspace(0.5, 100, 60):
        z = local / t
        z = z - z.max(axis=1, keepdims=True)
        pr = np.exp(z[np.arange(len(pred)), pred]) / np.exp(z).sum(axis=1)
        score = np.clip(np.bincount(seg, weights=pr) / size, 1e-6, 1 - 1e-6)
        loss = -np.mean(np.where(right, np.log(score), np.log(1 - score)))
        if loss < best_loss:
            best, best_loss = float(t), loss
    return round(best, 3)


def evaluate(tagger: Tagger, sents) -> tuple[dict, dict[str, float]]:
    """Exact-span figures of the tagger's labels on gold sentences, and the temperature fitted
    for each type (the tagger is surer of places than of organisations). With the document pass,
    a sentence's document is its neighbours (``doctrain.WINDOW`` either side)."""
    from .doctrain import decode_windows, first_pass
    from .perceptron import LABELS

    gold, pred, probe = [], [], []
    items = first_pass(tagger, sents, project)
    for it, (best, local) in zip(items, decode_windows(tagger, items)):
        labels = [LABELS[g] for g in it.gold.tolist()]
        names = tagger.label_names(best)
        for i, j in zip(*_runs(it.sent)):
            gold.append(labels[i:i + j])
            pred.append(names[i:i + j])
        spans = set(bio_spans(labels))
        for typ, a, b in bio_spans(names):
            probe.append((typ, (local[a:b], best[a:b], (typ, a, b) in spans)))
    temps = {t: fit_temperature([p for typ, p in probe if typ == t]) for t in ("LOC", "PER", "ORG", "MISC")}
    return span_scores(gold, pred), temps


def _fit(sents, groups, lexicons: bool, epochs: int, log, dropout: float = DROPOUT,
         name_passes: int = NAME_PASSES, tagged: dict | None = None,
         table_file: Path | None = None) -> tuple[object, WordFeatures, dict]:
    """tagged: the ``tagged`` group's table (``_tagged_table``), table_file: where it is written.
    With the ``doc`` group, the document pass's weights are learnt on top (``_fit_doc``)."""
    if "doc" in groups:
        return _fit_doc(sents, groups, lexicons, epochs, log, dropout, name_passes, tagged, table_file)
    sources = available_sources() if lexicons and "lexicon" in groups else {}
    lex = LexiconFeatures(sources)
    words = WordFeatures(groups, tagged)
    t0 = time.perf_counter()
    data = list(sequences(sents, words, lex))
    named = [d for d in data if any(x != "O" for x in d[1])]
    data += named * (name_passes - 1)
    t1 = time.perf_counter()
    model = train_perceptron(data, epochs=epochs, seeds=SEEDS, dropout=dropout, cost=COST, log=log)
    log(f"features {t1 - t0:.1f}s, training {time.perf_counter() - t1:.1f}s, {len(data)} sequences")
    return model, words, sources


def _fit_doc(sents, groups, lexicons: bool, epochs: int, log, dropout: float, name_passes: int,
             tagged: dict | None, table_file: Path | None) -> tuple[object, WordFeatures, dict]:
    """The first pass (the recipe without ``doc``) on every sentence, and the document pass's
    weights learnt on first-pass labels given out of fold (``doctrain.py``), in one model."""
    import shutil

    from . import doctrain
    from .selftrain import table_path

    first = tuple(g for g in groups if g != "doc")
    model, words, sources = _fit(sents, first, lexicons, epochs, log, dropout, name_passes, tagged)
    edges = [round(k * len(sents) / doctrain.INNER) for k in range(doctrain.INNER + 1)]
    items = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(doctrain.INNER):
            part, others = sents[edges[k]:edges[k + 1]], sents[:edges[k]] + sents[edges[k + 1]:]
            m, _, _ = _fit(others, first, lexicons, epochs, lambda s: None, dropout, name_passes, tagged)
            mp = Path(tmp) / f"part{k}.npz"
            m.save(mp)
            meta_path(mp).write_text(json.dumps({"groups": list(first)}), encoding="utf-8")
            if "tagged" in first:
                shutil.copy(table_file, table_path(mp))
            items += doctrain.first_pass(Tagger(mp, sources=sources), part, project)
            log(f"document pass: first pass out of fold, part {k + 1}/{doctrain.INNER}")
    return doctrain.merge(model, doctrain.train(items)), words, sources


def _news_table(sents, groups, lexicons: bool, epochs: int, log, dropout: float, table: Path, news) -> dict:
    """Train a model without the ``tagged`` group on sents, tag the unlabeled news with it and
    write the ``tagged`` table it gives at ``table``; return the table."""
    from .selftrain import build, load

    base = [g for g in groups if g not in ("tagged", "doc")]
    with tempfile.TemporaryDirectory() as tmp:
        mp = Path(tmp) / "news.npz"
        model, _, sources = _fit(sents, base, lexicons, epochs, lambda s: None, dropout)
        model.save(mp)
        meta_path(mp).write_text(json.dumps({"groups": base, "lexicons": sorted(sources)}), encoding="utf-8")
        build(mp, table, news, log=log)
    return load(table)


def _tagged_table(sents, out: Path, groups, lexicons: bool, epochs: int, log, dropout: float, news) -> dict:
    """The ``tagged`` group's table, written beside ``out``: from a model trained on the same
    sentences without the group. (Tables for each half of the training sentences from a model
    trained on the other half, so that no training sentence's feature came from a model that
    learnt its names, scored the same: ``marsad/ner/model/README.md``.)"""
    from .selftrain import table_path
    return _news_table(sents, groups, lexicons, epochs, log, dropout, table_path(out), news)


def _table_file(model_path: Path) -> Path:
    from .selftrain import table_path
    return table_path(model_path)


def train(data: str | Path, out: str | Path = MODEL_PATH, groups: Iterable[str] = DEFAULT_GROUPS, lexicons: bool = True,
          epochs: int = EPOCHS, dropout: float = DROPOUT, heldout: bool = True, heldout_out: str | Path | None = None,
          tune: bool = False, name_passes: int = NAME_PASSES, news: str | Path = DEFAULT_NEWS, log=print) -> dict:
    """Train on the first four fifths and score the held-out last fifth; then, unless heldout,
    train the same recipe on every sentence. Write the model and its metadata; return the metadata.

    tune: the same within the first four fifths only (the tuning block is their last fifth), so
    that a recipe is chosen without reading the held-out block."""
    groups = tuple(g for g in GROUPS if g in set(groups) | {"base"})
    sents = read_conll(data)
    if tune:
        sents = split(sents)[0]
    train_s, held_s = split(sents)
    if heldout_out:
        write_conll(held_s, heldout_out)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    tagged = "tagged" in groups
    table = _tagged_table(train_s, out, groups, lexicons, epochs, log, dropout, news) if tagged else None
    model, words, sources = _fit(train_s, groups, lexicons, epochs, log, dropout, name_passes, table, _table_file(out))
    meta = {
        "model": out.name,
        "data": str(Path(data).name),
        "data_sha256": sha256(data),
        "split": f"contiguous: the last {len(held_s)} of {len(sents)} sentences held out"
                 + (" (tuning block: the file's first four fifths only)" if tune else ""),
        "train_sentences": len(train_s),
        "heldout_sentences": len(held_s),
        "algorithm": "averaged structured perceptron, Viterbi (marsad/ner/perceptron.py)",
        "epochs": epochs,
        "dropout": dropout,
        "cost": COST,
        "name_passes": name_passes,
        "seeds": list(SEEDS),
        "groups": list(groups),
        "lexicons": sorted(sources),
        "lexicon_versions": lexicon_versions(sources),
        **({"names_version": names_version()} if "names" in groups else {}),
        **({"levels_version": _levels_version()} if "levels" in groups else {}),
    }
    model.save(out)
    meta_path(out).write_text(json.dumps(meta), encoding="utf-8")  # the tagger reads groups from it
    figures, temperature = evaluate(Tagger(out, sources=sources), held_s)
    meta["heldout_token_spans"] = figures
    meta["temperature"] = temperature
    if "doc" in groups:  # the scores of documents the pass leaves alone (Tagger.first_temperature)
        first = Tagger(out, sources=sources)
        first._doc_rows = None
        meta["first_pass_temperature"] = evaluate(first, held_s)[1]
    log("held-out (Marsad token spans): " + json.dumps(figures))
    if not heldout:
        table = _tagged_table(sents, out, groups, lexicons, epochs, log, dropout, news) if tagged else None
        model, _, _ = _fit(sents, groups, lexicons, epochs, log, dropout, name_passes, table, _table_file(out))
        model.save(out)
        meta["shipped"] = f"trained on all {len(sents)} sentences; held-out figures are those of the same recipe on the first {len(train_s)}"
        meta["train_sentences"] = len(sents)
    if tagged:
        from .selftrain import table_path, version
        meta["tagged_version"] = version(table_path(out))
    meta.update(model_bytes=out.stat().st_size, model_sha256=file_sha256(out),
                features=int(np.any(model.weights != 0, axis=1).sum()),  # those saved
                trained=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                training_seconds=round(time.perf_counter() - t0, 1))
    meta_path(out).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


def cross_validate(data: str | Path, groups: Iterable[str] = DEFAULT_GROUPS, folds: int = 5, epochs: int = EPOCHS,
                   dropout: float = DROPOUT, news: str | Path = DEFAULT_NEWS, log=print) -> dict:
    """A second split, so that a recipe is not fitted to the one held-out block: the training part
    (the first four fifths; the held-out block is never read) cut into ``folds`` contiguous
    folds, each scored by a model trained on the others. Returns each fold's figures and their mean."""
    groups = tuple(g for g in GROUPS if g in set(groups) | {"base"})
    sents = split(read_conll(data))[0]
    edges = [round(k * len(sents) / folds) for k in range(folds + 1)]
    per_fold = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "fold.npz"
        for k in range(folds):
            held, rest = sents[edges[k]:edges[k + 1]], sents[:edges[k]] + sents[edges[k + 1]:]
            table = _tagged_table(rest, out, groups, True, epochs, log, dropout, news) if "tagged" in groups else None
            model, _, sources = _fit(rest, groups, True, epochs, log, dropout, tagged=table, table_file=_table_file(out))
            model.save(out)
            meta_path(out).write_text(json.dumps({"groups": list(groups)}), encoding="utf-8")
            figures, _ = evaluate(Tagger(out, sources=sources), held)
            log(f"fold {k + 1}/{folds}: " + json.dumps(figures))
            per_fold.append(figures)
    mean = {key: round(sum(f[key] for f in per_fold) / folds, 4) for key in per_fold[0]}
    return {"folds": per_fold, "mean": mean}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m marsad.ner.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA, help="ANERcorp CoNLL file (read in place)")
    ap.add_argument("--out", default=str(MODEL_PATH), help="model file to write (metadata .json beside it)")
    ap.add_argument("--heldout-out", help="also write the held-out sentences (CoNLL) here, for `evaluate ner`")
    ap.add_argument("--all", action="store_true", help="then train the shipped model on every sentence")
    ap.add_argument("--with", dest="with_", action="append", default=[], choices=[g for g in GROUPS if g not in DEFAULT_GROUPS],
                    help="add an opt-in feature group (repeatable)")
    ap.add_argument("--without", action="append", default=[], choices=[g for g in GROUPS if g != "base"],
                    help="leave a feature group out (repeatable)")
    ap.add_argument("--no-lexicons", action="store_true", help="without gazetteer/actor membership features")
    ap.add_argument("--tune", action="store_true", help="score the tuning block (the last fifth of the first four fifths) instead")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--name-passes", type=int, default=NAME_PASSES, help="times a pass sees a sentence with a name")
    ap.add_argument("--news", default=DEFAULT_NEWS, help="unlabeled news (JSON lines) the ``tagged`` group reads")
    ap.add_argument("--cv", type=int, default=0, metavar="K",
                    help="instead: K contiguous folds of the training part (the held-out block never read); mean figures")
    ap.add_argument("--dropout", type=float, default=DROPOUT, help="chance of hiding a token's own word in a pass")
    a = ap.parse_args(argv)
    if not Path(a.data).exists():
        print(f"no such data file: {a.data}", file=sys.stderr)
        return 2
    groups = [g for g in GROUPS if (g in DEFAULT_GROUPS or g in a.with_) and g not in a.without]
    if a.cv:
        res = cross_validate(a.data, groups, a.cv, a.epochs, a.dropout, a.news, log=lambda s: print(s, file=sys.stderr))
        print(json.dumps(res["mean"]))
        return 0
    meta = train(a.data, a.out, groups=groups, lexicons=not a.no_lexicons, epochs=a.epochs, dropout=a.dropout,
                 heldout=not a.all, heldout_out=a.heldout_out, tune=a.tune, name_passes=a.name_passes, news=a.news, log=lambda s: print(s, file=sys.stderr))
    print(json.dumps(meta, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
