"""Building a case timeline in the window by mouse and keyboard, edits read back from disk.

Every test drives real events (clicks, double-clicks, key presses, drops of
the reader's own drag data) on a window over a small archive of invented
reports, and checks what was stored by opening the archive again.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton  # noqa: E402

from archive import Archive  # noqa: E402
from archive.models import Citation, Event, PartialDate  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.timeline.table_model import CERTAINTY  # noqa: E402
from desktop.widgets.article_text import PASSAGE_MIME  # noqa: E402

# Invented reports, written for these tests.
ARTICLES = {
    "court.md": (
        "---\ntitle: Court extends detention\ndate: 2023-03-02\noutlet: Harbour Post\n"
        "url: https://harbour.example/court-extends\n---\n\n"
        "The district court extended the detention of Mara Olsen on 1 March 2023. "
        "Her lawyer said the ruling ignored new evidence. "
        "The prosecutor declined to comment.\n"
    ),
    "border.md": (
        "---\ntitle: Journalist stopped at the border\ndate: 2023-01-12\noutlet: Valley Wire\n---\n\n"
        "Border guards stopped Mara Olsen at the northern crossing on 10 January 2023. "
        "Her passport was taken and not returned.\n"
    ),
}


def _make_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def archive_dir(tmp_path):
    folder = tmp_path / "reports"
    _make_folder(folder)
    target = tmp_path / "arc"
    with Archive.open(target) as arc:
        report = arc.index_folder(folder, facts=False)
        assert report.added == len(ARTICLES) and not report.problems
    return target


@pytest.fixture
def window(qtbot, tmp_path, archive_dir):
    settings = Settings(tmp_path / "settings")
    win = MainWindow(Session(), settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_archive(archive_dir)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)
    yield win
    win.close()


def _stored(archive_dir: Path) -> list[Event]:
    """The events as a fresh process would read them."""
    with Archive.open(archive_dir) as arc:
        return arc.timelines.events()


def _article(win, name):
    arc = win.session.archive
    return arc.article(next(a.id for a in arc.articles() if a.relpath == name))


def _add_event(win, title="Detention extended", certainty="reported", tags=("court",)) -> Event:
    arc = win.session.archive
    art = _article(win, "court.md")
    quote = "The district court extended the detention of Mara Olsen on 1 March 2023."
    start = art.text.index(quote)
    ev = arc.timelines.add_event(Event(
        id=None, timeline_id=None, start=PartialDate("2023-03-01", "day"), title=title,
        certainty=certainty, tags=tuple(tags),
        citations=(Citation(None, art.id, art.path, quote, start, start + len(quote)),)))
    win.timeline_panel.reload()
    return ev


def _select_in_reader(win, qtbot, words: str) -> tuple[int, int]:
    """Click just before ``words`` in the reader and extend the selection with Shift+Right."""
    text = win.reader.text
    start = text.article.text.index(words)
    qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton, pos=text.position_of(start) - QPoint(
        max(2, text.fontMetrics().averageCharWidth() // 2) - 1, 0))
    # A click lands on the nearest gap: start counting from wherever the cursor is.
    got = text.offset_map.from_qt(text.textCursor().position())
    assert abs(got - start) <= 1, (got, start)
    for _ in range(start - got):
        QTest.keyClick(text, Qt.Key.Key_Right)
    for _ in range(got - start):
        QTest.keyClick(text, Qt.Key.Key_Left)
    for _ in range(len(words)):
        QTest.keyClick(text, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert win.reader.selected_span() == (start, start + len(words))
    return start, start + len(words)


def _drop(widget, mime: QMimeData, pos: QPoint) -> bool:
    """Deliver a drag of ``mime`` to ``widget`` at ``pos``: enter, move, drop. True if accepted."""
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(widget, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(QPointF(pos), action, mime, buttons, mods)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def _double_click(qtbot, widget, pos: QPoint) -> None:
    """Press, release, then the double-click press and release, as a mouse sends them."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=pos)


