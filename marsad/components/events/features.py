"""Features of a candidate incident for the learned detector (model.py).

The hand-set rules (gates.py, scores.py) become features here, not gates: their verdict (keep, weak,
drop) and score margin, the cue that would have blocked the mention (denial, threat, condemnation,
background, aggregate, ...), how plainly the trigger states it (verb, passive, "occurred" + noun,
bare noun), the toll, the day, the sides and their categories, the place and how it resolved, the
weapon, the source, the headline. Lexical features reach past the word lists: the trigger's
pattern, its proclitic and suffix, the words around it, and the word clusters of the trigger and
its neighbours (marsad/lang/clusters.py, learned on unlabeled news; absent clusters simply give
no feature).
"""

from __future__ import annotations

from ...text.tokens import _BY_FIRST
from .rules import W_STRONG, W_VERB
from .scores import trigger_weight
from .incident import Incident

try:  # the shared word clusters (marsad train clusters); optional
    from ...lang import clusters as _clusters  # type: ignore
except Exception:  # noqa: BLE001 - not built on this branch: no cluster features
    _clusters = None


# Where the sentence stands in the report: left out, so a sentence coded on its own (the GSR
# sentences, a short report) is judged like the same sentence inside an article
POSITION = False
NEIGHBOUR_WORDS = False  # the words around the trigger themselves: no better by cross-validation, so only their clusters


def _stem(word: str) -> str:
    """The word without its proclitics (conjunction, preposition, article), at least 3 letters.

    Not cached itself: its one caller, ``_clause_words``, caches the keys it makes (a second
    cache of the same words added about 4 MB of peak RSS over the 1,213 articles)."""
    # the first reading of strip_proclitics(word, 3) after the bare word: the first proclitic, in
    # their order, that the word starts with and that leaves a stem of 3 letters
    for p in _BY_FIRST.get(word[:1], ()):
        if word.startswith(p) and len(word) - len(p) >= 3:
            return word[len(p):]
    return word


def _clause_words(doc, ctx, region: tuple[int, int], f: dict[str, float]) -> None:
    """The stems of the words of the incident's stretch of the sentence (``region``): what the
    clause is about beyond the listed words (a vigil, a court, a visit, a ceasefire); +0.018 event
    F1 by cross-validation over the annotations."""
    # the keys through a C-level cache (map over a dict), added in token order by one update:
    # a key already set keeps its place, as assigning it again would. The candidates of one
    # stretch (its other event types, its copies) share the keys: built once per stretch.
    cache = ctx.clause_words
    keys = cache.get(region)
    if keys is None:
        lo, hi = region
        # a word not met yet gets its key from _ClauseKeys.__missing__, inside the same pass
        keys = cache[region] = dict.fromkeys(map(_CLAUSE_KEYS.__getitem__, ctx.norms()[ctx.ntok(lo):ctx.ntok(hi)]),
                                             1.0)
    f.update(keys)


class _ClauseKeys(dict):
    """word -> its clause-word key: a dict (about a quarter less time per word than the lru_cache
    it replaced, which relinks its list on every hit) whose missing words make their key in the
    look-up itself (the stretch is not read a second time), emptied past the bound."""

    def __missing__(self, word: str) -> str:
        if len(self) > _MAX_CLAUSE_KEYS:
            self.clear()
        k = self[word] = "cw:" + _stem(word)
        return k


_CLAUSE_KEYS = _ClauseKeys()
_MAX_CLAUSE_KEYS = 100_000


class _ClusterOf(dict):
    """word -> its (coarse, fine) cluster or None, looked up at its first use (a trigger's word
    and its neighbours come back in every report: 65,000 look-ups over the 1,213 news articles,
    each a table look-up and a proclitic split); emptied past the bound."""

    def __missing__(self, word: str):
        if len(self) > _MAX_CLAUSE_KEYS:
            self.clear()
        try:
            c = _clusters.lookup(word)
        except Exception:  # noqa: BLE001 - a missing or broken table gives no feature
            c = None
        self[word] = c
        return c


