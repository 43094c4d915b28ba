# cython: language_level=3
"""Word characters as the regular expressions read them (``\\w``: ``str.isalnum()`` or "_"), for
the compiled loops over normalised text: ASCII and the Arabic letters (U+0620-U+064A, every one
a letter) are answered at once, every other code point by CPython's own tables, as before
(inline: no module of its own at run time)."""

cdef extern from "Python.h":
    bint Py_UNICODE_ISALNUM(Py_UCS4 c)


cdef inline bint alnum(Py_UCS4 c) noexcept:
    """``str.isalnum()`` of the character."""
    if c < 128:
        return (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122)
    if 0x0620 <= c <= 0x064A:
        return True
    return Py_UNICODE_ISALNUM(c)


cdef inline bint word(Py_UCS4 c) noexcept:
    """``\\w``: ``str.isalnum()`` or "_"."""
    return c == u'_' or alnum(c)