def _activate(win, qtbot) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)


def _click_button(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# ---------------------------------------------------------------- 1. drops
def test_reader_selection_dragged_onto_the_table_makes_an_event_then_a_citation(window, qtbot, archive_dir):
    panel = window.timeline_panel
    window.show_article(_article(window, "court.md").id)
    words = "The district court extended the detention of Mara Olsen"
    start, end = _select_in_reader(window, qtbot, words)
    mime = window.reader.text.createMimeDataFromSelection()
    assert mime.hasFormat(PASSAGE_MIME) and mime.text() == words and mime.hasHtml()

    # Dropped on the empty table: a new event, in the editor, the passage cited.
    viewport = panel.table.viewport()
    assert _drop(viewport, mime, QPoint(viewport.width() // 2, viewport.height() - 5))
    editor = panel.open_editors()[-1]
    assert [c.quote for c in editor._citations] == [words]
    editor.title_edit.clear()
    qtbot.keyClicks(editor.title_edit, "Detention extended")
    _click_button(qtbot, editor.buttons.buttons()[0])
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)

    # A second passage dropped on the row is cited there.
    second = "Her lawyer said the ruling ignored new evidence."
    _select_in_reader(window, qtbot, second)
    mime = window.reader.text.createMimeDataFromSelection()
    rect = panel.table.visualRect(panel.model.index(0, 1))
    assert _drop(viewport, mime, rect.center())
    qtbot.waitUntil(lambda: len(panel.model.event_at(0).citations) == 2)

    # And a third on the event's box on the axis.
    third = "The prosecutor declined to comment."
    _select_in_reader(window, qtbot, third)
    mime = window.reader.text.createMimeDataFromSelection()
    box = panel.axis.boxes()[0]
    panel.axis.ensureVisible(box)
    pos = panel.axis.mapFromScene(box.sceneBoundingRect().center())
    assert _drop(panel.axis.viewport(), mime, pos)
    qtbot.waitUntil(lambda: len(panel.model.event_at(0).citations) == 3)
    window.close()

    (event,) = _stored(archive_dir)
    assert event.title == "Detention extended"
    assert [c.quote for c in event.citations] == [words, second, third]
    assert event.citations[0].start == start and event.citations[0].end == end


def test_drop_of_other_data_is_refused(window):
    panel = window.timeline_panel
    mime = QMimeData()
    mime.setText("just text")
    assert not _drop(panel.table.viewport(), mime, QPoint(20, 20))
    assert not panel.open_editors()


def test_cite_in_selected_event_from_the_reader_context_menu(window, qtbot, archive_dir):
    panel = window.timeline_panel
    ev = _add_event(window)
    window.show_article(_article(window, "border.md").id)
    # Select the event with a click on its row.
    rect = panel.table.visualRect(panel.model.index(0, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.selected_event_ids() == [ev.id]
    words = "Her passport was taken and not returned."
    _select_in_reader(window, qtbot, words)
    text = window.reader.text
    pos = text.position_of(text.article.text.index(words) + 3)
    QApplication.sendEvent(text.viewport(), _context_menu_event(text, pos))
    menu = text.context_menu
    qtbot.waitUntil(menu.isVisible)
    cite = next(a for a in menu.actions() if a.text() == "Cite in selected event")
    assert cite.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(cite).center())
    qtbot.waitUntil(lambda: len(panel.model.event_at(0).citations) == 2)
    window.close()
    (event,) = _stored(archive_dir)
    assert [c.quote for c in event.citations][1] == words
    assert event.citations[1].article_path.endswith("border.md")


def _context_menu_event(text, pos: QPoint):
    from PySide6.QtGui import QContextMenuEvent

    return QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, text.viewport().mapToGlobal(pos))


def test_editor_adds_a_citation_from_the_reader_selection(window, qtbot, archive_dir):
    panel = window.timeline_panel
    _add_event(window)
    window.show_article(_article(window, "border.md").id)
    rect = panel.table.visualRect(panel.model.index(0, 1))
    _double_click(qtbot, panel.table.viewport(), rect.center())
    # A double-click on the title cell edits it in place; Escape, then open the editor by menu.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    panel.edit_event_action.trigger()
    editor = panel.open_editors()[-1]
    words = "Border guards stopped Mara Olsen at the northern crossing"
    _select_in_reader(window, qtbot, words)
    _click_button(qtbot, editor.cite_button)
    assert editor.citation_list.count() == 2
    _click_button(qtbot, editor.buttons.buttons()[0])
    qtbot.waitUntil(lambda: not editor.isVisible())
    qtbot.waitUntil(lambda: len(panel.model.event_at(0).citations) == 2)
    # One undo step takes the whole save back.
    _activate(window, qtbot)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(panel.model.event_at(0).citations) == 1)
    QTest.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(panel.model.event_at(0).citations) == 2)
    window.close()
    (event,) = _stored(archive_dir)
    assert event.citations[1].quote == words


