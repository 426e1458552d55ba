"""Run with the previous release on PYTHONPATH: `python make_store.py SEEDS` writes ./store."""

import sys
from pathlib import Path

from tui.corpus import Corpus
from tui.store import Store

corpus = Corpus.open(Path(sys.argv[1]))
docs = list(corpus)
with Store(Path("store"), annotator="ana") as s:
    d0, d1 = docs[0], docs[1]
    s.tag_passage(d0, d0.passages[1], "acteurs/entreprises")
    s.tag_passage(d0, d0.passages[1], "politique")
    s.set_passage_note(d0, d0.passages[1], "Note « en français » — avec tiret")
    s.toggle_highlight(d0, d0.passages[2], "green")
    s.tag_passage(d1, d1.passages[3], "acteurs/autres")
    text = d0.text
    at = text.index(d0.passages[4].text)
    h = s.add_highlight(d0, d0.passages, at + 3, at + 40, "pink")
    h.note = "un surlignage annoté"
    s.update_highlight(h)
    p = d1.passages[5]
    s.add_highlight(d1, d1.passages, p.start, d1.passages[6].end, "blue")  # crosses passages
with Store(Path("store"), annotator="bea") as s:
    s.tag_passage(d0, d0.passages[1], "politique")
    s.add_highlight(d0, d0.passages, d0.passages[3].start, d0.passages[3].start + 25, "yellow")
