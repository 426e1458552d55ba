"""A corpus of every kind of file users point readers at without meaning harm (or meaning it)."""

from __future__ import annotations

import os
from pathlib import Path

FRENCH = "La sécurité de l’œuvre coûte 3 € « ouverte » — déjà.\n\nSecond paragraphe, à côté."

# Markers that would change the terminal if they reached it as bytes.
ESCAPES = {
    "colour": "\x1b[31mROUGE-VIF\x1b[0m",
    "clear": "\x1b[2JEFFACE-TOUT",
    "title": "\x1b]0;TITRE-PIRATE\x07",
    "clipboard": "\x1b]52;c;UElSQVRF\x07",
    "c1-csi": "\x9b31mCSI-HUIT-BITS",
}
MARKUP = "[bold]gras[/bold] [@click=app.quit]quitter[/] [/bold] path [/ tmp [red]"


def write_hostile_corpus(root: Path) -> dict[str, str]:
    """Write the corpus under `root`; return {file name: what it tests}."""
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[bytes, str]] = {
        "01-utf8.txt": (FRENCH.encode(), "UTF-8"),
        "02-utf8-bom.txt": (b"\xef\xbb\xbf" + FRENCH.encode(), "UTF-8 with a BOM"),
        "03-utf16.txt": (FRENCH.encode("utf-16"), "UTF-16 with a BOM"),
        "04-cp1252.txt": (FRENCH.encode("cp1252"), "Windows-1252"),
        "05-latin1.txt": ("La sécurité, déjà là, où ça ? À bientôt.".encode("latin-1"), "Latin-1"),
        "06-broken-utf8.txt": (("Très bien. " * 40).encode() + b"\xff\xfe fin", "bad bytes"),
        "07-binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        "08-empty.txt": (b"", "empty"),
        "09-blank.txt": (b"   \n\t\n\xc2\xa0\n", "whitespace only"),
        "10-escapes.txt": (
            "\n\n".join(f"{name}: {value}" for name, value in ESCAPES.items()).encode(),
            "escape sequences",
        ),
        "11-markup.txt": (f"{MARKUP}\n\nTexte {MARKUP}".encode(), "Rich markup"),
        "12-bidi.txt": ("Avant \u202eesrever\u202c après \u2066isolé\u2069.".encode(), "bidi"),
        "13-one-long-line.txt": (("mot " * 250_000).encode(), "a 1 MB single line"),
        "14-long-word.txt": (("x" * 20_000).encode(), "a 20,000-character word"),
        "15-cjk-emoji.txt": ("漢字とかな、한국어 😀👍🏽 👨‍👩‍👧 e\u0301te\u0301".encode(), "wide"),
        "16-rtl.txt": ("مرحبا بالعالم — שלום עולם — texte".encode(), "right to left"),
        "17-[bold]gras[@click=app.quit]x[red].txt": (b"Nom de fichier en balises.", "markup name"),
        "18-\x1b[31mnom.txt": (b"Nom de fichier avec ESC.", "ESC in a file name"),
        "notes.rtf": (b"{\\rtf1 ignored}", "another extension"),
    }
    for name, (content, _) in files.items():
        (root / name).write_bytes(content)
    # A symlink loop between files, a dangling link, and a folder linking to its parent.
    os.symlink("19-loop-b.txt", root / "19-loop-a.txt")
    os.symlink("19-loop-a.txt", root / "19-loop-b.txt")
    os.symlink("absent.txt", root / "20-dangling.txt")
    (root / "sub").mkdir()
    (root / "sub" / "21-nested.txt").write_text("Imbriqué.", encoding="utf-8")
    os.symlink("..", root / "sub" / "up")
    return {name: why for name, (_, why) in files.items()}


# Things each format must not read as its own syntax.
HOSTILE_TAGS = ["[bold]gras[/bold]", 'a,b"c', "<x>&</x>", "# titre", "=SUM(A1)"]
HOSTILE_NOTE = (
    "**gras** `code` [lien](http://x) <b>html</b> & &amp;\n"
    '- liste\n1. un\n> cité\n| a | b |\n"guillemets", virgule; point-virgule\n'
    "=1+1\n[red]rouge[/red] ]]> <!-- -->"
)
HOSTILE_TEXT = (
    "# Pas un titre\n\n"
    "Un paragraphe avec *étoiles*, `accents graves`, <balises> & esperluettes, "
    '"guillemets", virgules; et | barres |.\n\n'
    "- un tiret en tête\n\n"
    "=1+1 commence comme une formule, [bold]et du balisage[/bold].\n\n"
    "Deux lignes\ndans un passage.\n"
)
