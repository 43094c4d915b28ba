"""The shipped name tagger: what it finds in new sentences, and how it reaches the pipeline."""

import json
from importlib import resources

from marsad.doc import Doc
from marsad.ner.component import add_mentions, component
from marsad.ner.tagger import MODEL_PATH, Tagger, bio_spans, default_tagger
from marsad.pipeline import Pipeline


def names(doc, mentions):
    return {(m.type, doc.text[slice(*doc.orig(doc.tokens[m.first].start, doc.tokens[m.last].end))])
            for m in mentions}


def test_model_ships_inside_the_installed_package_with_its_provenance():
    pkg = resources.files("marsad.ner") / "model"
    assert (pkg / "anercorp.npz").is_file()
    meta = json.loads((pkg / "anercorp.json").read_text(encoding="utf-8"))
    assert len(meta["data_sha256"]) == 64
    assert meta["split"].startswith("contiguous: the last 794 of 3973 sentences held out")
    assert meta["heldout_token_spans"]["micro_f1"] >= 0.65
    assert meta["model_bytes"] < 4_000_000
    assert default_tagger().path == MODEL_PATH


def test_the_shipped_model_is_the_documented_recipe():
    """`marsad ner train --all --with tagged --with doc` with the defaults of train.py: passes,
    dropout, cost, seeds (a changed default must come with the model retrained)."""
    from marsad.ner import train

    meta = default_tagger().meta
    assert meta["shipped"].startswith("trained on all 3973 sentences")
    assert (meta["epochs"], meta["dropout"], meta["cost"], meta["seeds"]) == (
        train.EPOCHS, train.DROPOUT, train.COST, list(train.SEEDS))
    assert "tagged" in meta["groups"] and "doc" in meta["groups"]
    assert set(meta["first_pass_temperature"]) == set(meta["temperature"])   # short documents' scores


def test_tagger_finds_a_person_an_organisation_and_a_place():
    doc = Doc("وقال وزير الخارجية سامي الخطيب في مؤتمر صحفي في عمان إن الأمم المتحدة سترسل فريقا.")
    found = names(doc, default_tagger().tag_doc(doc))
    assert found == {("PER", "سامي الخطيب"), ("LOC", "عمان"), ("ORG", "الأمم المتحدة")}


def test_person_and_organisation_entities_point_into_the_original_text():
    # diacritics and tatweel make normalised and original offsets differ
    text = "أعلنَ القائـــدُ العسكري أبو محمد الحلبي لوكالة رويترز أن المقاتلين سيطروا على البلدة."
    doc = Pipeline(["ner"])(text)
    ents = {(e["type"], e["text"]) for e in doc.entities}
    assert ents == {("PER", "أبو محمد الحلبي"), ("ORG", "رويترز")}
    for e in doc.entities:
        assert text[e["start"]:e["end"]] == e["text"]
    for s in doc.layer("ner"):
        assert s.label in ("LOC", "PER", "ORG") and 0 < s.data["score"] <= 1


def test_a_place_becomes_one_loc_entity_whether_or_not_a_places_step_reads_it():
    text = "قصفت الطائرات بلدة تل السمن قرب مدينة الرقة وقتل خمسة مدنيين."
    doc = Doc(text)
    mentions = default_tagger().tag_doc(doc)
    assert any(m.type == "LOC" for m in mentions)
    add_mentions(doc, mentions, loc="all")           # no places step: the tagger's LOC are entities
    locs = [e for e in doc.entities if e["type"] == "LOC"]
    assert locs and all("latitude" not in e for e in locs)
    add_mentions(doc, mentions, loc="all")           # the same spans again add nothing
    assert len([e for e in doc.entities if e["type"] == "LOC"]) == len(locs)
    doc2 = Doc(text)
    add_mentions(doc2, mentions, loc="none")         # a places step that reads layer "ner"
    assert not doc2.entities and any(s.label == "LOC" for s in doc2.layer("ner"))


def test_with_the_places_step_each_place_is_one_entity():
    # دمشق is in the gazetteer (the places step gives it coordinates); جنيف is found by the tagger
    text = "وصل الوفد إلى جنيف قادما من دمشق وقال سامي الخطيب إن المحادثات ستبدأ."
    doc = Pipeline(["ner", "places"])(text)
    locs = sorted((e["text"], "latitude" in e) for e in doc.entities if e["type"] == "LOC")
    assert [t for t, _ in locs] == ["جنيف", "دمشق"]
    assert ("دمشق", True) in locs
    spans = sorted((e["start"], e["end"]) for e in doc.entities)
    assert all(b <= c for (_, b), (c, _) in zip(spans, spans[1:])), "entities overlap"


