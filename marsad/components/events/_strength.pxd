# cython: language_level=3
"""How plainly a trigger states its incident (rules._strength_py), shared by ``_fast.strength``
and ``_cand``'s rules score (one body, so the two cannot drift apart; inline: no module of its
own at run time)."""


cdef inline object trigger_strength(t):
    cdef dict d = t.data
    s = d.get("strength", 1)
    if d.get("pos") == "vi" and not d.get("title"):
        return 1
    if s >= 2 and d.get("prefix", "").endswith("ال") and d["kind"] in ("kill", "shell", "attack", "vac"):
        return 1
    return s
