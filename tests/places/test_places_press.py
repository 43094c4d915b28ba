"""Places outside the Middle East in the spellings of the Arabic press (data/places_press.tsv,
older and press country spellings in countries*.tsv), villages of south Lebanon
(places_levant.tsv), and a weak name of three letters in a list with a place
(geoparser._list_joins: حيفا وعكا)."""

from marsad.geo import distance_km as km


def locs(doc):
    return [(e["text"], e.get("country_code")) for e in doc.entities if e["type"] == "LOC"]


def test_world_towns_states_and_regions(run):
    doc = run("وعقد الاجتماع في جنيف بعد إعصار ضرب ولاية فلوريدا وخليج المكسيك.")
    got = dict(locs(doc))
    assert got["جنيف"] == "CH" and got["فلوريدا"] == "US" and "خليج المكسيك" in got
    geneva = next(e for e in doc.entities if e["text"] == "جنيف")
    assert km(geneva["latitude"], geneva["longitude"], 46.20, 6.15) < 10


def test_older_country_spellings(run):
    assert locs(run("وصل الوفد إلى هولندة ثم إلى بولندة.")) == [("هولندة", "NL"), ("بولندة", "PL")]


def test_a_short_name_in_a_list_with_a_place(run):
    assert [t for t, _ in locs(run("زار الوفد حيفا وعكا أمس."))] == ["حيفا", "عكا"]
    assert [t for t, _ in locs(run("زار الوفد عكا و حيفا أمس."))] == ["عكا", "حيفا"]
    # alone, a three-letter name stays weak
    assert locs(run("وقال إن عكا جميلة.")) == []


def test_no_common_word_in_a_list_with_a_place(run):
    # الثورة is in the stoplist: no place for standing beside one
    assert [t for t, _ in locs(run("وشهدت صنعاء والثورة احتجاجات."))] == ["صنعاء"]


def test_press_spellings_of_central_asian_countries(run):
    got = locs(run("وقع الاتفاق في تركمنستان بحضور وفود من طاجكستان وأوزباكستان."))
    assert got == [("تركمنستان", "TM"), ("طاجكستان", "TJ"), ("أوزباكستان", "UZ")]


def test_pyongyang_and_villages_of_south_lebanon(run):
    doc = run("قصفت المدفعية أطراف بلدة شبعا ومارون الراس فيما هددت بيونغ يانغ بتجربة جديدة.")
    got = dict(locs(doc))
    assert got["شبعا"] == "LB" and got["مارون الراس"] == "LB" and got["بيونغ يانغ"] == "KP"
    shebaa = next(e for e in doc.entities if e["text"] == "شبعا")
    assert km(shebaa["latitude"], shebaa["longitude"], 33.35, 35.74) < 10
