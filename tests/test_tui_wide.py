"""Wide characters (emoji, CJK): selections and highlights stay on the right characters."""

from __future__ import annotations

from test_tui_support import make_app, make_project, open_transcript

from qualcode.store import Store
from qualcode.tui.document.layout import TEXT

WIDE = "I: 你好！Hoe gaat het? 😀\nR: 我很好 👨‍👩‍👧 dank je. Het gezin 🇳🇱 is blij ❤️ echt. 中文字中文字中文字中文字中文字中文字中文字中文字.\n"


def highlighted(view, code_id: str) -> str:
    """The text drawn with the code's tint, over all lines."""
    style = view._code_style(code_id, False)
    out = []
    for line in range(view.layout_.height):
        if view.layout_.kinds[line] == TEXT:
            for segment in view.render_document_line(line):
                if segment.style and segment.style.bgcolor == style.bgcolor:
                    out.append(segment.text)
    return "".join(out)


async def test_tui_wide_characters_select_code_and_highlight(tmp_path):
    project = make_project(tmp_path / "p", {"breed.txt": WIDE})
    async with make_app(project).run_test(size=(100, 24)) as pilot:
        screen = await open_transcript(pilot)
        view = screen.document
        await pilot.press("right_curly_bracket", "right_parenthesis", "space")
        assert screen.model.text[slice(*view.selection)] == "Het gezin 🇳🇱 is blij ❤️ echt."
        await pilot.press("h", "escape", "ctrl+home")
        with Store(project.db_path) as other:
            assert [c.quote for c in other.codings.find()] == ["Het gezin 🇳🇱 is blij ❤️ echt."]
        assert highlighted(view, "drempels") == "Het gezin 🇳🇱 is blij ❤️ echt."
        # Character by character over a ZWJ family: one step, never inside the cluster.
        await pilot.press("right_curly_bracket", "ctrl+right")
        assert screen.model.text[view.cursor : view.cursor + 4] == "dank"
        await pilot.press("left", "left")
        assert screen.model.text[view.cursor] == "👨"
        await pilot.press("shift+right", "h")
        with Store(project.db_path) as other:
            assert sorted(c.quote for c in other.codings.find()) == ["Het gezin 🇳🇱 is blij ❤️ echt.", "👨‍👩‍👧"]


async def test_tui_wide_characters_mouse_maps_cells_to_characters(tmp_path):
    project = make_project(tmp_path / "p", {"breed.txt": WIDE})
    async with make_app(project).run_test(size=(60, 24)) as pilot:
        screen = await open_transcript(pilot)
        view = screen.document
        text = screen.model.text
        start = text.index("我很好")
        line = view.layout_.line_of(start)
        y = line - int(view.scroll_y)
        # Cells: 我(6-7) 很(8-9) 好(10-11): press on the right half of 很, drag to 好's.
        await pilot.mouse_down(view, offset=(9, y))
        await pilot.hover(view, offset=(11, y))
        await pilot.mouse_up(view, offset=(11, y))
        assert text[slice(*view.selection)] == "很"
        # Long CJK runs wrap by cells, within the width.
        for i in range(view.layout_.height):
            if view.layout_.kinds[i] == TEXT:
                assert view.render_document_line(i).cell_length <= view.scrollable_content_region.width
