"""Reusable widgets (forms, pickers, countdown cells)."""
