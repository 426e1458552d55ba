"""glose: a keyboard-first terminal reader and annotator."""

__version__ = "0.1.0"
