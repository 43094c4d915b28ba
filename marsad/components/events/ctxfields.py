"""The fields of the events step's per-report context (``context.Ctx``) held in slots, not in its
``__dict__``: a read by name skips the instance dict's look-up, and the compiled modules read the
hottest ones in place (``_cand``/``_sides``: ~440,000 reads over news300). Ctx's methods and class
attributes (``ntok``, ``nstart``, ``nend``, ``within``, ``model``, ``collect``) stay out: an
instance may set those by name."""

FIELDS = (
    "doc", "by_sent", "tok_starts", "_orig_starts", "doc_place", "prev_agent", "occurred", "_actor_toks",
    "weights", "token_norms", "clause_words", "trigger_lex", "fast", "clause_ids", "trigger_ids", "targeted",
    "landmarks", "side_words", "actor_names", "conjunct_heads", "place_chains", "place_option_kinds",
    "place_parts", "place_weights", "agent_before", "loser_before", "between_before", "attacked", "_usable",
    "_openers", "_puncts", "_place_counts", "_event_places", "place_index", "passage_place", "country",
    "in_actor", "neighbours",
)


class CtxFields:
    """Ctx's base: its fields' slots (Ctx itself keeps a ``__dict__`` for the rest)."""

    __slots__ = FIELDS
