# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Lexicon and gazetteer hits found from the ends of words, in C.

A hit is kept only where its pattern ends at a word end (or, for a pattern that takes suffixes,
a listed suffix before one) and starts at a word start or after a short proclitic. The
Aho-Corasick scan (``ahocorasick.Automaton.iter``) walks every letter and hands each raw hit to
Python, most of them inside longer words, to be refused there. Here the patterns are kept
reversed (``EndTrie``) and read backwards from each place a kept hit can end: between words the
walk is one look-up, and only hits that pass the boundary rules become Python objects.

The hits are those of the Python twins (``lexicon.PhraseMatcher._hits_py``,
``places.geoparser.gazetteer_hits_py``), in the same order: by end, longest first (the order in
which the automaton reports them); the tests compare both on many texts. ``every_hit`` is the
automaton's own scan (hits anywhere, inside words too) for the dates step's anchors;
``whole_words`` the places step's cue words. ``longest_kept`` filters and orders a lexicon's
hits for the lexicons step (``components.lexicons._longest_kept_py`` is its twin).
"""

# What the Python side expects of this module (``lexicon.py``, ``places/geoparser.py``,
# ``components/dates.py``, ``components/lexicons.py``)
API = 7

cimport cython
from libc.stdlib cimport calloc, free, malloc, qsort
from libc.stdint cimport int32_t, uint8_t, uint64_t
from libc.string cimport memset

from marsad.text._chars cimport alnum as _alnum, word as _word
from marsad.text._hits cimport Scan, close_scan, keep_rows, open_scan, proclitic_start
from marsad.text._slots cimport new_six, six_in_place, span_by_name

# the Doc's shared ints (``_doc.shared_ints``): a lexicon hit's word start, end and pattern start
# are taken from them, not made per hit (some 130,000 ints over news300); None if _doc is not built
cdef list _INTS = None
try:
    from marsad.text._doc import shared_ints as _shared_ints
    _INTS = _shared_ints()
except ImportError:
    pass

cdef extern from "Python.h":
    Py_ssize_t PyUnicode_GET_LENGTH(object text)

# a pattern's flags (``EndTrie.add``): whether any of its rows takes a suffix, any a proclitic
DEF _SUFFIXES = 1
DEF _PROCLITICS = 2
SUFFIXES, PROCLITICS = _SUFFIXES, _PROCLITICS

# The first letter read (a word's last) is looked up in a table when it is below this: Arabic
# and Latin letters, digits and punctuation; most walks end there or one letter later.
DEF ROOT = 0x700


@cython.final
cdef class EndTrie:
    """Patterns read backwards, each with its value and flags: node 0 is the empty suffix; a
    node's child by a letter is found in one open-addressing table (the root's children by the
    first ROOT code points in an array)."""
    cdef int32_t root[ROOT]             # the root's child by each letter below ROOT, -1: none
    cdef uint64_t *keys                # the table's slots: ((node + 1) << 21) | code point, 0: empty
    cdef int32_t *kids                 # and the child in each (two arrays: 12 bytes a slot, not 16)
    cdef Py_ssize_t cap, used          # slots (a power of two), children in them
    cdef int32_t *term                 # node -> index of its value, -1 where no pattern ends
    cdef uint8_t *flags
    cdef Py_ssize_t nodes, room
    cdef bint odd_end                   # some pattern ends in a character that is no letter or digit
    cdef Py_ssize_t longest             # the longest pattern: a walk finds at most this many
    cdef readonly list values

    def __cinit__(self):
        cdef Py_ssize_t i
        self.cap, self.room = 64, 64
        self.keys = <uint64_t *>calloc(self.cap, sizeof(uint64_t))
        self.kids = <int32_t *>malloc(self.cap * sizeof(int32_t))
        self.term = <int32_t *>malloc(self.room * sizeof(int32_t))
        self.flags = <uint8_t *>calloc(self.room, 1)
        if self.keys == NULL or self.kids == NULL or self.term == NULL or self.flags == NULL:
            raise MemoryError()
        self.term[0] = -1
        self.nodes = 1
        for i in range(ROOT):
            self.root[i] = -1
        self.values = []

    def __dealloc__(self):
        free(self.keys)
        free(self.kids)
        free(self.term)
        free(self.flags)

    def __init__(self, items=(), flag_of=None):
        """items: (pattern, value) pairs, each pattern once; flag_of(value): its flags."""
        for pattern, value in items:
            self.add(pattern, value, flag_of(value) if flag_of is not None else 0)

    def __len__(self):
        return len(self.values)

    cdef inline Py_ssize_t _find(self, uint64_t key) noexcept:
        cdef Py_ssize_t mask = self.cap - 1
        cdef Py_ssize_t i = <Py_ssize_t>((key * <uint64_t>0x9E3779B97F4A7C15ULL) >> 40) & mask
        while self.keys[i] != 0 and self.keys[i] != key:
            i = (i + 1) & mask
        return i

    cdef inline int32_t child(self, int32_t node, Py_UCS4 c) noexcept:
        if node == 0 and c < ROOT:
            return self.root[c]
        cdef Py_ssize_t i = self._find(((<uint64_t>node + 1) << 21) | <uint64_t>c)
        return self.kids[i] if self.keys[i] != 0 else -1

    cdef int _grow(self) except -1:
        cdef uint64_t *old_keys = self.keys
        cdef int32_t *old_kids = self.kids
        cdef Py_ssize_t n = self.cap, i, k
        self.keys = <uint64_t *>calloc(2 * n, sizeof(uint64_t))
        self.kids = <int32_t *>malloc(2 * n * sizeof(int32_t))
        if self.keys == NULL or self.kids == NULL:
            free(self.keys)
            free(self.kids)
            self.keys, self.kids = old_keys, old_kids
            raise MemoryError()
        self.cap = 2 * n
        for i in range(n):
            if old_keys[i] != 0:
                k = self._find(old_keys[i])
                self.keys[k], self.kids[k] = old_keys[i], old_kids[i]
        free(old_keys)
        free(old_kids)
        return 0

    cdef int32_t _node(self) except -1:
        cdef Py_ssize_t i
        cdef int32_t *t
        cdef uint8_t *f
        if self.nodes == self.room:
            t = <int32_t *>malloc(2 * self.room * sizeof(int32_t))
            f = <uint8_t *>calloc(2 * self.room, 1)
            if t == NULL or f == NULL:
                free(t)
                free(f)
                raise MemoryError()
            for i in range(self.nodes):
                t[i] = self.term[i]
                f[i] = self.flags[i]
            free(self.term)
            free(self.flags)
            self.term, self.flags = t, f
            self.room *= 2
        self.term[self.nodes] = -1
        self.nodes += 1
        return <int32_t>(self.nodes - 1)

    cdef int32_t _edge(self, int32_t node, Py_UCS4 c) except -1:
        """node's child by c, made when it has none."""
        cdef uint64_t key = ((<uint64_t>node + 1) << 21) | <uint64_t>c
        cdef Py_ssize_t k = self._find(key)
        cdef int32_t nxt
        if self.keys[k] != 0:
            return self.kids[k]
        if 2 * (self.used + 1) > self.cap:
            self._grow()
            k = self._find(key)
        nxt = self._node()
        if node == 0 and c < ROOT:
            self.root[c] = nxt
        self.keys[k] = key
        self.kids[k] = nxt
        self.used += 1
        return nxt

    def add(self, str pattern, value, int flags=0):
        """The pattern (not empty), read from its last letter, ends at a node holding value."""
        cdef Py_ssize_t i
        cdef int32_t node = 0
        if not pattern:
            raise ValueError("an empty pattern")
        if not _alnum(pattern[len(pattern) - 1]):
            self.odd_end = True
        if len(pattern) > self.longest:
            self.longest = len(pattern)
        for i in range(len(pattern) - 1, -1, -1):
            node = self._edge(node, pattern[i])
        if self.term[node] >= 0:
            raise ValueError(f"{pattern!r} added twice")
        self.term[node] = <int32_t>len(self.values)
        self.flags[node] = <uint8_t>flags
        self.values.append(value)


