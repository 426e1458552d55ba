"""Any text, rendered: the reader never raises and never emits a control character."""

from __future__ import annotations

import asyncio
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import press
from tui.app.app import GloseApp
from tui.corpus import Corpus
from tui.store import Store

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\n", " ", "[", "]", "/", "\x1b", "\u202e", "😀", "é", "漢", "#"]),
    ),
    max_size=800,
)


async def render_all(root, store_dir, width: int) -> list[str]:
    with Store(store_dir) as store:
        app = GloseApp(Corpus.open(root), store)
        async with app.run_test(size=(width, 20)) as pilot:
            await pilot.pause()
            reader = app.screen.reader
            lines = [reader.render_line(y).text for y in range(reader.virtual_size.height)]
            await press(pilot, "G", "j", "k", "space", "pageup")
            assert app.is_running
            return [*lines, app.export_screenshot()]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.slow
@given(text=texts, markdown=st.booleans(), width=st.sampled_from([40, 61, 120]))
def test_any_text_renders_without_raising_or_leaking_controls(tmp_path, text, markdown, width):
    root = tmp_path / f"corpus-{abs(hash((text, markdown, width)))}"
    root.mkdir()
    (root / ("doc.md" if markdown else "doc.txt")).write_text(text, encoding="utf-8")
    rendered = asyncio.run(render_all(root, root / "store", width))
    for line in rendered:
        assert not FORBIDDEN.search(line)