_CLUSTER_OF = _ClusterOf()


def _cluster(word: str):
    if _clusters is None or not word:
        return None
    return _CLUSTER_OF[word]


def incident_features(doc, ctx, ev: Incident, g: list, info: dict) -> dict[str, float]:
    f = own_features(doc, ctx, ev, g, info)
    shared_words(doc, ctx, ev.region, g, f)
    return f


def shared_words(doc, ctx, region: tuple[int, int], g: list, f: dict[str, float]) -> None:
    """Add to ``f`` the features a candidate shares with the others of its stretch and triggers:
    the stretch's clause words, then its triggers' word features."""
    _clause_words(doc, ctx, region, f)
    # lexical: the trigger words and their neighbours (the same keys for every candidate a
    # trigger is in: built once per trigger; updating f with them in order sets the same keys in
    # the same order as setting each)
    lex = ctx.trigger_lex
    for t in g:
        keys = lex.get(id(t))
        if keys is None:
            keys = lex[id(t)] = _trigger_words(doc, ctx, t)
        f.update(keys)


def incident_sums(doc, ctx, ev: Incident, g: list, info: dict, fast) -> tuple[float, list[float]]:
    """The detector's sum and the typing models' sums of ``incident_features`` (the same floats),
    in the compiled path (native.Fast): the candidate's own keys as a dict, its stretch's clause
    words and its triggers' word features as ids made once per stretch and per trigger."""
    return fast.table.sums(own_features(doc, ctx, ev, g, info), fast.bias, shared_ids(doc, ctx, ev.region, g, fast))


def shared_ids(doc, ctx, region: tuple[int, int], g: list, fast) -> tuple:
    """The ids of ``shared_words``' features (compiled path): the stretch's clause words as ids
    made once per stretch, each trigger's word features once per trigger. (_cand.pyx's
    shared_ids is this code typed, with _trigger_key and _neighbour_key inlined: change both.)"""
    cache = ctx.clause_ids
    ids = cache.get(region)
    if ids is None:
        lo, hi = region
        # (one id per distinct key: the dict of incident_features holds each key once)
        ids = cache[region] = fast.table.region_ids(fast.words, ctx.norms(), ctx.ntok(lo), ctx.ntok(hi))
    lex = ctx.trigger_ids
    parts = [ids]
    for t in g:
        tid = lex.get(id(t))
        if tid is None:
            # the ids of _trigger_words' keys: the trigger's own part's once per process
            key = _trigger_key(doc, t)
            own = fast.trigger_own.get(key)
            if own is None:
                if len(fast.trigger_own) > _MAX_CLAUSE_KEYS:
                    fast.trigger_own.clear()
                own = fast.trigger_own[key] = fast.table.ids_of(_own_words(key))
            # and the neighbours' part's once per process for each pair of clusters
            nkey = _neighbour_key(doc, ctx, t)
            near = fast.neighbour_ids.get(nkey)
            if near is None:
                if len(fast.neighbour_ids) > _MAX_CLAUSE_KEYS:
                    fast.neighbour_ids.clear()
                near = fast.neighbour_ids[nkey] = fast.table.ids_of(_neighbour_feats(nkey))
            tid = lex[id(t)] = own + near
        parts.append(tid)
    return tuple(parts)


# The prefixes of every key own_features sets, by what decides them: the candidate's kind and type
# and the rules' verdict; its sentence, triggers and gates (known before it is built); the fields
# build_event and the rules' score fill. bound.py bounds each group (COVERED); a key added to
# own_features goes in one of them (tests/core/test_core_events_bound.py checks the candidates' keys).
TYPE_KEYS = ("k:", "t:", "st:", "rule:", "gate:", "alt")
SENTENCE_KEYS = ("str:", "ntrig:", "nkinds:", "time", "source", "title", "cue:", "groups:", "prot:")
FIELD_KEYS = ("margin", "fat:", "datesrc:", "a1", "i1:", "a2", "i2:", "place:", "gp:", "weapon", "tw:", "sent:")
OWN_KEYS = TYPE_KEYS + SENTENCE_KEYS + FIELD_KEYS