@cython.final
cdef class _Joint:
    """Several tries' patterns in one trie (``union``), so that ``phrase_hits_many`` walks once
    from each place for all of them: where the union's node n ends patterns, ``union.term[n]`` is
    0 and ``union.flags[n]`` their flags' union, and entries ``first[n]`` to ``first[n + 1]`` say
    whose they are, by trie: (the trie's index, its value's index, its flags). Built once per list
    of tries (``_joint``); ``sizes`` tells a trie grown since."""
    cdef EndTrie union
    cdef int32_t *first
    cdef int32_t *e_trie
    cdef int32_t *e_term
    cdef uint8_t *e_flags
    cdef readonly tuple tries, sizes

    def __dealloc__(self):
        free(self.first)
        free(self.e_trie)
        free(self.e_term)
        free(self.e_flags)

    def __init__(self, tuple tries):
        cdef EndTrie t, u = EndTrie()
        cdef Py_ssize_t ti, i, n, total = 0, nt = len(tries)
        cdef int32_t **at = <int32_t **>calloc(nt + 1, sizeof(int32_t *))   # a trie's node -> the union's
        cdef int32_t *parent = NULL
        cdef Py_UCS4 *letter = NULL
        cdef int32_t *fill = NULL
        if at == NULL:
            raise MemoryError()
        self.union, self.tries = u, tries
        self.sizes = tuple([len((<EndTrie>t).values) for t in tries])
        try:
            for ti in range(nt):
                t = <EndTrie>tries[ti]
                u.odd_end = u.odd_end or t.odd_end
                u.longest = max(u.longest, t.longest)
                at[ti] = <int32_t *>malloc(t.nodes * sizeof(int32_t))
                parent = <int32_t *>malloc(t.nodes * sizeof(int32_t))
                letter = <Py_UCS4 *>malloc(t.nodes * sizeof(Py_UCS4))
                if at[ti] == NULL or parent == NULL or letter == NULL:
                    raise MemoryError()
                for i in range(t.cap):    # each edge: its child's parent and letter
                    if t.keys[i] != 0:
                        parent[t.kids[i]] = <int32_t>((t.keys[i] >> 21) - 1)
                        letter[t.kids[i]] = <Py_UCS4>(t.keys[i] & 0x1FFFFF)
                at[ti][0] = 0
                for i in range(1, t.nodes):   # a node is made after its parent
                    at[ti][i] = u._edge(at[ti][parent[i]], letter[i])
                    if t.term[i] >= 0:
                        u.term[at[ti][i]] = 0
                        u.flags[at[ti][i]] |= t.flags[i]
                        total += 1
                free(parent)
                free(letter)
                parent, letter = NULL, NULL
            # the entries, a node's by trie: counted, then laid out
            self.first = <int32_t *>calloc(u.nodes + 1, sizeof(int32_t))
            fill = <int32_t *>calloc(u.nodes + 1, sizeof(int32_t))
            self.e_trie = <int32_t *>malloc((total + 1) * sizeof(int32_t))
            self.e_term = <int32_t *>malloc((total + 1) * sizeof(int32_t))
            self.e_flags = <uint8_t *>malloc(total + 1)
            if self.first == NULL or fill == NULL or self.e_trie == NULL or self.e_term == NULL \
                    or self.e_flags == NULL:
                raise MemoryError()
            for ti in range(nt):
                t = <EndTrie>tries[ti]
                for i in range(1, t.nodes):
                    if t.term[i] >= 0:
                        self.first[at[ti][i] + 1] += 1
            for i in range(u.nodes):
                self.first[i + 1] += self.first[i]
                fill[i] = self.first[i]
            for ti in range(nt):
                t = <EndTrie>tries[ti]
                for i in range(1, t.nodes):
                    if t.term[i] >= 0:
                        n = fill[at[ti][i]]
                        fill[at[ti][i]] += 1
                        self.e_trie[n], self.e_term[n], self.e_flags[n] = <int32_t>ti, t.term[i], t.flags[i]
        finally:
            free(parent)
            free(letter)
            free(fill)
            for ti in range(nt):
                free(at[ti])
            free(at)