# ------------------------------------------------------ 2. Return and stale edits
def _edit_certainty_inline(panel, qtbot, choice: str) -> None:
    """Double-click the Certainty cell, pick ``choice`` with the arrow keys, press Return."""
    index = panel.model.index(0, CERTAINTY)
    rect = panel.table.visualRect(index)
    _double_click(qtbot, panel.table.viewport(), rect.center())
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    combo = QApplication.focusWidget()
    QTest.keyClick(combo, Qt.Key.Key_Delete)          # the cell's key, not "Delete event"
    assert panel.model.rowCount() == 1 and combo.isVisible()
    while combo.currentText() != choice:
        before = combo.currentIndex()
        QTest.keyClick(combo, Qt.Key.Key_Down if combo.findText(choice) > before else Qt.Key.Key_Up)
        assert combo.currentIndex() != before
    QTest.keyClick(combo, Qt.Key.Key_Return)


def test_return_after_an_inline_edit_commits_it_and_opens_no_editor(window, qtbot, archive_dir):
    panel = window.timeline_panel
    _add_event(window)
    _edit_certainty_inline(panel, qtbot, "disputed")
    qtbot.waitUntil(lambda: panel.model.event_at(0).certainty == "disputed")
    assert panel.open_editors() == []
    # With no cell editor open, Return on the table opens the full editor, on the new value.
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_Return)
    editor = panel.open_editors()[-1]
    assert editor.certainty.currentText() == "disputed"
    _click_button(qtbot, editor.buttons.buttons()[0])
    window.close()
    assert _stored(archive_dir)[0].certainty == "disputed"


def test_editor_never_silently_saves_over_a_newer_edit(window, qtbot, archive_dir):
    panel = window.timeline_panel
    _add_event(window)
    panel.select_events([panel.model.event_at(0).id])
    panel.edit_event_action.trigger()
    editor = panel.open_editors()[-1]
    assert editor.certainty.currentText() == "reported"
    # Meanwhile the same event is changed in the table.
    _edit_certainty_inline(panel, qtbot, "disputed")
    qtbot.waitUntil(lambda: panel.model.event_at(0).certainty == "disputed")
    QTest.keyClick(editor.title_edit, Qt.Key.Key_End)
    qtbot.keyClicks(editor.title_edit, " again")
    _click_button(qtbot, editor.buttons.buttons()[0])
    assert editor.isVisible() and editor.stale.isVisible()
    assert "certainty is now “disputed”" in editor.stale.text.text()
    assert _stored(archive_dir)[0].certainty == "disputed"
    # Reload shows the stored event; Save then keeps the newer certainty.
    _click_button(qtbot, editor.stale.reload_button)
    assert editor.certainty.currentText() == "disputed"
    assert editor.title_edit.text() == "Detention extended"
    QTest.keyClick(editor.title_edit, Qt.Key.Key_End)
    qtbot.keyClicks(editor.title_edit, " by a month")
    _click_button(qtbot, editor.buttons.buttons()[0])
    qtbot.waitUntil(lambda: not editor.isVisible())
    window.close()
    (event,) = _stored(archive_dir)
    assert (event.title, event.certainty) == ("Detention extended by a month", "disputed")


