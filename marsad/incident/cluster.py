"""Deterministic grouping of linked events into incidents.

The groups depend only on the set of events and their pair scores, never on the order in which
reports arrived or on database ids: events are named by stable keys (a report's content hash and
the event's index in it), links are taken strongest first with ties broken by those keys, and two
groups join only if a share ``linkage`` of the pairs across them are at least "possible" links
(1.0 is complete linkage; lower lets a report coded with another place or side join the
incident its other reports agree on, while a chain of one-day-apart reports still does not
become one week-long incident) and no pair is forbidden (two events of one report, unless another
report's event links to both: one incident the report coded twice, ``twice``; a person's
"different"). With ``average`` the share is replaced by the mean score of the pairs across them
(a pair not linked counts 0), which must reach ``linkage``: one strong link then cannot carry a
report into a group most of whose reports tell another incident. A person's "same" joins groups
first.
"""

from __future__ import annotations

from typing import Hashable, Iterable

def groups(keys: Iterable[Hashable], scores: dict[tuple, float], threshold: float,
           same: Iterable[tuple] = (), different: Iterable[tuple] = (),
           report_of=lambda k: k[0], linkage: float = 1.0, average: bool = False,
           twice=None, reach: float | None = None) -> list[list]:
    """Partition ``keys`` (sortable, stable) into incidents.

    scores: {(k1, k2): score} of the linked pairs (at least "possible"), either order.
    same / different: a person's decisions as key pairs.
    twice: whether two events of ONE report may be one incident it coded twice: True (the store),
    None (never) or a predicate (k1, k2) -> bool (scripts/links.py's trials). Such a pair joins only when, besides, an event of another
    report in the joined group links "same" (>= threshold) to one of the two and at least
    ``reach`` (default: the threshold) to the other: the other reports vouch that both copies
    are their incident."""
    keys = sorted(set(keys))
    known = set(keys)
    # each unordered pair once, as its keys in order (a pair of a key with itself is none)
    pair = {}
    for (x, y), s in scores.items():
        if x != y:
            p = (x, y) if x < y else (y, x)
            kept = pair.get(p, 0.0)
            pair[p] = kept if kept > s else s    # max(s, kept), without the call
    forced = {frozenset(p) for p in same}
    banned = {frozenset(p) for p in different} - forced
    # the same, by ordered pairs of keys (both orders): allowed() looks each cross pair up
    score_of = dict(pair)
    score_of.update({(y, x): s for (x, y), s in pair.items()})
    forced_o = {o for p in forced if len(p) == 2 for o in _orders(p)}
    banned_o = {o for p in banned if len(p) == 2 for o in _orders(p)}
    report = {k: report_of(k) for k in keys}
    members = {k: [k] for k in keys}
    root = {k: k for k in keys}
    # each key's partners: what a cross pair adds (a person's "same" 1, else its score, or
    # True for a linked pair under share linkage); a pair not there adds 0
    partners: dict = {}
    for p, s in score_of.items():
        if p not in forced_o:
            partners.setdefault(p[0], {})[p[1]] = s if average else True
    for p in forced_o:
        partners.setdefault(p[0], {})[p[1]] = 1
    banned_of: dict = {}
    for x, y in banned_o:
        banned_of.setdefault(x, set()).add(y)

    def join(a, b):
        ra, rb = root[a], root[b]
        if ra == rb:
            return
        keep, gone = min(ra, rb), max(ra, rb)
        for k in members[gone]:
            root[k] = keep
        members[keep] = sorted(members[keep] + members.pop(gone))

    for x, y in sorted(tuple(sorted(p)) for p in forced if len(p) == 2 and p <= known):
        join(x, y)

    need = threshold if reach is None else reach

    def vouched(x, y, ga, gb) -> bool:
        # two events of one report: one incident told twice when its predicate says they may be
        # and another report's event of the joined group links to both
        if not twice or (twice is not True and not twice(x, y)):
            return False
        for z in (*ga, *gb):
            if report[z] != report[x]:
                sx, sy = score_of.get((x, z), 0.0), score_of.get((y, z), 0.0)
                if max(sx, sy) >= threshold and min(sx, sy) >= need:
                    return True
        return False

    def allowed(ga, gb) -> bool:
        # what the loop over every cross pair (x in ga, y in gb, in order) gave: no pair but
        # a person's "same" of one report, one incident a report told twice (vouched) or a
        # person's "different", and the pairs' values summed in that order (a pair not linked
        # adds 0, which leaves a float as it is)
        inb = set(gb)
        of_b = {report[y] for y in gb}
        for x in ga:
            if report[x] in of_b and any((x, y) not in forced_o and not vouched(x, y, ga, gb)
                                         for y in gb if report[y] == report[x]):
                return False
            if x in banned_of and not banned_of[x].isdisjoint(inb):
                return False
        linked = 0
        for x in ga:
            mine = partners.get(x)
            if mine:
                for y in sorted(inb.intersection(mine)):
                    linked += mine[y]
        return linked >= linkage * (len(ga) * len(gb))

    edges = sorted((-s, x, y) for (x, y), s in pair.items()
                   if s >= threshold and x in known and y in known)
    for _, x, y in edges:
        ra, rb = root[x], root[y]
        if ra != rb and allowed(members[ra], members[rb]):
            join(x, y)
    return sorted(members.values())


def _orders(p: frozenset) -> tuple[tuple, tuple]:
    x, y = tuple(p)
    return (x, y), (y, x)
