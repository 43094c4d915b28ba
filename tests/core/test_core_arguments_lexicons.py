"""Actors, weapons, sources and conditions (the argument lexicons) and the actor resolver."""

from datetime import date
from pathlib import Path

import pytest

from marsad.components.actors import fill_country, resolve_actor
from marsad.lexicon import load_tsv
from marsad.pipeline import Pipeline

EXAMPLE = Path(__file__).resolve().parents[2] / ".." / "shared" / "examples" / "khalidiya_homs.txt"


@pytest.fixture(scope="module")
def nlp():
    return Pipeline(["lexicons"])


def labels(doc, layer):
    return [s.label for s in doc.layer(layer)]


def test_actors_with_proclitics(nlp):
    text = "اشتبكت وقوات النظام مع مقاتلي الجيش الحر، وقال مصدر إن الهجوم كان لداعش وللحوثيين."
    doc = nlp(text, date(2015, 8, 6))
    got = [(s.label, s.text) for s in doc.layer("actors")]
    assert ("Military Forces of Syria", "قوات النظام") in got        # و left out of the span
    assert ("Free Syrian Army", "مقاتلي الجيش الحر") in got           # longest match beats الجيش
    assert ("Islamic State", "داعش") in got
    assert any(lab == "Ansar Allah (Houthis)" for lab, _ in got)
    for s in doc.layer("actors"):
        assert text[s.start:s.end] == s.text
        assert s.sent == 0 and isinstance(s.data["inter"], int)


def test_actor_categories_and_placeholders(nlp):
    doc = nlp("قتل مسلحون مجهولون ثلاثة مدنيين واعتقلت الشرطة عددا من المتظاهرين.", None)
    by_label = {s.label: s for s in doc.layer("actors")}
    assert by_label["Unidentified Armed Group ({country})"].data["inter"] == 3
    assert by_label["Civilians ({country})"].data["inter"] == 7
    assert by_label["Protesters ({country})"].data["inter"] == 6
    assert by_label["Police Forces of {country}"].data["inter"] == 1


def test_common_words_are_not_actors(nlp):
    doc = nlp("أبدى المقاتلون مقاومة شرسة، وهذا نظام جديد للتنظيم الإداري في المؤتمر الصحفي.", None)
    assert "Popular Resistance (Yemen)" not in labels(doc, "actors")
    assert "Military Forces of Syria" not in labels(doc, "actors")


def test_fill_country_and_resolve():
    assert fill_country("Civilians ({country})", "SY") == "Civilians (Syria)"
    assert fill_country("Military Forces of {country}", "PS") == "Military Forces of Palestine"
    assert fill_country("Civilians ({country})", None) == "Civilians"
    assert fill_country("Islamic State", "IQ") == "Islamic State"
    # bare التحالف: Saudi-led in Yemen, the international coalition in Iraq
    row = next(r for r in load_tsv("actors.tsv") if r["pattern"] == "التحالف")
    assert resolve_actor(row["actor"], row, "YE") == ("Saudi-led Coalition", 8)
    assert resolve_actor(row["actor"], row, "IQ") == ("International Coalition against Islamic State", 8)
    # Saudi forces: 1 at home, 8 abroad; Hezbollah 3 in Lebanon, 8 elsewhere
    saudi = {"inter": 1, "inter_abroad": 8, "country": "SA"}
    assert resolve_actor("Military Forces of Saudi Arabia", saudi, "SA")[1] == 1
    assert resolve_actor("Military Forces of Saudi Arabia", saudi, "YE")[1] == 8
    hez = {"inter": 3, "inter_abroad": 8, "country": "LB"}
    assert resolve_actor("Hezbollah", hez, "LB")[1] == 3 and resolve_actor("Hezbollah", hez, "SY")[1] == 8


def test_every_table_row_has_provenance():
    for name, col in (("actors.tsv", "source"), ("weapons.tsv", "source"), ("sources.tsv", "provenance"),
                      ("conditions.tsv", "source")):
        rows = load_tsv(name)
        assert len(rows) > 50, name
        assert all(r[col] for r in rows), name
    for r in load_tsv("actors.tsv"):
        assert r["inter"] in {"1", "2", "3", "4", "5", "6", "7", "8"}, r


def test_weapons(nlp):
    doc = nlp("قصفت المروحيات البلدة بالبراميل المتفجرة وقذائف الهاون، وانفجرت سيارة مفخخة قرب الحاجز.", None)
    assert labels(doc, "weapons") == ["helicopter", "barrel bomb", "mortar", "car bomb"]


def test_sources(nlp):
    text = ("قال المرصد السوري لحقوق الإنسان إن الغارات استمرت، وأفاد ناشطون للعربية نت بأن القصف عنيف، "
            "بحسب وكالة سانا ومصادر محلية ورويترز.")
    doc = nlp(text, None)
    assert labels(doc, "sources") == ["Syrian Observatory for Human Rights", "activists", "Al Arabiya", "SANA",
                                      "local sources", "Reuters"]


def test_outlet_names_that_are_common_words(nlp):
    doc = nlp("اجتمع وزراء الدول العربية في الرياض اليوم لبحث الوطن العربي.", None)
    assert labels(doc, "sources") == []
    doc = nlp("وقال المتحدث لـ«الرياض» إن الوضع مستقر.", None)
    assert labels(doc, "sources") == ["Al Riyadh"]
    doc = nlp('قال "الرياض تستضيف القمة" في عنوانها.', None)       # قال ends in ل: not لـ«...»
    assert labels(doc, "sources") == []


def test_each_good_of_a_shortage_gets_its_own_span(nlp):
    text = "يعاني السكان من نقص حاد في الغذاء والدواء والوقود."
    doc = nlp(text, None)
    got = [(s.label, s.text) for s in doc.layer("conditions")]
    assert got == [("food shortage", "نقص حاد في الغذاء"), ("medicine shortage", "الدواء"),
                   ("fuel shortage", "الوقود")]


def test_conditions_after_the_good_and_phrases(nlp):
    doc = nlp("المدينة تحت الحصار منذ شهرين، والكهرباء مقطوعة والإنترنت غائبة، ونزح آلاف السكان.", None)
    assert labels(doc, "conditions") == ["siege", "power outage", "communications blackout", "displacement"]
    doc = nlp("انقطاع الكهرباء والمياه عن الحي.", None)
    assert labels(doc, "conditions") == ["power outage", "water shortage"]


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example not beside the repository")
def test_khalidiya_example(nlp):
    text = EXAMPLE.read_text(encoding="utf-8")
    doc = nlp(text, None)
    assert set(labels(doc, "sources")) == {"Syrian Observatory for Human Rights", "activists", "Al Arabiya"}
    assert labels(doc, "conditions") == ["communications blackout", "communications blackout", "power outage",
                                         "food shortage", "medicine shortage", "siege"]
    assert {"helicopter", "barrel bomb", "tank", "mortar"} <= set(labels(doc, "weapons"))
    assert {"Military Forces of Syria", "Free Syrian Army"} <= set(labels(doc, "actors"))
    cond = {s.label: s.text for s in doc.layer("conditions")}
    assert cond["food shortage"] == "نقص شديد في الطعام" and cond["medicine shortage"] == "الدواء"
    assert cond["power outage"] == "الكهرباء مقطوعة" and cond["siege"] == "تحت الحصار"
    for layer in ("actors", "weapons", "sources", "conditions"):
        for s in doc.layer(layer):
            assert text[s.start:s.end] == s.text and s.sent >= 0