def test_editor_overwrites_a_newer_edit_only_when_told(window, qtbot, archive_dir):
    panel = window.timeline_panel
    _add_event(window)
    panel.select_events([panel.model.event_at(0).id])
    panel.edit_event_action.trigger()
    editor = panel.open_editors()[-1]
    _edit_certainty_inline(panel, qtbot, "confirmed")
    qtbot.waitUntil(lambda: panel.model.event_at(0).certainty == "confirmed")
    _click_button(qtbot, editor.buttons.buttons()[0])
    assert editor.stale.isVisible()
    _click_button(qtbot, editor.stale.overwrite_button)
    qtbot.waitUntil(lambda: not editor.isVisible())
    window.close()
    assert _stored(archive_dir)[0].certainty == "reported"


# ------------------------------------------------------------------ 3. redo keys
def test_redo_keys_are_registered_once_and_work(window, qtbot, qtlog, archive_dir):
    # No key may reach two actions at once (an action listing a key twice
    # counts too). A key scoped to one panel (WidgetWithChildrenShortcut) may
    # mean something else in a sibling panel: Delete deletes an event in the
    # timeline and marks "not an entity" in the Entities view.
    owners: dict[str, list] = {}
    for act in set(window.findChildren(QAction)):
        scoped = act.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
        scope = act.parent() if scoped else window
        for key in act.shortcuts():
            owners.setdefault(key.toString(), []).append((act.text(), scope))

    def overlap(a, b) -> bool:
        return a is b or a.isAncestorOf(b) or b.isAncestorOf(a)

    twice = {k: [name for name, _ in v] for k, v in owners.items()
             if any(overlap(v[i][1], v[j][1]) for i in range(len(v)) for j in range(i + 1, len(v)))}
    assert not twice, twice
    names = {k.toString() for k in window.act_redo.shortcuts()}
    assert "Ctrl+Y" in names and names & {"Ctrl+Shift+Z", "Shift+Ctrl+Z"}

    panel = window.timeline_panel
    _add_event(window)
    _edit_certainty_inline(panel, qtbot, "disputed")
    qtbot.waitUntil(lambda: panel.model.event_at(0).certainty == "disputed")
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.event_at(0).certainty == "reported")
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: panel.model.event_at(0).certainty == "disputed")
    assert _stored(archive_dir)[0].certainty == "disputed"
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.event_at(0).certainty == "reported")
    QTest.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.event_at(0).certainty == "disputed")
    assert not [r.message for r in qtlog.records if "Ambiguous" in r.message]
    window.close()
    assert _stored(archive_dir)[0].certainty == "disputed"


@pytest.mark.parametrize("platform_keys", [
    ["Ctrl+Shift+Z"],                                         # GNOME, KDE, X11
    ["Ctrl+Y", "Alt+Shift+Backspace", "Ctrl+Shift+Z"],        # Windows
])
def test_redo_keys_never_repeat_a_platform_key(monkeypatch, qapp, platform_keys):
    from PySide6.QtGui import QKeySequence

    from desktop import main_window

    monkeypatch.setattr(main_window.sys, "platform", "linux")
    monkeypatch.setattr(main_window.QKeySequence, "keyBindings",
                        staticmethod(lambda _std: [QKeySequence(k) for k in platform_keys]))
    keys = [k.toString() for k in main_window.redo_shortcuts()]
    assert len(keys) == len(set(keys))
    assert keys[: len(platform_keys)] == platform_keys and "Ctrl+Y" in keys


