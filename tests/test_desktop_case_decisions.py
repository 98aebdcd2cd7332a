"""The Case dock and entity review together, driven by real clicks and keys: a
review action (and its undo) in the Entities dock brings the case analysis up
to date in the background, once for several quick actions, and the decisions
follow; decisions that match no event are listed in the Case dock."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from archive import Archive  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
APPEAL = "appeal|oscar velde|2025-04-01"


@pytest.fixture
def velde_archive(velde_folder):
    """The Velde reports indexed, with the appeal (an "Oscar Velde" event) on the timeline."""
    with Archive.open(velde_folder / ".casefile") as arc:
        arc.index_folder(velde_folder)
        arc.case.confirm_event(APPEAL)
    return velde_folder


def _window(qtbot, tmp_path, archive_dir):
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_archive(archive_dir)
    win.case_panel.only_shared.setChecked(False)   # every event, also those one report gives
    return win


def _click_entity(qtbot, panel, name, modifier=Qt.KeyboardModifier.NoModifier):
    entity = next(e for e in panel.model.entities() if e.name == name)
    idx = panel.proxy_index_of(entity.id)
    panel.view.scrollTo(idx)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, modifier, panel.view.visualRect(idx).center())


def _case_rows(panel):
    """``(title, status column)`` of every row the Case dock's events table shows."""
    model = panel.events_model
    return [(model.index(r, 1).data(), model.index(r, 4).data()) for r in range(model.rowCount())]


def _subjects(panel):
    return {e.subject for e in panel.events_model.items()}


def test_entity_review_and_its_undo_reanalyse_the_case_once_for_quick_actions(qtbot, tmp_path, velde_archive):
    win = _window(qtbot, tmp_path, velde_archive / ".casefile")
    case = win.case_panel
    assert _subjects(case) == {"Oskar Velde", "Oscar Velde"}
    runs = []
    real_analyse = case.analyse
    case.analyse = lambda: runs.append(1) or real_analyse()

    win.entities_dock.show()
    win.entities_dock.raise_()
    entities = win.entities_panel
    qtbot.waitUntil(lambda: entities.model.rowCount() > 0, timeout=5_000)
    _click_entity(qtbot, entities, "Oskar Velde")
    _click_entity(qtbot, entities, "Oscar Velde", CTRL)
    qtbot.mouseClick(entities.merge_button, Qt.MouseButton.LeftButton)
    kept = next(e.name for e in win.session.archive.entities("person"))
    # Three quick steps (merge, undo, redo): one analysis after the last.
    qtbot.keyClick(entities.view, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(entities.view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert runs == []
    qtbot.waitUntil(lambda: bool(runs) and not case.analysis_pending(), timeout=20_000)
    assert runs == [1]
    assert _subjects(case) == {kept}
    rows = _case_rows(case)
    appeal = [status for title, status in rows if title.startswith("Appeal")]
    assert appeal == ["On the timeline"], rows     # the confirmation followed the new name
    assert not case.tabs.isTabVisible(2)           # no decision was left behind

    qtbot.keyClick(entities.view, Qt.Key.Key_Z, CTRL)   # undo the merge: two names again
    qtbot.waitUntil(lambda: len(runs) == 2 and not case.analysis_pending(), timeout=20_000)
    assert _subjects(case) == {"Oskar Velde", "Oscar Velde"}
    appeal = [status for title, status in _case_rows(case) if title.startswith("Appeal: Oscar Velde")]
    assert appeal == ["On the timeline"]
    win.close()

    with Archive.open(velde_archive / ".casefile") as again:
        events = {e.key: e for e in again.case.events()}
        assert events[APPEAL].status == "confirmed"


def test_decisions_whose_events_are_gone_are_listed_in_the_case_dock(qtbot, tmp_path, velde_archive):
    (velde_archive / "04-wire.txt").unlink()   # the only report of the appeal
    with Archive.open(velde_archive / ".casefile") as arc:
        arc.index_folder(velde_archive)
    win = _window(qtbot, tmp_path, velde_archive / ".casefile")
    case = win.case_panel
    win.case_dock.show()
    win.case_dock.raise_()
    qtbot.waitExposed(case)
    assert case.tabs.isTabVisible(2) and case.tabs.tabText(2) == "Unmatched decisions (1)"
    bar = case.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bar.tabRect(2).center())
    assert case.tabs.currentIndex() == 2
    text = case.unmatched_list.item(0).text()
    assert "Appeal: Oscar Velde" in text and "timeline" in text
    win.close()


def _click_row(qtbot, view, row, modifier=Qt.KeyboardModifier.NoModifier):
    index = view.model().index(row, 1)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, view.visualRect(index).center())


def _row_of(panel, key):
    return next(i for i, e in enumerate(panel.events_model.items()) if e.key == key)


def _case_window(qtbot, tmp_path, folder):
    win = _window(qtbot, tmp_path, folder / ".casefile")
    win.case_dock.show()
    win.case_dock.raise_()
    qtbot.waitExposed(win.case_panel)
    # Ctrl+Z is the window's shortcut: it reaches the window that has the focus.
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5_000)
    return win


@pytest.fixture
def velde_indexed(velde_folder):
    with Archive.open(velde_folder / ".casefile") as arc:
        arc.index_folder(velde_folder)
    return velde_folder


