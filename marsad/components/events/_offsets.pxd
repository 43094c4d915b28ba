# cython: language_level=3
"""A span's normalised offset from its original one (Ctx.nstart's bisect_left over the report's
offsets), shared by ``_fast``'s nstart, nend and within and ``_sides``' (one body, inline: no
module of its own at run time). A list is bisected in C, comparing C integers (the offsets and
span bounds are ints: the same index); another sequence by the bisect module."""

cdef inline Py_ssize_t offset_index(offsets, Py_ssize_t x) except -1:
    cdef Py_ssize_t lo = 0, hi, mid
    if type(offsets) is not list:
        from bisect import bisect_left
        return bisect_left(offsets, x)
    hi = len(<list>offsets)
    while lo < hi:
        mid = (lo + hi) >> 1
        if <Py_ssize_t>(<list>offsets)[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo
