"""The events step's context keeps its fields in slots (context.Ctx over ctxfields.CtxFields) and
the compiled modules read the hottest of them in place (_cand's cx, _sides' _cx): each read gives
what getattr gives, for a Ctx, for a subclass that serves a field otherwise (asked by name), and
for a field not set (AttributeError, as by name). MARSAD_PURE=1 runs the Python code (the
compiled reads then skip)."""

from __future__ import annotations

import copy

import pytest

from marsad.components.events import context, native
from marsad.components.events.context import Ctx
from marsad.components.events.ctxfields import FIELDS, CtxFields
from marsad.doc import Doc

from twin_reports import reports



def _served(name):
    """A property over the field: its value kept apart (a copy), the slot left as it was."""

    def get(self):
        return self.__dict__["served_" + name]

    def put(self, v):
        self.__dict__["served_" + name] = copy.copy(v)
        CtxFields.__dict__[name].__set__(self, v)

    return property(get, put)


class _Served(Ctx):
    """A context whose fields are served by properties (another object than the slot's): asked by
    name."""

    tok_starts, by_sent, country, actor_names = (_served(n) for n in ("tok_starts", "by_sent", "country",
                                                                       "actor_names"))


def _docs():
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    for text, published in reports(seed=False):
        doc = Doc(text, published, {})
        for step in steps:
            step(doc)
        yield doc


def test_fields_are_slots_no_class_of_ctx_shadows():
    """Each field is a slot of CtxFields, and Ctx's own body (and any class between) serves none of
    them: the slot is the attribute, so the compiled reads may take it in place."""
    assert CtxFields.__slots__ == FIELDS and len(set(FIELDS)) == len(FIELDS)
    assert Ctx.__base__ is CtxFields
    for name in FIELDS:
        assert type(CtxFields.__dict__[name]).__name__ == "member_descriptor", name
        assert name not in Ctx.__dict__, name


def test_ctx_sets_every_field_in_its_slot():
    """A Ctx made from a report has every field set, none in its __dict__; a copy keeps them."""
    doc = next(_docs())
    ctx = Ctx(doc)
    for name in FIELDS:
        CtxFields.__dict__[name].__get__(ctx)   # (set: no AttributeError)
    assert not set(vars(ctx)) & set(FIELDS)
    twin = copy.copy(ctx)
    assert all(getattr(twin, n) is getattr(ctx, n) for n in FIELDS)
    ctx.prev_agent = "x"
    assert ctx.prev_agent == "x" and twin.prev_agent is None


@pytest.mark.parametrize("mod", ["_cand", "_sides"])
def test_compiled_reads_equal_getattr(mod):
    m = native.candidate_path() if mod == "_cand" else native._sides
    if m is None:
        pytest.skip("events/%s.pyx is not built (or MARSAD_PURE)" % mod)
    for doc in _docs():
        for ctx in (Ctx(doc), _Served(doc)):
            got = m.ctx_fields(ctx)
            assert set(got) <= set(FIELDS) and {"tok_starts", "by_sent", "country"} <= set(got)
            for name, v in got.items():
                assert v is getattr(ctx, name), (type(ctx).__name__, name)
                if name in ("tok_starts", "by_sent", "actor_names"):   # (not the slot's object)
                    assert (v is CtxFields.__dict__[name].__get__(ctx)) == (type(ctx) is Ctx)
    # a field not set: AttributeError, as by name; then each set: the same objects
    bare = context.Ctx.__new__(context.Ctx)
    with pytest.raises(AttributeError):
        m.ctx_fields(bare)
    for name in FIELDS:
        setattr(bare, name, [name])
    assert all(v is getattr(bare, n) for n, v in m.ctx_fields(bare).items())
