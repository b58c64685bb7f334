"""The group's rules as plain functions: no Textual, no printing.

Each write is one short transaction (`database.atomic()`, which on SQLite begins
IMMEDIATE); bad input raises `ValidationError` with a message per field; anything that
depends on the time takes `now`, an aware datetime.
"""
