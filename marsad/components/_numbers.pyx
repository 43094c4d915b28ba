# cython: language_level=3, boundscheck=False, wraparound=False
"""The numbers step's rules in C: numbers.py's ``_Sentence``, its helpers and ``_sentence``
typed (token indices C integers, a sentence's words and offsets read once from the tokens'
slots, the gaps between tokens tested in place), and the step's scan for sentences with a cue
(numbers.py's ``run``) in one pass over the tokens.

Each function is its Python twin in numbers.py, line for line, with the same tables (read from
numbers.py at import). numbers.component() chooses this module where it is built and wanted
(native.compiled); MARSAD_PURE=1 runs the twins. The twins must stay in step:
tests/components/test_numbers_native.py compares the casualties layers of both, and each round
compares the output byte for byte.
"""

# What numbers.py expects of this module: one built from an older _numbers.pyx is not used.
API = 1

from cpython.mem cimport PyMem_Malloc, PyMem_Free
from cpython.unicode cimport Py_UNICODE_ISSPACE, Py_UNICODE_ISDIGIT, PyUnicode_READ, PyUnicode_KIND, PyUnicode_DATA

import sys
import marsad.components.numbers
_n = sys.modules["marsad.components.numbers"]
from marsad.doc import Span as _Span
from marsad.text.tokens import Token as _Token

from marsad.text._slots cimport marsad_slot_at, class_slot


cdef Py_ssize_t slot_of(str name):
    return class_slot(_Token, name)


cdef object _TokenType = _Token
cdef Py_ssize_t _TK_SENT = slot_of("sent"), _TK_NORM = slot_of("norm")
cdef Py_ssize_t _TK_START = slot_of("start"), _TK_END = slot_of("end")


cdef inline object tok_field(t, Py_ssize_t at, str name):
    """getattr(t, name), read from its slot when t is a Token and the slot is set."""
    cdef void *v
    if at >= 0 and type(t) is _TokenType:
        v = <void *>marsad_slot_at(t, at)
        if v != NULL:
            return <object>v
    return getattr(t, name)


# ---- the tables (numbers.py's) ------------------------------------------------------------------
cdef dict _UNITS = _n._UNITS, _TENS = _n._TENS, _HUNDREDS = _n._HUNDREDS, _VAGUE = _n._VAGUE
cdef dict _PRE = _n._PRE, _LABEL = _n._LABEL, _LABEL_DUAL = _n._LABEL_DUAL
cdef dict _PRE_X = _n._PRE_X, _LABEL_X = _n._LABEL_X, _POST_X = _n._POST_X, _SINGULAR_FEM = _n._SINGULAR_FEM
# typed as sets so that `in` is PySet_Contains itself, not PySequence_Contains' dispatch
cdef set _TEN = _n._TEN, _HUNDRED = _n._HUNDRED, _THOUSAND = _n._THOUSAND, _THOUSANDS_PL = _n._THOUSANDS_PL
cdef set _THOUSAND_DUAL = _n._THOUSAND_DUAL, _THOUSAND_WORDS = _n._THOUSAND_WORDS
cdef set _NUMBER_WORDS = _n._NUMBER_WORDS, _VAGUE_NEEDS_MIN = _n._VAGUE_NEEDS_MIN, _ADAD_MOD = _n._ADAD_MOD
cdef set _THOUSANDS_ANY = _n._THOUSANDS_ANY, _APPROX = _n._APPROX, _APPROX_STRONG = _n._APPROX_STRONG
cdef set _SINGLE_DEATH = _n._SINGLE_DEATH, _PERSON_SET = _n._PERSON_SET, _DUAL_YN = _n._DUAL_YN
cdef set _FALL = _n._FALL, _PLURAL_CUE = _n._PLURAL_CUE, _LABEL_SING = _n._LABEL_SING, _CUE_SKIP = _n._CUE_SKIP
cdef set _TOLL = _n._TOLL, _TOLL_TO = _n._TOLL_TO, _TOLL_SKIP = _n._TOLL_SKIP
cdef set _ACTIVE_VERBS = _n._ACTIVE_VERBS, _PLUS = _n._PLUS, _PLUS_2 = _n._PLUS_2, _KANU = _n._KANU
cdef set _AMONG = _n._AMONG, _STOP = _n._STOP, _RANGE_WORDS = _n._RANGE_WORDS, _OTHERS = _n._OTHERS
cdef set _NOT_PEOPLE = _n._NOT_PEOPLE, _PERCENT = _n._PERCENT, _NOT_PEOPLE_BEFORE = _n._NOT_PEOPLE_BEFORE
cdef set _NUM_START_X = _n._NUM_START_X, _ANY_CUE = _n._ANY_CUE
# a set of the frozenset's words: Cython tests `in` a frozenset through PySequence_Contains
cdef set _RULE_START = set(_n._RULE_START)
cdef str _BAAD = _n._BAAD, _BETWEEN = _n._BETWEEN, _MIN = _n._MIN, _AND = _n._AND
cdef str K = _n.K, W = _n.W
cdef str _BIHAYAH = "ب" + "حياه"


