"""The reader's publication date: inferred dates shown as such, corrections typed in the header re-date the facts."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QModelIndex, QPoint, Qt  # noqa: E402

from archive import Archive  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.models.facts import FACT_ROLE  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def seeds_archive(tmp_path_factory, seeds_dir):
    """The seed reports indexed once, with facts; tests work on copies."""
    target = tmp_path_factory.mktemp("seeds") / "archive"
    with Archive.open(target) as arc:
        assert arc.index_folder(seeds_dir).added == 4
    return target


@pytest.fixture
def window(qtbot, tmp_path, seeds_archive):
    copy = tmp_path / "archive"
    shutil.copytree(seeds_archive, copy, ignore=shutil.ignore_patterns("*.lock"))
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_archive(copy)
    yield win
    win.close()


def _click_article(win, qtbot, prefix: str) -> None:
    """Click the article whose file name starts with ``prefix`` in the Articles list."""
    panel = win.archive_panel
    view = panel.view
    for row in range(panel.proxy.rowCount()):
        src = panel.proxy.mapToSource(panel.proxy.index(row, 0))
        article = panel.model.article_at(src.row())
        if article.relpath.startswith(prefix):
            break
    else:
        raise AssertionError(f"no article {prefix} in the list")
    idx = panel.proxy.index(row, 0)
    view.scrollTo(idx)
    rect = view.visualRect(idx)
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.reader.article.relpath.startswith(prefix)


def _fact_line(panel, written: str) -> str:
    """What the facts panel shows for the fact written ``written`` in the text."""
    model, found = panel.proxy, []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            idx = model.index(row, 0, parent)
            fact = model.data(idx, FACT_ROLE)
            if fact is not None and getattr(fact, "text", None) == written:
                found.append(str(model.data(idx, Qt.ItemDataRole.DisplayRole)))
            walk(idx)

    walk(QModelIndex())
    assert len(found) == 1, found
    return found[0]


def _wednesday_line(win) -> str:
    return _fact_line(win.facts_panel, "Wednesday")


def test_an_inferred_date_is_shown_as_inferred_and_the_list_sorts_by_it(window, qtbot, tmp_path):
    _click_article(window, qtbot, "000_")
    field = window.reader.header.fields["published"]
    assert field.text() == "14 Dec 2022 (inferred)"
    # Shown whole: the field is as wide as its text where the row has room.
    qtbot.waitUntil(lambda: field.width() >= field.fontMetrics().horizontalAdvance(field.text()) + 8,
                    timeout=3_000)
    assert "year comes from the case" in field.toolTip()
    assert window.reader.header.tags["published"].isHidden()
    # The Articles list shows and sorts by it: between 7 and 30 December.
    panel = window.archive_panel
    order = [panel.model.article_at(panel.proxy.mapToSource(panel.proxy.index(r, 0)).row()).relpath[:4]
             for r in range(panel.proxy.rowCount())]
    assert order.index("003_") < order.index("000_") < order.index("001_")
    # The date filter takes it in.
    for edit, typed in ((panel.date_from, "10 Dec 2022"), (panel.date_to, "2022-12-20")):
        qtbot.mouseClick(edit.edit, Qt.MouseButton.LeftButton)
        qtbot.keyClick(edit.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(edit.edit, typed)
        qtbot.keyClick(edit.edit, Qt.Key.Key_Return)
    assert [a.relpath[:4] for a in panel.visible_articles()] == ["000_"]
    panel.clear_filters()
    window.grab().save(str(tmp_path / "inferred.png"))
    # Clicking the date edits the plain ISO value.
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=QPoint(10, field.height() // 2))
    qtbot.waitUntil(field.hasFocus)
    assert field.text() == "2022-12-14"
    # The user's date replaces it, and says so.
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "2022-12-15")
    with qtbot.waitSignal(window.article_shown, timeout=TIMEOUT_MS):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    window.archive_panel.view.setFocus()
    qtbot.waitUntil(lambda: not field.hasFocus())
    assert field.text() == "15 Dec 2022"
    assert window.reader.header.tags["published"].text() == "corrected"
    assert window.session.archive.article(window.reader.article.id).provenance["published"] == "user"


def test_a_date_typed_in_the_header_re_dates_the_facts_and_survives_reopening(window, qtbot):
    _click_article(window, qtbot, "001_")
    arc_dir = window.session.archive_path
    aid = window.reader.article.id
    assert "28 Dec 2022" in _wednesday_line(window)
    field = window.reader.header.fields["published"]
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=QPoint(10, field.height() // 2))
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "2022-12-23")
    with qtbot.waitSignal(window.article_shown, timeout=TIMEOUT_MS):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    # The write ran on the writer pool; the facts panel shows the new week.
    assert "21 Dec 2022" in _wednesday_line(window)
    assert window.reader.header.tags["published"].text() == "corrected"
    assert window.reader.article.published == "2022-12-23"
    window.close()
    with Archive.open(arc_dir) as arc:
        art = arc.article(aid, with_text=False)
        assert (art.published, art.provenance["published"]) == ("2022-12-23", "user")
        [wed] = [f for f in arc.facts(aid, "date") if f.text == "Wednesday"]
        assert wed.value == "2022-12-21"


def test_a_bad_date_typed_in_the_header_is_refused_next_to_it(window, qtbot):
    field = window.reader.header.fields["published"]
    before = window.reader.article.published
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton, pos=QPoint(10, field.height() // 2))
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "14 Dec")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.reader.header.error.isHidden(), timeout=TIMEOUT_MS)
    assert "not a date" in window.reader.header.error.text()
    assert window.session.archive.article(window.reader.article.id).published == before