def test_add_to_timeline_merge_and_split_undo_and_redo_by_keys(qtbot, tmp_path, velde_indexed):
    win = _case_window(qtbot, tmp_path, velde_indexed)
    case = win.case_panel
    view = case.events_view
    # Add to timeline, then Ctrl+Z: the event is a suggestion again and off the timeline.
    _click_row(qtbot, view, _row_of(case, APPEAL))
    with qtbot.waitSignal(case.event_confirmed) as confirmed:
        qtbot.mouseClick(case.confirm_button, Qt.MouseButton.LeftButton)
    event_id = confirmed.args[0]
    assert case.selected_event().status == "confirmed"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert case.events_model.items()[_row_of(case, APPEAL)].status == "suggested"
    assert event_id not in {e.id for e in win.session.archive.timelines.events()}
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert case.events_model.items()[_row_of(case, APPEAL)].timeline_event_id == event_id
    qtbot.waitUntil(lambda: event_id in [e.id for e in win.timeline_panel.events()], timeout=5_000)

    # Merge the arrest and the detention, split a source off the deportation; undo both.
    arrest, detention = "arrest|oscar velde|2025-03-12", "detention|oscar velde|2025-03-13"
    _click_row(qtbot, view, _row_of(case, arrest))
    _click_row(qtbot, view, _row_of(case, detention), CTRL)
    qtbot.mouseClick(case.merge_button, Qt.MouseButton.LeftButton)
    assert detention not in {e.key for e in case.events_model.items()}
    deportation = "deportation|oscar velde|2025-04-04"
    _click_row(qtbot, view, _row_of(case, deportation))
    sources = case.event_sources_view
    first = sources.model().index(0, 2)
    qtbot.mouseClick(sources.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     sources.visualRect(first).center())
    qtbot.mouseClick(case.split_button, Qt.MouseButton.LeftButton)
    keys = {e.key for e in case.events_model.items()}
    assert any(k.startswith(deportation + "#split-") for k in keys)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)     # the split
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)     # the merge
    keys = {e.key for e in case.events_model.items()}
    assert {arrest, detention, deportation} <= keys and not any("#split-" in k for k in keys)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)   # the merge again
    assert detention not in {e.key for e in case.events_model.items()}
    win.close()

    with Archive.open(velde_indexed / ".casefile") as again:
        events = {e.key: e for e in again.case.events()}
        assert detention not in events and events[APPEAL].timeline_event_id == event_id
        assert not any("#split-" in k for k in events)
        assert again.timelines.event(event_id).title.startswith("Appeal")


def test_conflict_status_undo_by_keys_brings_the_note_back(qtbot, tmp_path, velde_indexed):
    with Archive.open(velde_indexed / ".casefile") as arc:
        arc.case.set_conflict_status("rank|oscar velde", "resolved", "promoted in March")
    win = _case_window(qtbot, tmp_path, velde_indexed)
    case = win.case_panel
    bar = case.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bar.tabRect(1).center())
    _click_row(qtbot, case.conflicts_view, 0)
    assert case.note_edit.text() == "promoted in March"
    case.status_box.setFocus()
    qtbot.keyClick(case.status_box, Qt.Key.Key_End)     # "Not a conflict"
    case.note_edit.selectAll()
    qtbot.keyClicks(case.note_edit, "two reports, two dates")
    qtbot.mouseClick(case.status_button, Qt.MouseButton.LeftButton)
    shown = case.conflicts_model.items()[0]
    assert (shown.status, shown.note) == ("not-a-conflict", "two reports, two dates")
    qtbot.keyClick(case.conflicts_view, Qt.Key.Key_Z, CTRL)
    shown = case.conflicts_model.items()[0]
    assert (shown.status, shown.note) == ("resolved", "promoted in March")
    assert case.note_edit.text() == "promoted in March"
    win.close()
    with Archive.open(velde_indexed / ".casefile") as again:
        rank = next(c for c in again.case.conflicts() if c.kind == "rank")
        assert (rank.status, rank.note) == ("resolved", "promoted in March")


def test_undoing_add_to_timeline_keeps_an_event_edited_since_and_says_so(qtbot, tmp_path, velde_indexed):
    import dataclasses

    win = _case_window(qtbot, tmp_path, velde_indexed)
    case = win.case_panel
    _click_row(qtbot, case.events_view, _row_of(case, APPEAL))
    with qtbot.waitSignal(case.event_confirmed) as confirmed:
        qtbot.mouseClick(case.confirm_button, Qt.MouseButton.LeftButton)
    timelines = win.session.archive.timelines
    saved = timelines.event(confirmed.args[0])
    timelines.update_event(dataclasses.replace(saved, notes="Seen the ruling"))
    qtbot.keyClick(case.events_view, Qt.Key.Key_Z, CTRL)
    assert "stays on the timeline" in win.statusBar().currentMessage()
    assert case.events_model.items()[_row_of(case, APPEAL)].status == "suggested"
    win.close()
    with Archive.open(velde_indexed / ".casefile") as again:
        assert again.timelines.event(saved.id).notes == "Seen the ruling"
        assert next(e for e in again.case.events() if e.key == APPEAL).status == "suggested"