# ---- characters ---------------------------------------------------------------------------------
cdef inline Py_UCS4 ch(str s, Py_ssize_t i):
    """s[i] for 0 <= i < len(s), read in place (no bounds test, no str made)"""
    return PyUnicode_READ(PyUnicode_KIND(s), PyUnicode_DATA(s), i)


cdef inline bint is_digits(str w):
    """w.isdigit()"""
    cdef Py_ssize_t n = len(w), k
    if n == 0:
        return False
    for k in range(n):
        if not Py_UNICODE_ISDIGIT(ch(w, k)):
            return False
    return True


cdef inline bint has_digit(str w):
    """any(c.isdigit() for c in w)"""
    cdef Py_UCS4 c
    for c in w:
        if Py_UNICODE_ISDIGIT(c):
            return True
    return False


cdef inline bint ascii_digit(Py_UCS4 c):
    return c >= u'0' and c <= u'9'


cdef inline bint digit_first_or_second(str w):
    """numbers._DIGIT_FIRST_OR_SECOND(w) (``.?[0-9]``: a token has no line break)"""
    cdef Py_ssize_t n = len(w)
    return n > 0 and (ascii_digit(ch(w, 0)) or (n > 1 and ascii_digit(ch(w, 1))))


cdef inline bint may_start_number(str w):
    """numbers._may_start_number"""
    return w in _NUM_START_X or digit_first_or_second(w)


cdef inline str strip_wa(str w):
    """numbers._strip_wa's word"""
    if len(w) > 2 and ch(w, 0) == u'و':
        return w[1:]
    return w


cdef inline bint starts_al(str w):
    return len(w) >= 2 and ch(w, 0) == u'ا' and ch(w, 1) == u'ل'


cdef inline object word_value(str w):
    """numbers._word_value"""
    v = _UNITS.get(w)
    if v is not None:
        return v
    v = _TENS.get(w)
    if v is not None:
        return v
    return _HUNDREDS.get(w)


cdef inline object label_at(str w):
    """numbers._label_at"""
    k = _LABEL.get(w)
    if k is None and starts_al(w):
        k = _LABEL.get(w[2:])
    return k


cdef class Num:
    """numbers._Num"""
    cdef public Py_ssize_t i, j
    cdef public object value, approx, vague, lo_hi

    def __init__(self, Py_ssize_t i, Py_ssize_t j, value, approx=False, vague=None, lo_hi=None):
        self.i, self.j, self.value, self.approx, self.vague, self.lo_hi = i, j, value, approx, vague, lo_hi


cdef inline Num new_num(Py_ssize_t i, Py_ssize_t j, value, approx=False, vague=None, lo_hi=None):
    cdef Num n = Num.__new__(Num)
    n.i, n.j, n.value, n.approx, n.vague, n.lo_hi = i, j, value, approx, vague, lo_hi
    return n


