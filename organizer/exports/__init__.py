"""Exports: pure functions from plain data to bytes (iCal, recap, CSV, vCard)."""
