"""Exports and imports of annotations (no Textual here)."""