cdef class Sent:
    """numbers._Sentence: a sentence's tokens, their words and offsets."""
    cdef object doc
    cdef list toks, words
    cdef str norm
    cdef Py_ssize_t n
    cdef Py_ssize_t *starts
    cdef Py_ssize_t *ends

    def __dealloc__(self):
        PyMem_Free(self.starts)
        PyMem_Free(self.ends)

    cdef inline str w(self, Py_ssize_t i):
        return <str>self.words[i]

    cdef str gap(self, Py_ssize_t a, Py_ssize_t b):
        """Normalised text between token a and token b (a < b)."""
        return self.norm[self.ends[a]:self.starts[b]]

    cdef bint gap_blank(self, Py_ssize_t a, Py_ssize_t b):
        """not self.gap(a, b).strip()"""
        cdef Py_ssize_t k
        cdef str norm = self.norm
        cdef int kind = PyUnicode_KIND(norm)
        cdef void *data = PyUnicode_DATA(norm)
        for k in range(self.ends[a], self.starts[b]):
            if not Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, k)):
                return False
        return True

    cdef Num number_at(self, Py_ssize_t i, bint allow_wa=False, bint allow_ba=False):
        cdef list words = self.words
        cdef Py_ssize_t n_tok = self.n, j
        cdef str w, raw
        cdef bint wa
        if i >= n_tok:
            return None
        w = words[i]
        if len(w) > 1 and ch(w, 0) in u"وبل" and is_digits(w[1:]):
            w = w[1:]
        if is_digits(w):
            j = i + 1
            val = int(w)
            while j < n_tok and is_digits(words[j]) and len(<str>words[j]) == 3 and self.gap(j - 1, j) == ",":
                val = val * 1000 + int(words[j])
                j += 1
            if j < n_tok and words[j] in _THOUSAND_WORDS:
                val *= 1000
                j += 1
            return self.range_(new_num(i, j, val))
        if allow_wa:
            w = strip_wa(w)
        if allow_ba and w[0] == u'ب' and w[1:] in _NUMBER_WORDS:
            w = w[1:]
        if w in _VAGUE and not (w in _THOUSANDS_PL and i > 0 and words[i - 1] in _UNITS):
            val, kind = _VAGUE[w]
            j = i + 1
            if j < n_tok and words[j] in _THOUSANDS_ANY and kind == "dozens":
                val, kind, j = 12000, "dozens of thousands", j + 1
            if w == _BAAD and not (j < n_tok and words[j] == _MIN):
                return None
            return new_num(i, j, val, True, kind)
        if w in _VAGUE_NEEDS_MIN:
            j = i + 1
            if j < n_tok and words[j] in _ADAD_MOD:
                j += 1
            if j < n_tok and words[j] == _MIN:
                return new_num(i, j, 10, True, "several")
            return None
        if w not in _NUMBER_WORDS:
            return None
        total, cur = 0, 0
        j = i
        while j < n_tok:
            raw = words[j]
            if j != i:
                if len(raw) > 2 and raw[0] == u'و':
                    w = raw[1:]
                else:
                    w = raw
                    if w not in _TEN and w not in _HUNDRED and w not in _THOUSAND and w not in _THOUSANDS_PL:
                        break
                if not self.gap_blank(j - 1, j):
                    break
            v = word_value(w)
            if v is not None:
                cur += v
            elif w in _TEN:
                cur += 10
            elif w in _HUNDRED:
                cur = cur * 100 if 0 < cur < 10 else cur + 100
            elif w in _THOUSAND or w in _THOUSANDS_PL:
                total += (cur or 1) * 1000
                cur = 0
            elif w in _THOUSAND_DUAL:
                total += 2000
            else:
                break
            j += 1
        val = total + cur
        if j == i or val == 0:
            return None
        return self.range_(new_num(i, j, val))

    cdef Num range_(self, Num n):
        """10-15، 10 إلى 15، 10 أو 15، بين 10 و15: keep the lowest."""
        cdef list words = self.words
        cdef Py_ssize_t j = n.j
        cdef Num nxt
        cdef str gap, wj
        if j < self.n:
            gap = self.gap(j - 1, j).strip()
            wj = words[j]
            nxt = None
            if (gap == "-" or gap == "/") and is_digits(wj):
                nxt = self.number_at(j)
            elif gap == "" and wj in _RANGE_WORDS and j + 1 < self.n:
                nxt = self.number_at(j + 1)
            elif gap == "" and wj.startswith(_AND) and n.i > 0 and words[n.i - 1] == _BETWEEN:
                nxt = self.number_at(j, True)
            elif gap == "" and wj == _AND and n.i > 0 and words[n.i - 1] == _BETWEEN:
                nxt = self.number_at(j + 1)
            if nxt is not None and nxt.vague is None and nxt.value > n.value:
                return new_num(n.i, nxt.j, n.value, True, None, (n.value, nxt.value))
        return n

    cdef Num number_after(self, Py_ssize_t i, bint allow_wa=False):
        """A number at token i, after optional approximators (نحو، أكثر من، ما لا يقل عن)."""
        cdef list words = self.words
        cdef bint approx = False
        cdef Py_ssize_t k = i
        cdef Num n
        while k < self.n and k < i + 4 and (words[k] in _APPROX or words[k] == _BETWEEN):
            if words[k] in _APPROX_STRONG or words[k] == _BETWEEN:
                approx = True
            k += 1
        if k < self.n and (approx or k == i or words[k - 1] == _MIN):
            n = self.number_at(k, allow_wa and k == i)
            if n is not None:
                if approx:
                    n.approx = True
                n.i = i if approx else n.i
                return n
        return None

    cdef Num person_at(self, Py_ssize_t i):
        """Dual or singular victim noun: شرطيين = 2, طفل = 1."""
        cdef str w, suf, stem
        cdef Num nxt
        if i >= self.n:
            return None
        w = self.words[i]
        if starts_al(w):
            w = w[2:]
        if w in _LABEL_DUAL:
            return new_num(i, i + 1, 2)
        for suf in ("ان", "ين"):
            if w.endswith(suf) and len(w) > len(suf) + 2:
                stem = w[:-len(suf)]
                for base, fem in _SINGULAR_FEM.items():
                    if stem == fem:
                        stem = base
                if stem in _PERSON_SET and (suf == "ان" or stem in _DUAL_YN):
                    return new_num(i, i + 1, 2)
        if w in _PERSON_SET or w.rstrip("ا") in _PERSON_SET:
            nxt = self.number_at(i + 1) if i + 1 < self.n else None
            if nxt is not None and nxt.vague is None:
                return new_num(i, nxt.j, nxt.value)
            return new_num(i, i + 1, 1)
        return None


