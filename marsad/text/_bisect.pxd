# cython: language_level=3
"""bisect over a list of ints, inline, for the compiled modules that search sorted offsets (the
events step's ``_cand``, the places step's ``_scan``): one copy, no module of its own at run time."""


cdef inline Py_ssize_t bisect_right(list a, Py_ssize_t x):
    cdef Py_ssize_t lo = 0, hi = len(a), mid
    while lo < hi:
        mid = (lo + hi) // 2
        if x < <Py_ssize_t>a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


cdef inline Py_ssize_t bisect_left_from(list a, Py_ssize_t x, Py_ssize_t lo):
    """bisect_left(a, x, lo): the first i >= lo with a[i] >= x."""
    cdef Py_ssize_t hi = len(a), mid
    while lo < hi:
        mid = (lo + hi) // 2
        if <Py_ssize_t>a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef inline Py_ssize_t bisect_left(list a, Py_ssize_t x):
    return bisect_left_from(a, x, 0)
