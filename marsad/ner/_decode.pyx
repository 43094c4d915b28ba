# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The name tagger's inner loops in C: the feature ids of new word types and the sums of their
weights, the window sum of emission scores, Viterbi over every sentence of a document, and
spreading lexicon matches over tokens.

Each has a numpy or Python twin (``tagger.py``, ``perceptron.py``, ``features.py``) that gives
the same labels; the
arithmetic is float32 in the same order as numpy's (so the same ties break the same way), and
the tests compare the two paths on the same text. ``API`` is checked at import: a module built
from an older file is not used (``native.py``).
"""

import numpy as np
from libc.stdlib cimport free, realloc
from libc.string cimport memcpy

API = 3


cdef struct _Buf:
    long *p
    Py_ssize_t n, cap


cdef int _push(_Buf *b, long v) except -1:
    cdef long *q
    if b.n == b.cap:
        b.cap = 2 * b.cap + 4096
        q = <long *>realloc(b.p, b.cap * sizeof(long))
        if q == NULL:
            raise MemoryError()
        b.p = q
    b.p[b.n] = v
    b.n += 1
    return 0


cdef inline long _get(dict table, key):
    v = table.get(key)
    return 0 if v is None else <long>v


def own_ids(list words, readings_of, shape_of, str bos, str eos, slots, bint shape,
            dict cues, dict clusters, list lookups):
    """``WordFeatures.own_ids`` of each word, in one buffer: (ids, starts), each word's ids after
    a 0 at its start (slot 0: no segment is empty), as ``_WordCache._add`` lays them out.

    Driven by the tables of ``slots`` (``KindSlots``) and the word's own: readings_of =
    ``strip_proclitics``, shape_of = ``features._shape``, cues (empty without the lexicon
    group), clusters (None without), lookups = ``WordFeatures.lookups`` ((kind, table) pairs
    whose values come from a word table with the proclitic fallback)."""
    cdef dict t = slots.kinds
    cdef dict tw = t["w"], tstem = t["stem"], tproc = t["proc"], tshape = t["shape"]
    cdef dict tcue = t["cue"], ttri = t["tri"], cc = slots.cc, cf = slots.cf, tab
    cdef list pre = [x for _, x in slots.pre], suf = [x for _, x in slots.suf], length = slots.length
    cdef list lk = [(table, t.get(name, {})) for name, table in lookups]
    cdef long bias = slots.bias, rare = slots.rare
    cdef Py_ssize_t nw = len(words), k, r, nr, n, m, j
    cdef str w, stem
    cdef tuple reading
    cdef list found
    cdef _Buf b
    b.p, b.n, b.cap = NULL, 0, 0
    starts = np.empty(nw, dtype=np.int64)
    cdef long[::1] st = starts, iv
    try:
        for k in range(nw):
            w = words[k]
            st[k] = b.n
            _push(&b, 0)
            if w == bos or w == eos:
                _push(&b, _get(tw, w))
                continue
            readings = readings_of(w)
            nr = len(readings)
            stem = (<tuple>readings[1])[1] if nr > 1 else w
            _push(&b, bias)
            _push(&b, _get(tw, w))
            _push(&b, _get(tstem, stem))
            for r in range(1, nr):
                _push(&b, _get(tproc, (<tuple>readings[r])[0]))
            n, m = len(stem), len(w)
            if shape:
                for j in range(1, 5):
                    if n > j:
                        _push(&b, _get(<dict>pre[j - 1], stem[:j]))
                for j in range(1, 5):
                    if m > j:
                        _push(&b, _get(<dict>suf[j - 1], w[m - j:]))
                _push(&b, _get(tshape, shape_of(w)))
                _push(&b, <long>length[min(n, 9)])
            if cues:
                found = None
                for r in range(nr):
                    c = cues.get((<tuple>readings[r])[1])
                    if c is not None:
                        if found is None:
                            found = []
                        found.extend(c)
                if found:
                    for c in sorted(set(found)):
                        _push(&b, _get(tcue, c))
            if clusters is not None:
                c = clusters.get(w)
                r = 1
                while c is None and r < nr:
                    c = clusters.get((<tuple>readings[r])[1])
                    r += 1
                if c is not None:
                    _push(&b, _get(cc, c[0]))
                    _push(&b, _get(cf, c[1]))
                else:
                    _push(&b, rare)
                    if shape:
                        for j in range(n - 2):
                            _push(&b, _get(ttri, stem[j:j + 3]))
            for table, tab in lk:
                hit = table.get(w)
                r = 1
                while hit is None and r < nr:
                    hit = table.get((<tuple>readings[r])[1])
                    r += 1
                if hit:
                    for v in hit:
                        _push(&b, _get(tab, v))
        ids = np.empty(b.n, dtype=np.int64)
        iv = ids
        if b.n:
            memcpy(&iv[0], b.p, b.n * sizeof(long))
    finally:
        free(b.p)
    return ids, starts


def type_sums(const long[::1] ids, const long[::1] starts, const long[:, ::1] slots,
              const float[:, ::1] weights, float[:, :, ::1] out, long first):
    """out[first + k] = the summed weights, at positions 0, -1, +1, -2, +2, of the features
    ids[starts[k]:starts[k + 1]] (slots: feature slot -> its weight row at each position, 0 =
    none), added in order as numpy's reduceat adds them."""
    cdef Py_ssize_t k, a, b, f, p, j, r, n = starts.shape[0], m = ids.shape[0]
    cdef Py_ssize_t labels = weights.shape[1]
    for k in range(n):
        a = starts[k]
        b = starts[k + 1] if k + 1 < n else m
        for p in range(5):
            for j in range(labels):
                out[first + k, p, j] = 0
        for f in range(a, b):
            for p in range(5):
                r = slots[ids[f], p]
                if r:
                    for j in range(labels):
                        out[first + k, p, j] += weights[r, j]


