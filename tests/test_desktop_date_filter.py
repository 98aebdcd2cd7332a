"""The Articles tab's From/To filter, typed into and picked on the calendar."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QDate, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QTableView, QToolButton  # noqa: E402

from archive.errors import InvalidInput  # noqa: E402
from archive.typed_dates import read_typed_date  # noqa: E402
from test_desktop_reading import built, window  # noqa: E402,F401  (fixtures)


@pytest.mark.parametrize("typed, value", [
    ("2022-12-10", "2022-12-10"), ("2022-12", "2022-12"), ("2022", "2022"), ("10 Dec 2022", "2022-12-10"),
    ("Dec 2022", "2022-12"), ("December 10, 2022", "2022-12-10"), ("10.12.2022", "2022-12-10"), ("", None),
])
def test_typed_dates(typed, value):
    assert read_typed_date(typed) == value


@pytest.mark.parametrize("typed, why", [
    ("30 Feb 2023", "February 2023 has 28 days"), ("2022-13", "month 13"), ("Decembre 2022", "not a month"),
    ("10 Dec", "year is missing"),
])
def test_typed_dates_that_are_not_dates(typed, why):
    with pytest.raises(InvalidInput, match=why):
        read_typed_date(typed)


def _type(qtbot, edit, text: str, key=Qt.Key.Key_Return) -> None:
    field = edit.edit
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(field, Qt.Key.Key_Delete)
    QTest.keyClicks(field, text)
    QTest.keyClick(field, key)


def _dates(panel) -> list:
    return sorted(a.published or "" for a in panel.visible_articles())


def test_typed_from_and_to_filter_the_list(window, qtbot):
    panel = window.archive_panel
    window.left_tabs.setCurrentWidget(panel)
    every = [a.published for a in window.session.archive.articles() if a.published]
    assert len(every) >= 4
    _type(qtbot, panel.date_from, "2025-03-17")
    assert panel.date_from.edit.text() == "17 Mar 2025"      # read back in the shown form
    assert _dates(panel) == sorted(d for d in every if d >= "2025-03-17")
    _type(qtbot, panel.date_to, "27 Mar 2025", key=Qt.Key.Key_Tab)
    assert _dates(panel) == sorted(d for d in every if "2025-03-17" <= d <= "2025-03-27")
    assert panel.summary.text().startswith(f"{len(_dates(panel))} of ")
    # A month or a year means all of it.
    _type(qtbot, panel.date_from, "Apr 2025")
    _type(qtbot, panel.date_to, "2025-04")
    assert _dates(panel) == sorted(d for d in every if d.startswith("2025-04"))
    _type(qtbot, panel.date_to, "2025")
    assert panel.date_to.edit.text() == "2025"
    assert _dates(panel) == sorted(d for d in every if d >= "2025-04")


def test_a_bad_date_is_explained_and_not_applied(window, qtbot):
    panel = window.archive_panel
    _type(qtbot, panel.date_to, "2025-03-17")
    shown = _dates(panel)
    _type(qtbot, panel.date_from, "31 Feb 2025")
    assert panel.date_error.isVisible() and "February 2025 has 28 days" in panel.date_error.text()
    assert panel.date_from.edit.text() == "31 Feb 2025"      # left for the user to mend
    assert panel.date_from.value() is None and _dates(panel) == shown
    _type(qtbot, panel.date_from, "6 Mar 2025")
    assert not panel.date_error.isVisible()
    assert _dates(panel) == [d for d in shown if d >= "2025-03-06"]
    _type(qtbot, panel.date_from, "")                        # empty: no limit, no complaint
    assert not panel.date_error.isVisible() and panel.date_from.value() is None
    assert _dates(panel) == shown
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.date_to.edit.text() == "" and panel.proxy.rowCount() == panel.model.rowCount()


def test_calendar_opens_on_the_archive_dates_and_a_click_picks(window, qtbot):
    panel = window.archive_panel
    cal = panel.date_from.calendar
    qtbot.mouseClick(panel.date_from.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(panel.date_from.popup.isVisible)
    dated = sorted(a.published for a in window.session.archive.articles() if a.published)
    first = QDate.fromString(dated[0], "yyyy-MM-dd")
    assert (cal.yearShown(), cal.monthShown()) == (first.year(), first.month())
    assert cal.minimumDate() == first and cal.maximumDate() == QDate.fromString(dated[-1], "yyyy-MM-dd")
    # Next month, then day 19 in the grid (row 0 holds the weekday names).
    qtbot.mouseClick(cal.findChild(QToolButton, "qt_calendar_nextmonth"), Qt.MouseButton.LeftButton)
    month = first.addMonths(1)
    assert (cal.yearShown(), cal.monthShown()) == (month.year(), month.month())
    table = cal.findChild(QTableView)
    model = table.model()
    target = next(model.index(r, c) for r in range(1, 5) for c in range(model.columnCount())
                  if model.index(r, c).data() == 19)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(target).center())
    qtbot.waitUntil(lambda: not panel.date_from.popup.isVisible())
    picked = QDate(month.year(), month.month(), 19)
    assert panel.date_from.value() == picked.toString("yyyy-MM-dd")
    assert panel.date_from.edit.text() == picked.toString("d MMM yyyy")
    assert _dates(panel) == [d for d in dated if d >= picked.toString("yyyy-MM-dd")]
    # The To calendar opens on the last month of the archive.
    qtbot.mouseClick(panel.date_to.button, Qt.MouseButton.LeftButton)
    last = QDate.fromString(dated[-1], "yyyy-MM-dd")
    assert (panel.date_to.calendar.yearShown(), panel.date_to.calendar.monthShown()) == (last.year(), last.month())
    QTest.keyClick(panel.date_to.calendar, Qt.Key.Key_Escape)


def test_calendar_by_keyboard(window, qtbot):
    panel = window.archive_panel
    edit = panel.date_to
    qtbot.mouseClick(edit.edit, Qt.MouseButton.LeftButton)
    QTest.keyClick(edit.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(edit.popup.isVisible)
    last = max(a.published for a in window.session.archive.articles() if a.published)
    assert edit.calendar.selectedDate() == QDate.fromString(last, "yyyy-MM-dd")
    grid = edit.calendar.findChild(QTableView)
    QTest.keyClick(grid, Qt.Key.Key_Left)            # one day earlier
    QTest.keyClick(grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not edit.popup.isVisible())
    day = QDate.fromString(last, "yyyy-MM-dd").addDays(-1).toString("yyyy-MM-dd")
    assert edit.value() == day
    assert _dates(panel) == sorted(a.published or "" for a in window.session.archive.articles()
                                   if a.published and a.published <= day)