def own_features(doc, ctx, ev: Incident, g: list, info: dict) -> dict[str, float]:
    """A candidate's features but its clause words and its triggers' word features (keys
    disjoint from theirs: no key here starts with "cw:", "p:", "pre:", "suf:", "pos:", "c:",
    "cf:", "c-1:" or "c+1:"). _cand.pyx's own_features is this code typed: change both."""
    f: dict[str, float] = {}
    x = ev.fields   # (read directly: Incident.get / [] is a Python call per field)
    kind, et, st = ev.kind, x["event_type"], x["sub_event_type"]
    f["k:" + kind] = 1.0
    f["t:" + et] = 1.0
    f["st:" + st] = 1.0
    rule = info.get("rule", "drop")
    f["rule:" + rule] = 1.0
    f["rule:%s|t:%s" % (rule, et)] = 1.0
    margin = max(-3.0, min(3.0, info.get("score", 0.0) - info.get("need", 2.7)))
    f["margin"] = margin / 3.0
    for gate in info.get("gates", ()):
        f["gate:" + gate] = 1.0
        f["gate:%s|t:%s" % (gate, et)] = 1.0
    if not info.get("gates"):
        f["gate:none"] = 1.0
    if info.get("alt"):
        f["alt"] = 1.0               # another type than the one the rules' precedence chose
        f["alt:t:" + et] = 1.0
    # how plainly the triggers state it
    weights = [trigger_weight(doc, ctx, t) for t in g]
    wmax = max(weights)
    f["tw:" + ("verb" if wmax >= W_VERB else "strong" if wmax >= W_STRONG else "weak")] = 1.0
    f["str:%d" % ev.strength] = 1.0   # (build_event's max(strength(t) for t in g), of the same g)
    if len(g) > 1:
        f["ntrig:2+"] = 1.0
    if len({t.data["kind"] for t in g}) > 1:
        f["nkinds:2+"] = 1.0
    # toll
    fat = x.get("fatalities")
    if ev.fat_known:
        f["fat:known"] = 1.0
        if isinstance(fat, int) and fat >= 100:
            f["fat:100+"] = 1.0
        if ev.fat_approx:
            f["fat:approx"] = 1.0
    elif fat is None:
        f["fat:combined"] = 1.0
    # time
    if info.get("has_time"):
        f["time"] = 1.0
    f["datesrc:%d" % ev.date_src] = 1.0
    # sides
    fields = {e["field"] for e in x["evidence"]}
    if "actor1" in fields:
        f["a1"] = 1.0
        f["i1:%s" % x.get("inter1")] = 1.0
        if ev.explicit_agent:
            f["a1:explicit"] = 1.0
    if "actor2" in fields:
        f["a2"] = 1.0
        f["i2:%s" % x.get("inter2")] = 1.0
    # place
    if x.get("location") is None:
        f["place:none"] = 1.0
    else:
        f["gp:%s" % x.get("geo_precision")] = 1.0
        if ev.place_in_sentence:
            f["place:sent"] = 1.0
        if x.get("country_code") and ctx.country and x["country_code"] != ctx.country:
            f["place:abroad"] = 1.0
    if x.get("weapons"):
        f["weapon"] = 1.0
    if x.get("sources"):
        f["source"] = 1.0
    if POSITION:
        si = ev.sent
        f["sent:" + ("0" if si == 0 else "1-3" if si <= 3 else "4-9" if si <= 9 else "10+")] = 1.0
    group_flags(g, info, f)
    return f


