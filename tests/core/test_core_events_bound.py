"""Candidates the detector cannot keep are not built (events/bound.py): the bound of a "drop"
candidate's detector sum holds for every such candidate, and coding with the shortcut gives the
same events as building every candidate, with the compiled sums and with the pure path's."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pytest

from marsad.components.events import bound, candidates
from marsad.components.events.features import own_features
from marsad.components.events.model import default_model

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "marsad" / "demo" / "reports.jsonl"
NEWS = ROOT.parent / "shared" / "data" / "news" / "conflict_2015.jsonl"

# composed reports: gated and other-type candidates (a denial, a threat, a condemnation, background,
# a clash with its air strikes), with and without toll, day, sides and place
COMPOSED = [
    "نفت وزارة الدفاع أن تكون طائراتها قصفت مستشفى في مدينة حلب يوم الأحد. وهددت الجماعة بشن هجمات "
    "على مواقع الجيش في المدينة. ودانت الحكومة التفجير الذي استهدف مسجدا في الكويت وأدى إلى مقتل 27 شخصا.",
    "اندلعت اشتباكات عنيفة بين قوات النظام وتنظيم داعش في ريف حمص الشرقي أمس، وشن الطيران الحربي غارات "
    "على مواقع التنظيم قرب تدمر، مما أسفر عن مقتل 12 مسلحا. يذكر أن التنظيم سيطر على المدينة في عام 2014.",
    "قالت مصادر محلية إن مسلحين مجهولين اختطفوا ثلاثة مواطنين في مديرية المكلا، فيما تظاهر المئات "
    "احتجاجا على مقتل العقيد. وقتل منذ بداية الحرب أكثر من 250 ألف شخص في سوريا.",
    "أدان الأمين العام للأمم المتحدة الهجوم الانتحاري الذي استهدف مسجدا في مدينة القطيف. وطالب مجلس "
    "الأمن بمحاسبة المسؤولين عن قصف الأحياء السكنية في صنعاء. ويرى محللون أن الغارات الجوية لن تنهي الحرب.",
    "قالت الشرطة إنها تواصل التحقيقات بعدما اعتقلت 30 مواطنا. وكانت طائرات التحالف قد قصفت مواقع "
    "الحوثيين في صعدة في مارس 2014. وقتل عشرات الأشخاص في الغارات على عدة مدن يمنية خلال الشهر الماضي.",
    "قتل خمسة جنود وأصيب عشرة آخرون في اشتباكات مع مسلحي القاعدة وقصف مدفعي استهدف بلدة الحوطة "
    "يوم الخميس. وشنت طائرات التحالف غارات على معسكر للحوثيين في تعز، واشتبك مقاتلو المقاومة مع "
    "قوات صالح في حي الجحملية.",
    "فجر انتحاري نفسه في سوق شعبي ببغداد، وسقطت قذائف هاون على حي الأعظمية. واعتقلت القوات الأمنية "
    "عشرين مشتبها به بعد الهجوم. وأحرق متظاهرون الإطارات وأغلقوا الطرق في البصرة احتجاجا على انقطاع "
    "الكهرباء، وأطلقت الشرطة الغاز المسيل للدموع لتفريقهم.",
    "في مثل هذا اليوم من عام 2003 سقطت بغداد بيد القوات الأمريكية. ويذكر أن تنظيم داعش سيطر على "
    "الموصل في يونيو 2014 بعد معارك مع الجيش العراقي. وهل ستقصف روسيا مواقع التنظيم في الرقة؟",
    "سيطر مقاتلو المعارضة على قرية الزيارة بعد معارك عنيفة مع قوات النظام التي ردت بقصف القرية بالبراميل "
    "المتفجرة، وقال المرصد إن الطائرات الحربية نفذت عشرين غارة على سهل الغاب. وفي درعا اغتال مسلحون قائدا "
    "ميدانيا بعد تفجير عبوة ناسفة بسيارته، واندلعت اشتباكات في حي المنشية.",
    "قصفت مدفعية الجيش التركي مواقع حزب العمال في جبال قنديل ردا على هجوم قتل فيه جنديان، وشنت مقاتلات "
    "تركية غارات على معسكرات الحزب شمال العراق. وأعلنت الشرطة اعتقال 40 مشتبها بهم في إسطنبول بعد "
    "مواجهات مع محتجين أحرقوا سيارات.",
    "هاجم مسلحو حركة الشباب قاعدة للقوات الأفريقية في شبيلي السفلى وتبادلوا إطلاق النار مع الجنود، ثم "
    "قصفت مروحيات القاعدة بلدة مجاورة. وذكرت الحكومة أن انتحاريا فجر سيارة مفخخة أمام فندق في مقديشو "
    "بعد اشتباك مع الحراس، فيما خطف مسلحون عاملي إغاثة في كيسمايو.",
    "اشتبكت قوات النظام مع مقاتلي المعارضة في حي جوبر، وقصفت الطائرات الحربية مواقعهم بالصواريخ، فيما "
    "قتل ثلاثة مدنيين في قصف مدفعي على بلدة كفرنبل أمس ردا على هجوم استهدف حاجزا للجيش. وقال ناشطون "
    "إن الطيران الروسي شن غارات على ريف اللاذقية، وأكد مصدر عسكري مقتل 15 مسلحا في المعارك.",
    "أعلن التحالف أن طائراته دمرت مخازن أسلحة للحوثيين في صعدة، وذلك بعد هجوم صاروخي استهدف مدينة "
    "جازان. وتظاهر المئات في تعز تنديدا بالقصف، واعتقلت قوات الأمن عددا منهم بعد اشتباكات مع مسلحين.",
]


def _reports(n_news: int = 0):
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        yield rec["text"], date.fromisoformat(rec["published"]) if rec.get("published") else None
    for text in COMPOSED:
        yield text, date(2015, 8, 10)
    if n_news and NEWS.exists():
        with NEWS.open(encoding="utf-8") as f:
            for i, line in zip(range(n_news), f):
                rec = json.loads(line)
                yield rec["text"], date.fromisoformat(rec["published"]) if rec.get("published") else None


@pytest.fixture(scope="module")
def model():
    mdl = default_model()
    if mdl is None:
        pytest.skip("no shipped event detector")
    return mdl


def _code(nlp, n_news: int) -> list:
    return [json.dumps(nlp(text, published, {}).to_json(), ensure_ascii=False, default=str)
            for text, published in _reports(n_news)]


@pytest.mark.parametrize("sums", ["compiled", "pure"])
def test_the_bound_holds_for_every_drop_candidate(model, monkeypatch, sums):
    """Every candidate the shortcut is asked about is built here all the same: its real detector sum
    less the sum under which its real event type is dropped never exceeds the headroom the bound
    gave (which makes the shortcut exact), and the bound does skip many."""
    from marsad.pipeline import Pipeline

    if sums == "pure":
        monkeypatch.setattr(candidates, "fast_for", lambda m: None)
    heads: dict[int, float] = {}
    checked: list[tuple[float, float]] = []

    class Asked(bound.Bound):
        def cannot_keep(self, *args):   # (args[5]: the candidate's triggers)
            heads[id(args[5])] = (args[5], self.headroom(*args))   # (g kept alive: its id stays its own)
            return False   # built all the same: checked below

    asked = Asked(model)
    monkeypatch.setattr(candidates, "bound_for", lambda m: asked if m is not None else None)
    real_sums, real_feats = candidates.incident_sums, candidates.incident_features

    def limit_of(ev):
        lim = asked.limits.get(ev["event_type"])
        return -math.inf if lim is None else lim

    def sums_seen(doc, ctx, ev, g, info, fast):
        got = real_sums(doc, ctx, ev, g, info, fast)
        # every feature of the candidate's own is one the bound accounts for
        assert all(k.startswith(bound.COVERED) for k in own_features(doc, ctx, ev, g, info))
        if id(g) in heads:
            checked.append((got[0] - limit_of(ev), heads[id(g)][1]))
        return got

    def feats_seen(doc, ctx, ev, g, info):
        f = real_feats(doc, ctx, ev, g, info)
        if id(g) in heads:
            checked.append((model.total(f) - limit_of(ev), heads[id(g)][1]))
        return f

    monkeypatch.setattr(candidates, "incident_sums", sums_seen)
    monkeypatch.setattr(candidates, "incident_features", feats_seen)
    _code(Pipeline(), 15)
    assert len(checked) > 5
    assert all(real <= head + 1e-9 for real, head in checked), max(r - h for r, h in checked)
    assert sum(head < 0 for _, head in checked) > 3   # the shortcut is taken


@pytest.mark.parametrize("sums", ["compiled", "pure"])
def test_the_same_events_with_every_candidate_built(model, monkeypatch, sums):
    from marsad.pipeline import Pipeline

    if sums == "pure":
        monkeypatch.setattr(candidates, "fast_for", lambda m: None)
    skipped = []
    real = bound.Bound.cannot_keep

    def counted(self, *args):
        out = real(self, *args)
        skipped.append(out)
        return out

    monkeypatch.setattr(bound.Bound, "cannot_keep", counted)
    shortcut = _code(Pipeline(), 15)
    assert sum(skipped) > 3
    monkeypatch.setattr(candidates, "bound_for", lambda m: None)
    assert _code(Pipeline(), 15) == shortcut


def test_a_bound_too_low_would_change_the_events(model, monkeypatch):
    """The comparison above can fail: a bound that leaves out the build_event fields' weights
    (claiming candidates the detector keeps cannot be kept) loses events."""
    from marsad.pipeline import Pipeline

    full = _code(Pipeline(), 15)
    low = bound.Bound(model)
    low.fields -= 10.0
    monkeypatch.setattr(candidates, "bound_for", lambda m: low if m is not None else None)
    assert _code(Pipeline(), 15) != full


@pytest.mark.skipif(bound.candidate_path() is None, reason="events/_cand.pyx is not built (or MARSAD_PURE)")
def test_compiled_drop_sum_equals_its_python_twin(model, monkeypatch):
    """The sum the bound starts from (bound.drop_sum; compiled: _cand.drop_sum) is the same float
    and the same first kind, candidate by candidate, gated ones and other types."""
    from marsad.pipeline import Pipeline

    cand = bound.candidate_path()
    b = bound.Bound(model)
    assert b._drop_sum is cand.drop_sum
    seen = []

    def both(doc, ctx, si, a, b_, g, groups, gi, weapons, breaks, gates, alt, info, fast):
        got = cand.drop_sum(doc, ctx, si, a, b_, g, groups, gi, weapons, breaks, gates, alt, info, fast)
        want = bound.drop_sum(model, doc, ctx, si, a, b_, g, groups, gi, weapons, breaks, gates, alt, info)
        assert got == want and type(got[0]) is float
        seen.append(alt)
        return got

    b._drop_sum = both
    monkeypatch.setattr(candidates, "bound_for", lambda m: b if m is not None else None)
    _code(Pipeline(), 15)
    assert len(seen) > 5 and any(a is None for a in seen) and any(a is not None for a in seen)


@pytest.mark.skipif(bound.candidate_path() is None, reason="events/_cand.pyx is not built (or MARSAD_PURE)")
@pytest.mark.parametrize("sums", ["compiled", "pure"])
def test_compiled_headroom_equals_its_python_twin(model, monkeypatch, sums):
    """Bound.headroom compiled (_cand.headroom, which the compiled sentence loop asks of a Bound as
    shipped) gives the Python method's float, candidate by candidate, with the compiled drop sum and
    with the pure one; a Bound whose cannot_keep is replaced is asked through it."""
    from marsad.pipeline import Pipeline

    cand = bound.candidate_path()
    if sums == "pure":
        monkeypatch.setattr(candidates, "fast_for", lambda m: None)
    seen = []

    class Both(bound.Bound):
        def cannot_keep(self, *args):
            got, want = cand.headroom(self, *args), self.headroom(*args)
            assert got == want and type(got) is float, (got, want)
            seen.append(want < -bound._SLACK)
            return want < -bound._SLACK

    both = Both(model)
    monkeypatch.setattr(candidates, "bound_for", lambda m: both if m is not None else None)
    _code(Pipeline(), 15)
    assert len(seen) > 20 and sum(seen) > 3 and not all(seen)
