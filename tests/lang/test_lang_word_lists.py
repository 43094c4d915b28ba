"""The word lists of the numbers, dates and geoparser steps: data files with a source per row,
read normalised like the text (a word written with hamza on ya matches the normalised text)."""

import pytest

from marsad.lexicon import load_tsv, word_lists
from marsad.pipeline import Pipeline

FILES = {
    "number_words.tsv": {"unit", "tens", "hundreds", "vague", "pre", "label", "post", "person", "stop"},
    "date_words.tsv": {"weekday", "month", "hijri_month", "ordinal", "day_part", "count_word"},
    "place_words.tsv": {"direction", "epithet", "skip_after_cue", "list_cue", "two_word_first", "nest_word"},
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_row_has_a_word_a_list_and_a_source(name):
    rows = load_tsv(name)
    assert rows
    for r in rows:
        assert r["word"] and r["list"] and r["source"], r
    assert FILES[name] <= set(word_lists(name))


def test_numeric_values_are_numbers():
    for name, lists in (("number_words.tsv", ("unit", "tens", "hundreds", "vague")),
                        ("date_words.tsv", ("weekday", "month", "hijri_month", "ordinal", "count_word"))):
        for lst in lists:
            assert all(r["value"].isdigit() for r in word_lists(name)[lst]), (name, lst)


@pytest.fixture(scope="module")
def nlp():
    return Pipeline(["numbers", "places"])


def test_a_camp_for_refugees_is_no_place_name(nlp):
    # اللاجئين is listed with its hamza; the text is matched normalised: "refugees" follows the
    # cue word مخيم without being the camp's name
    doc = nlp("اختطف مسلحون عشرة أشخاص من مخيم للاجئين السوريين قرب الحدود أمس.")
    assert not [s for s in doc.layer("places") if "لاجئين" in s.text]


def test_number_words_from_the_file_give_figures(nlp):
    doc = nlp("قتل ثلاثمائة وخمسة عشر شخصا وأصيب عشرات آخرون في قصف على المدينة.")
    killed = [s for s in doc.layer("casualties") if s.label == "killed"]
    assert killed and killed[0].data["count"] == 315