# ------------------------------------------------------- 5. completer popups
@pytest.fixture
def completing_editor(qtbot):
    from archive.timeline import parse_partial_date
    from desktop.timeline.event_editor import EventEditor

    editor = EventEditor(Event(None, None, PartialDate("2023-01-10", "day"), "Stopped at the border"),
                         parse_date=parse_partial_date, on_save=lambda *_a: True,
                         entity_names={"person": ["Mara Olsen", "Mark Odell"], "place": ["Northgate"]})
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    return editor


def _window_click(widget, pos: QPoint | None = None) -> None:
    """A click delivered to the top-level window, so Qt routes it as a real one (popups first)."""
    top = widget.window()
    at = widget.mapTo(top, pos if pos is not None else widget.rect().center())
    QTest.mouseClick(top.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)


def test_click_on_another_field_while_a_completion_shows_moves_there(completing_editor, qtbot):
    editor = completing_editor
    _window_click(editor.people)
    assert editor.people.hasFocus()
    QTest.keyClicks(editor.people, "Ma")
    popup = editor.people.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    _window_click(editor.notes)
    assert not popup.isVisible()
    assert QApplication.focusWidget() is editor.notes
    QTest.keyClicks(QApplication.focusWidget(), "Passport not returned")
    assert editor.people.text() == "Ma"
    assert editor.notes.toPlainText() == "Passport not returned"


def test_clicking_a_completion_still_takes_it(completing_editor, qtbot):
    editor = completing_editor
    _window_click(editor.places)
    QTest.keyClicks(editor.places, "north")
    popup = editor.places.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    rect = popup.visualRect(popup.model().index(0, 0))
    QTest.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert editor.places.text() == "Northgate"
    assert not popup.isVisible()


# ------------------------------------------------------------ 6. date field
def _menu_action(window, qtbot, menu_title: str, action_text: str) -> None:
    """Open a menu of the menu bar with a click and click one of its entries."""
    from PySide6.QtWidgets import QMenu

    bar = window.menuBar()
    top = next(a for a in bar.actions() if a.text().replace("&", "") == menu_title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(top).center())
    menu: QMenu = top.menu()
    qtbot.waitUntil(menu.isVisible)
    act = next(a for a in menu.actions() if a.text().replace("&", "") == action_text)
    assert act.isEnabled(), action_text
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(act).center())


def test_new_event_starts_in_the_case_period_and_takes_dates_in_words(window, qtbot, archive_dir):
    panel = window.timeline_panel
    _add_event(window)                      # 1 March 2023
    _menu_action(window, qtbot, "Timeline", "New event…")
    editor = panel.open_editors()[-1]
    assert editor.start.text.text() == "2023-03"          # the case's month, not today
    assert editor.start.date().precision == "month"
    for typed, value, precision in (("Sept. 2022", "2022-09", "month"), ("2022", "2022", "year"),
                                    ("21 September 2022", "2022-09-21", "day")):
        editor.start.text.selectAll()
        qtbot.keyClicks(editor.start.text, typed)
        assert editor.start.date().value == value, typed
        assert editor.start.precision.currentText() == precision
        assert "21 Sep 2022" in editor.start.message.text() or precision != "day"
    qtbot.keyClicks(editor.title_edit, "Hearing set")
    _click_button(qtbot, editor.buttons.buttons()[0])
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    window.close()
    first = _stored(archive_dir)[0]
    assert (first.title, first.start.value, first.start.precision) == ("Hearing set", "2022-09-21", "day")


def test_inline_date_edit_takes_words(window, qtbot, archive_dir):
    from desktop.timeline.table_model import DATE

    panel = window.timeline_panel
    _add_event(window)
    rect = panel.table.visualRect(panel.model.index(0, DATE))
    _double_click(qtbot, panel.table.viewport(), rect.center())
    edit = QApplication.focusWidget()
    edit.selectAll()
    qtbot.keyClicks(edit, "2 March 2023")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.event_at(0).start.value == "2023-03-02")
    assert panel.open_editors() == []
    window.close()
    assert _stored(archive_dir)[0].start.value == "2023-03-02"


