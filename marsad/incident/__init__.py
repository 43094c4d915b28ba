"""Same-incident linking: one module for mentions within a report and events across reports.

* ``within.same_incident(a, b)``: the document step's rule for two mentions of ONE report.
* ``merging.same(a, b)``: what the document step uses: the learned decision when the event
  detector's JSON ships one (merging_train.py: only when it beats the rule out of fold), else the rule.
  ``merging.rule_decides()`` says which is in force (with the rule, the step skips the pairs of
  two types, which the rule never merges).
* ``link.score(a, b)``: the store's score for two coded events of DIFFERENT reports: features
  (features.py: date, place and its hierarchy and precision, actor sides, type compatibility,
  toll, text similarity) under blocking, weighted by a logistic model fitted on the linking gold
  (annotations/links.jsonl); ``Link.decision()`` is "same", "possible" (a near-miss a person
  confirms or splits) or "different".
* ``cluster.groups(...)``: deterministic grouping of linked events into incidents.

The tables (which sub-types may be one incident, which actors are one side) are TSV files in
``data/`` with a source column; the great-circle distance is ``marsad.geo.distance_km``.
"""

__all__ = ["Link", "score", "weights", "same_incident"]


def __getattr__(name: str):
    # Imported at first use: the extractor imports this package for ``within`` and ``merging``
    # only, and ``link`` brings the linking features and rapidfuzz (2-3 MB of every extracting
    # process's RSS) that only the store's linking uses.
    if name in ("Link", "score", "weights"):
        from . import link
        return getattr(link, name)
    if name == "same_incident":
        from .within import same_incident
        return same_incident
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
