"""The app's meetings feature: its section and the screens it opens."""
