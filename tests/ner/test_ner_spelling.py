"""The ``tagged`` table tells a word with a hamza seat (ئ، ؤ) from the name its normalised form
spells: the adjective هانئ ("content") normalises to هاني, a frequent first name (Hani), as
هادئ ("calm") does to the name هادي. The table and its look-up key both by the form with the
seat, and so does the cue list (``data/cues.tsv``: a seat form is a given name only as the
list spells it); every other feature still reads the normalised word."""

import json

import numpy as np
import pytest

from marsad.doc import Doc
from marsad.ner import selftrain
from marsad.ner import tagger as tagger_mod
from marsad.ner.features import KindSlots, WordFeatures, spelled_forms
from marsad.ner.tagger import Tagger, token_features
from marsad.text import sentence_ranges

TABLE = {"هاني": ("per0",), "سالم": ("per1",), "مسوول": ("per2",)}


def test_spelled_forms_keep_the_hamza_seats_of_the_original():
    doc = Doc("عاش هانِئً مع هاني، وقال المسؤول: ﻫﺎﻧﺊ")   # harakat, and presentation forms
    assert [t.norm for t in doc.tokens] == ["عاش", "هاني", "مع", "هاني", "وقال", "المسوول", "هاني"]
    assert spelled_forms(doc.text, doc.offsets, doc.tokens) == {1: "هانئ", 5: "المسؤول", 6: "هانئ"}
    plain = Doc("عاش هاني ﺇﻋﺎﺩﺓ")   # a hamza under alef (here a presentation form) is no seat
    assert spelled_forms(plain.text, plain.offsets, plain.tokens) == {}


def test_a_hamza_seat_word_has_its_own_row_and_the_normalised_words_other_features():
    wf = WordFeatures(("base", "shape", "tagged"), TABLE)
    name, adj = wf.own("هاني"), wf.own("هانئ")
    assert "tg=per0" in name and not [f for f in adj if f.startswith("tg=")]
    assert [f for f in adj if not f.startswith("tg=")] == [f for f in name if not f.startswith("tg=")]
    assert "w=هاني" in adj
    assert "tg=per0" in wf.own("وهاني") and "tg=" not in " ".join(wf.own("وهانئ"))   # through the stem too
    # without the table, a seat form is no word type of its own (the tagger never makes one)
    assert not WordFeatures(("base",)).spelled and WordFeatures(("base", "tagged"), TABLE).spelled


def test_a_seat_form_is_a_cue_word_only_as_the_cue_list_spells_it():
    """The given name هادي is in the cue list; the adjective هادئ ("calm") is not, though it
    normalises to the same word. A cue word spelt with its seat (وائل) stays one."""
    wf = WordFeatures(("base", "lexicon", "tagged"), TABLE)
    cues = lambda w: [f for f in wf.own(w) if f.startswith("cue=")]
    assert cues("هادي") == ["cue=given"] and cues("هادئ") == []
    assert cues("وائل") == cues("وايل") == cues("ووائل") == ["cue=given"]   # through the stem too
    assert cues("الرئيس") == cues("الرئيس".replace("ئ", "ي")) == ["cue=title"]
    slots = KindSlots({f: k for k, f in enumerate(dict.fromkeys(wf.own("هادي") + wf.own("وائل")), 1)})
    for w in ("هادئ", "هادي", "ووائل"):
        assert wf.own_ids(w, slots) == [slots.kinds.get(f[:f.find("=")], {}).get(f[f.find("=") + 1:], 0)
                                        if "=" in f else slots.bias for f in wf.own(w)]


def test_table_counts_the_seat_form_apart_from_the_name(tmp_path):
    class Fixed:  # a stand-in tagger: tokens 1-2 of each sentence are a person
        def decode(self, doc):
            return None, np.array([3 if k == 1 else 4 if k == 2 else 0 for k in range(len(doc.tokens))]), None

        def label_names(self, labels):
            from marsad.ner.perceptron import LABELS
            return [LABELS[x] for x in labels.tolist()]

    news = tmp_path / "news.jsonl"
    with open(news, "w", encoding="utf-8") as f:
        for k in range(4):
            f.write(json.dumps({"text": "قال هاني سالم إن العيش هانئ هنا."}, ensure_ascii=False) + "\n")
    total, named = selftrain.count(Fixed(), news)
    assert named["هاني", "per"] == 4 and total["هاني"] == 4
    assert total["هانئ"] == 4 and named["هانئ", "per"] == 0