cdef Sent new_sent(doc, str norm, list toks):
    cdef Sent s = Sent.__new__(Sent)
    cdef Py_ssize_t n = len(toks), k
    s.doc = doc
    s.norm = norm
    s.toks = toks
    s.n = n
    s.words = [tok_field(t, _TK_NORM, "norm") for t in toks]
    s.starts = <Py_ssize_t *>PyMem_Malloc((n + 1) * sizeof(Py_ssize_t))
    s.ends = <Py_ssize_t *>PyMem_Malloc((n + 1) * sizeof(Py_ssize_t))
    if s.starts == NULL or s.ends == NULL:
        raise MemoryError()
    for k in range(n):
        t = toks[k]
        s.starts[k] = tok_field(t, _TK_START, "start")
        s.ends[k] = tok_field(t, _TK_END, "end")
    return s


cdef inline tuple orig(list offsets, Py_ssize_t nstart, Py_ssize_t nend):
    """Doc.orig"""
    if nend <= nstart:
        o = offsets[nstart]
        return o, o
    return offsets[nstart], offsets[nend]


cdef object _new = object.__new__


cdef object add_span(doc, Py_ssize_t nstart, Py_ssize_t nend, str label, Py_ssize_t sent, dict data):
    """doc.add("casualties", doc.span(nstart, nend, label, sent, **data)), the Span made as
    Doc.span makes it (all six fields set, no __init__); returns it."""
    cdef list offsets = doc.offsets
    a = offsets[nstart]
    b = offsets[nend] if nend > nstart else a
    span = _new(_Span)
    span.start = a
    span.end = b
    span.label = label
    span.text = (<str>doc.text)[a:b]
    span.sent = sent
    span.data = data
    cdef dict layers = doc.layers
    lst = layers.get("casualties")
    if lst is None:
        lst = layers["casualties"] = []
    (<list>lst).append(span)
    return span