def group_flags(g: list, info: dict, f: dict[str, float]) -> None:
    """The features of a trigger group told by its sentence (a headline, cues, other groups,
    protest words): own_features sets them, and bound.py reads them before a candidate is built."""
    if any(t.data.get("title") for t in g):
        f["title"] = 1.0
    for cue in sorted(info.get("cue_kinds", ())):   # a set: sorted, so the sum order (and p) is the same in every run
        f["cue:" + cue] = 1.0
    if info.get("n_groups", 1) > 1:
        f["groups:2+"] = 1.0
    if info.get("protest_support"):
        f["prot:support"] = 1.0
    if info.get("crowd"):
        f["prot:crowd"] = 1.0


def _trigger_words(doc, ctx, t) -> dict[str, float]:
    """The trigger's word features: its own (pattern, proclitic, suffix, part of speech,
    clusters), then its neighbours' clusters."""
    f = dict(_own_words(_trigger_key(doc, t)))
    f.update(_neighbour_words(doc, ctx, t))
    return f


def _trigger_key(doc, t) -> tuple[str, str, str, str]:
    """What a trigger's own word features are made of: its pattern, proclitic, word and part of
    speech (1,594 of these over the 22,442 triggers of the 1,213 news articles)."""
    d = t.data
    return d.get("pattern", ""), d.get("prefix", ""), doc.norm[d.get("core_start", d["n0"]):d["n1"]], d.get("pos", "n")


def _own_words(key: tuple[str, str, str, str]) -> dict[str, float]:
    """The trigger's own word features (made once per process for each key: not to be changed).
    (_cand.pyx's own_words makes them for the compiled shared_ids: change both.)"""
    got = _OWN_WORDS.get(key)
    if got is not None:
        return got
    pat, pre, word, pos = key
    f: dict[str, float] = {}
    f["p:" + pat] = 1.0
    if pre:
        f["pre:" + pre] = 1.0
    suf = word[len(pat):] if word.startswith(pat) else ""
    if suf:
        f["suf:" + suf] = 1.0
    f["pos:" + pos] = 1.0
    c = _cluster(word)
    if c is not None:
        f["c:%d" % c[0]] = 1.0
        f["cf:%d" % c[1]] = 1.0
    if len(_OWN_WORDS) > _MAX_CLAUSE_KEYS:
        _OWN_WORDS.clear()
    _OWN_WORDS[key] = f
    return f


_OWN_WORDS: dict[tuple[str, str, str, str], dict[str, float]] = {}


def _neighbour_words(doc, ctx, t) -> dict[str, float]:
    """The clusters of the words right before and after the trigger, in its sentence."""
    return _neighbour_feats(_neighbour_key(doc, ctx, t))


def _neighbour_key(doc, ctx, t) -> tuple:
    """What the trigger's neighbour features are made of: (the word before, its fine cluster,
    the word after, its fine cluster), a word None where the sentence has none there or when
    NEIGHBOUR_WORDS is off (then the key is the two clusters: a few thousand keys)."""
    toks = doc.tokens
    i = ctx.ntok(t.data["n0"])
    j = ctx.ntok(t.data["n1"])
    wb = cb = wa = ca = None
    if i > 0 and toks[i - 1].sent == t.sent:
        w = toks[i - 1].norm
        c = _cluster(w)
        wb, cb = (w if NEIGHBOUR_WORDS else None), (c[1] if c is not None else None)
    if j < len(toks) and toks[j].sent == t.sent:
        w = toks[j].norm
        c = _cluster(w)
        wa, ca = (w if NEIGHBOUR_WORDS else None), (c[1] if c is not None else None)
    return wb, cb, wa, ca


def _neighbour_feats(key: tuple) -> dict[str, float]:
    """The neighbour features of a ``_neighbour_key``, in their order (before, then after).
    (_cand.pyx's neighbour_feats is this code typed: change both.)"""
    wb, cb, wa, ca = key
    f: dict[str, float] = {}
    if wb is not None:
        f["w-1:" + wb] = 1.0
    if cb is not None:
        f["c-1:%d" % cb] = 1.0
    if wa is not None:
        f["w+1:" + wa] = 1.0
    if ca is not None:
        f["c+1:%d" % ca] = 1.0
    return f
