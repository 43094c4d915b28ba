"""Marsad: Arabic conflict reports to structured, geocoded, sourced event data."""

__version__ = "0.1.0"
