"""`python -m organizer`: the same entry point as the `organizer` command."""

from organizer.cli import main

raise SystemExit(main())
