"""The sub-sites of a front are places of their own (lk131, issue 13): a battle at the Al Anad
triangle or Labouza camp is coded there, not at Al Anad airbase, so that the linking tells two
battles of one front apart (places_apart)."""


def _places(doc):
    return [(e["location"], e["admin1_code"]) for e in doc.events]


def test_the_triangle_taken_is_coded_at_the_triangle_not_at_the_base_beside_it(pipeline):
    doc = pipeline("أحكمت المقاومة الشعبية أمس سيطرتها على مثلث العند المجاور لقاعدة العند الجوية.")
    assert _places(doc) == [("Al Anad triangle", "YE-LA")]


def test_strikes_on_labouza_camp_are_coded_at_the_camp(pipeline):
    doc = pipeline("شنت طائرات التحالف غارات عنيفة على معسكر لبوزة شمال قاعدة العند أمس وقتل عشرة مسلحين.")
    assert _places(doc) == [("Labouza camp", "YE-LA")]


def test_the_base_alone_is_still_the_base(pipeline):
    doc = pipeline("شنت طائرات التحالف غارات عنيفة على قاعدة العند الجوية أمس وقتل عشرة مسلحين.")
    assert _places(doc) == [("Al Anad airbase", "YE-LA")]


def test_the_triangle_and_the_camp_lie_apart_from_the_base(run):
    from marsad.places import gazetteer
    from marsad.incident.features import NEAR_KM, distance_km as km
    gaz = gazetteer.load()
    base, triangle, camp = (gaz.get(i) for i in ("ye-al-anad-airbase", "ye-lahij-al-anad-triangle",
                                                 "ye-lahij-labouza-camp"))
    for a, b in ((base, triangle), (base, camp), (triangle, camp)):
        # farther than places_apart's 3 km, nearer than the blocking's 50 km: one front's sites
        # stay candidates and are told apart by their places
        assert 3 < km(a.lat, a.lon, b.lat, b.lon) < NEAR_KM


def test_a_family_name_is_no_valley(run):
    # الحسيني alone is a family name (a mayor of Tuz Khurmatu); only "وادي الحسيني" is the valley
    doc = run("وقال علي الحسيني رئيس البلدية إن الناس الأبرياء لم يفعلوا شيئا.")
    assert not any(s.data.get("location") == "Wadi al Husseini"
                   for s in doc.layer("places"))
    doc = run("شنت طائرات التحالف غارات على آليات في وادي الحسيني بمحافظة لحج.")
    assert any(s.data.get("location") == "Wadi al Husseini" for s in doc.layer("places"))
