# cython: language_level=3
"""A slotted class's fields read in place, shared by the compiled modules that read Spans and
Tokens (the events step's ``_fast``, ``_cand`` and ``_sides``, the numbers step's ``_numbers``):
one copy of the helpers (inline: no module of its own at run time). The name tagger's
``_decode.pyx`` keeps its own, which also refuses read-only slots."""

from cpython.object cimport PyObject

cdef extern from *:
    """
    #include "structmember.h"
    /* the offset of an object slot in its class's instances, from its member descriptor; -1
       for anything else (a property, a slot of another kind) */
    static Py_ssize_t marsad_slot_offset_of(PyObject *descr) {
        PyMemberDef *m;
        if (descr == NULL || Py_TYPE(descr) != &PyMemberDescr_Type) return -1;
        m = ((PyMemberDescrObject *)descr)->d_member;
        return (m->type == T_OBJECT_EX) ? m->offset : -1;
    }
    /* the value in obj's slot at offset (borrowed; NULL while unset) */
    static PyObject *marsad_slot_at(PyObject *obj, Py_ssize_t offset) {
        return *(PyObject **)((char *)obj + offset);
    }
    """
    Py_ssize_t marsad_slot_offset_of(PyObject *descr)
    PyObject *marsad_slot_at(object obj, Py_ssize_t offset)


cdef inline Py_ssize_t class_slot(cls, str name):
    """The offset of ``cls``'s slot ``name`` (-1: none, read by name)."""
    descr = getattr(cls, "__dict__", {}).get(name)
    return -1 if descr is None else marsad_slot_offset_of(<PyObject *>descr)
