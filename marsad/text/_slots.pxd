# cython: language_level=3
"""A slotted class's fields read in place, shared by the compiled modules that read Spans and
Tokens (the events step's ``_fast``, ``_cand`` and ``_sides``, the numbers step's ``_numbers``):
one copy of the helpers (inline: no module of its own at run time), also for the name tagger's
``_decode`` and the events step's spans made in place (a slot that may be written, an instance
allocated bare, a slot set)."""

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
    /* the same for a slot that may be written (not read-only): where a span is made in place */
    static Py_ssize_t marsad_writable_slot_offset_of(PyObject *descr) {
        PyMemberDef *m;
        if (descr == NULL || Py_TYPE(descr) != &PyMemberDescr_Type) return -1;
        m = ((PyMemberDescrObject *)descr)->d_member;
        return (m->type == T_OBJECT_EX && !(m->flags & READONLY)) ? m->offset : -1;
    }
    /* whether obj's class derives directly from base */
    static int marsad_base_is(PyObject *obj, PyObject *base) {
        return (PyObject *)Py_TYPE(obj)->tp_base == base;
    }
    /* the value in obj's slot at offset (borrowed; NULL while unset) */
    static PyObject *marsad_slot_at(PyObject *obj, Py_ssize_t offset) {
        return *(PyObject **)((char *)obj + offset);
    }
    /* a bare instance of a class with slots, as object.__new__(cls) makes it (no __new__ of its
       own, no arguments: its tp_alloc) */
    static PyObject *marsad_alloc(PyObject *cls) {
        return ((PyTypeObject *)cls)->tp_alloc((PyTypeObject *)cls, 0);
    }
    /* obj's slot at offset set to v, as the member descriptor sets it */
    static void marsad_set_slot(PyObject *obj, Py_ssize_t offset, PyObject *v) {
        PyObject **at = (PyObject **)((char *)obj + offset);
        PyObject *old = *at;
        Py_INCREF(v);
        *at = v;
        Py_XDECREF(old);
    }
    """
    Py_ssize_t marsad_slot_offset_of(PyObject *descr)
    Py_ssize_t marsad_writable_slot_offset_of(PyObject *descr)
    bint marsad_base_is(object obj, object base)
    PyObject *marsad_slot_at(object obj, Py_ssize_t offset)
    object marsad_alloc(object cls)
    void marsad_set_slot(object obj, Py_ssize_t offset, object v)


cdef inline object new_six(cls, const Py_ssize_t *at, a, b, c, d, e, f):
    """A bare instance of ``cls`` (marsad_alloc) with its slots at the offsets at[0..5] set to a..f:
    the one way the compiled modules make a six-slot object (a doc.Span, a tagger's mention)."""
    o = marsad_alloc(cls)
    marsad_set_slot(o, at[0], a)
    marsad_set_slot(o, at[1], b)
    marsad_set_slot(o, at[2], c)
    marsad_set_slot(o, at[3], d)
    marsad_set_slot(o, at[4], e)
    marsad_set_slot(o, at[5], f)
    return o


cdef inline object span_by_name(cls, start, end, label, text, sent, data):
    """``cls``'s instance (no __init__) with a span's six fields set by name, as doc.new_span sets
    them: how a class that ``new_six`` cannot make in place is made."""
    s = object.__new__(cls)
    s.start = start
    s.end = end
    s.label = label
    s.text = text
    s.sent = sent
    s.data = data
    return s


cdef inline bint six_in_place(cls, tuple names, Py_ssize_t *at):
    """Whether ``new_six`` can make ``cls``'s instances with the six slots ``names`` (its
    ``__slots__``, each writable; their offsets set in at[0..5]): a class of another shape, or
    with a __new__, __setattr__ or __post_init__ of its own, is made by name."""
    cdef Py_ssize_t k
    if tuple(getattr(cls, "__slots__", ())) != names or type(cls) is not type or \
            cls.__new__ is not object.__new__ or cls.__setattr__ is not object.__setattr__ or \
            hasattr(cls, "__post_init__"):
        return False
    d = cls.__dict__
    for k in range(6):
        descr = d.get(names[k])
        at[k] = -1 if descr is None else marsad_writable_slot_offset_of(<PyObject *>descr)
        if at[k] < 0:
            return False
    return True


cdef inline Py_ssize_t class_slot(cls, str name):
    """The offset of ``cls``'s slot ``name`` (-1: none, read by name)."""
    descr = getattr(cls, "__dict__", {}).get(name)
    return -1 if descr is None else marsad_slot_offset_of(<PyObject *>descr)


cdef inline object slot_or_attr(obj, cls, Py_ssize_t at, str name):
    """getattr(obj, name), read from its slot at ``at`` when obj is exactly a ``cls`` and the slot
    is set (a subclass, or an unset slot, asks by name)."""
    cdef PyObject *v
    if at >= 0 and type(obj) is cls:
        v = marsad_slot_at(obj, at)
        if v != NULL:
            return <object>v
    return getattr(obj, name)


cdef inline object base_slot_or_attr(obj, base, Py_ssize_t at, str name):
    """getattr(obj, name), read from its slot at ``at`` when obj's class derives directly from
    ``base`` (the events step's Ctx over CtxFields: its body adds no descriptor of that name) and
    the slot is set; a subclass of that class, or an unset slot, asks by name."""
    cdef PyObject *v
    if at >= 0 and marsad_base_is(obj, base):
        v = marsad_slot_at(obj, at)
        if v != NULL:
            return <object>v
    return getattr(obj, name)
