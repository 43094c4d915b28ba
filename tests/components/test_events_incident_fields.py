"""The compiled event modules read a candidate's fields (events.incident.Incident, a dataclass with
slots) and a span's label and sentence in place (_cand's inc and slot, _sides' _inc and _field):
each read gives the very object getattr gives, for an Incident, for a subclass whose properties
serve other objects (asked by name), and AttributeError for a field not set, as by name."""

from __future__ import annotations

import dataclasses

import pytest

from marsad.components.events import native
from marsad.components.events.incident import Incident
from marsad.doc import Span

_cand = native.candidate_path()
needs_compiled = pytest.mark.skipif(_cand is None or native._sides is None,
                                    reason="events/_cand.pyx or _sides.pyx is not built (or MARSAD_PURE)")


def _modules():
    return [(_cand, _cand.incident_fields), (native._sides, native._sides.incident_fields)]


def _incident():
    agent = Span(0, 3, "army", "الجيش", 2, {"inter": 1})
    return Incident({"event_type": "Battles"}, sent=2, kind="battle", strength=2, agent=agent, victim=None,
                    explicit_agent=True, first=17, region=(10, 40), place_span=agent, place_in_sentence=True,
                    date_src=2, fat_known=True, fat_approx=False, fat_spans=[agent], killed=[agent], score=1.5,
                    split=False, role_feats={"ro:bias": 1.0}, toll_opts=[(agent, 3)])


class _Served(Incident):
    """Every field a property that gives another object than the slot holds: asked by name."""

    __slots__ = ()


for _f in dataclasses.fields(Incident):
    setattr(_Served, _f.name, property(lambda self, n=_f.name: ("served", n)))


def test_incident_is_a_dataclass_with_slots_no_getattribute_of_its_own():
    """What the in-place reads rest on: the fields are slots of Incident itself."""
    assert Incident.__getattribute__ is object.__getattribute__
    for f in dataclasses.fields(Incident):
        assert type(Incident.__dict__[f.name]).__name__ == "member_descriptor"


@needs_compiled
def test_in_place_reads_give_what_getattr_gives():
    ev = _incident()
    for mod, read in _modules():
        got = read(ev)
        assert got and all(got[name] is getattr(ev, name) for name in got), mod.__name__


@needs_compiled
def test_a_subclass_is_asked_by_name():
    ev = _Served.__new__(_Served)   # (its slots unset: only the properties answer)
    for mod, read in _modules():
        got = read(ev)
        assert all(got[name] == ("served", name) for name in got), mod.__name__


@needs_compiled
def test_a_field_not_set_raises_as_by_name():
    bare = Incident.__new__(Incident)
    for mod, read in _modules():
        with pytest.raises(AttributeError):
            read(bare)
