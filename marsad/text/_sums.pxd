# cython: language_level=3
"""The event detector's sums over a dict of features, shared by ``_core.detector_sums`` and
``marsad/components/events/_fast.Table.sums`` (one loop, so the two cannot drift apart; inline:
no module of its own at run time)."""

cimport cython


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline double dict_sums(dict weights, dict index, double[::1] det, double[:, ::1] terms, dict feats,
                             double z, double *t) except? -1.0:
    """Add each feature of ``feats`` in its order: to ``z`` its detector weight times its value
    (``det[index[k]]``, else ``weights[k]``, else nothing), to the typing sums ``t`` its table row
    times its value (row 1, the zeros, for a key the table lacks). Returns the new ``z``."""
    cdef Py_ssize_t m = terms.shape[1], j, r
    cdef double v
    cdef object got, x
    for k, xv in feats.items():
        v = <double>xv
        got = index.get(k)
        if got is None:
            x = weights.get(k)
            if x is not None:
                z += <double>x * v
            r = 1
        else:
            r = <Py_ssize_t>got
            z += det[r] * v
        for j in range(m):
            t[j] += terms[r, j] * v
    return z
