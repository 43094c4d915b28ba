"""The learned event detector: `marsad train events` on annotations, and the shipped model.

The training corpus here is a few reports written for the test (no third-party text): the
command must read them by id from the shared folder, learn, choose its thresholds by
cross-validation and write a model with its data versions, the same bytes on every run.
"""

import json
from pathlib import Path

from click.testing import CliRunner

from marsad.cli import main
from marsad.components.events.model import MODEL_PATH, load

REPORTS = [
    ("t-01", "قصفت قوات النظام بلدة كفرنبل في ريف إدلب أمس، ما أدى إلى مقتل خمسة مدنيين.",
     [("Explosions/Remote violence", "Shelling/artillery/missile attack", "SY", "SY-ID", "قصفت قوات النظام بلدة كفرنبل")]),
    ("t-02", "اندلعت اشتباكات عنيفة بين المقاومة الشعبية والحوثيين في مدينة تعز اليوم وقتل فيها عشرة مسلحين.",
     [("Battles", "Armed clash", "YE", "YE-TA", "اندلعت اشتباكات عنيفة بين المقاومة الشعبية والحوثيين")]),
    ("t-03", "هدد الحوثيون باقتحام مدينة مأرب إذا لم تنسحب القوات منها.", []),
    ("t-04", "شنت طائرات التحالف غارات على مواقع للحوثيين في صنعاء فجر اليوم.",
     [("Explosions/Remote violence", "Air/drone strike", "YE", "YE-SA", "شنت طائرات التحالف غارات على مواقع للحوثيين")]),
    ("t-05", "قال المحلل إن الحرب في سوريا أودت بحياة مئات الآلاف منذ عام 2011.", []),
    ("t-06", "اعتقلت الشرطة العراقية عشرين شخصا في بغداد أمس بتهمة الإرهاب.",
     [("Strategic developments", "Arrests", "IQ", "IQ-BG", "اعتقلت الشرطة العراقية عشرين شخصا")]),
    ("t-07", "تظاهر المئات في مدينة البصرة اليوم احتجاجا على انقطاع الكهرباء.",
     [("Protests", "Peaceful protest", "IQ", "IQ-BA", "تظاهر المئات في مدينة البصرة")]),
    ("t-08", "نفى الجيش قصف أي منطقة سكنية في مدينة حلب.", []),
    ("t-09", "انفجرت سيارة مفخخة في سوق مدينة بعقوبة صباح اليوم ما أسفر عن مقتل ثمانية أشخاص.",
     [("Explosions/Remote violence", "Remote explosive/landmine/IED", "IQ", "IQ-DI", "انفجرت سيارة مفخخة في سوق مدينة بعقوبة")]),
    ("t-10", "دعا وزير الخارجية إلى وقف القتال في اليمن.", []),
]


def _write_corpus(tmp: Path) -> tuple[Path, Path]:
    shared = tmp / "shared"
    (shared / "data" / "news").mkdir(parents=True)
    ann = tmp / "annotations"
    ann.mkdir()
    with open(shared / "data" / "news" / "conflict_2015.jsonl", "w", encoding="utf-8") as f:
        for k, (aid, text, _) in enumerate(REPORTS):   # two outlets, for the leave-one-outlet-out figure
            f.write(json.dumps({"id": aid, "source": "wa" if k % 2 else "wb", "published": "2015-08-10",
                                "text": text}, ensure_ascii=False) + "\n")
    with open(ann / "a.jsonl", "w", encoding="utf-8") as f:
        for aid, text, evs in REPORTS:
            out = []
            for et, st, cc, a1, quote in evs:
                s = text.index(quote)
                out.append({"event_type": et, "sub_event_type": st, "country_code": cc, "admin1_code": a1,
                            "event_date": "2015-08-10",
                            "evidence": [{"start": s, "end": s + len(quote), "text": quote}]})
            f.write(json.dumps({"id": aid, "annotator": "a", "role": "primary", "published": "2015-08-10",
                                "events": out}, ensure_ascii=False) + "\n")
        # a second coder's copy is for agreement, never for training
        f.write(json.dumps({"id": "t-01", "annotator": "b", "role": "double", "published": "2015-08-10",
                            "events": []}) + "\n")
    return shared, ann


