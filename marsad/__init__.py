"""Marsad: Arabic conflict reports to structured, geocoded, sourced event data."""

__version__ = "0.1.0"

# the regular expressions earlier processes compiled, put back into re's cache before any module
# compiles its own (marsad/regexcache.py)
from . import regexcache as _regexcache   # noqa: E402

_regexcache.seed()
