"""Organizer: a terminal home for a local business networking group."""

__version__ = "0.1.0"