def test_switching_the_tagger_off_leaves_lexicon_entities_only(monkeypatch):
    monkeypatch.setenv("MARSAD_NER", "off")
    step = component()
    doc = Doc("وقال وزير الخارجية سامي الخطيب في عمان.")
    step(doc)
    assert doc.layer("ner") == [] and not [e for e in doc.entities if e["type"] == "PER"]


def test_bad_text_does_not_break_the_tagger():
    tagger = default_tagger()
    for text in ("", " . ، ؟ !", "123 456", "a" * 5000, "كلمة " * 3000, "\u200f\u064b\u0640"):
        doc = Doc(text)
        for m in tagger.tag_doc(doc):
            assert 0 <= m.first <= m.last < len(doc.tokens)


def test_bio_spans_read_broken_sequences_like_the_scorer():
    assert bio_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC"]) == [
        ("PER", 0, 2), ("LOC", 3, 4), ("ORG", 4, 5), ("LOC", 5, 6)]


def test_a_model_without_lexicon_features_still_tags(tmp_path):
    t = Tagger(MODEL_PATH, sources={})   # e.g. gazetteer not installed
    doc = Doc("وصل الرئيس سامي الخطيب إلى عمان.")
    assert ("PER", "سامي الخطيب") in names(doc, t.tag_doc(doc))


def test_ner_tag_command_prints_names_with_original_offsets(tmp_path):
    from click.testing import CliRunner

    from marsad.ner.commands import ner

    f = tmp_path / "r.txt"
    text = "وقال سامي الخطيب في دمشق إن الأمم المتحدة سترسل فريقا."
    f.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(ner, ["tag", str(f)])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert {(r["type"], r["text"]) for r in rows} >= {("PER", "سامي الخطيب"), ("ORG", "الأمم المتحدة")}
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


def test_named_armed_groups_the_news_corpus_never_saw_are_organisations():
    text = "وأعلن تنظيم داعش مسؤوليته عن الهجوم، فيما قالت جبهة النصرة إن مقاتليها صدوا تقدم الحوثيين."
    doc = Pipeline(["ner"])(text)
    orgs = {e["text"] for e in doc.entities if e["type"] == "ORG"}
    assert {"تنظيم داعش", "جبهة النصرة"} <= orgs
    assert any("الحوثيين" in o for o in orgs)


def test_well_known_companies_and_bodies_with_no_head_word_are_organisations():
    # data/orgs.tsv: names the tagger alone missed (no head word such as شركة before them)
    cases = {
        "قالت هواوي إنها ستفتح مصنعا في الرياض.": "هواوي",
        "رفعت غازبروم أسعار الغاز المصدر إلى أوكرانيا.": "غازبروم",
        "انتقدت مراسلون بلا حدود اعتقال الصحفيين في القاهرة.": "مراسلون بلا حدود",
        "طالب صندوق النقد الدولي الحكومة بخفض الدعم.": "صندوق النقد الدولي",
    }
    nlp = Pipeline(["ner", "places"])
    for text, org in cases.items():
        ents = {(e["type"], e["text"]) for e in nlp(text).entities}
        assert ("ORG", org) in ents, (text, ents)
        assert not any(t == "LOC" and org in x for t, x in ents), (text, ents)


def test_ner_info_command_tells_the_models_provenance():
    from click.testing import CliRunner

    from marsad.cli import main

    res = CliRunner().invoke(main, ["ner", "info"])
    assert res.exit_code == 0, res.output
    assert "anercorp.npz" in res.output and '"data_sha256"' in res.output and '"split": "contiguous' in res.output


def test_an_organisation_named_after_a_place_stays_org_from_a_moderate_score():
    # CONFIDENT was chosen by CV through the extractor (model README): a tagger ORG over a gazetteer
    # place (a club named after its city) scored 0.5 is the entity; one scored 0.1 is left to the
    # places step
    from marsad.ner.component import CONFIDENT
    from marsad.ner.tagger import Mention

    assert 0.1 < CONFIDENT <= 0.5
    for score, kept in ((0.5, True), (0.1, False)):
        doc = Doc("فاز نادي برشلونة أمس")
        m = Mention("ORG", 1, 2, score, gazetteer=True, in_gazetteer=True)
        add_mentions(doc, [m], loc="none")
        orgs = [e["text"] for e in doc.entities if e["type"] == "ORG"]
        assert orgs == (["نادي برشلونة"] if kept else []), score
        assert [s.label for s in doc.layer("ner")] == ["ORG"]


