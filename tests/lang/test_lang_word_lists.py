"""The word lists of the numbers, dates and geoparser steps and of the place-name keys: data files
with a source per row, read normalised like the text (a word written with hamza on ya matches the
normalised text)."""

import pytest

from marsad.lexicon import load_tsv, word_lists
from marsad.pipeline import Pipeline
from marsad.places.names import key_variants, proclitic_ok, transliterate
from marsad.text import normalize_key

FILES = {
    "number_words.tsv": {"unit", "tens", "hundreds", "vague", "pre", "label", "post", "person", "stop"},
    "date_words.tsv": {"weekday", "month", "hijri_month", "ordinal", "day_part", "count_word"},
    "place_words.tsv": {"direction", "epithet", "skip_after_cue", "list_cue", "two_word_first", "nest_word"},
    "place_name_words.tsv": {"generic", "part_of_name", "needs_admin1_context", "unknown_cue", "anaphoric",
                             "context_only", "idiom_after", "compound_first", "joined_first",
                             "plain_proclitic", "al_proclitic", "no_demonym"},
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


def test_the_transliteration_table_maps_normalised_letters_to_latin():
    rows = load_tsv("translit.tsv")
    assert len(rows) >= 28 and all(r["letter"] and r["latin"] and r["source"] for r in rows)
    # transliterate() reads the normalised name: a letter the normalisation folds away is no key
    assert all(normalize_key(r["letter"]) == r["letter"] for r in rows)
    # ة is read as ه once normalised; an unknown place keeps a readable Latin label
    assert transliterate("خربة غزالة") == "Khrbh Ghzalh"
    assert transliterate("حي الخالدية") == "Hy Al Khaldih"


def test_place_name_words_give_variants_and_clitic_rules():
    assert "ابوكمال" in key_variants("أبو كمال")          # joined_first: written joined too
    assert "حمص" in key_variants("محافظة حمص")           # generic: a bare variant
    assert key_variants("جبل لبنان") == {"جبل لبنان"}      # part_of_name: no bare لبنان
    assert proclitic_ok("وب", False) and proclitic_ok("", False) and not proclitic_ok("ال", False)
    assert proclitic_ok("لل", True) and not proclitic_ok("ب", True)


def test_an_idiom_word_is_no_place(nlp):
    # على الصعيد الميداني (on the field level) names no place; the city after it is one
    doc = nlp("وعلى الصعيد الميداني قصفت الطائرات مدينة حمص.")
    assert [s.label for s in doc.layer("places")] == ["Homs"]
