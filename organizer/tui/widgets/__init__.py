"""Widgets shared by every section and screen: form fields, forms, confirmation, search."""