def window(const long[::1] ids, const long[::1] sent, const float[:, :, ::1] em, long bos, long eos):
    """(tokens, labels) emission scores: each token's own row plus those its neighbours one and
    two away lend it (bos / eos rows past a sentence's edges), summed as tagger.emissions sums."""
    cdef Py_ssize_t n = ids.shape[0], labels = em.shape[2], i, j
    cdef long l1, r1, l2, r2
    out = np.empty((n, labels), dtype=np.float32)
    cdef float[:, ::1] o = out
    for i in range(n):
        l1 = ids[i - 1] if i >= 1 and sent[i - 1] == sent[i] else bos
        r1 = ids[i + 1] if i + 1 < n and sent[i + 1] == sent[i] else eos
        l2 = ids[i - 2] if i >= 2 and sent[i - 2] == sent[i] else bos
        r2 = ids[i + 2] if i + 2 < n and sent[i + 2] == sent[i] else eos
        for j in range(labels):
            o[i, j] = (((em[ids[i], 0, j] + em[l1, 1, j]) + em[r1, 2, j]) + em[l2, 3, j]) + em[r2, 4, j]
    return out


def viterbi(const float[:, ::1] em, const long[::1] starts, const long[::1] lengths,
            const float[:, ::1] trans, const float[::1] start, const float[::1] end):
    """Best label id of every token (emissions (tokens, labels) of consecutive sentences), as
    perceptron.viterbi: ties go to the lowest label id."""
    cdef Py_ssize_t n = em.shape[0], L = em.shape[1], s, a, length, i, fr, to, cur
    cdef float best, c
    labels = np.zeros(n, dtype=np.int64)
    cdef long[::1] out = labels
    back_arr = np.zeros((max(int(np.max(lengths)) if len(lengths) else 1, 1), L), dtype=np.int64)
    cdef long[:, ::1] back = back_arr
    score_arr = np.zeros(L, dtype=np.float32)
    new_arr = np.zeros(L, dtype=np.float32)
    cdef float[::1] score = score_arr, new = new_arr
    for s in range(starts.shape[0]):
        a, length = starts[s], lengths[s]
        if length <= 0:
            continue
        for to in range(L):
            score[to] = em[a, to] + start[to]
        for i in range(1, length):
            for to in range(L):
                best = score[0] + trans[0, to]
                cur = 0
                for fr in range(1, L):
                    c = score[fr] + trans[fr, to]
                    if c > best:
                        best, cur = c, fr
                back[i, to] = cur
                new[to] = best + em[a + i, to]
            for to in range(L):
                score[to] = new[to]
        cur = 0
        best = score[0] + end[0]
        for to in range(1, L):
            c = score[to] + end[to]
            if c > best:
                best, cur = c, to
        out[a + length - 1] = cur
        for i in range(length - 1, 0, -1):
            cur = back[i, cur]
            out[a + i - 1] = cur
    return labels


def spread_tags(list hits, list starts, list tokens, dict names, dict encoded):
    """``LexiconFeatures.matches`` after the sources have run (hits: (start, end, label) of
    every source, in order): each token's tags, then those of its neighbours in its sentence,
    in the same order as the Python loop builds them."""
    cdef Py_ssize_t n = len(tokens), lo, hi, mid, i, j, k
    cdef long a, b
    cdef dict own = {}, out = {}
    cdef list lst
    cdef tuple tags, e
    for a, b, name in hits:
        lo, hi = 0, n  # bisect_right(starts, a) - 1: the token a falls in, or the one before
        while lo < hi:
            mid = (lo + hi) // 2
            if a < <long>starts[mid]:
                hi = mid
            else:
                lo = mid + 1
        i = lo - 1
        if i < 0 or tokens[i].end <= a:
            i += 1
        lo, hi = i, n  # bisect_left(starts, b, i): the first token at or after b
        while lo < hi:
            mid = (lo + hi) // 2
            if <long>starts[mid] < b:
                lo = mid + 1
            else:
                hi = mid
        j = lo
        tags = names.get(name)
        if tags is None:
            tags = names[name] = (name + "=B", name + "=I")
        for k in range(i, j):
            tag = tags[0] if k == i else tags[1]
            lst = own.get(k)
            if lst is None:
                own[k] = [tag]
            elif tag not in lst:
                lst.append(tag)
    for k, lst in own.items():
        key = tuple(lst)
        e = encoded.get(key)
        if e is None:
            e = encoded[key] = (list(lst), ["-1" + x for x in lst], ["+1" + x for x in lst])
        out[k] = out.get(k, []) + e[0]
        s = tokens[k].sent
        if k + 1 < n and tokens[k + 1].sent == s:
            out[k + 1] = out.get(k + 1, []) + e[1]
        if k > 0 and tokens[k - 1].sent == s:
            out[k - 1] = out.get(k - 1, []) + e[2]
    return out
