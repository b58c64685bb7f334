"""Exports: pure functions from plain data to bytes (iCal, CSV, vCard, invite email).

The recap's printers live in organizer/recap."""
