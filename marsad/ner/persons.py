"""The tagger's person rules: persons the perceptron missed, cut or left short, found from the
words around them (titles, nationalities, reporting verbs, name particles, given names, a person
repeated in the same text). ``Tagger.tag_doc`` runs them over its mentions; each takes and returns the
mentions sorted by their first token, and none crosses a sentence end.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter

from .features import (cluster_table, cue_words, name_breaks, regnal_ordinals, speech_verbs,
                       waw_names)
from .mention import NISBA, Mention, in_order, one_space
from .nationalities import country_adjective, country_adjectives
from .native import decoder
from ..text import PROCLITICS, strip_proclitics
from ..text.tokens import _BY_FIRST  # strip_proclitics's table, for the compiled readings

_NORM = attrgetter("norm")


def _readings(word: str) -> list[tuple[str, str]]:
    """The word's readings behind its proclitics (``strip_proclitics``), with the article that لل
    holds put back (للشيخ: ل + الشيخ، للكيني: ل + الكيني), as the title and nationality lists
    spell them."""
    return [(p, "ال" + stem if p.endswith("لل") else stem) for p, stem in strip_proclitics(word)]


def _begins_another(tok, known) -> bool:
    """A word with the conjunction و before a word of the news or one with the article (وبلير:
    "and Blair", والحوثي; known: the clusters' words), not a name word that begins with the
    letter (ولد، وليد: data/waw_names.tsv and the given names of cues.tsv) nor before a word the
    news does not know (وارن: Warren, ويلبيك: Welbeck, frequent in the news reports)."""
    w = tok.norm
    return w.startswith("و") and len(w) > 2 and (w[1:] in known or w.startswith("وال")) and w not in waw_names()


def _joins_surnames(prev, tok) -> bool:
    """A word with the conjunction و that the news does not know after a word that is no given
    name nor name particle (شافيز ولوكاشنكو، كانافارو وإيمرسون: two surnames, two persons); after a
    given name it is mostly the surname itself (ستيف وارن، داني ويلبيك، أحمد وحيدي), and a word of
    the news as a whole is one (ستيوارت وايت: White, where ايت is no word). Issue 12 (ner44,
    ner45p)."""
    w = tok.norm
    if not w.startswith("و") or len(w) < 4 or w in waw_names() or w in (cluster_table() or ()):
        return False
    cues = cue_words()
    return not any(cues.get(stem) for _, stem in strip_proclitics(prev.norm))


def _breaks_name(tok, titles: bool = True) -> bool:
    """A rank or kinship word (data/name_breaks.tsv) or, with titles, a title of cues.tsv: the
    tagger's person ending or starting at such a word is no part of the person beside it
    (العميد الركن | قاسم المحمدي، ابن عم | بشار الأسد، الكولونيل | جيمس كلاف)."""
    return _breaks_word(tok.norm, titles)


@lru_cache(maxsize=4096)   # asked of most persons' first and last words by several rules
def _breaks_word(word: str, titles: bool) -> bool:
    """``_breaks_name``'s test of a word (a new word read in C where built, ``_decode.breaks_word``:
    some 20,000 instructions of Python each, 467 new words in ``repeated_names`` alone a cold run of
    200 reports)."""
    if decoder is not None:
        return decoder.breaks_word(word, titles, _BY_FIRST, cue_words(), name_breaks())
    return _breaks_word_py(word, titles)


def _breaks_word_py(word: str, titles: bool) -> bool:
    """``_breaks_word`` in Python (the twin of ``_decode.breaks_word``)."""
    cues, breaks = cue_words(), name_breaks()
    return any(stem in breaks or (titles and "title" in cues.get(stem, ())) for _, stem in _readings(word))


def _adjective(tok, alone: bool) -> bool:
    """A nisba adjective after a preposition or و (بالكولومبي، والإسباني) or, alone, with its
    article (الإيفواري), or with لل (للكيني: ل + الكيني): a word about a person the tagger took for
    one, no part of a name."""
    return any(NISBA.fullmatch(stem) and (p or alone) for p, stem in _readings(tok.norm))


# after one of these inside a person the words are what the person said (كينيون « لديا مدير)
_SPEECH_MARKS = frozenset('«»"“”:')


def _split_at_punctuation(doc, mentions: list[Mention], name_word) -> list[Mention]:
    """The tagger's persons across punctuation split into the runs of words between (محمود عباس (
    أبو مازن، كيم جونغ - ايل، رشيد ، صباح: two names each, as ANERcorp marks them), the runs after
    a quotation mark or colon left out (عباس " مازلنا: what he said), and a later run kept only when
    its last word is a name word (name_word(token): not مبارك ملفي ( | مواليد 1990)) and not digits."""
    toks, norm = doc.tokens, doc.norm
    out = []
    for m in mentions:
        if m.type != "PER" or m.first == m.last \
                or all(norm[toks[k - 1].end:toks[k].start].isspace() for k in range(m.first + 1, m.last + 1)):
            out.append(m)
            continue
        start, said = m.first, False
        for k in range(m.first + 1, m.last + 2):
            gap = norm[toks[k - 1].end:toks[k].start] if k <= m.last else ""
            if k <= m.last and gap.isspace():
                continue
            if not said and any(c.isalpha() for t in toks[start:k] for c in t.norm) \
                    and (start == m.first or name_word(toks[k - 1])):
                out.append(Mention("PER", start, k - 1, m.score))
            start, said = k, said or not _SPEECH_MARKS.isdisjoint(gap)
    return out


def person_names(doc, mentions: list[Mention], name_word=lambda tok: True) -> list[Mention]:
    """The tagger's persons cut before a word with the conjunction و (بوش وبلير: two persons)
    and joined where two stand side by side, one space apart, the second without it (خوسي |
    لويس ثاباتيرو: one), unless a rank, kinship word, title or adjective stands at the joint. In ANERcorp's
    training part, of the person words followed by another person word, 108 of the 125 such
    words with و start a new name (12 of the other 17 are وقاص, in one article), and 15 of the
    1,637 words without و. A person across punctuation is first split (``_split_at_punctuation``;
    name_word(token) tells a name word for the pieces after the first)."""
    toks = doc.tokens
    known = cluster_table() or {}
    out: list[Mention] = []
    # most mentions no test below can change (``_person_codes``: one pass, in C where built)
    codes = _person_codes(mentions, toks, doc.norm)
    for i, whole in enumerate(mentions):
        if not codes[i]:
            out.append(whole)
            continue
        for m in _split_at_punctuation(doc, [whole], name_word):
            if m.type != "PER":
                out.append(m)
                continue
            cuts = [k for k in range(m.first + 1, m.last + 1)   # (both tests need و first)
                    if toks[k].norm[:1] == "و" and (_begins_another(toks[k], known) or _joins_surnames(toks[k - 1], toks[k]))]
            for a, b in zip([m.first, *cuts], [*cuts, m.last + 1]):
                prev = out[-1] if out else None
                if (a == m.first and prev is not None and prev.type == "PER" and prev.last + 1 == a
                        and one_space(doc, prev.last, a)
                        and not _begins_another(toks[a], known)
                        # a title or an adjective with its article ends a name only as a person of its
                        # own (عبد الملك | الحوثي: one name)
                        and not _breaks_name(toks[prev.last], prev.first == prev.last) and not _breaks_name(toks[a])
                        and not _adjective(toks[prev.last], prev.first == prev.last) and not _adjective(toks[a], False)):
                    prev.last, prev.score = b - 1, min(prev.score, m.score)
                else:
                    out.append(Mention("PER", a, b - 1, m.score))
    return out


def _person_codes(mentions: list[Mention], toks: list, norm: str) -> bytearray:
    """For each mention, 1 when ``person_names`` must ask its rules of it, 0 when they leave it
    as it is: a mention of another type, or a person with no punctuation between its words
    (white space only), no word beginning with و after its first (no cut) and no mention before
    it reaching its word before (no join; a rule's pieces and joins end where a mention ends, or
    before). Most persons are 0: they were remade as new mentions of the same fields before.
    ``_decode.person_codes`` is the compiled twin."""
    if decoder is not None:
        return decoder.person_codes(mentions, toks, norm)
    codes = bytearray(len(mentions))
    reach = -2   # the last token of the mentions so far
    for i, m in enumerate(mentions):
        a, b = m.first, m.last
        if m.type == "PER" and (reach >= a - 1 or any(
                toks[k].norm[:1] == "و" or not norm[toks[k - 1].end:toks[k].start].isspace()
                for k in range(a + 1, b + 1))):
            codes[i] = 1
        reach = max(reach, b)
    return codes


_PATRONYMIC = ("بن", "ابن", "بنت")   # "son / daughter of", normalised
_TEEN = ("عشر",)                       # after an ordinal: السادس عشر "the sixteenth"
_OVER = "علي"                          # على, normalised: after an ordinal, a rank (الثاني على زملائه)
# a possessive pronoun at a word's end (عمه، أخيه، خالها، عمي، عمك)
_PRONOUN = re.compile("(يه|ه|ها|هم|هما|ي|ك|كم|نا)$")


def _kin_of(w: str) -> bool:
    """A kinship word with a possessive pronoun (ابن عمه "his cousin", بنت أخي: data/name_breaks.tsv)."""
    return _PRONOUN.search(w) is not None and _PRONOUN.sub("", w) in name_breaks()


def name_spans(doc, mentions: list[Mention], name_word) -> list[Mention]:
    """The tagger's persons completed where they stop short of their name's own words, over words
    outside every mention, one space apart, in one sentence:
    - a person ending in a name particle (أبو، بن، آل ...: cues.tsv's class kin, not أم, also
      "or") goes on over the word after it (حمد بن عيسى آل | خليفة، سعد بن أبي | وقاص), but not
      over a kinship word with a pronoun (ابن | عمه) nor, after the particle alone, a word with
      the conjunction (أبي | وأمي: "my father and my mother"; سعد بن أبي | وقاص is one name);
    - a person ending in a given name (cues.tsv; not على, which is علي once normalised) takes in
      a family name with the article after it (عبد الكريم | الخطابي، توفيق | الحكيم) when that
      word is no cue word (a title: الرئيس) and either ends in ي as written (a nisba: الخطابي،
      المصري) or is a name word (name_word(token), as for ``repeated_names``);
    - a person starting with بن / ابن / بنت takes in the given name right before it (علي | بن أبي
      طالب; not أبو: خليفة | أبو حمزة, "the successor of"; not على: على | ابن لادن);
    - a person of one word takes in a regnal ordinal after it (data/regnal_ordinals.tsv, masculine: جيمس |
      الأول، بنديكت | السادس عشر; ner44);
    - a title or rank at a person's start is no part of it (الفريق الركن | عبدالحميد حجي)."""
    toks = doc.tokens
    cues = cue_words()
    known = cluster_table() or {}
    ordinals = regnal_ordinals()
    taken = covered(mentions, len(toks))

    def free(k: int, j: int) -> bool:  # token j is next to token k and can join its person
        return 0 <= j < len(toks) and not taken[j] and toks[j].norm.isalpha() and one_space(doc, min(j, k), max(j, k))

    def particle(tok) -> bool:
        return "kin" in cues.get(tok.norm, ()) and tok.norm != "ام"

    def given(tok) -> bool:
        return any("given" in cues.get(stem, ()) for _, stem in strip_proclitics(tok.norm))

    for m in mentions:
        if m.type != "PER":
            continue
        while m.last > m.first and _breaks_name(toks[m.first]):
            m.first += 1
        while particle(toks[m.last]) and free(m.last, m.last + 1) and not _kin_of(toks[m.last + 1].norm) \
                and (m.first < m.last or not _begins_another(toks[m.last + 1], known)):
            m.last += 1
            taken[m.last] = 1
        nxt = toks[m.last + 1] if m.last + 1 < len(toks) else None
        if nxt is not None and nxt.norm.startswith("ال") and len(nxt.norm) > 4 and free(m.last, m.last + 1) \
                and given(toks[m.last]) and _ending(doc, toks[m.last]) != "\u0649" and nxt.norm not in cues \
                and not _breaks_name(nxt) and (_ending(doc, nxt) == "\u064a" or name_word(nxt)):
            m.last += 1
            taken[m.last] = 1
        # a ruler named by one word (جيمس | الأول); not after a surname: فرناندو غونزاليز | الثالث,
        # a seed in a draw; nor before على, a rank among others (ترتيب محفوظ | الثاني على زملائه)
        if m.first == m.last and free(m.last, m.last + 1) and toks[m.last + 1].norm in ordinals \
                and not (m.last + 2 < len(toks) and toks[m.last + 2].norm == _OVER):
            m.last += 1
            taken[m.last] = 1
            if free(m.last, m.last + 1) and toks[m.last + 1].norm in _TEEN:     # السادس | عشر
                m.last += 1
                taken[m.last] = 1
        if toks[m.first].norm in _PATRONYMIC and free(m.first, m.first - 1) and given(toks[m.first - 1]) \
                and _ending(doc, toks[m.first - 1]) != "\u0649":
            m.first -= 1
            taken[m.first] = 1
    return mentions



NAME_WORDS = 3   # at most this many words of a foreign name after a nationality
_PROCLITIC_LETTERS = set("بلفوك")


@lru_cache(maxsize=1)
def _introducing_ends() -> tuple[frozenset[str], frozenset[str]]:
    """Every stem ``_introduces`` can find, as the word ends with it (a proclitic's stem is the
    word's end): the titles, ال + each country adjective, and behind لل the stem's end لل + X (its
    article is the proclitic's); and their last two letters (one for a one-letter title: د)."""
    stems = {w for w, kinds in cue_words().items() if "title" in kinds} | {"ال" + n for n in country_adjectives()}
    ends = frozenset(stems | {"لل" + w[2:] for w in stems if w.startswith("ال")})
    return ends, frozenset(w[-2:] for w in ends)


@lru_cache(maxsize=1)
def _endings():
    """The compiled ``Endings`` of ``_introducing_ends``, or None (the pure path)."""
    return None if decoder is None else decoder.Endings(*_introducing_ends())


def _may_introduce(toks: list, stop: int) -> list[int]:
    """The positions before stop of the tokens whose words pass ``_introduces``'s first two tests
    (a title's or an adjective's last two letters, and some end of the word one of them): a few
    in a hundred, the only words the rest of the test is asked of (in C where built: one pass
    per text)."""
    test = _endings()
    if test is not None:
        return test.hits(toks, stop)
    ends, tails = _introducing_ends()
    return [k for k, w in enumerate(map(_NORM, toks[:stop]))
            if w[-2:] in tails and any(w[i:] in ends for i in range(len(w)))]


def tokens_in(toks: list, words) -> list[int]:
    """The positions of the tokens whose word (``norm``) is one of words (a set), in order (in
    C where built)."""
    if decoder is not None:
        return decoder.tokens_in(toks, words)
    return [k for k, w in enumerate(map(_NORM, toks)) if w in words]


def tokens_by_kind(toks: list, kinds: dict[str, int], n: int) -> list[list[int]]:
    """For each bit b < n of kinds' values (word -> bits), the positions of the tokens whose word
    (``norm``) has it, in order: several ``tokens_in`` in one pass (in C where built)."""
    if decoder is not None:
        return decoder.tokens_by_kind(toks, kinds, n)
    out: list[list[int]] = [[] for _ in range(n)]
    for k, w in enumerate(map(_NORM, toks)):
        bits = kinds.get(w, 0)
        for b in range(n):
            if bits >> b & 1:
                out[b].append(k)
    return out



def token_sets(toks: list, kinds: dict[str, int], n: int, ids, spelt: list[int], marks: bytearray,
               stop: int) -> list[list[int]]:
    """``tokens_by_kind(toks, kinds, n)``'s n lists, then ``_may_introduce(toks, stop)``: the
    word sets the rules look for, in one pass. ids: each token's row of the tagger's word-type
    cache; spelt: the tokens (ascending) whose row is not their word's; marks: one byte a row,
    the answers kept per word type (in C where built, ``_decode.token_sets``, which fills marks;
    here both are the definitions, token by token)."""
    if decoder is not None:
        return decoder.token_sets(toks, kinds, n, ids, spelt, marks, stop, _endings())
    return [*tokens_by_kind(toks, kinds, n), _may_introduce(toks, stop)]


def covered(mentions: list[Mention], n: int) -> bytearray:
    """One byte per token of n, 1 for a token inside one of the mentions: the words each rule
    leaves alone (in C where built; a set of every mention's tokens was built by each rule)."""
    if decoder is not None:
        return decoder.covered(mentions, n)
    out = bytearray(n)
    for m in mentions:
        out[m.first:m.last + 1] = b"\1" * (m.last - m.first + 1)
    return out


@lru_cache(maxsize=8192)    # the frequent words; a bigger cache cost 8 MB of peak RSS
def _introduces(word: str) -> tuple[bool, bool]:
    """Whether the word, or its stem behind a proclitic, is a title (cues.tsv) and whether it is a
    country adjective with its article (التشيكي): what may stand before a name
    ``introduced_names`` adds. Kept for the frequent word types: the test runs before every free word.
    A new word is read in C where built (``Endings.introduces``: some 40,000 instructions of
    Python each, 370 new words a cold run of 200 reports)."""
    test = _endings()
    if test is not None:
        return test.introduces(word, _BY_FIRST, cue_words(), country_adjectives())
    return _introduces_py(word)


def _introduces_py(word: str) -> tuple[bool, bool]:
    """``_introduces`` in Python (the twin of ``Endings.introduces``)."""
    ends, tails = _introducing_ends()
    if word[-2:] not in tails or not any(word[i:] in ends for i in range(len(word))):
        return False, False   # most words: no reading to look at (a fifth of cold tagging before)
    readings = _readings(word)
    cues = cue_words()
    return (any("title" in cues.get(stem, ()) for _, stem in readings),
            any(country_adjective(stem) for _, stem in readings))


def nationalities_dropped(doc, mentions: list[Mention]) -> list[Mention]:
    """A country adjective with its article (الرئيس الكوبي، والتركي، للكيني) at the start of a
    person the tagger found is left out of it, and a person of that word alone dropped: the
    adjective of a person, not part of the name (والأرجنتيني | ميسي; ``introduced_names`` then
    finds the name after a dropped one; in C where built, the word test asked of persons only)."""
    toks = doc.tokens
    if decoder is not None:
        return decoder.nationalities_dropped(mentions, toks, _introduces, _endings())
    out = []
    for m in mentions:
        if m.type == "PER" and _introduces(toks[m.first].norm)[1]:
            if m.first == m.last:
                continue
            m.first += 1
        out.append(m)
    return out


def _foreign(doc, tok, known) -> bool:
    """A word the news does not know (outside the clusters' words, known) that may be a foreign name:
    no cue word, no word with the conjunction or with لل (للملامح: "for the features"), a plural
    ending or a diacritic (rare verbs and adjectives: ويطحنونها، يحلقون مفتقرين، مسنودًا)."""
    w = tok.norm
    a, b = doc.orig(tok.start, tok.end)
    return w not in known and not cue_words().get(w) and len(w) > 2 and w[0] != "و" and w[:2] != "لل" \
        and not w.endswith(("ون", "ين")) and doc.text[a:b].isalpha()


# a possessive pronoun of the third person or of "we" / "you" (plural) at a word's end
_POSSESSIVE = re.compile("(ها|هم|هما|كم|نا)$")


def _inflected(w: str, known) -> bool:
    """A word of the news (known) behind a preposition or future س (ليخبره، كالموصل، برئيسها،
    سيقاطع), or behind a proclitic and before a possessive pronoun (فحكمها): no name. Not a word of
    the news behind ف alone, a name's first letter as often (فيفي)."""
    if (w[0] == "س" and w[1:] in known) or any(p not in ("", "ف", "و") and stem in known for p, stem in _readings(w)):
        return True
    return any(_POSSESSIVE.sub("", stem) in known for _, stem in _readings(w) if _POSSESSIVE.search(stem))


def introduced_names(doc, mentions: list[Mention], candidates: list[int] | None = None) -> list[Mention]:
    """Persons the tagger missed where the words before them introduce a person, over words
    outside every mention, one space apart:
    - a given name (cues.tsv; not على, which is علي once normalised) right after a title (الإمام
      علي، الشيخ أحمد): the family name, if any, is taken in by ``name_spans``;
    - one word the news does not know (``_foreign``) right after a title of two letters or more,
      with no such word after it (الحاكم القاجاري، الشيخة حسينة), but not a word of the news
      behind a preposition or future س (الفريق سيقاطع، رئيسة كالموصل);
    - two or three words the news does not know (outside the clusters' words), or a given name
      and such words, right after a nisba adjective with its article, or with لل (والتشيكي بافل
      ندفيد، الكونغولي شاباني نوندا، للكيني كيبلاغات كيبكورير): a foreign name after its bearer's
      nationality (``nationalities.country_adjective``); not two indefinite accusatives of words of
      the news (عزما أكيدا "a firm resolve").
    candidates: ``_may_introduce(doc.tokens, len(doc.tokens) - 1)``, when the caller has them.
    Issue 12 (ner44, ner45p)."""
    toks = doc.tokens
    if candidates is None:
        candidates = _may_introduce(toks, len(toks) - 1)
    spans = _introduced_spans(doc, candidates, covered(mentions, len(toks)), cluster_table() or {})
    if not spans:
        return mentions
    return in_order(mentions + [Mention("PER", k, j, SPEAKER_SCORE) for k, j in spans])


def _introduced_spans(doc, candidates: list[int], taken: bytearray, known) -> list[tuple[int, int]]:
    """The first and last token of each person ``introduced_names`` adds, in the order found:
    candidates, the tokens that may introduce one (``_may_introduce``); taken, the tokens inside
    a mention (``covered``), marked as names are added; known, the clusters' words.
    ``_decode.introduced_spans`` is the compiled twin (the word tests in C, ``_introduces`` and
    ``_inflected`` asked in Python)."""
    if decoder is not None:
        return decoder.introduced_spans(doc.tokens, doc.text, doc.offsets, doc.norm, candidates, taken,
                                        cue_words(), known, _introduces, _inflected, NAME_WORDS)
    toks = doc.tokens
    cues = cue_words()

    def free(k: int) -> bool:
        return 0 < k < len(toks) and not taken[k] and toks[k].norm.isalpha() and one_space(doc, k - 1, k)

    def given(k: int) -> bool:   # not بأن, a proclitic before a word with a hamza seat (بان: Ban)
        a, b = doc.orig(toks[k].start, toks[k].end)
        return "given" in cues.get(toks[k].norm, ()) and _ending(doc, toks[k]) != "\u0649" \
            and not (doc.text[a:a + 1] in _PROCLITIC_LETTERS and doc.text[a + 1:a + 2] in "أإآ")

    def foreign(k: int) -> bool:
        # no word with the conjunction, a plural ending or a diacritic: rare verbs and adjectives
        # (ويطحنونها، يحلقون مفتقرين، مسنودًا)
        return free(k) and _foreign(doc, toks[k], known)   # free: also not past the last token

    def accusative(k: int) -> bool:   # a word of the news with the ending ا: عزما، أكيدا (tanween)
        w = toks[k].norm
        return w.endswith("ا") and w[:-1] in known

    added = []
    for j in candidates:
        k = j + 1   # the word after the one that may introduce it
        title, nisba = _introduces(toks[j].norm)
        if not (title or nisba) or not free(k):    # most words introduce nobody: ask that first
            continue
        if title and (given(k) or (foreign(k) and not foreign(k + 1) and not _inflected(toks[k].norm, known)
                                   and len(toks[k - 1].norm) > 1)):   # not د (دكتور) before a typo: د اعش
            added.append((k, k))
            taken[k] = 1
        elif nisba and (foreign(k) or given(k)) and foreign(k + 1) and not (accusative(k) and accusative(k + 1)):
            j = k + 1
            while j + 1 - k < NAME_WORDS and foreign(j + 1):
                j += 1
            added.append((k, j))
            taken[k:j + 1] = b"\1" * (j + 1 - k)
    return added


# The score of a speaker found by ``speakers``: in the five-fold CV of ANERcorp's training part, 4
# of the 5 it found are right (the fifth a right word of a name whose first word it left out).
SPEAKER_SCORE = 0.8


@lru_cache(maxsize=1)
def _speech_forms() -> frozenset[str]:
    """The reporting verbs, alone or after و / ف (وقال، فأشار)."""
    return frozenset(p + v for v in speech_verbs() for p in ("", "و", "ف"))


def speakers(doc, mentions: list[Mention], strong_name, verbs_at: list[int] | None = None) -> list[Mention]:
    """A word outside every mention right after a reporting verb (وقال، وأشار، أعرب:
    ``features.speech_verbs``), one space apart, is the speaker, a person, when strong_name(token)
    says it is a name (a word of the news the tagger read inside a person in at least half of
    its occurrences: السقاف، عنان; not مساعد "assistant", a given name in a fifth of them) or the
    word is one the news does not know that may be a foreign name (``_foreign``: داليما، ليفني;
    not an inflected noun, استخباراتيون); not a cue word but a given name (a title, an
    organisation word), nor a rank or kinship word, nor with the conjunction (وصالح: "and Saleh").
    verbs_at: the tokens that are reporting verbs (``_speech_forms``), when the caller has them."""
    toks = doc.tokens
    if verbs_at is None:
        verbs_at = tokens_in(toks, _speech_forms())
    heads = [k + 1 for k in verbs_at if k + 1 < len(toks)]
    if not heads:
        return mentions
    known = cluster_table() or {}
    taken = covered(mentions, len(toks))   # (the words inside a mention first: no test of them)
    heads = [k for k in heads if not taken[k] and one_space(doc, k - 1, k) and (strong_name(toks[k]) or (
        _foreign(doc, toks[k], known) and not _inflected(toks[k].norm, known)))]
    if not heads:
        return mentions
    cues = cue_words()
    added = []
    for k in heads:   # in order, each once (tokens_in's)
        w = toks[k].norm
        if (w.startswith("و") and w not in waw_names()) or _breaks_name(toks[k]) \
                or any(set(cues.get(stem, ())) - {"given"} for _, stem in strip_proclitics(w)):
            continue
        added.append(Mention("PER", k, k, SPEAKER_SCORE))
    return in_order(mentions + added) if added else mentions


def _bare_in_order(tok) -> list[str]:
    """The word, then its stems behind a proclitic other than the article (لأينشتاين، وبلير), in
    the order strip_proclitics gives them: the word as written is the first reading tried."""
    out = [tok.norm]
    for p, stem in strip_proclitics(tok.norm)[1:]:
        if not p.endswith(("ال", "لل")) and stem not in out:
            out.append(stem)
    return out


def _bare(tok) -> set[str]:
    return set(_bare_in_order(tok))


def _ending(doc, tok) -> str:
    """The word's last letter as written (not a diacritic): ي and ى are one letter once
    normalised (علي، على)."""
    a, b = doc.orig(tok.start, tok.end)
    if b > a and doc.text[b - 1].isalpha():   # most words: no mark after the last letter
        return doc.text[b - 1]
    return next((c for c in reversed(doc.text[a:b]) if c.isalpha()), "")


def _agrees(doc, k: int) -> bool:
    """Token k ends like a nisba adjective (ي) and agrees in the article with the word before it
    (الشهري القمري; without the article, a word the news knows: تشاور اوروبي): an adjective of
    that word, not a name."""
    toks = doc.tokens
    w = toks[k].norm
    if k == 0 or not w.endswith("ي") or not one_space(doc, k - 1, k):
        return False
    if w.startswith("ال"):
        return toks[k - 1].norm.startswith("ال")
    return not toks[k - 1].norm.startswith("ال") and w in (cluster_table() or ())


# the proclitics a repeated name may carry (لأينشتاين، وبلير): not the article
_NAME_PROCLITICS = ("",) + tuple(p for p in PROCLITICS if not p.endswith(("ال", "لل")))


def _words_of(mentions: list[Mention], toks: list, typ: str) -> set[str]:
    """The words (``norm``) of the tokens of the mentions of type typ (``_decode.words_of`` is the
    compiled twin: a generator per person was an eighth of ``repeated_names``)."""
    if decoder is not None:
        return decoder.words_of(mentions, toks, typ)
    return {t.norm for m in mentions if m.type == typ for t in toks[m.first:m.last + 1]}


def _repeat_ends(toks: list, lasts: dict, taken: bytearray) -> list[int]:
    """The positions of the tokens outside every mention (taken, ``covered``) whose word is a key
    of lasts alone or behind one of _NAME_PROCLITICS, in order (``_decode.repeat_ends`` is the
    compiled twin: it compares strings only where some key has the token's last two letters, and
    the length and first letter of what follows a prefix; the set of every key behind every
    proclitic, 13 words a key, and its look-ups were a third of ``repeated_names``)."""
    if decoder is not None:
        return decoder.repeat_ends(toks, lasts, _NAME_PROCLITICS, taken)
    return [e for e in tokens_in(toks, {p + w for p in _NAME_PROCLITICS for w in lasts}) if not taken[e]]


_GIVEN_ONLY = ((), ("given",))   # a cue word's classes that leave it a possible last word of a name


def repeated_names(doc, mentions: list[Mention], name_word) -> list[Mention]:
    """Words outside every mention that repeat a person the tagger found in the same text, up to
    its last word (أغاسي ... وخاض أغاسي، مدحت صالح ... المطرب مدحت صالح), are that person. The last
    word is no title, rank, kinship word or name particle (ولد، بن), is written with the same
    last letter (علي, not على), and is a name word (name_word(token): not a common word of the
    news); alone, it is no adjective of the word before it. Only the first word of a repeat may
    carry a proclitic."""
    toks = doc.tokens
    cues = cue_words()
    words = _words_of(mentions, toks, "PER")
    lasts: dict[str, tuple[float, str]] = {}   # last word -> (its person's score, its last letter)
    waws = waw_names()
    for m in mentions:
        if m.type != "PER":
            continue
        last = toks[m.last]
        w = last.norm
        # (no cue class but given: cue_words' classes are sorted tuples without repeats)
        if len(w) > 2 and w not in lasts and not _breaks_word(w, True) and w not in waws \
                and cues.get(w, ()) in _GIVEN_ONLY and name_word(last):
            lasts[w] = (m.score, _ending(doc, last))
    if not lasts:
        return mentions
    # the tokens that are a last word, maybe after a proclitic: one pass over the tokens (in C
    # where built), where a search of the text per last word was a tenth of the person rules
    taken = covered(mentions, len(toks))
    added = []
    for e in _repeat_ends(toks, lasts, taken):
        hit = lasts.get(toks[e].norm)
        s = e   # back over the person's other words, one space apart, the first maybe with a proclitic
        while hit is not None and s > 0 and not taken[s - 1] and one_space(doc, s - 1, s):
            if toks[s - 1].norm in words:
                s -= 1
            else:
                s -= bool(_bare(toks[s - 1]) & words)
                break
        if s == e:
            hit = None if _agrees(doc, e) else next((lasts[w] for w in _bare_in_order(toks[e]) if w in lasts), None)
        if hit is not None and hit[1] == _ending(doc, toks[e]):
            added.append(Mention("PER", s, e, hit[0]))
            taken[s:e + 1] = b"\1" * (e + 1 - s)
    return in_order(mentions + added) if added else mentions


# A word of the news that stands for a person wherever it occurs: the tagger that made a model's
# `tagged` table read it inside a person in at least NEWS_SHARE of at least NEWS_COUNT news
# occurrences (بوتين، شافيز، محفوظ، أنان). A half (the table's bin per0) takes in given names and
# common words (عمر 57%، جميل 54%، رجب 60%، العبيد 62%: ner44 tried that bin and lost).
NEWS_SHARE, NEWS_COUNT = 0.9, 10


@lru_cache(maxsize=4)
def news_persons(table: str) -> frozenset[str]:
    """The words of a model's `tagged` table (``selftrain.table_path``: word as spelt up to its
    hamza seats, class, count, total) read inside a person in at least NEWS_SHARE of at least
    NEWS_COUNT occurrences; empty without the table. The hamza seats tell سائر "the rest" from
    ساير, a name."""
    per: dict[str, int] = {}      # word as spelt -> occurrences inside a person
    total: dict[str, int] = {}    # word as spelt -> occurrences (the same on each class's row)
    try:
        with open(table, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 4 and parts[3].isdigit():
                    total[parts[0]] = int(parts[3])
                    if parts[1] == "per":
                        per[parts[0]] = int(parts[2])
    except FileNotFoundError:
        return frozenset()
    return frozenset(w for w, t in total.items() if t >= NEWS_COUNT and per.get(w, 0) >= NEWS_SHARE * t)


@lru_cache(maxsize=4)
def _name_forms(names: frozenset[str]) -> frozenset[str]:
    """The normalised words of names but the cue words, alone and behind each proclitic
    ``news_names`` allows where the news does not know the whole word: the tokens worth a closer
    look, found by one set intersection per text."""
    from ..text import normalize
    cues, known = cue_words(), cluster_table() or {}
    bare = {normalize(w)[0] for w in names}
    # a word of the news behind a proclitic is that word (لصالح "for the benefit of"), no name
    return frozenset((bare - cues.keys()) | {p + w for p in _NAME_PROCLITICS[1:] for w in bare if p + w not in known})


def news_names(doc, mentions: list[Mention], names: frozenset[str], spelt, placed=None,
               at: list[int] | None = None) -> list[Mention]:
    """A word outside every mention that is one of names (``news_persons``; spelt(token): the word
    as the table spells it), alone or behind a proclitic other than the article (لبوتين) when the news does not know the whole word (بيان
    "statement" is no ب + يان, Yan), is a person: a surname named alone (شافيز، أنان), which a
    one-sentence text gives nothing else to find it by. Not a cue word (a title, a given name:
    عمر), nor a word of the news with the pronoun "your" (رأيك "your opinion", which one fold's
    table reads as a name), nor a nisba adjective of the word before it (``_agrees``), nor a word
    the gazetteer names (placed: the tokens' gazetteer bits, or None; حيان، a Syrian town, is a
    name in the news as well). at: the tokens whose word is one of ``_name_forms(names)``, when the
    caller has them. Issue 12 (ner46p)."""
    if not names:
        return mentions
    toks = doc.tokens
    found = tokens_in(toks, _name_forms(names)) if at is None else at
    if not found:
        return mentions
    cues = cue_words()
    known = cluster_table() or {}

    def named(tok) -> bool:
        w = spelt(tok)
        if w[-1] == "ك" and w[:-1] in known:
            return False
        return w in names or (tok.norm not in known and any(
            stem in names for p, stem in strip_proclitics(w)[1:] if not p.endswith(("ال", "لل"))))

    taken = covered(mentions, len(toks))
    added = [Mention("PER", k, k, SPEAKER_SCORE) for k in found
             if not taken[k] and named(toks[k]) and not cues.get(toks[k].norm) and not _agrees(doc, k)
             and not (placed is not None and placed[k])]
    return in_order(mentions + added) if added else mentions
