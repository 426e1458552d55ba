"""Tags as a hierarchy: `/` in a name makes levels (`politique/régulation`), as QDA codebooks
nest codes. A level no tag is named after (`politique` alone) is still a node of the tree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from tui.store.model import Tag

SEPARATOR = "/"


def levels(name: str) -> list[str]:
    """The levels of a tag name: `politique/régulation` is ["politique", "régulation"]."""
    found = [level.strip() for level in name.split(SEPARATOR)]
    return [level for level in found if level] or [name]


def path_of(name: str) -> str:
    """The name as a path, its levels joined without spaces (as typed names are stored)."""
    return SEPARATOR.join(levels(name))


def parents(name: str) -> list[str]:
    """The paths above a tag, nearest the root first: `a/b/c` has `a` and `a/b`."""
    found = levels(name)
    return [SEPARATOR.join(found[:depth]) for depth in range(1, len(found))]


def is_under(name: str, path: str) -> bool:
    """Whether tag `name` is `path` or below it (case ignored, as tag names are matched)."""
    name, path = path_of(name).casefold(), path_of(path).casefold()
    return name == path or name.startswith(path + SEPARATOR)


def groups_of(tags: Iterable[str]) -> set[str]:
    """The paths a passage carrying `tags` counts under besides the tags themselves."""
    carried = set(tags)
    found: set[str] = set()
    for tag in carried:
        if SEPARATOR in tag:
            found.update(parents(tag))
            found.add(path_of(tag))
    return found - carried


@dataclass
class TagNode:
    """A level of the tag tree: a tag, or a path that only tags below it are named after."""

    path: str
    label: str
    depth: int
    tag: Tag | None
    count: int
    """Passages carrying this tag or any tag under it, each passage once."""
    children: list[TagNode] = field(default_factory=list)


def tag_tree(tags: Iterable[Tag], counts: Mapping[str, int]) -> list[TagNode]:
    """The tags as a tree, in the order given (a parent comes where its first tag does);
    `counts` by path, as `Store.node_counts` gives them."""
    roots: list[TagNode] = []
    nodes: dict[str, TagNode] = {}
    for tag in tags:
        siblings = roots
        found = levels(tag.name)
        for depth in range(1, len(found) + 1):
            path = SEPARATOR.join(found[:depth])
            node = nodes.get(path.casefold())
            if node is None:
                node = TagNode(path, found[depth - 1], depth - 1, None, counts.get(path, 0))
                nodes[path.casefold()] = node
                siblings.append(node)
            if depth < len(found):
                siblings = node.children
        if node.tag is not None:  # two tags on one path (one stored before levels): both show
            node = TagNode(node.path, node.label, node.depth, None, 0)
            siblings.append(node)
        node.tag = tag
        node.count = counts.get(tag.name, node.count)
    return roots


def flattened(nodes: list[TagNode], folded: AbstractSet[str] = frozenset()) -> list[TagNode]:
    """The nodes in reading order, leaving out what lies under a folded path."""
    shown: list[TagNode] = []
    for node in nodes:
        shown.append(node)
        if node.path.casefold() not in folded:
            shown.extend(flattened(node.children, folded))
    return shown