cdef dict _joints = {}   # a list of tries (as a tuple) -> their _Joint; a run asks of a few lists
DEF _JOINTS = 16         # more lists than this (matchers made anew, as tests do): the kept ones dropped


cdef _Joint _joint(list tries):
    """The tries' ``_Joint``, made at the first scan of that list (a trie grown since: anew)."""
    key = tuple(tries)
    if len(_joints) >= _JOINTS and key not in _joints:
        _joints.clear()
    cdef _Joint j = _joints.get(key)
    cdef Py_ssize_t i
    if j is not None:
        for i in range(len(key)):
            if len((<EndTrie>key[i]).values) != <Py_ssize_t>j.sizes[i]:
                j = None
                break
    if j is None:
        j = _joints[key] = _Joint(key)
    return j


cdef struct _Hit:
    Py_ssize_t a
    int32_t node


cdef inline Py_ssize_t _walk(EndTrie t, const Py_UCS4 *text, Py_ssize_t b, Py_ssize_t lo, bint spaced,
                             uint8_t need, _Hit *out) noexcept:
    """The patterns that end just before b and start at lo or after, as (start, node) from the
    shortest; a pattern whose flags lack ``need`` is skipped. spaced: "_" read as a space."""
    cdef Py_ssize_t p = b - 1, k = 0
    cdef int32_t node = 0
    cdef Py_UCS4 c
    while p >= lo:
        c = text[p]
        if spaced and c == u'_':
            c = u' '
        node = t.child(node, c)
        if node < 0:
            break
        if t.term[node] >= 0 and (t.flags[node] & need) == need:
            out[k].a = p
            out[k].node = node
            k += 1
        p -= 1
    return k


