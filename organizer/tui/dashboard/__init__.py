"""The app's dashboard feature: its section and the screens it opens."""
