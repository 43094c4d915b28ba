# cython: language_level=3, boundscheck=False, wraparound=False
"""The Doc's tokens made in C: ``tokens.tokenize_py`` without a Python ``__init__`` per token.

``tokens.Token`` stays the slots dataclass the other steps read (its attributes read fastest from
Python code); only its construction changes: each token is allocated by the type and its five
slots set through the type's own slot descriptors (``Token.start.__set__`` and so on, called in
C), which is what the dataclass's generated ``__init__`` does, less the interpreter's call and
frame (about two thirds of the time of building a Doc's tokens, docs/scale.md).
"""

# What the Python side expects of this module (native.py's ``compiled``): a build from an older
# _tokens.pyx is not used.
API = 1

cdef extern from *:
    """
    /* a new, empty instance of a heap type with slots, as object.__new__(cls) makes it */
    static PyObject *marsad_alloc(PyObject *cls) {
        return ((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    }
    /* descr.__set__(obj, value): a slot's member descriptor stores value in obj's slot */
    static int marsad_set(PyObject *descr, PyObject *obj, PyObject *value) {
        return Py_TYPE(descr)->tp_descr_set(descr, obj, value);
    }
    """
    object marsad_alloc(object cls)
    int marsad_set(object descr, object obj, object value) except -1


cdef inline bint _word(Py_UCS4 c):
    return c == u'_' or c.isalnum()


def slots_of(token) -> tuple:
    """The slot descriptors of ``token``'s fields (start, end, norm, i, sent), checked to be
    plain slots of a class without ``__init__`` side effects beyond storing them."""
    names = ("start", "end", "norm", "i", "sent")
    if tuple(getattr(token, "__slots__", ())) != names:
        raise TypeError(f"{token.__name__} must have exactly the slots {names}")
    out = tuple(token.__dict__[n] for n in names)
    if any(type(d).__name__ != "member_descriptor" for d in out):
        raise TypeError(f"{token.__name__}'s fields must be slot members")
    return out


def tokenize(str norm, list sentences, token, tuple slots):
    """Tokens (runs of word characters) of each sentence, numbered through the document, as
    ``tokens.tokenize_py`` makes them: ``token`` is ``tokens.Token``, ``slots`` its
    ``slots_of(token)``."""
    cdef list tokens = []
    cdef Py_ssize_t si = 0, a, b, i, j, k = 0
    d_start, d_end, d_norm, d_i, d_sent = slots
    for a, b in sentences:
        sent = si
        i = a
        while i < b:
            if not _word(norm[i]):
                i += 1
                continue
            j = i + 1
            while j < b and _word(norm[j]):
                j += 1
            t = marsad_alloc(token)
            marsad_set(d_start, t, i)
            marsad_set(d_end, t, j)
            marsad_set(d_norm, t, norm[i:j])
            marsad_set(d_i, t, k)
            marsad_set(d_sent, t, sent)
            tokens.append(t)
            k += 1
            i = j
        si += 1
    return tokens
