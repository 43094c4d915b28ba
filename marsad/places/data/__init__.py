"""Data files of the gazetteer (a package so that wheels ship its TSV files)."""
