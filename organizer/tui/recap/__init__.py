"""The app's recap feature: its section and the screens it opens."""