@pytest.mark.skipif(tagger_mod._native is None, reason="compiled decoder not built")
def test_compiled_ids_of_a_batch_with_seat_forms_equal_the_python_ones():
    words = ["هاني", "هانئ", "<s>", "سالم", "وهانئ", "المسؤول", "حلب", "رئيس", "رييس", "مسؤول"]
    base: dict[str, int] = {"": 0}
    wf = WordFeatures(("base", "shape", "tagged"), TABLE)
    for w in words:
        for f in wf.own(w):
            base.setdefault(f, len(base))
    slots = KindSlots(base)
    ids, starts = wf.own_ids_batch(words, slots, tagger_mod._native)
    want_ids, want_starts = wf.own_ids_batch(words, slots)
    assert ids.tolist() == want_ids and starts.tolist() == want_starts
    assert want_ids == [x for w in words for x in [0, *(base.get(f, 0) for f in wf.own(w))]]


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    """A model trained with the group on 40 tiny sentences, its table replaced by TABLE."""
    from marsad.ner.train import main

    d = tmp_path_factory.mktemp("mini")
    lines = []
    for i in range(40):
        who = ["هاني سالم", "سامي الخطيب", "هند العلي", "عادل الشامي"][i % 4].split()
        sent = [("قال", "O"), (who[0], "B-PERS"), (who[1], "I-PERS"), ("إن", "O"), ("الوضع", "O"),
                ("في", "O"), (["حلب", "تعز"][i % 2], "B-LOC"), ("هادئ", "O"), (".", "O")]
        lines.append("\n".join(f"{t} {g}" for t, g in sent))
    data = d / "mini.txt"
    data.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    news = d / "news.jsonl"
    news.write_text("\n".join(json.dumps({"text": "قال هاني سالم إن سامي الخطيب دخل حلب."}, ensure_ascii=False)
                              for _ in range(4)) + "\n", encoding="utf-8")
    out = d / "m.npz"
    assert main(["--data", str(data), "--out", str(out), "--no-lexicons", "--epochs", "3",
                 "--with", "tagged", "--news", str(news)]) == 0
    with open(selftrain.table_path(out), "w", encoding="utf-8") as f:
        f.write("word\tclass\tcount\ttotal\n")
        f.writelines(f"{w}\t{v[0][:3]}\t9\t10\n" for w, v in TABLE.items())
    selftrain.read_table.cache_clear()
    return out


@pytest.mark.parametrize("native", [True, False])
def test_the_tagger_reads_a_seat_word_as_training_does(mini, native):
    """Emissions through the word-type cache equal the sum of the training features, for a text
    with the name and the seat form side by side: the two get different rows."""
    if native and tagger_mod._native is None:
        pytest.skip("compiled decoder not built")
    tagger = Tagger(mini, sources={}, native=native)
    assert tagger.words.spelled
    for text in ("الوضع هانئ في حلب. قال هاني سالم إن المسؤول هانئ", "هاني هانئ"):
        doc = Doc(text)
        forms = tagger.words.forms(doc)
        assert forms and all(doc.tokens[k].norm == "هاني" or "مسوول" in doc.tokens[k].norm for k in forms)
        w = tagger.model.weights
        want = np.array([w[[0, *tagger.model.rows(f)]].sum(axis=0)
                         for i, j in sentence_ranges(doc.tokens)
                         for f in token_features(tagger.words, doc.norm, doc.tokens[i:j], None, forms)])
        got = tagger.emissions(doc, None)
        assert np.allclose(got, want, atol=1e-3)
    ids, em = tagger._cache.ids(["هاني", "هانئ"])
    assert not np.allclose(em[ids[0]], em[ids[1]])   # the name's `tg` row is not the adjective's
    assert tagger.model.rows(["tg=per0"]) and not np.allclose(em[ids[0], 0], em[ids[1], 0])