cdef bint counts_people(Sent s, Num n):
    """False for 3 ساعات، 20 تموز، عام 2015، اللواء 35."""
    cdef list words = s.words
    if n.j < s.n and words[n.j] in _NOT_PEOPLE:
        return False
    if n.j + 1 < s.n and words[n.j] == "في" and words[n.j + 1] in _PERCENT:
        return False
    if n.i > 0 and words[n.i - 1] in _NOT_PEOPLE_BEFORE:
        return False
    if n.vague is None and 1900 <= n.value <= 2100 and is_digits(words[n.i]):
        return False
    if n.j < s.n and s.gap(n.j - 1, n.j).strip() in ("%", "/", ":"):
        return False
    return True


cdef bint is_together_next(Sent s, Py_ssize_t i, str kind, bint after_number=False):
    """numbers._is_together_next"""
    cdef str w, rest, cand
    if kind != K or i >= s.n:
        return False
    w = s.words[i]
    if not w.startswith("و"):
        return False
    rest = w[1:]
    for cand in (rest, rest[2:] if starts_al(rest) else ""):
        if not cand:
            continue
        if _LABEL.get(cand) == W:
            return not (after_number and s.number_after(i + 1) is not None)
        if _PRE.get(cand) == W:
            return not after_number or s.number_after(i + 1) is None and s.person_at(i + 1) is None
    return False


cdef tuple victims(Sent s, Py_ssize_t j):
    """numbers._victims: text, span, end token."""
    cdef list words = s.words
    cdef Py_ssize_t k = j, start, cnt = 0
    cdef str w
    if k < s.n and words[k] in _OTHERS:
        return "", None, j
    if k < s.n and words[k] == _MIN:
        k += 1
    start = k
    while k < s.n and cnt < 3:
        w = words[k]
        if w in _STOP or w in _AMONG or w in _PLUS or _PRE_X.get(w) or _POST_X.get(w) or _LABEL_X.get(w) \
                or w in _SINGLE_DEATH or has_digit(w) or w in _OTHERS:
            break
        if k > start and not s.gap_blank(k - 1, k):
            break
        if k > start and w.startswith("و") and (_PRE_X.get(w) or _LABEL_X.get(w) or w[1:] in _NUMBER_WORDS):
            break
        k += 1
        cnt += 1
    while k > start and (words[k - 1] == _MIN or words[k - 1] == "و"):
        k -= 1
    if k == start:
        return "", None, j
    doc = s.doc
    a, b = orig(doc.offsets, s.starts[start], s.ends[k - 1])
    return doc.text[a:b], (a, b), k


cdef list among(Sent s, Py_ssize_t k):
    """numbers._among"""
    cdef list out = []
    cdef Num n
    if k < s.n and s.words[k] in _AMONG:
        n = s.number_after(k + 1)
        if n is None:
            n = s.person_at(k + 1)
        if n is not None:
            text = victims(s, n.j)[0]
            doc = s.doc
            a, b = orig(doc.offsets, s.starts[k + 1], s.ends[n.j - 1])
            out.append({"count": n.value, "text": (doc.text[a:b] + (" " + text if text else "")).strip()})
    return out


