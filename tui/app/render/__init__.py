"""How the reader draws text: layout, wrapping, marks and word selection (no widgets)."""
