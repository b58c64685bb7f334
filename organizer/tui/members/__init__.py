"""The app's members feature: its section and the screens it opens."""