# ------------------------------------------------------------ 7. draft titles
def test_ctrl_t_drafts_a_capitalised_title_shown_from_its_start(window, qtbot, archive_dir):
    panel = window.timeline_panel
    window.show_article(_article(window, "court.md").id)
    words = ("extended the detention of Mara Olsen on 1 March 2023. "
             "Her lawyer said the ruling ignored new evidence.")
    _select_in_reader(window, qtbot, words)
    QTest.keyClick(window.reader.text, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    editor = panel.open_editors()[-1]
    assert editor.title_edit.text() == "Extended the detention of Mara Olsen on 1 March 2023"
    assert editor.title_edit.cursorPosition() == 0
    _click_button(qtbot, editor.buttons.buttons()[0])
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    window.close()
    assert _stored(archive_dir)[0].title == "Extended the detention of Mara Olsen on 1 March 2023"


# ------------------------------------------------------------ 8. export dialog
def test_export_dialog_suggests_a_name_asks_before_replacing_and_leaves_notes_out(window, qtbot, tmp_path):
    import datetime as dt

    from desktop.timeline.export_dialog import ExportDialog

    panel = window.timeline_panel
    ev = _add_event(window)
    window.session.archive.timelines.update_event(
        __import__("dataclasses").replace(ev, notes="Private: call the lawyer"))
    panel.reload()
    _menu_action(window, qtbot, "Timeline", "Export as Markdown…")
    dialog = window.findChild(ExportDialog)
    qtbot.waitUntil(dialog.isVisible)
    today = dt.date.today().isoformat()
    assert Path(dialog.path.text()).name == f"Default timeline {today}.md"
    assert dialog.include_notes.isChecked()
    # The user points it at a folder of their own, keeping the suggested name.
    target = tmp_path / "out" / f"Default timeline {today}.md"
    target.parent.mkdir()
    dialog.path.selectAll()
    qtbot.keyClicks(dialog.path, str(target))
    export_button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Export")
    with qtbot.waitSignal(panel.export_finished, timeout=10_000):
        _click_button(qtbot, export_button)
    assert "Private: call the lawyer" in target.read_text(encoding="utf-8")

    # Again, to the same file: asked first, and only "Replace" writes it.
    _menu_action(window, qtbot, "Timeline", "Export as Markdown…")
    dialog = [d for d in window.findChildren(ExportDialog) if d.isVisible()][-1]
    dialog.path.selectAll()
    qtbot.keyClicks(dialog.path, str(target))
    qtbot.mouseClick(dialog.include_notes, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, dialog.include_notes.height() // 2))
    assert not dialog.include_notes.isChecked()
    _click_button(qtbot, next(b for b in dialog.findChildren(QPushButton) if b.text() == "Export"))
    assert dialog.isVisible() and "already exists" in dialog.error.text()
    assert "Private: call the lawyer" in target.read_text(encoding="utf-8")
    with qtbot.waitSignal(panel.export_finished, timeout=10_000):
        _click_button(qtbot, next(b for b in dialog.findChildren(QPushButton) if b.text() == "Replace"))
    text = target.read_text(encoding="utf-8")
    assert "Private: call the lawyer" not in text and "Detention extended" in text
    assert "\n## Sources\n" in text and "Harbour Post" in text


def test_suggested_file_names_are_safe():
    import datetime as dt

    from desktop.timeline.export_dialog import suggested_file_name

    day = dt.date(2026, 12, 3)
    assert suggested_file_name("Default", ".pdf", day) == "Default timeline 2026-12-03.pdf"
    assert suggested_file_name('Olsen: appeal / "2023"?', ".csv", day) == "Olsen appeal 2023 timeline 2026-12-03.csv"
    assert suggested_file_name("Case timeline", ".md", day) == "Case timeline 2026-12-03.md"
    assert suggested_file_name("...", ".json", day) == "Timeline 2026-12-03.json"


# ------------------------------------------------------------------ 9. the axis
def _three_events(window):
    arc = window.session.archive
    for day, title, tags in (("2022-06-01", "Early report of the case", ("arrest",)),
                             ("2023-03-01", "Hearing with two tags", ("court", "detention")),
                             ("2023-11-20", "Late appeal lodged at the court", ("court",))):
        arc.timelines.add_event(Event(None, None, PartialDate(day, "day"), title, tags=tags))
    window.timeline_panel.reload()


def _view_rect(axis, box):
    return axis.mapFromScene(box.mapRectToScene(box.rect())).boundingRect()


def _tool_button(panel, text):
    from PySide6.QtWidgets import QToolButton

    return next(b for b in panel.findChildren(QToolButton) if b.text() == text)


def test_fit_frames_every_event_right_of_the_lane_names(window, qtbot):
    panel = window.timeline_panel
    _three_events(window)
    axis = panel.axis
    for _ in range(5):
        qtbot.mouseClick(_tool_button(panel, "+"), Qt.MouseButton.LeftButton)
    axis.horizontalScrollBar().setValue(axis.horizontalScrollBar().maximum())
    qtbot.mouseClick(_tool_button(panel, "Fit"), Qt.MouseButton.LeftButton)
    width = axis.viewport().width()
    for box in axis.boxes():
        r = _view_rect(axis, box)
        assert r.left() >= axis.gutter_width() + 2, (box.event.title, r)
        assert r.right() <= width - 2, (box.event.title, r)
    # Fitted, the axis keeps fitting when the dock is resized.
    window.resize(900, window.height())
    qtbot.waitUntil(lambda: axis.viewport().width() < width)
    for box in axis.boxes():
        r = _view_rect(axis, box)
        assert axis.gutter_width() + 2 <= r.left() and r.right() <= axis.viewport().width() - 2


def test_selected_event_is_scrolled_out_from_under_the_lane_names(window, qtbot):
    panel = window.timeline_panel
    _three_events(window)
    axis = panel.axis
    for _ in range(8):
        qtbot.mouseClick(_tool_button(panel, "+"), Qt.MouseButton.LeftButton)
    # Scroll so the first event sits under the lane names.
    early = next(b for b in axis.boxes() if b.event.title.startswith("Early"))
    bar = axis.horizontalScrollBar()
    bar.setValue(bar.value() + _view_rect(axis, early).left() - 30)
    assert _view_rect(axis, early).left() < axis.gutter_width()
    # Pick it in the table with a click (it is the first row).
    rect = panel.table.visualRect(panel.model.index(0, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.selected_event_ids() == [early.event_id]
    r = _view_rect(axis, early)
    assert axis.gutter_width() <= r.left() and r.right() <= axis.viewport().width()
    # Down the table with the keyboard: each selected event comes into view in turn.
    for row in (1, 2):
        QTest.keyClick(panel.table, Qt.Key.Key_Down)
        event_id = panel.model.event_at(row).id
        assert panel.selected_event_ids() == [event_id]
        box = min(axis.boxes(event_id), key=lambda b: b.rect().top())
        r = _view_rect(axis, box)
        assert axis.gutter_width() <= r.left() < axis.viewport().width() - 10


def test_an_event_in_two_lanes_reads_as_one_event(window, qtbot):
    panel = window.timeline_panel
    _three_events(window)
    axis = panel.axis
    two = axis.boxes(next(ev.id for ev in panel.events() if ev.title.startswith("Hearing")))
    assert len(two) == 2 and sorted(b.primary for b in two) == [False, True]
    # Same place on the time axis, joined by one line between them.
    assert two[0].rect().left() == two[1].rect().left()
    (link,) = [l for l in axis.links() if l.event_id == two[0].event_id]
    line = link.line()
    tops = sorted(b.rect().center().y() for b in two)
    assert (line.y1(), line.y2()) == (tops[0], tops[1])
    copy = next(b for b in two if not b.primary)
    assert "same event" in copy.toolTip()
    assert all(len(axis.boxes(ev.id)) == 1 for ev in panel.events() if len(ev.tags) == 1)
    assert len(axis.links()) == 1
    # A click on the copy selects the one event (both boxes).
    axis.ensureVisible(copy)
    qtbot.mouseClick(axis.viewport(), Qt.MouseButton.LeftButton,
                     pos=_view_rect(axis, copy).center() + QPoint(0, 0))
    assert panel.selected_event_ids() == [copy.event_id]
    assert all(b.isSelected() for b in two)


# -------------------------------------------------- 10. changes made elsewhere
def test_event_added_by_another_process_shows_when_the_window_comes_back(window, qtbot, archive_dir):
    from PySide6.QtWidgets import QWidget

    panel = window.timeline_panel
    window.show_article(_article(window, "court.md").id)
    assert panel.model.rowCount() == 0
    # The user goes to a terminal; the CLI (its own Archive) adds an event and corrects an outlet.
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    with Archive.open(archive_dir) as cli:
        art = next(a for a in cli.articles() if a.relpath == "court.md")
        cli.timelines.add_event(Event(None, None, PartialDate("2023-03-01", "day"), "Added from the CLI"))
        cli.correct_metadata(art.id, outlet="Harbour Post Weekly")
    assert panel.model.rowCount() == 0            # nothing is polled behind the user's back
    _activate(window, qtbot)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.event_at(0).title == "Added from the CLI"
    assert window.reader.article.outlet == "Harbour Post Weekly"


def test_f5_picks_up_an_event_from_another_window(window, qtbot, archive_dir):
    panel = window.timeline_panel
    with Archive.open(archive_dir) as second:
        second.timelines.add_event(Event(None, None, PartialDate("2023-01", "month"), "From window two"))
    QTest.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.event_at(0).title == "From window two"
    qtbot.waitUntil(lambda: not window.session.is_indexing, timeout=30_000)


def test_own_edits_do_not_count_as_changes_elsewhere(window, qtbot):
    watcher = window.external_changes
    _add_event(window)                      # this window's own connection
    assert watcher.check() is False


def test_not_saved_shows_only_when_something_is_unsaved(window, qtbot, archive_dir):
    from desktop.timeline.table_model import TITLE

    panel = window.timeline_panel
    _add_event(window)
    rect = panel.table.visualRect(panel.model.index(0, TITLE))
    _double_click(qtbot, panel.table.viewport(), rect.center())
    edit = QApplication.focusWidget()
    edit.selectAll()
    qtbot.keyClicks(edit, "Detention extended again")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.event_at(0).title == "Detention extended again")
    assert panel.saved_label.text() == "All changes saved"
    # Another window saves the event first: this edit is refused and the table
    # shows the stored event again, so nothing is unsaved and no banner says so.
    with Archive.open(archive_dir) as second:
        ev = second.timelines.events()[0]
        second.timelines.update_event(__import__("dataclasses").replace(ev, certainty="confirmed"))
    _double_click(qtbot, panel.table.viewport(), rect.center())
    edit = QApplication.focusWidget()
    edit.selectAll()
    qtbot.keyClicks(edit, "Mine")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.message.isVisible())
    assert "changed in another window" in panel.message.text()
    qtbot.waitUntil(lambda: panel.model.event_at(0).certainty == "confirmed")
    assert panel.saved_label.text() != "Not saved"
    assert "unsaved" not in window.windowTitle()
    window.close()
    stored = _stored(archive_dir)[0]
    assert (stored.title, stored.certainty) == ("Detention extended again", "confirmed")


def test_completion_takes_the_next_name_of_a_list(completing_editor, qtbot):
    editor = completing_editor
    _window_click(editor.people)
    QTest.keyClicks(editor.people, "Mara Olsen, od")
    popup = editor.people.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    rect = popup.visualRect(popup.model().index(0, 0))
    QTest.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert editor.people.text() == "Mara Olsen, Mark Odell"
