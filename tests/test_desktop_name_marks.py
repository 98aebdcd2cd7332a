"""The reader marks a searched name in the other script: "Brannik" opens the Russian report with "Бранник" marked."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from archive import Archive  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.query_terms import name_spans  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402

RUSSIAN = "09-karvonsky-vestnik-deportation.txt"


def test_name_spans_cross_scripts_and_spellings():
    text = "Теодора Бранника увезли. Brannick said. Mira left; бранник is no name."
    marked = [text[s:e] for s, e in name_spans(text, ["Brannik"])]
    assert marked == ["Бранника", "Brannick"]
    assert name_spans(text, ["brannik"]) == []  # lowercase words are ordinary words


@pytest.fixture
def window(qtbot, tmp_path, demo_dir):
    with Archive.open(tmp_path / "archive") as arc:
        arc.index_folder(demo_dir, facts=False)
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_archive(tmp_path / "archive")
    yield win
    win.close()


def test_latin_query_marks_the_cyrillic_name_in_the_reader(window, qtbot):
    panel = window.search_panel
    window.focus_search()
    qtbot.keyClicks(panel.field, "Brannik")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 1, timeout=10_000)
    rows = [r for r in range(panel.model.rowCount()) if panel.model.hit_at(r).path.endswith(RUSSIAN)]
    assert rows, "the Russian report is not among the hits"
    index = panel.model.index(rows[0], 0)
    panel.view.scrollTo(index)
    rect = panel.view.visualRect(index)
    with qtbot.waitSignal(window.article_shown):
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = window.reader.text
    marked = {sel.cursor.selectedText() for sel in text._term_selections}
    assert {"Бранник", "Бранника"} <= marked
