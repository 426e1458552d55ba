"""What can be done to a tag, in one table: the sidebar's keys, the palette's commands and
`TagChanges` (which has a method of each verb's name) all read it. A new verb is a row here
and a method there."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TagVerb:
    """One change to a tag, as each place that offers it names it."""

    name: str
    """What `TagChanges` calls it (its method), and the sidebar's action: `manage('name')`."""
    key: str
    """The sidebar's key for it."""
    label: str
    """The footer's word for it."""
    tooltip: str
    """What the help screen says of the sidebar's key."""
    command: str
    """The palette's command, followed there by the tag's name."""
    command_help: str
    """What the palette says of the command."""
    on_levels: bool = False
    """Whether it applies to a level of the tree with no tag of its own (`a` of `a/b`)."""

    @property
    def binding_id(self) -> str:
        """The sidebar binding's id, by which settings remap its key."""
        return f"tags.{self.name}"


TAG_VERBS = (
    TagVerb(
        "rename",
        "r",
        "Rename",
        "Rename the highlighted tag, and the tags under it, on every passage; the name of "
        "another tag merges them, after asking; '/' makes levels.",
        "rename tag",
        "Rename it on every passage (another tag's name merges them).",
        on_levels=True,
    ),
    TagVerb(
        "recolor",
        "c",
        "Recolour",
        "Choose the highlighted tag's colour.",
        "recolour tag",
        "Choose its colour.",
    ),
    TagVerb(
        "delete",
        "d",
        "Delete",
        "Delete the highlighted tag, and the tags under it, from every passage, after asking "
        "(u undoes it).",
        "delete tag",
        "Take it off every passage and delete it, after asking.",
        on_levels=True,
    ),
    TagVerb(
        "key",
        "K",
        "Key",
        "Choose which key, 1-9, tags with the highlighted tag (a tag holding that key gets the "
        "old one).",
        "set key of tag",
        "Choose which key, 1-9, puts it on a passage.",
    ),
    TagVerb(
        "describe",
        "E",
        "Describe",
        "Write what the highlighted tag means (exported with the codebook).",
        "describe tag",
        "Write what it means, for the codebook.",
    ),
)


def tag_verb(name: str) -> TagVerb:
    """The verb called `name` (KeyError if there is none)."""
    for verb in TAG_VERBS:
        if verb.name == name:
            return verb
    raise KeyError(name)
