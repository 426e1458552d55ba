"""How the reader draws text, with no widget in it: layout, blocks of passages, lines,
wrapping, marks, highlights and word selection."""