def test_train_events_writes_a_model_with_its_data_versions_and_figures(tmp_path):
    shared, ann = _write_corpus(tmp_path)
    out1, out2 = tmp_path / "m1.json", tmp_path / "m2.json"
    runner = CliRunner()
    for out in (out1, out2):
        res = runner.invoke(main, ["train", "events", "--annotations", str(ann), "--shared", str(shared),
                                   "--out", str(out)])
        assert res.exit_code == 0, res.output
    assert out1.read_bytes() == out2.read_bytes()          # deterministic
    m = load(out1)
    meta = m.meta
    assert meta["data"]["articles"] == len(REPORTS)        # primary records only
    assert set(meta["data"]["annotations"]) == {"a.jsonl"} and len(meta["data"]["annotations"]["a.jsonl"]) == 64
    for k in ("rules_event", "cv_event", "leave_one_outlet_out_event"):
        assert 0.0 <= meta["figures"][k]["f1"] <= 1.0
    for k in ("rules", "learned"):   # the role decision, against the rules by article
        assert 0.0 <= meta["figures"]["cv_roles"][k]["both"] <= 1.0
        assert 0.0 <= meta["figures"]["cv_tolls"][k]["exact"] <= 1.0
    assert meta["figures"]["leave_one_outlet_out_event"]["articles_per_outlet"] == {"wa": 5, "wb": 5}
    assert meta["learning_curve"]["points"]
    assert 0.0 <= m.veto and m.weak <= m.keep <= 1.0
    assert m.weights and "bias" in m.weights


def test_the_shipped_model_records_what_it_was_trained_on():
    assert MODEL_PATH.exists()
    m = load(MODEL_PATH)
    assert m.meta["data"]["annotations"] and m.meta["data"]["articles"] >= 100
    assert "cv_event" in m.meta["figures"] and "learning_curve" in m.meta
    # types with too few annotated events are left to the rules, not to noise
    assert all(t in ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                     "Strategic developments") for t in m.rule_types)


def test_a_candidate_the_rules_keep_and_the_model_doubts_only_adds_to_another_incident():
    from marsad.components.events.model import Model

    m = Model({"bias": 0.0}, keep=0.6, weak=0.5, veto=0.3)
    assert m.decide(0.2, "Battles", "keep") == "weak"      # vetoed: folds into an incident told elsewhere
    assert m.decide(0.4, "Battles", "keep") == "keep"
    assert m.decide(0.7, "Battles", "drop") == "keep"      # the model adds what the rules missed
    assert m.decide(0.55, "Battles", "drop") == "weak"
    assert m.decide(0.1, "Battles", "drop") is None
    m.rule_types = {"Protests"}
    assert m.decide(0.99, "Protests", "drop") is None      # a type too rare to learn: the rules decide


def test_a_type_with_its_own_threshold_is_kept_from_that_probability_on():
    from marsad.components.events.model import Model, load

    m = Model({"bias": 0.0}, keep=0.6, weak=0.5, keep_by_type={"Protests": 0.3})
    assert m.decide(0.35, "Protests", "drop") == "keep"
    assert m.decide(0.35, "Battles", "drop") is None
    assert m.decide(0.55, "Battles", "drop") == "weak"
    assert m.decide(0.2, "Protests", "drop") is None
    assert m.decide(0.4, "Protests", "weak") == "keep"     # above its own bar, a weak rule verdict is kept