cdef unsigned int _suffix_lengths(EndTrie suffixes, const Py_UCS4 *text, Py_ssize_t run_start,
                                  Py_ssize_t z, Py_ssize_t max_suffix) noexcept:
    """Bit s set for each s (1..max_suffix, within the word) such that the word's last s
    letters are one of the suffixes."""
    cdef unsigned int bits = 0
    cdef Py_ssize_t p = z - 1
    cdef int32_t node = 0
    while p >= run_start and z - p <= max_suffix:
        node = suffixes.child(node, text[p])
        if node < 0:
            break
        if suffixes.term[node] >= 0:
            bits |= 1u << (z - p)
        p -= 1
    return bits


cdef inline _Hit *_open_walks(Scan *scan, EndTrie trie, str text) except NULL:
    """A scan of text (``_hits.open_scan``) with room for the hits of one walk of trie."""
    open_scan(scan, text, (trie.longest + 1) * sizeof(_Hit))
    return <_Hit *>scan.hits


cdef Py_ssize_t _places(const Py_UCS4 *text, Py_ssize_t start, Py_ssize_t end, Py_ssize_t n, bint odd_end,
                       EndTrie suffix_trie, Py_ssize_t max_suffix, Py_ssize_t *bs, Py_ssize_t *zs) noexcept:
    """The places b in (start, end] where a kept hit can end, in order, each with the end z of
    its word: z == b at a word end, z > b inside a word, before a listed suffix that runs to the
    word's end (only a pattern that takes suffixes ends there). Their count."""
    cdef Py_ssize_t b = start + 1, m = 0, run_start, run_end, q, stop
    cdef unsigned int ok
    while b <= end:
        if b == n or not _word(text[b]):
            # at a word end, or between two characters that are no letters: no pattern ends
            # there unless one ends in such a character
            if odd_end or _alnum(text[b - 1]):
                bs[m], zs[m] = b, b
                m += 1
            b += 1
            continue
        # inside a word: its run and its suffixes once, then the places before a listed suffix
        # (its last max_suffix letters at most); the next place asked is the word's end
        run_start = b
        while run_start > 0 and _word(text[run_start - 1]):
            run_start -= 1
        run_end = b + 1
        while run_end < n and _word(text[run_end]):
            run_end += 1
        ok = _suffix_lengths(suffix_trie, text, run_start, run_end, max_suffix)
        q = run_end - max_suffix if run_end - max_suffix > b else b
        stop = run_end if run_end <= end else end + 1
        while ok and q < stop:      # (no listed suffix ends the word: no loop)
            if (ok >> (run_end - q)) & 1:
                bs[m], zs[m] = q, run_end
                m += 1
            q += 1
        b = stop
    return m


