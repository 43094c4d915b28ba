# cython: language_level=3
"""How plainly a trigger states its incident (rules._strength_py), shared by ``_fast.strength``
and ``_cand``'s rules score (one body, so the two cannot drift apart; inline: no module of its
own at run time)."""

from cpython.dict cimport PyDict_GetItemWithError
from cpython.object cimport PyObject
from cpython.unicode cimport PyUnicode_Tailmatch, PyUnicode_GET_LENGTH


cdef inline object strength_in(dict d):
    """rules._strength_py over the trigger's data ``d`` (its caller may read it from the span's
    slot). The data's look-ups are typed (PyDict_GetItemWithError: no error state saved and
    restored as PyDict_GetItem does, ~55 instructions each), and a str pos and a str prefix are
    tested in C (as a method call the prefix's ``endswith`` was ~770 instructions of the ~1,270 a
    trigger cost); other types as Python asks them."""
    if d is None:   # (as d.get would say, where the look-up would read no dict)
        raise AttributeError("'NoneType' object has no attribute 'get'")
    cdef PyObject *v = PyDict_GetItemWithError(d, "strength")
    s = 1 if v == NULL else <object>v
    v = PyDict_GetItemWithError(d, "pos")
    if v != NULL:
        pos = <object>v
        if (PyUnicode_GET_LENGTH(pos) == 2 and <str>pos == "vi") if type(pos) is str else pos == "vi":
            v = PyDict_GetItemWithError(d, "title")
            if v == NULL or not <object>v:
                return 1
    if s >= 2:
        v = PyDict_GetItemWithError(d, "prefix")
        prefix = "" if v == NULL else <object>v
        if (PyUnicode_Tailmatch(prefix, "ال", 0, PyUnicode_GET_LENGTH(prefix), 1) == 1 if type(prefix) is str
                else prefix.endswith("ال")) and d["kind"] in ("kill", "shell", "attack", "vac"):
            return 1
    return s
