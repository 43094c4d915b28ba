"""Text layer: Arabic normalisation with an offset map, sentences and tokens."""

from .normalize import normalize, normalize_key
from .tokens import Token, tokenize, split_sentences, sentence_ranges, PROCLITICS, strip_proclitics

__all__ = ["normalize", "normalize_key", "Token", "tokenize", "split_sentences",
           "PROCLITICS", "strip_proclitics", "sentence_ranges"]