cdef object emit(Sent s, Py_ssize_t sent_i, str kind, Num n, Py_ssize_t cue_i, set used,
                 bint together=False, count_override=None, label_i=None):
    """numbers._emit; returns the span added."""
    cdef Py_ssize_t t, a_tok, b_tok, vend
    doc = s.doc
    if n is not None:
        for t in range(n.i, n.j):
            used.add(t)
        a_tok = min(cue_i, n.i)
        b_tok = max(cue_i + 1, n.j, (label_i or 0) + 1)
        na, nb = orig(doc.offsets, s.starts[n.i], s.ends[n.j - 1])
        number_text = doc.text[na:nb]
        vict, vspan, vend = victims(s, b_tok if cue_i < n.i or label_i is not None else n.j)
        amg = among(s, vend)
        count = n.value
        approx, vague = n.approx, n.vague
    else:
        a_tok, b_tok = cue_i, cue_i + 1
        number_text, vict, vspan, amg = "", "", None, []
        count, approx, vague = count_override, False, None
    # the order of Doc.span's **data: n0, n1, then _emit's keys
    data = {"n0": s.starts[a_tok], "n1": s.ends[b_tok - 1], "kind": kind, "count": count,
            "approx": bool(approx), "vague": vague, "number": number_text, "together": together,
            "victims": vict, "victims_span": vspan, "among": amg}
    if together:
        data["total"] = count
        data["count"] = None
        data["combined"] = vague != "several"
    if n is not None and n.lo_hi:
        data["range"] = n.lo_hi
    span = add_span(doc, s.starts[a_tok], s.ends[b_tok - 1], kind, sent_i, data)
    return span


cdef emit_plural(Sent s, Py_ssize_t sent_i, str kind, Py_ssize_t cue_i, Py_ssize_t label_i, set used):
    """numbers._emit_plural"""
    doc = s.doc
    used.add(label_i)
    vict, vspan, _ = victims(s, label_i + 1)
    add_span(doc, s.starts[cue_i], s.ends[label_i], kind, sent_i,
             {"n0": s.starts[cue_i], "n1": s.ends[label_i], "kind": kind, "count": None, "approx": True,
              "vague": "plural", "number": "", "together": False, "combined": False,
              "victims": vict, "victims_span": vspan, "among": []})


cdef additive(Sent s, Py_ssize_t sent_i, set used):
    """numbers._additive"""
    cdef list words = s.words
    cdef Py_ssize_t end_tok = max(used) + 1 if used else 0
    cdef Py_ssize_t k = end_tok
    cdef Py_ssize_t limit = min(s.n, end_tok + 6)
    cdef str w, nxt
    cdef Num n
    while k < limit:
        if k > end_tok and s.gap(k - 1, k).strip() not in ("", ","):
            return
        w = words[k]
        if w in _PLUS and k + 1 < s.n and words[k + 1] in _PLUS_2:
            n = s.number_after(k + 2)
        elif w.startswith("و") and len(w) > 1 and (is_digits(w[1:]) or w[1:] in _UNITS or w[1:] in _TENS):
            n = s.number_at(k, True)
        elif _PRE_X.get(w) or _LABEL_X.get(w):
            return
        else:
            k += 1
            continue
        if n is None or not counts_people(s, n):
            return
        nxt = words[n.j] if n.j < s.n else ""
        if _LABEL_X.get(nxt) or _POST_X.get(nxt) or (nxt.startswith("و") and _PRE_X.get(nxt)):
            return
        if not (nxt == _MIN or nxt in _OTHERS or nxt in _PERSON_SET or nxt.rstrip("ا") in _PERSON_SET
                or nxt in _KANU or _PRE_X.get(nxt) is None and nxt.endswith(("ين", "ون", "ا"))):
            return
        emit(s, sent_i, K, n, k, used).data["additive"] = True
        return


cdef bint any_used(set used, Py_ssize_t a, Py_ssize_t b):
    cdef Py_ssize_t t
    for t in range(a, b):
        if t in used:
            return True
    return False


