"""The Doc's tokens made in C (marsad/text/_tokens.pyx) against the Python path."""

import random


def test_tokens_made_in_c_are_those_of_the_python_path():
    """marsad/text/_tokens.pyx (when built) makes the same Token objects as tokenize_py."""
    import pytest
    from marsad.text import normalize, split_sentences
    from marsad.text import tokens as t
    if t._tokens is None:
        pytest.skip("the tokens module is not built (or MARSAD_PURE)")
    rnd = random.Random(11)
    pieces = ["قصف", " ", " ", ".", "\n", "الطيران", "2015", "_", "#حلب", "«", "a", "é", "؟", "x1"]
    for k in range(500):
        norm, _ = normalize("".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 60))))
        sents = split_sentences(norm)
        got = t.tokenize(norm, sents)
        assert got == t.tokenize_py(norm, sents)
        assert all(type(x) is t.Token for x in got)
    with pytest.raises(TypeError):
        t._tokens.slots_of(type("NotAToken", (), {}))
