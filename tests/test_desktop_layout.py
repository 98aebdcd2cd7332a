"""The window at 1024x700 and 1600x1000, its title, the demo archive's note
and the empty reader."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QFileDialog  # noqa: E402

from archive import Archive, paths  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.models.articles import DATE, TITLE  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from test_desktop_reading import built, window  # noqa: E402,F401  (fixtures)


def _new_window(qtbot, settings_dir, size=(1400, 900)):
    win = MainWindow(Session(), Settings(settings_dir))
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    return win


def _demo_window(qtbot, tmp_path, built):
    if not paths.demo_archive_dir().exists():
        shutil.copytree(built, paths.demo_archive_dir(), ignore=shutil.ignore_patterns("*.lock"))
    win = _new_window(qtbot, tmp_path / "settings")
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_demo()
    return win


def test_demo_archive_says_what_it_is_until_closed(qtbot, tmp_path, built, monkeypatch):
    win = _demo_window(qtbot, tmp_path, built)
    notice = win.notice
    assert notice.isVisible()
    assert "Demo archive" in notice.label.text() and "invented" in notice.label.text()
    assert "File \u203a Open Folder" in notice.label.text()
    assert notice.width() == win.centralWidget().width()        # across the window, not squeezed in a pane
    asked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: asked.append(a) or "")
    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    assert asked, "the note's button opens the folder chooser"
    qtbot.mouseClick(notice.close_button, Qt.MouseButton.LeftButton)
    assert not notice.isVisible()
    win.close()
    # Closed for good: the next start does not show it again.
    again = _demo_window(qtbot, tmp_path, built)
    assert not again.notice.isVisible()
    again.close()


def test_no_note_on_an_ordinary_archive(window):
    assert not window.notice.isVisible()


def test_empty_reader_says_how_to_get_an_article(qtbot, tmp_path, window):
    reader = window.reader
    reader.clear()
    assert reader.stack.currentWidget() is reader.placeholder
    text = reader.placeholder.text()
    assert "No article is open" in text and "Ctrl+F" in text and "Ctrl+T" in text
    empty = tmp_path / "empty"
    Archive.open(empty).close()
    window.open_archive(empty)
    qtbot.waitUntil(lambda: "no articles yet" in reader.placeholder.text())
    assert reader.stack.currentWidget() is reader.placeholder and reader.placeholder.isVisible()
    assert "Open Folder" in reader.placeholder.text()


def test_title_names_the_app_once(qtbot, tmp_path, built):
    win = _demo_window(qtbot, tmp_path, built)
    title = win.windowTitle()
    assert title == "Demo archive \u2014 Casefile"
    # Qt adds the display name only to a title that does not end with it.
    assert title.count("Casefile") == 1 and title.endswith("Casefile")
    win.close()


def test_1024x700_keeps_every_title_readable(window, qtbot):
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert window.height() == 700, "the window's minimum size must fit 1024x700"
    left, reader_w, facts = window.splitter.sizes()
    assert min(left, facts) >= 240 and reader_w >= 380
    table = window.archive_panel.view
    window.left_tabs.setCurrentWidget(window.archive_panel)
    qtbot.wait(20)
    header = table.horizontalHeader()
    assert header.sectionSize(TITLE) >= 100, "the title column must not shrink to a few letters"
    assert header.sectionSize(DATE) >= table.fontMetrics().horizontalAdvance("13 Mar 2025") + 8
    date_from = window.archive_panel.date_from.edit
    assert date_from.width() >= date_from.fontMetrics().horizontalAdvance("30 Sep 2022")
    reader = window.reader
    assert reader.header.title.width() >= 200
    for chip in reader.chips.values():
        assert not chip.text().split(" ")[0].isdigit(), "the legend keeps the kinds' names"


def test_panes_grow_back_and_a_saved_layout_does_not_pin_them(window, qtbot, tmp_path):
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    small = window.splitter.sizes()
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: window.width() == 1600)
    big = window.splitter.sizes()
    assert all(b > s * 1.3 for s, b in zip(small, big)), (small, big)
    # Saved at 1024 and reopened on a large screen: every pane takes its share.
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    window.save_window_state()
    folder = window.settings.folder
    again = _new_window(qtbot, folder)
    again.resize(1600, 1000)
    qtbot.waitUntil(lambda: again.width() == 1600)
    qtbot.wait(20)
    left, reader_w, facts = again.splitter.sizes()
    assert left > small[0] * 1.3 and facts > small[2] * 1.3, again.splitter.sizes()
    again.close()