def phrase_hits(EndTrie trie, str norm, Py_ssize_t start, Py_ssize_t end, EndTrie suffix_trie,
                proclitics, suffixes, Py_ssize_t max_suffix, Py_ssize_t max_proclitic):
    """``lexicon.PhraseMatcher._hits_py`` without ``occ``: (word start, word end, pattern start,
    prefix, row) of every match in norm[start:end]. trie: the matcher's patterns, each with its
    (pattern, rows) and flags; suffix_trie: the suffixes (not the empty one)."""
    return phrase_hits_many([trie], norm, start, end, suffix_trie, proclitics, suffixes, max_suffix,
                            max_proclitic)[0]


def phrase_hits_many(list tries, str norm, Py_ssize_t start, Py_ssize_t end, EndTrie suffix_trie,
                     proclitics, suffixes, Py_ssize_t max_suffix, Py_ssize_t max_proclitic):
    """``phrase_hits`` of each trie (several matchers' patterns) in one pass over the text: the
    places where a hit can end (word ends, suffixes: ``_places``) are found once for all, and
    walked once for all in their union (``_Joint``: the lexicons step's four walks from a place
    were most of its scan). A list of hits per trie, each as ``phrase_hits`` gives it."""
    cdef Py_ssize_t nt = len(tries), t
    cdef list outs = [[] for _ in range(nt)]
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(norm), b, z, k, i, m
    cdef bint odd_end = False, some = False
    cdef EndTrie trie
    cdef _Joint joint = None
    cdef Scan scan
    cdef const Py_UCS4 *text
    cdef _Hit *found
    cdef Py_ssize_t *bs
    if end > n:
        end = n
    for t in range(nt):
        trie = <EndTrie?>tries[t]
        some = some or len(trie.values) > 0
        odd_end = odd_end or trie.odd_end
    if end <= start or not some:
        return outs
    if nt > 1:
        joint = _joint(tries)
        trie = joint.union
    # one buffer: the walks' hits, then the places' two arrays (a _Hit's size keeps them aligned)
    open_scan(&scan, norm, (end - start + 1) * (sizeof(_Hit) + 2 * sizeof(Py_ssize_t)))
    try:
        text, found = scan.text, <_Hit *>scan.hits
        bs = <Py_ssize_t *>(found + (end - start + 1))
        m = _places(text, start, end, n, odd_end, suffix_trie, max_suffix, bs, bs + (end - start + 1))
        for i in range(m):
            b, z = bs[i], bs[end - start + 1 + i]
            # between two characters that are no letters only a trie with a pattern ending in
            # such a character (odd_end) is asked
            if z == b and not trie.odd_end and not _alnum(text[b - 1]):
                continue
            k = _walk(trie, text, b, start, False, _SUFFIXES if z != b else 0, found)
            if k == 0:
                continue
            if joint is None:
                _keep(trie, norm, text, b, z, k, found, proclitics, suffixes, max_proclitic, <list>outs[0])
            else:
                _keep_joint(joint, norm, text, b, z, k, found, proclitics, suffixes, max_proclitic, outs)
        return outs
    finally:
        close_scan(&scan)


cdef int _keep(EndTrie trie, str norm, const Py_UCS4 *text, Py_ssize_t b, Py_ssize_t z, Py_ssize_t k,
               const _Hit *found, proclitics, suffixes, Py_ssize_t max_proclitic, list out) except -1:
    """The rows of the k patterns found ending at b (z: the word's end) that the clitic rules
    keep, longest first, appended to out."""
    cdef Py_ssize_t j
    for j in range(k - 1, -1, -1):     # longest first
        _keep_one(trie.values[trie.term[found[j].node]], trie.flags[found[j].node], norm, text,
                  found[j].a, b, z, proclitics, suffixes, max_proclitic, out)
    return 0


