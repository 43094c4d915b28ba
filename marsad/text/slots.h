/* A slotted class's fields read in place by the compiled modules (the events step's _fast, _cand
   and _sides, the numbers step's _numbers): one copy of the two helpers, included by each.
   (The name tagger's _decode.pyx keeps its own, which also refuses read-only slots.) */
#ifndef MARSAD_SLOTS_H
#define MARSAD_SLOTS_H
#include "Python.h"
#include "structmember.h"

/* the offset of an object slot in its class's instances, from its member descriptor; -1 for
   anything else (a property, a slot of another kind) */
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
#endif
