"""Train the named-entity tagger on ANERcorp (CoNLL: ``token TAG`` lines, blank between sentences).

    python -m marsad.ner.train [--data ../shared/data/anercorp/train.txt] [--out MODEL.crfsuite]
                               [--heldout-out /tmp/anercorp_heldout.txt] [--no-lexicons]

Held-out split: sentence k (0-based, in file order) is held out when k % 5 == 4; the model is
trained on the others and scored on those. The gold tokens are joined by spaces (as the
evaluation does) and re-tokenised by Marsad's own tokenizer, and each gold label is projected
onto the tokens it covers, so the model learns on exactly what it will see at run time.
The model and a JSON file beside it (data sha256, parameters, lexicons, held-out figures) are
written; the shipped model lives in ``marsad/ner/model/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Iterable

from ..doc import Doc
from ..text import sentence_ranges
from .features import LexiconFeatures, WordFeatures, available_sources
from .tagger import MODEL_PATH, bio_spans, meta_path, sentence_features, write_attributes

DEFAULT_DATA = "../shared/data/anercorp/train.txt"
HOLDOUT_EVERY, HOLDOUT_INDEX = 5, 4
PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 120, "feature.possible_transitions": True}
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
    train = [s for k, s in enumerate(sents) if k % HOLDOUT_EVERY != HOLDOUT_INDEX]
    held = [s for k, s in enumerate(sents) if k % HOLDOUT_EVERY == HOLDOUT_INDEX]
    return train, held


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
    """(features, labels, words) per Marsad sentence of each gold sentence."""
    for sent in sents:
        doc, labels = project(sent)
        lx = lex.for_tokens(doc.norm, doc.tokens) if lex.sources else None
        toks = doc.tokens
        for i, j in sentence_ranges(toks):
            w = [t.norm for t in toks[i:j]]
            yield sentence_features(words, doc.norm, toks[i:j], lx[i:j] if lx else None), labels[i:j], w


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


def train(data: str | Path, out: str | Path = MODEL_PATH, lexicons: bool = True, params: dict | None = None,
          heldout: bool = True, heldout_out: str | Path | None = None, log=print) -> dict:
    """Train on the data (minus the held-out fifth), write the model and its metadata; return the metadata."""
    import pycrfsuite

    params = {**PARAMS, **(params or {})}
    sents = read_conll(data)
    train_s, held_s = split(sents) if heldout else (sents, [])
    if heldout_out:
        write_conll(held_s, heldout_out)
    sources = available_sources() if lexicons else {}
    lex = LexiconFeatures(sources)
    words = WordFeatures()
    t0 = time.perf_counter()
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(params)
    n_seq = 0
    for x, y, _ in sequences(train_s, words, lex):
        trainer.append(x, y)
        n_seq += 1
    t1 = time.perf_counter()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    t2 = time.perf_counter()
    log(f"features {t1 - t0:.1f}s, training {t2 - t1:.1f}s, {n_seq} sequences, "
        f"{len(trainer.logparser.iterations)} iterations")
    meta = {
        "model": out.name,
        "data": str(Path(data).name),
        "data_sha256": sha256(data),
        "split": f"sentence k held out when k % {HOLDOUT_EVERY} == {HOLDOUT_INDEX}" if heldout else "none (all data)",
        "train_sentences": len(train_s),
        "heldout_sentences": len(held_s),
        "algorithm": "lbfgs",
        "params": params,
        "lexicons": sorted(sources),
        "lexicon_versions": lexicon_versions(sources),
        "model_bytes": out.stat().st_size,
        "trained": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "training_seconds": round(t2 - t1, 1),
    }
    meta["attributes"] = write_attributes(out)  # read at load time instead of the model dump
    if held_s:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(out))
        gold, pred = [], []
        for x, y, _ in sequences(held_s, words, lex):
            gold.append(y)
            pred.append(tagger.tag(x))
        meta["heldout_token_spans"] = span_scores(gold, pred)
        log("held-out (Marsad token spans): " + json.dumps(meta["heldout_token_spans"]))
    meta_path(out).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m marsad.ner.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA, help="ANERcorp CoNLL file (read in place)")
    ap.add_argument("--out", default=str(MODEL_PATH), help="model file to write (metadata .json beside it)")
    ap.add_argument("--heldout-out", help="also write the held-out sentences (CoNLL) here, for `evaluate ner`")
    ap.add_argument("--all", action="store_true", help="train on every sentence (no held-out figures)")
    ap.add_argument("--no-lexicons", action="store_true", help="without gazetteer/actor membership features")
    ap.add_argument("--c1", type=float, default=PARAMS["c1"])
    ap.add_argument("--c2", type=float, default=PARAMS["c2"])
    ap.add_argument("--max-iterations", type=int, default=PARAMS["max_iterations"])
    a = ap.parse_args(argv)
    if not Path(a.data).exists():
        print(f"no such data file: {a.data}", file=sys.stderr)
        return 2
    train(a.data, a.out, lexicons=not a.no_lexicons, heldout=not a.all, heldout_out=a.heldout_out,
          params={"c1": a.c1, "c2": a.c2, "max_iterations": a.max_iterations})
    return 0


if __name__ == "__main__":
    sys.exit(main())
