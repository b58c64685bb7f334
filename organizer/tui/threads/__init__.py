"""The app's threads feature: its section and the screens it opens."""