def test_the_per_type_thresholds_survive_saving(tmp_path):
    from marsad.components.events.model import Model, load

    Model({"bias": 0.1}, keep=0.6, weak=0.5, keep_by_type={"Protests": 0.3}).save(tmp_path / "m.json")
    m = load(tmp_path / "m.json")
    assert m.keep_by_type == {"Protests": 0.3} and m.decide(0.35, "Protests", "drop") == "keep"


def test_the_typing_models_survive_saving(tmp_path):
    from marsad.components.events.model import Model

    types = {"Battles": {"bias": -1.5, "a": 0.25, "b": 0.0}, "Protests": {"bias": 0.5, "c": -2.0}}
    Model({"bias": 0.1}, types=types).save(tmp_path / "m.json")
    m = load(tmp_path / "m.json")
    assert m.types == {"Battles": {"bias": -1.5, "a": 0.25}, "Protests": {"bias": 0.5, "c": -2.0}}
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert load(MODEL_PATH).to_json() == shipped   # the shipped detector is read back whole


def test_the_typing_models_give_each_type_the_probability_of_its_own_model():
    # best_type scores all the type models in one table: a type must win exactly when its own
    # model's probability (prob with its weights) is the highest and above the current type's
    import random

    from marsad.components.events.model import Model

    rng = random.Random(3)
    vocab = ["f%d" % i for i in range(60)]
    for trial in range(200):
        types = {t: {k: rng.gauss(0, 2) for k in rng.sample(vocab, rng.randint(0, 40))} | {"bias": rng.gauss(0, 1)}
                 for t in ("Battles", "Protests", "Riots")}
        m = Model({}, types=types, rule_types=["Riots"] if trial % 2 else ())
        feats = {k: rng.choice([1.0, -0.4, rng.uniform(-1, 1)]) for k in rng.sample(vocab, rng.randint(0, 30))}
        current = rng.choice(["Battles", "Protests"])
        probs = {t: m.prob(feats, w) for t, w in types.items() if t not in m.rule_types}
        best = max(sorted(probs), key=lambda t: probs[t])
        assert m.best_type(feats, current) == (best if probs[best] > probs[current] else None)


def test_the_typing_model_breaks_a_tie_by_the_types_name():
    # equally probable types (two identical models, or both saturated at 1.0): the first by name
    # wins, whatever the order the model holds them in; a tie with the current type keeps it
    from marsad.components.events.model import Model

    same = {"bias": 1.0, "a": 2.0}
    m = Model({}, types={"Riots": same, "Battles": same, "Protests": {"bias": -3.0}})
    assert m.best_type({"a": 1.0}, "Protests") == "Battles"
    assert m.best_type({"a": 1.0}, "Riots") is None
    m = Model({}, types={"Riots": {"bias": 60.0}, "Battles": {"bias": 50.0}, "Protests": {"bias": 0.0}})
    assert m.best_type({}, "Protests") == "Battles"   # sigmoid(60) == sigmoid(50) == 1.0
    m = Model({}, types={"Riots": same, "Battles": same}, rule_types=["Battles"])
    assert m.best_type({"a": 1.0}, "Protests") == "Riots"


def test_the_learned_type_strategic_developments_takes_the_sub_type_its_clause_names():
    from marsad.components.events.build import retype
    from marsad.components.events.incident import Incident

    def killing(kinds):
        return Incident({"event_type": "Violence against civilians", "sub_event_type": "Attack",
                         "plover_type": "ASSAULT", "weapons": []}, kinds=kinds)

    ev = killing(["kill", "arrest"])   # "قتل ... واعتقل": the typing model prefers the arrest
    retype(ev, "Strategic developments")
    assert (ev["event_type"], ev["sub_event_type"], ev["plover_type"]) == ("Strategic developments", "Arrests", "COERCE")
    ev = killing(["kill"])             # no sub-type of that type named: the incident keeps its own
    retype(ev, "Strategic developments")
    assert (ev["event_type"], ev["sub_event_type"]) == ("Violence against civilians", "Attack")
