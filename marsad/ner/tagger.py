"""The CRF tagger: loads the shipped model and tags a Doc sentence by sentence.

The model (``model/anercorp.crfsuite``) is trained by ``python -m marsad.ner.train`` on
ANERcorp; ``model/anercorp.json`` beside it records the data version, the parameters, the
lexicon features it was trained with and its held-out figures.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..text import sentence_ranges
from .features import (LexiconFeatures, Source, WordFeatures, available_sources, enc,
                       gap_features, org_spans)

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_PATH = MODEL_DIR / "anercorp.crfsuite"
TYPES = {"LOC": "LOC", "PER": "PER", "PERS": "PER", "ORG": "ORG", "MISC": "MISC"}


@dataclass(slots=True)
class Mention:
    type: str       # LOC / PER / ORG / MISC
    first: int      # index of its first token in doc.tokens
    last: int       # index of its last token (inclusive)
    score: float    # mean marginal probability of its labels
    gazetteer: bool = False  # a gazetteer name covers one of its words (the places step finds it)
    in_gazetteer: bool = False  # every word inside a gazetteer place name (كوباني، السيدة زينب)


_TANWEEN = ("\u064b", "\u064c", "\u064d")
_COUNTRYSIDE = {"ريف", "بريف", "وريف", "لريف", "فريف", "وبريف"}
_GAZ = tuple(enc(f"{n}={b}") for n in ("gaz", "gazw") for b in "BI")
_GAZ_STRONG = (enc("gaz=B"), enc("gaz=I"))


def bio_spans(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, i, j) spans, j exclusive; an I- without its B- starts a span (as the scorer reads it)."""
    spans = []
    if labels.count("O") == len(labels):
        return spans  # a sentence that names nothing
    start, typ = None, None
    for i, lab in enumerate([*labels, "O"]):
        t = TYPES.get(lab[2:]) if len(lab) > 2 else None
        inside = lab.startswith("I-") and t == typ
        if start is not None and not inside:
            spans.append((typ, start, i))
            start, typ = None, None
        if t and (lab.startswith("B-") or (lab.startswith("I-") and start is None)):
            start, typ = i, t
    return spans


def sentence_features(words: WordFeatures, norm: str, sent_tokens: Sequence,
                      lex: Sequence[list[bytes]] | None) -> list[list[bytes]]:
    return words.sequence([t.norm for t in sent_tokens], lex, gap_features(norm, sent_tokens))


def meta_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def attributes_path(model_path: Path) -> Path:
    """The model's attribute names, one a line (what ``crf.info()`` would take 0.2 s to list)."""
    return model_path.with_name(model_path.stem + ".attributes.tsv")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_attributes(model_path: Path | str) -> dict:
    """Write the attribute file of a model; return its record for the model's JSON."""
    import pycrfsuite

    model_path = Path(model_path)
    crf = pycrfsuite.Tagger()
    crf.open(str(model_path))
    attrs = sorted({a for a, _ in crf.info().state_features})
    out = attributes_path(model_path)
    out.write_text("attribute\n" + "".join(a + "\n" for a in attrs), encoding="utf-8")
    return {"file": out.name, "count": len(attrs), "model_sha256": file_sha256(model_path)}


def record_attributes(model_path: Path | str = MODEL_PATH) -> dict:
    """Write the attribute file of an already trained model and record it in its JSON."""
    model_path = Path(model_path)
    rec = write_attributes(model_path)
    mp = meta_path(model_path)
    meta = json.loads(mp.read_text(encoding="utf-8")) if mp.exists() else {}
    meta["attributes"] = rec
    mp.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return rec