cdef int _keep_joint(_Joint joint, str norm, const Py_UCS4 *text, Py_ssize_t b, Py_ssize_t z, Py_ssize_t k,
                     const _Hit *found, proclitics, suffixes, Py_ssize_t max_proclitic, list outs) except -1:
    """``_keep`` of the k union patterns found ending at b, each trie's rows to its own list of
    outs (each list longest first, as ``_keep`` gives it); a trie's pattern that takes no suffix is
    skipped inside a word (z > b)."""
    cdef Py_ssize_t j, e, stop
    cdef EndTrie trie
    cdef uint8_t need = _SUFFIXES if z != b else 0
    for j in range(k - 1, -1, -1):     # longest first
        e, stop = joint.first[found[j].node], joint.first[found[j].node + 1]
        while e < stop:
            if joint.e_flags[e] & need == need:
                trie = <EndTrie>joint.tries[joint.e_trie[e]]
                _keep_one(trie.values[joint.e_term[e]], joint.e_flags[e], norm, text, found[j].a, b, z,
                          proclitics, suffixes, max_proclitic, <list>outs[joint.e_trie[e]])
            e += 1
    return 0


cdef inline int _keep_one(pe, uint8_t flags, str norm, const Py_UCS4 *text, Py_ssize_t a, Py_ssize_t b,
                          Py_ssize_t z, proclitics, suffixes, Py_ssize_t max_proclitic, list out) except -1:
    """The rows of one pattern's (pattern, rows) pe found at a..b (z: its word's end) that the
    clitic rules keep, appended to out."""
    cdef Py_ssize_t w = a
    if a > 0 and _word(text[a - 1]):
        if not flags & _PROCLITICS:
            return 0
        w = proclitic_start(text, a, max_proclitic)
        if w < 0:
            return 0
    keep_rows((<tuple>pe)[1], norm, w, a, b, z, proclitics, suffixes, out, _INTS)
    return 0


def gazetteer_hits(EndTrie trie, dict index, str norm, plain, article, dict memo):
    """``geoparser.gazetteer_hits_py`` over ``norm`` (its hashtag underscores read as spaces):
    gazetteer names at word ends, after at most four letters of proclitics that fit the name;
    (word start, end, start, core, candidates, hashtag) per hit, candidates as (place index,
    weak). trie: the gazetteer's name cores, each its own value. memo: core -> a list of four
    (candidates, has article) or None, by which of plain (1) and article (2) take the prefix,
    filled as asked: hits of one name with prefixes of one kind share their candidates' list."""
    cdef list hits = []
    cdef list cands, row
    cdef tuple got
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(norm), a, b, w, stop, start, q, k, j
    cdef int fits
    cdef str core, prefix
    cdef bint has_article, hashtag, art
    cdef Py_UCS4 c
    cdef Scan scan
    cdef const Py_UCS4 *text
    cdef _Hit *found
    if n == 0 or not len(trie):
        return hits
    found = _open_walks(&scan, trie, norm)
    try:
        text = scan.text
        for b in range(1, n + 1):
            # at a word end ("_" is no letter here: the scan reads it as a space); between two
            # characters that are no letters only a name ending in such a character can end
            if b < n and _alnum(text[b]) or not trie.odd_end and not _alnum(text[b - 1]):
                continue
            k = _walk(trie, text, b, 0, True, 0, found)
            for j in range(k - 1, -1, -1):     # longest first
                a = found[j].a
                w = a
                stop = a - 5  # a longer prefix is refused anyway: no need to find the word start
                while w > stop and w > 0 and _alnum(text[w - 1]):
                    w -= 1
                if a - w > 4:
                    continue
                prefix = norm[w:a]
                fits = (1 if prefix in plain else 0) | (2 if prefix in article else 0)
                if not fits:
                    continue  # no candidate takes it, with or without ال
                core = trie.values[trie.term[found[j].node]]
                row = memo.get(core)
                if row is None:
                    row = memo[core] = [None, None, None, None]
                got = row[fits]
                if got is None:
                    cands = []
                    has_article = False
                    for i, art, weak in index[core]:
                        if fits & (2 if art else 1):
                            cands.append((i, weak))
                            has_article = has_article or art
                    got = row[fits] = (cands, has_article)
                cands = got[0]
                if not cands:
                    continue
                hashtag = False
                if w > 0:
                    c = text[w - 1]
                    if c == u'#':
                        hashtag = True
                    elif c == u'_':
                        q = w - 40 if w > 40 else 0
                        hashtag = u"#" in norm[q:w]
                start = a
                if got[1] and prefix.endswith(u"ال"):
                    start = a - 2
                hits.append((w, b, start, core, cands, hashtag))
        return hits
    finally:
        close_scan(&scan)