def test_a_listed_organisation_replaces_the_tagger_s_shorter_pieces_of_it():
    from marsad.ner.tagger import Mention, Tagger

    def added(mentions, orgs):
        return [(m.type, m.first, m.last) for m in Tagger._add_orgs(mentions, orgs)]

    # جامعة الدول | العربية: the tagger's ORG cut short; وكالة أنباء [الشرق الأوسط]: a LOC inside
    assert added([Mention("ORG", 2, 3, 0.7)], [(2, 5, 2)]) == [("ORG", 2, 4)]
    assert added([Mention("PER", 0, 0, 0.9), Mention("LOC", 4, 5, 0.8)], [(3, 6, 3)]) == [("PER", 0, 0), ("ORG", 3, 5)]
    # nothing there: the listed name is added whole; the tagger's longer or same name stays
    assert added([Mention("PER", 0, 0, 0.9)], [(3, 5, 4)]) == [("PER", 0, 0), ("ORG", 3, 4)]
    assert added([Mention("ORG", 2, 5, 0.7)], [(2, 5, 2)]) == [("ORG", 2, 5)]
    assert added([Mention("ORG", 2, 4, 0.7)], [(2, 5, 2)]) == [("ORG", 2, 4)]
    assert added([Mention("LOC", 1, 2, 0.7)], [(2, 5, 2)]) == [("LOC", 1, 2)]
    # حركة [طالبان]: the corpus leaves the word for the kind out, as the tagger did
    assert added([Mention("ORG", 3, 3, 0.7)], [(2, 4, 3)]) == [("ORG", 3, 3)]
    assert added([Mention("ORG", 3, 3, 0.7)], [(2, 5, 3)]) == [("ORG", 3, 4)]
    assert added([Mention("ORG", 2, 3, 0.7)], [(2, 5, 3)]) == [("ORG", 2, 4)]
    # فجر | ليبيا، هرتا | برلين: pieces that fill the listed name are one name too
    assert added([Mention("ORG", 2, 2, 0.7), Mention("LOC", 3, 3, 0.9)], [(2, 4, 2)]) == [("ORG", 2, 3)]
    # تنظيم | القاعدة under both تنظيم القاعدة and القاعدة في جزيرة العرب: the longer is read
    assert added([Mention("ORG", 2, 2, 0.7), Mention("ORG", 3, 3, 0.7)], [(2, 4, 2), (3, 7, 3)]) \
        == [("ORG", 2, 2), ("ORG", 3, 6)]


def test_a_listed_name_starts_after_a_kind_word_the_corpus_leaves_out():
    from marsad.doc import Doc
    from marsad.ner.tagger import Tagger

    doc = Doc("وقالت حركة طالبان إن وكالة المخابرات المركزية كذبت.")
    words = [t.norm for t in doc.tokens]
    spans = {" ".join(words[i:j]): words[core] for i, j, core in Tagger._org_tokens(doc)}
    assert spans["حركه طالبان"] == "طالبان"
    assert spans["وكاله المخابرات المركزيه"] == "المخابرات"


def test_a_proper_name_of_an_organisation_ends_before_its_country_s_adjective():
    from marsad.doc import Doc
    from marsad.ner.tagger import Mention, _drop_country_adjective

    doc = Doc("وقعت جامعة ريكو اليابانية اتفاقا مع منظمة التحرير الفلسطينية")
    words = [t.norm for t in doc.tokens]
    proper = Mention("ORG", words.index("جامعه"), words.index("اليابانيه"), 0.9)
    described = Mention("ORG", words.index("منظمه"), words.index("الفلسطينيه"), 0.9)
    for m in (proper, described):
        _drop_country_adjective(doc, m)
    # ريكو is a name: the adjective is no part of it; التحرير is a word: the name is all three
    assert words[proper.last] == "ريكو"
    assert words[described.last] == "الفلسطينيه"


def test_an_organisation_ends_before_a_listed_adjective_the_gazetteer_lacks():
    # الألباني is in data/nationalities.tsv, not among the gazetteer's demonyms: one list for
    # organisations and persons (marsad.ner.nationalities)
    from marsad.ner.tagger import Mention, _drop_country_adjective

    doc = Doc("وقال حزب كوكيزي الألباني إن")
    words = [t.norm for t in doc.tokens]
    m = Mention("ORG", words.index("حزب"), words.index("الالباني"), 0.9)
    _drop_country_adjective(doc, m)
    assert words[m.last] == "كوكيزي"
