"""Screens pushed over the shell: help, forms, meeting mode."""