def every_hit(EndTrie trie, str text):
    """``ahocorasick.Automaton.iter(text)`` of the same patterns: (index of the last character,
    value) of every occurrence, inside words too, by end, longest first. Each position is one
    look-up of the root's table unless a pattern ends in its letter (about 110 instructions a
    character for the automaton's iterator, its tuples made by Python for every hit)."""
    cdef list hits = []
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), b, k, j
    cdef Py_UCS4 c
    cdef Scan scan
    cdef const Py_UCS4 *chars
    cdef _Hit *found
    if n == 0 or not len(trie):
        return hits
    found = _open_walks(&scan, trie, text)
    try:
        chars = scan.text
        for b in range(1, n + 1):
            c = chars[b - 1]
            if c < ROOT and trie.root[c] < 0:
                continue         # no pattern ends in this letter (most of them)
            k = _walk(trie, chars, b, 0, False, 0, found)
            for j in range(k - 1, -1, -1):     # longest first
                hits.append((b - 1, trie.values[trie.term[found[j].node]]))
        return hits
    finally:
        close_scan(&scan)


def whole_words(EndTrie trie, str text, str clitics, Py_ssize_t max_clitics):
    """``geoparser._cue_words_py``: (start, end) of the whole words (``\\w``: ``str.isalnum()`` or
    "_") that are one of the patterns with at most ``max_clitics`` of ``clitics`` before it, in
    text order, one pair per word; read back from each word end only (where the automaton's
    scan walked every letter)."""
    cdef list out = []
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), b, k, j, i, s, q
    cdef bint ok
    cdef Scan scan
    cdef const Py_UCS4 *chars
    cdef _Hit *found
    if n == 0 or not len(trie):
        return out
    found = _open_walks(&scan, trie, text)
    try:
        chars = scan.text
        for b in range(1, n + 1):
            if b < n and _word(chars[b]):
                continue
            k = _walk(trie, chars, b, 0, False, 0, found)
            for j in range(k):
                i = found[j].a
                s = i
                while s > 0 and i - s <= max_clitics and _word(chars[s - 1]):
                    s -= 1
                if i - s > max_clitics or (s > 0 and _word(chars[s - 1])):
                    continue
                ok = True
                for q in range(s, i):
                    if chars[q] not in clitics:
                        ok = False
                        break
                if ok:
                    out.append((s, b))
        if len(out) > 1:
            return sorted(set(out))  # a word found through two cues is one word
        return out
    finally:
        close_scan(&scan)


# ---------------------------------------------------------------- the lexicons step's hit filter

cdef struct _Ranked:
    Py_ssize_t w, z, plen, idx
    int suf


cdef int _by_rank(const void *x, const void *y) noexcept nogil:
    """(start, start - end, -pattern length, takes suffixes), then the hits' order: the key of
    the twin's stable sort."""
    cdef const _Ranked *a = <const _Ranked *>x
    cdef const _Ranked *b = <const _Ranked *>y
    if a.w != b.w:
        return -1 if a.w < b.w else 1
    if a.z != b.z:
        return -1 if a.z > b.z else 1
    if a.plen != b.plen:
        return -1 if a.plen > b.plen else 1
    if a.suf != b.suf:
        return -1 if a.suf < b.suf else 1
    return -1 if a.idx < b.idx else (1 if a.idx > b.idx else 0)


cdef inline bint _article_ends(str prefix):
    """The proclitic ends in the article (ال، وال، بال ...) or in لل: ``prefix.endswith("ال") or
    prefix.endswith("لل")``."""
    cdef Py_ssize_t n = len(prefix)
    return n >= 2 and prefix[n - 1] == u'\u0644' and (prefix[n - 2] == u'\u0627' or prefix[n - 2] == u'\u0644')


