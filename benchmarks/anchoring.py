"""Re-anchoring after realistic edits of the seed articles: how often it finds the right words.

    python benchmarks/anchoring.py [--trials 3000] [--seed 1]

Each trial annotates a passage or a span of words in a seed article, applies one edit of a
realistic kind while tracking where the annotated words truly went, then re-anchors. A result
is correct when it lands on the true words (exact or moved), or for edited words on an
overlapping fuzzy match or an orphan; wrong when it lands anywhere else, or anywhere at all
after the words were deleted. Two naive strategies run on the same trials for reference:
keeping the old offsets, and taking the first occurrence of the quote.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.anchoring import Anchor, Selector, describe, reanchor
from tui.corpus import Corpus
from tui.corpus.document import text_sha256

SENTENCES = [
    "Cette précision a été ajoutée après la publication.",
    "Le communiqué a été mis à jour le lendemain.",
    "Selon plusieurs observateurs, l’initiative reste floue.",
    "(Mise à jour : la liste des membres a changé.)",
]


@dataclass
class Edit:
    """Replacements on the original text, in order: (start, end, new text).

    A moved paragraph is a deletion and an insertion of the same text: `moved` remembers
    (old start, old end, start of the copy in the new text) so that its words can be followed.
    """

    kind: str
    replacements: list[tuple[int, int, str]]
    moved: tuple[int, int, int] | None = None

    def apply(self, text: str) -> str:
        pieces, position = [], 0
        for start, end, new in self.replacements:
            pieces.extend([text[position:start], new])
            position = end
        pieces.append(text[position:])
        return "".join(pieces)

    def truth(self, start: int, end: int) -> tuple[str, int, int]:
        """Where `start:end` went: ("untouched", s, e), ("edited", s, e) or ("gone", 0, 0)."""
        if self.moved is not None:
            old_start, old_end, new_start = self.moved
            if old_start <= start and end <= old_end:
                return "untouched", new_start + start - old_start, new_start + end - old_start
        shift, touched, covered = 0, False, 0
        for a, b, new in self.replacements:
            if b <= start:
                shift += len(new) - (b - a)
            elif a >= end and not (a == end and b == end and not new):
                continue
            else:
                touched = True
                covered += min(b, end) - max(a, start)
        if not touched:
            return "untouched", start + shift, end + shift
        if covered >= end - start:
            return "gone", 0, 0
        return "edited", start + shift, end + shift


def paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def make_edit(kind: str, text: str, rng: random.Random) -> Edit | None:
    paras = paragraphs(text)
    if kind == "typo":
        words = [m for m in re.finditer(r"\w{4,}", text)]
        word = rng.choice(words)
        i = word.start() + rng.randrange(1, len(word.group()) - 1)
        return Edit(kind, [(i, i + 2, text[i + 1] + text[i])])  # two letters swapped
    if kind == "insert sentence":
        ends = [m.end() for m in re.finditer(r"[.!?»] ", text)] or [0]
        i = rng.choice(ends)
        return Edit(kind, [(i, i, rng.choice(SENTENCES) + " ")])
    if kind == "delete paragraph" and len(paras) > 1:
        start, end = rng.choice(paras)
        end = min(len(text), end + 1)
        return Edit(kind, [(start, end, "")])
    if kind == "move paragraph" and len(paras) > 2:
        (a, b), (c, _) = rng.sample(paras, 2)
        b = min(len(text), b + 1)
        block = text[a:b] + ("" if text[a:b].endswith("\n") else "\n")
        if c < a:
            return Edit(kind, [(c, c, block), (a, b, "")], moved=(a, b, c))
        return Edit(kind, [(a, b, ""), (c, c, block)], moved=(a, b, c - (b - a)))
    if kind == "whitespace":
        spots = [m.start() for m in re.finditer(r" |\n\n", text)]
        chosen = sorted(rng.sample(spots, min(len(spots), 5)))
        return Edit(kind, [(i, i + 1, text[i] * 2) for i in chosen])
    if kind == "quote style":
        pairs = {"’": "'", "«": '"', "»": '"', "“": '"', "”": '"'}
        return Edit(
            kind, [(m.start(), m.end(), pairs[m.group()]) for m in re.finditer("[’«»“”]", text)]
        )
    return None


def pick_span(text: str, rng: random.Random, passages) -> tuple[int, int]:
    passage = rng.choice(passages)
    if rng.random() < 0.4:
        return passage.start, passage.end
    words = [m for m in re.finditer(r"\S+", passage.text)]
    first = rng.randrange(len(words))
    last = min(len(words) - 1, first + rng.randrange(0, 12))
    return passage.start + words[first].start(), passage.start + words[last].end()


def keep_offsets(text: str, sha: str, selector: Selector) -> Anchor:
    return Anchor(selector.start, selector.end, "exact")


def first_occurrence(text: str, sha: str, selector: Selector) -> Anchor:
    found = text.find(selector.exact)
    if found < 0:
        return Anchor(selector.start, selector.end, "orphan")
    return Anchor(found, found + len(selector.exact), "moved")


def judge(truth: tuple[str, int, int], anchor: Anchor) -> str:
    state, start, end = truth
    if anchor.status == "orphan":
        return "correct" if state == "gone" else "orphaned"
    if state == "gone":
        return "wrong"
    if state == "untouched":
        return "correct" if (anchor.start, anchor.end) == (start, end) else "wrong"
    overlaps = anchor.start < end and start < anchor.end
    return "correct" if overlaps else "wrong"


STRATEGIES: dict[str, Callable[[str, str, Selector], Anchor]] = {
    "glose": reanchor,
    "keep offsets": keep_offsets,
    "first occurrence": first_occurrence,
}
KINDS = [
    "typo",
    "insert sentence",
    "delete paragraph",
    "move paragraph",
    "whitespace",
    "quote style",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edits", type=int, default=1, help="edits applied in a row per trial")
    parser.add_argument("--show-wrong", action="store_true", help="print glose's wrong cases")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    documents = list(Corpus.open(Path(__file__).resolve().parent.parent / "seeds"))
    results: dict[str, dict[tuple[str, str], Counter]] = {
        name: defaultdict(Counter) for name in STRATEGIES
    }
    done = 0
    while done < args.trials:
        document = rng.choice(documents)
        text = document.text
        start, end = pick_span(text, rng, document.passages)
        selector = describe(text, start, end, document.sha256)
        # Edits in a row, the annotated words followed through each of them.
        new, truth, kinds = text, ("untouched", start, end), []
        for _ in range(args.edits):
            kind = rng.choice(KINDS)
            edit = make_edit(kind, new, rng)
            if edit is None:
                continue
            kinds.append(kind)
            state, at, to = truth
            if state != "gone":
                moved = edit.truth(at, to)
                edited = state == "edited" and moved[0] != "gone"
                truth = ("edited", moved[1], moved[2]) if edited else moved
            new = edit.apply(new)
        if not kinds:
            continue
        kind = " + ".join(sorted(set(kinds)))
        sha = text_sha256(new)
        for name, strategy in STRATEGIES.items():
            anchor = strategy(new, sha, selector)
            verdict = judge(truth, anchor)
            results[name][(kind, truth[0])][verdict] += 1
            if args.show_wrong and name == "glose" and verdict == "wrong":
                print(kind, truth, anchor, repr(selector.exact[:60]), repr(anchor.quote(new)[:60]))
        done += 1
    console = Console()
    for name in STRATEGIES:
        edits = "one edit" if args.edits == 1 else f"{args.edits} edits in a row"
        table = Table(title=f"{name}: re-anchoring after {edits} ({args.trials} trials)")
        for column in ("edit", "annotated words", "trials", "correct", "orphaned", "wrong"):
            table.add_column(
                column, justify="right" if column not in ("edit", "annotated words") else "left"
            )
        totals: dict[str, Counter] = defaultdict(Counter)
        for (kind, state), counts in sorted(results[name].items()):
            trials = sum(counts.values())
            totals[state].update(counts)
            table.add_row(
                kind,
                state,
                str(trials),
                f"{100 * counts['correct'] / trials:.1f}%",
                f"{100 * counts['orphaned'] / trials:.1f}%",
                str(counts["wrong"]),
            )
        for state, counts in sorted(totals.items()):
            trials = sum(counts.values())
            table.add_row(
                "all",
                state,
                str(trials),
                f"{100 * counts['correct'] / trials:.1f}%",
                f"{100 * counts['orphaned'] / trials:.1f}%",
                str(counts["wrong"]),
                style="bold",
            )
        console.print(table)
    console.print(
        f"Rerun: python benchmarks/anchoring.py --trials {args.trials} --seed {args.seed} "
        f"--edits {args.edits}"
    )


if __name__ == "__main__":
    main()