cdef list rule_starts(Sent s, Py_ssize_t a, Py_ssize_t b):
    """numbers._rule_starts: the digit test only in a sentence with a digit."""
    cdef bint digit = False
    cdef Py_ssize_t k
    cdef str norm = s.norm, w
    cdef list out = []
    cdef int kind = PyUnicode_KIND(norm)
    cdef void *data = PyUnicode_DATA(norm)
    for k in range(a, b):
        if ascii_digit(PyUnicode_READ(kind, data, k)):
            digit = True
            break
    for k in range(s.n):
        w = s.words[k]
        if w in _RULE_START or digit and digit_first_or_second(w):
            out.append(k)
    return out


cdef sentence(doc, str norm, Py_ssize_t sent_i, list toks, Py_ssize_t sa, Py_ssize_t sb):
    """numbers._sentence"""
    cdef Sent s = new_sent(doc, norm, toks)
    cdef list words = s.words
    cdef Py_ssize_t n_tok = s.n
    cdef set used = set()
    cdef list starts = rule_starts(s, sa, sb)
    cdef Py_ssize_t i, k, kk, li, j
    cdef str w, wk
    cdef Num n, m
    cdef bint together, prev_cue
    for i in starts:
        if i in used:
            continue
        w = words[i]
        # 0. سقوط قتلى، أوقع جرحى
        if strip_wa(w) in _PLURAL_CUE and i + 1 < n_tok and label_at(words[i + 1]) and words[i + 1] not in _LABEL_SING \
                and i + 1 not in used:
            lab = label_at(words[i + 1])
            tog = is_together_next(s, i + 2, lab)
            emit_plural(s, sent_i, lab, i, i + 1, used)
            if tog:
                emit_plural(s, sent_i, W, i, i + 2, used)
            continue
        # 0b. a toll
        lab = _LABEL_X.get(w)
        if lab is not None and (w.startswith(("ال", "وال")) or (i > 0 and words[i - 1] in _TOLL)):
            n = None
            for k in range(i + 1, min(n_tok, i + 4)):
                wk = words[k]
                if not s.gap_blank(k - 1, k):
                    break
                if starts_al(wk) and word_value(wk[2:]):
                    n = new_num(k, k + 1, word_value(wk[2:]))
                    break
                if ch(wk, 0) == u'ب' and wk[1:] in _NUMBER_WORDS:
                    n = s.number_at(k, False, True)
                    break
                if may_start_number(wk):
                    n = s.number_after(k)
                    break
                if wk in _TOLL_TO or wk in _TOLL_SKIP:
                    continue
                if not starts_al(wk) or _PRE_X.get(wk) or _LABEL_X.get(wk) or _POST_X.get(wk):
                    break
            if n is not None and n.vague is None and not any_used(used, n.i, n.j) and counts_people(s, n):
                used.add(i)
                emit(s, sent_i, lab, n, i, used).data["toll"] = True
                continue
        # 1. cue before the number
        kind = _PRE_X.get(w)
        if kind is not None:
            together = False
            k = i + 1
            if kind == K and is_together_next(s, k, K):
                together, k = True, k + 1
            if k < n_tok and words[k] in _SINGLE_DEATH:
                continue
            while k < n_tok and k < i + 4 and words[k] in _CUE_SKIP:
                k += 1
            n = s.number_after(k)
            if n is None and k < n_tok and words[k] == _BIHAYAH:
                n = s.number_after(k + 1)
            if n is None and k + 1 < n_tok and starts_al(words[k + 1]) and word_value((<str>words[k + 1])[2:]):
                n = new_num(k, k + 2, word_value((<str>words[k + 1])[2:]))
            if n is None:
                n = s.person_at(k)
            if (n is None or n.j == k + 1) and k + 1 < n_tok and words[k] not in _NOT_PEOPLE \
                    and s.gap_blank(k, k + 1) and word_value(words[k + 1]) and words[k + 1] not in ("احد", "احدي"):
                n = new_num(k, k + 2, word_value(words[k + 1]))
            if (n is None or n.value == 1) and strip_wa(w) in _ACTIVE_VERBS:
                for kk in (k + 1, k + 2):
                    m = s.number_after(kk) if kk < n_tok and may_start_number(words[kk]) else None
                    if m is not None and m.vague is None and m.j < n_tok and \
                            (words[m.j] in _PERSON_SET or (<str>words[m.j]).rstrip("ا") in _PERSON_SET
                             or (<str>words[m.j]).endswith(("ين", "ون", "يا"))) and words[m.j] not in _NOT_PEOPLE:
                        n = m
                        break
            if n is not None and not any_used(used, n.i, n.j) and counts_people(s, n):
                li = n.j + 1 if n.j + 1 < n_tok and words[n.j] == _MIN else n.j
                label_i = None
                if li < n_tok and (label_at(words[li]) or words[li] in _LABEL_DUAL):
                    lab = label_at(words[li]) or _LABEL_DUAL[words[li]]
                    if is_together_next(s, li + 1, lab, True):
                        together = True
                    kind = lab if lab != kind and kind == K and w in _FALL else kind
                    used.add(li)
                    label_i = li
                emit(s, sent_i, kind, n, i, used, together, None, label_i)
                if kind == K and not together:
                    additive(s, sent_i, used)
                continue
        # 2. number then label
        if w in _LABEL_DUAL and i not in used:
            prev_cue = i > 0 and _PRE_X.get(words[i - 1]) is not None
            if not prev_cue:
                emit(s, sent_i, _LABEL_DUAL[w], new_num(i, i + 1, 2), i, used)
                continue
        n = s.number_after(i, True) if may_start_number(w) else None
        if n is not None and not any_used(used, n.i, n.j) and counts_people(s, n):
            j = n.j
            lab = label_at(words[j]) if j < n_tok else None
            if lab is None and j < n_tok and words[j] == _MIN and j + 1 < n_tok:
                lab = label_at(words[j + 1])
                if lab:
                    j += 1
            if lab is not None:
                together = is_together_next(s, j + 1, lab, True)
                if not together and j + 2 < n_tok and words[j + 1] == _BETWEEN:
                    together = True
                used.add(j)
                emit(s, sent_i, lab, n, j, used, together, None, j)
                if lab == K and not together:
                    additive(s, sent_i, used)
                continue
            # 3. number, victims, then a verb
            for k in range(j, min(n_tok, j + 7)):
                if k > j and (s.number_at(k) is not None or (_PRE_X.get(words[k]) and not _POST_X.get(words[k]))):
                    break
                if k > j and s.gap(k - 1, k).strip() not in ("", ","):
                    break
                vk = _POST_X.get(words[k])
                if vk is not None:
                    emit(s, sent_i, vk, n, k, used)
                    used.add(k)
                    if vk == K:
                        additive(s, sent_i, used)
                    break
    # 4. لقي شاب مصرعه with no figure near it: one death
    for i in starts:
        w = words[i]
        if w in _SINGLE_DEATH and not any(abs(t - i) <= 4 for t in used):
            emit(s, sent_i, K, None, i, used, False, 1)


def run(doc):
    """numbers.component()'s step: the sentences with a cue word among their tokens, in order,
    each with its run of tokens (tokens are in sentence order), through the rules."""
    cdef list tokens = doc.tokens
    cdef Py_ssize_t n = len(tokens), lo = 0, k, cur = -1, si
    cdef bint cue = False
    cdef list sentences
    cdef str norm
    runs = []
    for k in range(n):
        t = tokens[k]
        si = tok_field(t, _TK_SENT, "sent")
        if si != cur:
            if cue:
                runs.append((cur, lo, k))
            cur, lo, cue = si, k, False
        if not cue and tok_field(t, _TK_NORM, "norm") in _ANY_CUE:
            cue = True
    if cue:
        runs.append((cur, lo, n))
    if not runs:
        return
    sentences = doc.sentences
    norm = doc.norm
    for si, lo, k in runs:
        sa, sb = sentences[si]
        sentence(doc, norm, si, tokens[lo:k], sa, sb)
