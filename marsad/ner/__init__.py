"""Statistical name tagger (LOC / PER / ORG): a CRF trained on ANERcorp, shipped in model/ (issue 7)."""
