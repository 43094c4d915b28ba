# cython: language_level=3, boundscheck=False, wraparound=False
"""The geoparser's per-letter loops in C: ``geoparser.prev_word_py`` and ``geoparser._cue_words_py``.

Each gives what its Python twin gives (``tests/places/test_places_fast_paths.py`` compares them on
random texts); ``geoparser.py`` chooses between them (``MARSAD_PURE=1`` runs the twins). A letter
is ``str.isalnum()`` (``Py_UNICODE_ISALNUM``, which ``str.isalnum`` asks of each character).
"""

# What geoparser.py expects of this module (native.compiled): an older build is not used.
API = 1


cdef inline bint _skip(Py_UCS4 c):
    return c == u' ' or c == u'#' or c == u'"' or c == u"'" or c == u'(' or c == u'«'


def prev_word(str text, Py_ssize_t pos):
    """The word before position pos (skipping spaces and hashtag signs), and its start."""
    cdef Py_ssize_t j = pos, i
    if pos < 0:
        return u"", pos  # as text[pos:pos] is
    if pos > len(text):
        raise IndexError("string index out of range")
    while j > 0 and _skip(text[j - 1]):
        j -= 1
    i = j
    while i > 0 and text[i - 1].isalnum():
        i -= 1
    return text[i:j], i


cdef inline bint _wordch(Py_UCS4 c):
    return c == u'_' or c.isalnum()


def cue_words(auto, str text, str clitics):
    """(start, end) of the whole words that are a cue with at most two of ``clitics`` before it,
    in text order, one pair per word: ``auto`` holds each cue with its length."""
    cdef Py_ssize_t n = len(text), last, e, i, s, k, size
    cdef list out = []
    cdef bint ok
    for last, size in auto.iter(text):
        e = last + 1
        if e < n and _wordch(text[e]):
            continue
        i = e - size
        s = i
        while s > 0 and i - s < 3 and _wordch(text[s - 1]):
            s -= 1
        if i - s > 2 or (s > 0 and _wordch(text[s - 1])):
            continue
        ok = True
        for k in range(s, i):
            if text[k] not in clitics:
                ok = False
                break
        if ok:
            out.append((s, e))
    if len(out) > 1:
        return sorted(set(out))  # a word found through two cues is one word
    return out
