"""The facts panel says when an article's facts stop short (a very long article)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from archive import Archive  # noqa: E402
from archive.facts import pipeline  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402

SENTENCE = "On 14 December 2022 a court in Almaty detained Alexei Zhilenkov, and the ministry said 40 people fled. "


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "FACT_TEXT_LIMIT", 4_000)
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a_short.txt").write_text("A short report\n\n" + SENTENCE, encoding="utf-8")
    (folder / "b_long.txt").write_text("A very long report\n\n" + SENTENCE * 120, encoding="utf-8")
    with Archive.open(folder / ".casefile") as arc:
        arc.index_folder(folder)
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_archive(folder / ".casefile")
    yield win
    win.close()


def _click_row_of(win, qtbot, title: str) -> None:
    panel = win.archive_panel
    proxy = panel.view.model()
    row = next(r for r in range(proxy.rowCount()) if panel.proxy.article_at(r).title == title)
    index = proxy.index(row, 0)
    panel.view.scrollTo(index)
    with qtbot.waitSignal(win.article_shown, timeout=5_000):
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(index).center())


def test_the_note_shows_for_a_long_article_only(window, qtbot, tmp_path):
    note = window.facts_panel.note
    _click_row_of(window, qtbot, "A very long report")
    assert window.reader.article.title == "A very long report"
    assert note.isVisible() and "Facts limited to the first 4,000 characters" in note.text()
    window.grab().save(str(tmp_path / "facts-note.png"))
    _click_row_of(window, qtbot, "A short report")
    assert window.reader.article.title == "A short report"
    assert not note.isVisible()
