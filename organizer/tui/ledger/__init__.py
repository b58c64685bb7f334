"""The app's ledger feature: its section and the screens it opens."""
