"""The Members list's filters: a label and the statuses it shows (all, when empty)."""

# (label, statuses[, renewal due within so many days])
FILTERS: tuple[tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], int], ...] = (
    ("Active & on leave", ("active", "on_leave")),
    ("Active", ("active",)),
    ("On leave", ("on_leave",)),
    ("Alumni", ("alumni",)),
    ("Visitors", ("visitor",)),
    ("Everyone", ()),
    ("Applicants", ("applicant",)),
    # The third item: only renewals overdue or due within so many days.
    ("Renewal due within 30 days", ("active", "on_leave"), 30),
)
