"""The reader's keys: one declaration each, with an id (settings remap by it) and a tooltip,
read by the footer, the help screen, the command palette and the keymap."""

from __future__ import annotations

from textual.binding import Binding

READER_BINDINGS = [
    Binding(
        "j,down",
        "next_passage",
        "Next",
        show=False,
        id="reader.next",
        tooltip="Make the next passage current.",
    ),
    Binding(
        "k,up",
        "previous_passage",
        "Previous",
        show=False,
        id="reader.previous",
        tooltip="Make the previous passage current.",
    ),
    Binding(
        "g,home",
        "first_passage",
        "First",
        show=False,
        id="reader.first",
        tooltip="Go to the first passage of the article.",
    ),
    Binding(
        "G,end",
        "last_passage",
        "Last",
        show=False,
        id="reader.last",
        tooltip="Go to the last passage of the article.",
    ),
    Binding(
        "space,pagedown",
        "page_down",
        "Page down",
        show=False,
        id="reader.page_down",
        tooltip="Move a screen down (within a passage taller than the screen first); "
        "the passage at the top becomes current.",
    ),
    Binding(
        "pageup",
        "page_up",
        "Page up",
        show=False,
        id="reader.page_up",
        tooltip="Move a screen up, the same way.",
    ),
    Binding(
        "v",
        "start_selection",
        "Select",
        id="reader.select",
        tooltip="Select words, from the first word of the current passage; "
        "then w, b, arrows extend it (across passages too), v again starts afresh at the "
        "next word, 1-9 or t tag it, h highlights it, escape leaves it.",
    ),
    Binding(
        "w,shift+right",
        "select_word_forward",
        "Word",
        show=False,
        id="selection.word_forward",
        tooltip="With a selection: move its end to the end of the next word.",
    ),
    Binding(
        "b,shift+left",
        "select_word_back",
        "Word back",
        show=False,
        id="selection.word_back",
        tooltip="With a selection: move its end back a word.",
    ),
    Binding(
        "right",
        "select_char_forward",
        show=False,
        id="selection.char_forward",
        tooltip="With a selection: move its end one character on.",
    ),
    Binding(
        "left",
        "select_char_back",
        show=False,
        id="selection.char_back",
        tooltip="With a selection: move its end one character back.",
    ),
    Binding(
        "escape",
        "leave_selection",
        "Leave",
        show=False,
        id="selection.leave",
        tooltip="Leave the selection of words (or of passages) without applying anything, "
        "or the segment under the cursor: the keys act on the current passage again.",
    ),
    Binding(
        "V",
        "start_range",
        "Passages",
        show=False,
        id="reader.range",
        tooltip="Select passages from the current one; j and k extend the range, then "
        "1-9, t and h apply to every passage in it; V again or escape leaves it.",
    ),
    Binding(
        "semicolon",
        "next_highlight",
        "Next highlight",
        show=False,
        id="reader.next_highlight",
        tooltip="Put the cursor on the next segment of the passage, tagged or highlighted "
        "words (1-9, t, h, c, a and x then act on it, underlined); after the last, or with "
        "escape, back on the passage.",
    ),
]
"""The keys that work while the reader has the focus."""
