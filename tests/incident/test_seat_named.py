"""One predicate for a place told by its governorate's name (issue 13: one same-incident rule
set): the document step and the link features read it alike (`incident.within.seat_named`)."""

from __future__ import annotations

from marsad.incident.features import nested, view
from marsad.incident.within import seat_named


def _at(location_ar: str, admin1: str = "YE-MA", precision: int = 1, **kw) -> dict:
    return dict(country_code=admin1[:2], admin1_code=admin1, location_ar=location_ar,
                geo_precision=precision, **kw)


def test_a_town_told_bare_by_its_governorates_name_is_a_seat():
    assert seat_named(_at("مأرب"))
    # after a cue of a wider area the name still stands for the governorate
    assert seat_named(_at("منطقة جازان", "SA-09"))


def test_a_cue_of_a_place_of_its_own_makes_it_that_place():
    assert not seat_named(_at("مدينة مأرب"))
    assert not seat_named(_at("مخيم درعا", "SY-DR"))


def test_the_document_step_reads_any_cue_as_the_places_own():
    assert not seat_named(_at("منطقة جازان", "SA-09"), wide_cues=False)
    assert seat_named(_at("مأرب"), wide_cues=False)


def test_a_governorate_level_place_a_village_or_another_governorate_is_no_seat():
    assert not seat_named(_at("مأرب", precision=3))
    assert not seat_named(_at("مجزر"))
    assert not seat_named(_at("مأرب", "YE-TA"))
    assert not seat_named(_at("مأرب", admin1=""))


def test_the_link_features_read_the_same_predicate():
    """A seat against another place of its governorate is nested, the town told with its cue
    is not."""
    place = dict(event_type="Battles", sub_event_type="Armed clash", event_date="2015-07-20")
    seat = _at("مأرب", location="Marib", latitude=15.4627, longitude=45.3222, **place)
    village = _at("مجزر", location="Majzar", latitude=15.8225, longitude=45.1583, **place)
    town = dict(seat, location_ar="مدينة مأرب")
    assert view(seat).seat and not view(town).seat
    assert nested(seat, village) and not nested(town, village)


def _old_names_governorate(told, admin1, wide_cues):
    # as main had it before dc171: the candidates sorted by prior, then tested
    from marsad.incident.within import _WIDE_CUES
    from marsad.places import gazetteer
    from marsad.places.names import GENERIC_FEATURE, name_key
    key = name_key(told)
    cue = GENERIC_FEATURE.get(key.split()[0]) if key else None
    if not key or cue is not None and not (wide_cues and cue in _WIDE_CUES):
        return False
    return any(p.feature == "admin1" and p.admin1 == admin1 for p in gazetteer.load().lookup(key))


def test_the_seat_test_reads_the_gazetteers_places_unsorted_as_it_read_them_sorted():
    """`Gazetteer.found` gives lookup's places in index order (lookup sorts them by prior); the
    seat test asks only whether one is the governorate, so it answers as over the sorted list."""
    from marsad.incident.within import _names_governorate
    from marsad.places import gazetteer
    from marsad.places.gazetteer import prior
    gz = gazetteer.load()
    arab = ("YE", "SY", "IQ", "LY", "SA", "EG", "LB")
    govs = [p for p in gz.places if p.feature == "admin1" and p.cc in arab and p.name_ar]
    towns = [p for p in gz.places if p.feature in ("city", "village") and p.cc in arab and p.name_ar][:150]
    names = [p.name_ar for p in govs + towns]
    names += ["مدينة " + p.name_ar for p in govs[:30]] + ["منطقة " + p.name_ar for p in govs[:30]] + ["مجزر", "حي", ""]
    codes = sorted({p.admin1 for p in govs + towns if p.admin1})
    seats = 0
    for n in names:
        assert gz.lookup(n) == sorted(gz.found(n), key=lambda p: -prior(p))
        for a in codes:
            for wide in (True, False):
                got = _names_governorate.__wrapped__(n, a, wide)
                assert got == _old_names_governorate(n, a, wide), (n, a, wide)
                seats += got
    assert seats > 50