class Tagger:
    """A loaded CRF model with its feature extractors (build once per process)."""

    def __init__(self, model_path: Path | str = MODEL_PATH, sources: dict[str, Source] | None = None):
        import pycrfsuite

        self.path = Path(model_path)
        self.crf = pycrfsuite.Tagger()
        self.crf.open(str(self.path))
        mp = meta_path(self.path)
        self.meta = json.loads(mp.read_text(encoding="utf-8")) if mp.exists() else {}
        trained_with = self.meta.get("lexicons")
        if sources is None:  # the lexicons the model was trained with, those installed here
            sources = available_sources(trained_with)
        self.lex = LexiconFeatures(sources)
        self.words = WordFeatures(keep=self._known_attributes())
        self._lock = threading.Lock()

    def _known_attributes(self) -> set[str] | None:
        """The attributes the model knows: from the file written at training time when it
        belongs to this model (same sha256), else from the model dump (slow)."""
        rec = self.meta.get("attributes") or {}
        ap = attributes_path(self.path)
        try:
            if rec.get("model_sha256") and ap.exists() and rec["model_sha256"] == file_sha256(self.path):
                lines = ap.read_text(encoding="utf-8").split("\n")
                return set(lines[1:-1])
        except (OSError, UnicodeDecodeError):
            pass
        try:
            return {a for a, _ in self.crf.info().state_features}
        except Exception:  # an unreadable dump only costs speed
            return None

    def features(self, norm: str, sent_tokens: Sequence, lex: Sequence[list[bytes]] | None) -> list[list[bytes]]:
        """Feature lists of one sentence's tokens (the same function serves training)."""
        return sentence_features(self.words, norm, sent_tokens, lex)

    def tag_doc(self, doc) -> list[Mention]:
        """Mentions over doc.tokens, sentence by sentence."""
        toks = doc.tokens
        if not toks:
            return []
        lex = self.lex.for_tokens(doc.norm, toks) if self.lex.sources else None
        orgs = self._org_tokens(doc)
        out: list[Mention] = []
        for i, j in sentence_ranges(toks):
            xseq = self.features(doc.norm, toks[i:j], lex[i:j] if lex else None)
            found = []
            with self._lock:  # the crfsuite tagger holds the sentence it tags: one at a time
                labels = self.crf.tag(xseq)
                for typ, a, b in bio_spans(labels):
                    score = sum(self.crf.marginal(labels[k], k) for k in range(a, b)) / (b - a)
                    found.append(Mention(typ, i + a, i + b - 1, round(score, 4)))
            out += self._clean(doc, found, lex)
        if orgs:
            out = self._add_orgs(out, orgs)
        return out

    @staticmethod
    def _org_tokens(doc) -> list[tuple[int, int]]:
        """Token ranges [i, j) of the named organisations of data/orgs.tsv in the doc."""
        spans = org_spans(doc.norm)
        if not spans:
            return []
        starts = [t.start for t in doc.tokens]
        out = []
        for a, b in spans:
            i = bisect.bisect_right(starts, a) - 1
            j = bisect.bisect_left(starts, b)
            if 0 <= i < j and doc.tokens[i].sent == doc.tokens[j - 1].sent:
                out.append((i, j))
        return out

    @staticmethod
    def _add_orgs(mentions: list[Mention], orgs: list[tuple[int, int]]) -> list[Mention]:
        """Named organisations the tagger missed (it learnt from news before ISIS existed)."""
        added = [Mention("ORG", i, j - 1, 1.0) for i, j in orgs
                 if not any(m.first < j and i <= m.last for m in mentions)]
        return sorted(mentions + added, key=lambda m: m.first) if added else mentions

    def _clean(self, doc, found: list[Mention], lex) -> list[Mention]:
        """Conflict-report fixes the news corpus could not teach, and the places step's view."""
        toks = doc.tokens
        out: list[Mention] = []
        for k, m in enumerate(found):
            if m.first == m.last:
                a, b = doc.orig(toks[m.first].start, toks[m.first].end)
                if any(t in doc.text[a:b] for t in _TANWEEN):
                    continue  # سياسيًا، فكريًا: an adverb with tanween is no name
            if m.type == "LOC" and m.first == m.last and toks[m.first].norm in _COUNTRYSIDE:
                nxt = found[k + 1] if k + 1 < len(found) else None
                if nxt is not None and nxt.type == "LOC" and nxt.first == m.last + 1:
                    nxt.first, nxt.score = m.first, min(m.score, nxt.score)  # ريف + حلب: one place
                continue  # "ريف" without a place after it is the word "countryside"
            out.append(m)
        for m in out:
            if lex is None:
                break
            if m.type != "LOC":
                m.in_gazetteer = all(any(g in lex[k] for g in _GAZ_STRONG) for k in range(m.first, m.last + 1))
                continue
            m.gazetteer = any(g in lex[k] for k in range(m.first, m.last + 1) for g in _GAZ)
        return out


_DEFAULT: Tagger | None = None


def default_tagger() -> Tagger:
    """The shipped model, loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Tagger()
    return _DEFAULT
