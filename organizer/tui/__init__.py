"""The terminal app (Textual). The only package that imports Textual."""
