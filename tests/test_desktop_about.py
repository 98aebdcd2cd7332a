"""Help › About shows the version; a newer archive is refused with a clear dialog."""
from __future__ import annotations

import sqlite3

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from archive import Archive  # noqa: E402
from archive.version import __version__  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _help_menu(win):
    for action in win.menuBar().actions():
        if action.text().replace("&", "") == "Help":
            return action.menu(), action
    raise AssertionError("no Help menu")


def test_help_about_via_the_menu_shows_the_version(window, qtbot):
    menu, menu_action = _help_menu(window)
    bar = window.menuBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(menu_action).center())
    qtbot.waitUntil(menu.isVisible)
    about = next(a for a in menu.actions() if a.text().replace("&", "").startswith("About"))
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(about).center())
    qtbot.waitUntil(lambda: getattr(window, "about_box", None) is not None and window.about_box.isVisible())
    box = window.about_box
    assert f"Casefile {__version__}" in box.text()
    assert box.windowTitle() == "About Casefile"
    # Close it with the keyboard, as a user would.
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())


def test_a_newer_archive_is_refused_with_a_dialog(window, qtbot, tmp_path):
    target = tmp_path / "case" / ".casefile"
    Archive.open(target).close()
    with sqlite3.connect(target / "casefile.db") as conn:
        conn.execute("INSERT INTO _migrations VALUES ('999_from_the_future', '2031-01-01')")
        conn.execute("UPDATE meta SET value = '9.0.0' WHERE key = 'casefile_version'")
    window.open_initial(str(target))
    box = window._last_error_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert (f"was written by Casefile 9.0.0, newer than this Casefile {__version__}; "
            "update Casefile to open it") in box.text()
    assert "Install the newer Casefile" in box.informativeText()
    assert window.session.archive is None
    box.close()
    QApplication.processEvents()