def longest_kept(list hits, str norm, kept):
    """``components.lexicons._longest_kept_py``: the hits (word start, end, pattern start, prefix,
    row) whose row accepts them, one per span: by start, the longest first, then the longer
    pattern, an exact row before one taking suffixes (ties in the hits' order), each dropped when
    it lies inside the last one kept. A row is read by its ``_rank`` (``lexicons._rank``: pattern
    length << 3, takes suffixes 4, role "def" 2, allowed prefixes 1), made once per row: a row
    with allowed prefixes is asked of ``kept(hit, norm)`` (the twin's test); a "def" row keeps its
    hit when the proclitic ends in the article; any other accepts its hit."""
    cdef Py_ssize_t n = len(hits), m = 0, i, last_w = 0, last_z = 0, code
    cdef _Ranked *r
    cdef list out = []
    cdef tuple h
    if n == 0:
        return out
    r = <_Ranked *>malloc(n * sizeof(_Ranked))
    if r == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            h = <tuple>hits[i]
            code = <Py_ssize_t>(<dict>h[4])["_rank"]
            if code & 1:
                if not kept(h, norm):
                    continue
            elif code & 2 and not _article_ends(<str>h[3]):
                continue
            r[m].w = <Py_ssize_t>h[0]
            r[m].z = <Py_ssize_t>h[1]
            r[m].plen = code >> 3
            r[m].suf = 1 if code & 4 else 0
            r[m].idx = i
            m += 1
        qsort(r, m, sizeof(_Ranked), _by_rank)
        for i in range(m):
            if i and r[i].w >= last_w and r[i].z <= last_z:
                continue
            out.append(hits[r[i].idx])
            last_w, last_z = r[i].w, r[i].z
    finally:
        free(r)
    return out



# the class spans() was last asked to make (doc.Span), whether new_six makes it, its slots' offsets
cdef object _span_cls = None
cdef bint _span_in_place = False
cdef Py_ssize_t _span_at[6]
_SPAN_FIELDS = ("start", "end", "label", "text", "sent", "data")


cdef bint _in_place(cls):
    """Whether spans() makes ``cls`` (doc.Span) by ``new_six``, its slots' offsets in _span_at
    (about 1,000 instructions a span fewer than object.__new__ and six attribute sets by name)."""
    global _span_cls, _span_in_place
    if cls is not _span_cls:
        _span_in_place = six_in_place(cls, _SPAN_FIELDS, _span_at)
        _span_cls = cls
    return _span_in_place


@cython.boundscheck(True)
@cython.wraparound(True)
def spans(list kept, list offsets, str text, list ends, dict tail, str label, template, list out, cls):
    """``components.lexicons._spans_py``: for each kept hit (word start, end, pattern start,
    prefix, row) a ``cls`` (``doc.Span``) appended to out, its data a copy of the row's ``_tmpl``
    (``template(row)`` where the row has none; None: no span) with n0 and n1 set; its start at the
    pattern with the article kept (tail: the proclitics ending in it), offsets into the original
    text by ``offsets``, its sentence by the sentences' ends (``bisect_right``, past the last the
    last)."""
    cdef Py_ssize_t n_ends = len(ends), last = len(ends) - 1 if len(ends) > 0 else 0
    cdef Py_ssize_t a, z, oa, ob, k, lo, hi, mid
    cdef tuple h
    cdef dict e, data
    cdef bint in_place = _in_place(cls)
    for h in kept:
        e = <dict>h[4]
        tmpl = e.get("_tmpl")
        if tmpl is None:
            tmpl = template(e)
            if tmpl is None:
                continue
        a = <Py_ssize_t>h[2] - <Py_ssize_t>tail.get(h[3], 0)
        z = <Py_ssize_t>h[1]
        oa_o = offsets[a]
        ob_o = offsets[z] if z > a else oa_o
        oa, ob = oa_o, ob_o
        data = (<dict>tmpl).copy()
        data["n0"] = a
        data["n1"] = z
        lo, hi = 0, n_ends           # bisect_right(ends, a)
        while lo < hi:
            mid = (lo + hi) >> 1
            if a < <Py_ssize_t>ends[mid]:
                hi = mid
            else:
                lo = mid + 1
        k = lo
        if in_place:
            out.append(new_six(cls, _span_at, oa_o, ob_o, e[label], text[oa:ob], k if k < n_ends else last, data))
            continue
        # a class of another shape: by name
        out.append(span_by_name(cls, oa_o, ob_o, e[label], text[oa:ob], k if k < n_ends else last, data))
