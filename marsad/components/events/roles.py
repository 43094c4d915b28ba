"""Learned role decision: which of an incident's two sides is actor1 (who acted).

The rules of actors.py (assign_actors) name an agent and a victim from word order, passive
markers ("على يد"، "من قبل"), targets ("على"، "ضد"، "مواقع ..."), the dead ("مقتل X") and the
actor's category. Here the rules' pair is described (each side's category, side of the trigger and
distance, the word before it, the markers the rules read) and a logistic model trained on the
annotations' actor1/actor2 (roles_train.py) says whether the two are the other way round. The
rules' order stands unless the model is more sure of the swap than of it.
"""

from __future__ import annotations

import sys

from ...doc import Doc, Span
from .native import _sides
from .actors import agent_marked, cause_in, is_victim, loser_marked, number_in, targeted_in, victim_verb_before
from .incident import Incident
from .linear import dot, sigmoid


def _bucket(x: int, edges: tuple, names: tuple) -> str:
    for e, n in zip(edges, names):
        if x < e:
            return n
    return names[-1]


def side_features(doc: Doc, ctx, ev: Incident, x: Span | None, slot: str) -> dict[str, float]:
    """One side of the pair: what the rules looked at, and where it stands from the trigger."""
    if x is None:
        return {slot + "none": 1.0}
    d = x.data
    norm = doc.norm
    s, e = ctx.nstart(x), ctx.nend(x)
    f = {slot + "inter:" + str(d.get("inter")): 1.0, slot + "kind:" + str(d.get("kind")): 1.0}
    first = ev.first
    if x.sent == ev.sent:
        dist = ctx.ntok(s) - ctx.ntok(first)
        f[slot + ("after" if dist >= 0 else "before") + _bucket(abs(dist), (2, 4, 9), ("0-1", "2-3", "4-8", "9+"))] = 1.0
    else:
        f[slot + "other_sentence"] = 1.0
    # the rest reads only the actor and its words: the same for every candidate it is a side of
    key = (id(x), slot)
    tail = ctx.side_words.get(key)
    if tail is None:
        tail = ctx.side_words[key] = _side_words(doc, ctx, x, slot, s, e)
    f.update(tail)
    return f


_CLITICS = ("ل", "ب")   # a preposition fused to the side's first word
_THEN_SUFFERED = ("تعرض", "يتعرض", "تتعرض")   # the side is the subject of "suffered" right after it


def _side_words(doc: Doc, ctx, x: Span, slot: str, s: int, e: int) -> dict[str, float]:
    f: dict[str, float] = {}
    d = x.data
    norm = doc.norm
    before = norm[max(0, s - 14):s]
    if slot.endswith("v:") and agent_marked(ctx, s):
        f[slot + "agent_marker"] = 1.0
    if victim_verb_before(norm, s):
        f[slot + "victim_verb"] = 1.0
    if loser_marked(ctx, s):
        f[slot + "loser_marker"] = 1.0
    if targeted_in(ctx, s):
        f[slot + "targeted"] = 1.0
    if cause_in(before):
        f[slot + "cause_before"] = 1.0
    if number_in(norm[max(0, s - 12):s]):
        f[slot + "count_before"] = 1.0
    if d.get("blamed"):
        f[slot + "blamed"] = 1.0   # (an agent blamed has nothing to decide: pair_features)
    if is_victim(x):
        f[slot + "victim_category"] = 1.0
    k = ctx.ntok(s)
    if k > 0 and doc.tokens[k - 1].sent == x.sent:
        f[slot + "word_before:" + doc.tokens[k - 1].norm] = 1.0
    head = norm[s:s + 1]
    if head in _CLITICS:
        f[slot + "clitic:" + head] = 1.0
    if norm[e:e + 8].lstrip().startswith(_THEN_SUFFERED):
        f[slot + "then_suffered"] = 1.0
    return f


def _named_agent(doc: Doc, ctx, x: Span) -> bool:
    s = ctx.nstart(x)
    return agent_marked(ctx, s)


def _pair_features_py(doc: Doc, ctx, ev: Incident) -> dict[str, float]:
    """The rules' (actor1, actor2) pair; empty when there is nothing to decide (no actor2; a
    protest, whose sides the protest rules set; an actor1 carried over from the clause before; an
    agent the text names as such: blamed, or after "على يد"/"من قبل")."""
    agent, victim = ev.agent, ev.victim
    if victim is None or ev["event_type"] in ("Protests", "Riots") or (agent is None and ev.get("actor1")):
        return {}
    if agent is not None and (agent.data.get("blamed") or _named_agent(doc, ctx, agent)):
        return {}
    f = {"ro:bias": 1.0, "ro:kind:" + ev.kind: 1.0}
    f.update(side_features(doc, ctx, ev, agent, "ro:a:"))
    f.update(side_features(doc, ctx, ev, victim, "ro:v:"))
    if agent is not None and victim is not None:
        f["ro:order:" + ("agent_first" if ctx.nstart(agent) < ctx.nstart(victim) else "victim_first")] = 1.0
    return f


def swap_prob(weights: dict[str, float], feats: dict[str, float]) -> float:
    z = weights.get("bias", 0.0) + dot(weights, feats)
    return sigmoid(z)


def should_swap(weights: dict[str, float], feats: dict[str, float]) -> bool:
    return bool(weights and feats) and swap_prob(weights, feats) > 0.5


def swap(ev: Incident) -> None:
    """actor2 becomes actor1 and the other way round, their evidence with them."""
    ev["actor1"], ev["actor2"] = ev["actor2"], ev["actor1"]
    ev["inter1"], ev["inter2"] = ev["inter2"], ev["inter1"]
    flip = {"actor1": "actor2", "actor2": "actor1"}
    ev["evidence"] = [dict(x, field=flip[x["field"]]) if x["field"] in flip else x for x in ev["evidence"]]
    ev.agent, ev.victim = ev.victim, ev.agent


# the pair's features compiled where built (_sides.pyx: the same dict, the same caches; native.py)
if _sides is None:
    pair_features = _pair_features_py
else:
    _sides.bind_roles(sys.modules[__name__])
    pair_features = _sides.pair_features
