"""The Members list's filters: a label and the statuses it shows (all, when empty)."""

FILTERS = (
    ("Active & on leave", ("active", "on_leave")),
    ("Active", ("active",)),
    ("On leave", ("on_leave",)),
    ("Alumni", ("alumni",)),
    ("Visitors", ("visitor",)),
    ("Everyone", ()),
)
