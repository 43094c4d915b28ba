# cython: language_level=3
"""The CPython API through which the compiled text loops read a str in place (its storage kind,
its buffer, one code point) and make one from a buffer: declared once here, cimported by each
module (``_core``, ``_doc``, ``_lines``), with no module of its own at run time. Cython's own
``cpython.unicode`` reads the buffer as ``void *``, where these loops keep it ``const``."""

cdef extern from "Python.h":
    ctypedef unsigned char Py_UCS1
    ctypedef unsigned short Py_UCS2
    int PyUnicode_1BYTE_KIND
    int PyUnicode_2BYTE_KIND
    int PyUnicode_4BYTE_KIND
    int PyUnicode_KIND(object text)
    void *PyUnicode_DATA(object text)
    Py_ssize_t PyUnicode_GET_LENGTH(object text)
    Py_UCS4 PyUnicode_READ(int kind, const void *data, Py_ssize_t index)
    object PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size)
