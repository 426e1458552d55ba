"""The main screen's keys: one declaration each, with an id (settings remap by it) and a
tooltip, read by the footer, the help screen, the command palette and the keymap."""

from __future__ import annotations

from textual.binding import Binding

FOCUS_BINDINGS = [
    Binding(
        "tab",
        "app.focus_next",
        "Next pane",
        show=False,
        id="focus.next",
        tooltip="Move focus to the next pane: list, reader, tags.",
    ),
    Binding(
        "shift+tab",
        "app.focus_previous",
        "Previous pane",
        show=False,
        id="focus.previous",
        tooltip="Move focus to the previous pane.",
    ),
]


TAG_KEYS = Binding.Group("Tag")
"""Keys 1-9 are one line in the help screen."""
TOGGLE_TAG_TIP = (
    "Put the tag with that number on the selected words (v); or toggle it on the segment "
    "under the cursor (;), or else on the current passage."
)

PALETTE_BINDING = [
    Binding(
        "ctrl+p",
        "app.command_palette",
        "Commands",
        id="app.palette",
        tooltip="Open the command palette: every action, searchable by name.",
    )
]
"""Textual's own palette key, listed in the help like every other key."""


MAIN_BINDINGS = [
    # Help and quit first: the footer keeps them even when the terminal is narrow.
    Binding(
        "question_mark",
        "help",
        "Help",
        id="help.open",
        tooltip="Show every key with what it does.",
    ),
    Binding("q", "app.quit", "Quit", id="app.quit", tooltip="Quit. Every change is already saved."),
    *FOCUS_BINDINGS,
    Binding(
        "right_square_bracket",
        "next_article",
        "Next article",
        show=False,
        id="article.next",
        tooltip="Open the next article.",
    ),
    Binding(
        "left_square_bracket",
        "previous_article",
        "Previous article",
        show=False,
        id="article.previous",
        tooltip="Open the previous article.",
    ),
    Binding(
        "u",
        "undo",
        "Undo",
        show=False,
        id="edit.undo",
        tooltip="Undo the last change to your annotations (tags, highlights, colours, notes, "
        "deletions), in this session; it says what was undone.",
    ),
    Binding(
        "ctrl+r",
        "redo",
        "Redo",
        show=False,
        id="edit.redo",
        tooltip="Make again the last change undone.",
    ),
    *(
        Binding(
            str(key),
            f"toggle_tag({key})",
            "Tag",
            show=key == 1,
            key_display="1-9" if key == 1 else None,
            id=f"tag.{key}",
            tooltip=TOGGLE_TAG_TIP,
            group=TAG_KEYS,
        )
        for key in range(1, 10)
    ),
    Binding(
        "t",
        "tag_by_name",
        "Tag by name",
        id="tag.by_name",
        tooltip="Type a tag name (completed from existing tags; new names create a tag) for "
        "the selected words, the segment under the cursor, or else the current passage.",
    ),
    Binding(
        "h",
        "toggle_highlight",
        "Highlight",
        id="highlight.toggle",
        tooltip="Highlight the selected words (v selects); or highlight the segment under "
        "the cursor, or else the current passage, or clear its highlight.",
    ),
    Binding(
        "c",
        "cycle_color",
        "Colour",
        show=False,
        id="highlight.color",
        tooltip="Next colour for the segment under the cursor (or the passage's); "
        "new highlights take it from then on.",
    ),
    Binding(
        "a",
        "note",
        "Note",
        show=False,
        id="note.edit",
        tooltip="Write a note on the selected words, the segment under the cursor, or the "
        "current passage.",
    ),
    Binding(
        "x",
        "delete_highlight",
        "Delete",
        show=False,
        id="highlight.delete",
        tooltip="Delete the segment under the cursor, with its tags, highlight and note, "
        "or the passage's own highlight (asks first).",
    ),
    Binding(
        "escape",
        "cancel",
        "Cancel",
        show=False,
        id="reattach.cancel",
        tooltip="Stop attaching an orphan (it stays among the orphans), or clear the "
        "marks of a search.",
    ),
    Binding(
        "o",
        "orphans",
        "Orphans",
        show=False,
        id="orphans.open",
        tooltip="List annotations whose words are gone from their article, to attach "
        "again or delete.",
    ),
    Binding(
        "slash",
        "search",
        "Search",
        id="search.open",
        tooltip="Search this article and the whole corpus (case and accents ignored).",
    ),
    Binding(
        "n",
        "next_match",
        "Next match",
        show=False,
        id="search.next",
        tooltip="Go to the next match of the search in this article.",
    ),
    Binding(
        "N",
        "previous_match",
        "Previous match",
        show=False,
        id="search.previous",
        tooltip="Go to the previous match of the search in this article.",
    ),
    Binding(
        "e",
        "export",
        "Export",
        id="export.json",
        tooltip="Export annotations: choose the format, what and where.",
    ),
    Binding(
        "A",
        "cycle_annotator",
        "Annotator",
        show=False,
        id="annotator.cycle",
        tooltip="Show another annotator's annotations, then everyone's, then yours again "
        "(only yours can be changed).",
    ),
    Binding(
        "S",
        "sync",
        "Sync",
        show=False,
        id="team.sync",
        tooltip="Sync with the team's repository: your annotations out, everyone's in (as "
        "glose sync does); the title bar says when and how many came.",
    ),
    Binding(
        "backslash",
        "toggle_panes",
        "Panes",
        show=False,
        id="panes.toggle",
        tooltip="Hide the article list and tag sidebar, or show them again "
        "(below 56 columns: show the article list in place of the reader).",
    ),
    Binding(
        "W",
        "toggle_layout",
        "As written",
        show=False,
        id="layout.toggle",
        tooltip="Show the open plain text as written (its lines and indents, as a manual "
        "page needs) or reflowed; remembered for each document.",
    ),
    Binding(
        "s",
        "statistics",
        "Stats",
        show=False,
        id="stats.open",
        tooltip="Show statistics of the annotations shown. Tags per article, tags found "
        "together, annotated share and per annotator, as glose stats prints them.",
    ),
    Binding(
        "r",
        "reload",
        "Reload",
        show=False,
        id="article.reload",
        tooltip=(
            "Read the open article from disk again (done by itself when the file changes); "
            "a read-only window reads the store again too."
        ),
    ),
    Binding(
        "f",
        "links",
        "Links",
        show=False,
        id="article.links",
        tooltip="Follow a link: list the links of the current passage; enter opens one with "
        "the system's opener (a browser, a mail program).",
    ),
    Binding(
        "y",
        "copy",
        "Copy",
        show=False,
        id="article.copy",
        tooltip="Copy the selected words, or else the current passage, to the clipboard.",
    ),
    Binding(
        "i",
        "info",
        "Info",
        show=False,
        id="article.info",
        tooltip="Show what the article says of itself (author, date, site, address), its "
        "file, encoding, size, passages and SHA-256.",
    ),
]
"""The keys that work anywhere on the main screen."""
