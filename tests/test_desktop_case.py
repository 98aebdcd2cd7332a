"""The Case dock on the real demo archive, driven by clicks: events with their
sources and independent count, conflicts with their claims, confirm → timeline,
a conflict's status kept after closing and reopening, background analysis."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from archive import Archive  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.models.case_events import CaseEventModel, ConflictModel, SourceModel  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402

DEPORTATION = "deportation|teodor brannik|2025-04-04"


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory, demo_dir):
    target = tmp_path_factory.mktemp("casedemo") / "archive"
    with Archive.open(target) as arc:
        arc.index_folder(demo_dir)
    return target


def _window(qtbot, tmp_path, archive_dir):
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_archive(archive_dir)
    win.case_dock.show()
    win.case_dock.raise_()
    qtbot.waitExposed(win.case_panel)
    return win


@pytest.fixture
def archive_copy(tmp_path, built_demo):
    copy = tmp_path / "archive"
    shutil.copytree(built_demo, copy, ignore=shutil.ignore_patterns("*.lock", "write.lock"))
    return copy


def _click_row(qtbot, view, row, modifier=Qt.KeyboardModifier.NoModifier):
    index = view.model().index(row, 1 if view.model().columnCount() > 1 else 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, view.visualRect(index).center())


def _row_of(model, pred):
    return next(i for i, item in enumerate(model.items()) if pred(item))


def test_models_pass_the_model_tester(qtmodeltester, archive_copy):
    with Archive.open(archive_copy) as arc:
        for model, items in ((CaseEventModel(), arc.case.events()), (ConflictModel(), arc.case.conflicts())):
            model.set_items(items)
            qtmodeltester.check(model)
        sources = SourceModel()
        sources.set_items([("", s) for s in arc.case.events()[0].sources])
        qtmodeltester.check(sources)


def test_case_dock_lists_events_and_confirms_one_onto_the_timeline(qtbot, tmp_path, archive_copy):
    win = _window(qtbot, tmp_path, archive_copy)
    panel = win.case_panel
    assert panel.events_model.rowCount() >= 8
    row = _row_of(panel.events_model, lambda e: e.key == DEPORTATION)
    _click_row(qtbot, panel.events_view, row)
    event = panel.selected_event()
    assert event.key == DEPORTATION
    assert panel.events_model.index(row, 0).data() == "4 Apr 2025"  # as the timeline shows dates
    assert panel.events_model.index(row, 2).data() == "3"          # independent outlets
    assert panel.events_model.index(row, 3).data() == "4"          # articles
    assert panel.event_sources_model.rowCount() == len(event.sources)

    # Double-clicking a source opens its sentence in the reader.
    src_index = panel.event_sources_model.index(0, 2)
    rect = panel.event_sources_view.visualRect(src_index)
    # A real double-click: press and release, then the double-click event.
    qtbot.mouseClick(panel.event_sources_view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())
    with qtbot.waitSignal(panel.source_activated):
        qtbot.mouseDClick(panel.event_sources_view.viewport(), Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier, rect.center())
    source = event.sources[0]
    assert win.reader.article.id == source.article_id

    assert panel.confirm_button.isEnabled()
    with qtbot.waitSignal(panel.event_confirmed) as blocker:
        qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    event_id = blocker.args[0]
    assert panel.events_model.index(row, 4).data() == "On the timeline"
    assert not panel.confirm_button.isEnabled()
    assert event_id in [e.id for e in win.timeline_panel.events()]
    # The timeline marks the event: its sources disagree (a denial, an age, a rank...).
    model = win.timeline_panel.model
    assert model.index(model.row_of(event_id), 1).data().startswith("\u26a0 ")   # seen even when elided
    saved = win.session.archive.timelines.event(event_id)
    assert saved.certainty == "disputed" and len(saved.citations) == len({(s.article_id, s.start)
                                                                           for s in event.sources})
    win.close()


def test_conflict_status_set_by_clicks_survives_reopening(qtbot, tmp_path, archive_copy):
    win = _window(qtbot, tmp_path, archive_copy)
    panel = win.case_panel
    qtbot.mouseClick(panel.tabs.tabBar(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     panel.tabs.tabBar().tabRect(1).center())
    assert panel.tabs.currentIndex() == 1
    row = _row_of(panel.conflicts_model, lambda c: c.kind == "employer")
    _click_row(qtbot, panel.conflicts_view, row)
    assert panel.conflicts_model.index(row, 2).data() == "State Protection Bureau vs army"
    assert panel.claim_sources_model.rowCount() >= 2
    assert {panel.claim_sources_model.index(r, 0).data() for r in range(panel.claim_sources_model.rowCount())} == {
        "State Protection Bureau", "army"}
    panel.status_box.setFocus()
    panel.status_box.setCurrentIndex(panel.status_box.findData("resolved"))
    qtbot.mouseClick(panel.note_edit, Qt.MouseButton.LeftButton)
    QTest.keyClicks(panel.note_edit, "The spokesman misspoke")
    qtbot.mouseClick(panel.status_button, Qt.MouseButton.LeftButton)
    assert "Resolved" in panel.conflicts_model.index(row, 3).data()
    win.close()

    with Archive.open(archive_copy) as arc:
        arc.case.analyse()
        employer = next(c for c in arc.case.conflicts() if c.kind == "employer")
        assert (employer.status, employer.note) == ("resolved", "The spokesman misspoke")


def test_merge_and_split_by_clicks(qtbot, tmp_path, archive_copy):
    win = _window(qtbot, tmp_path, archive_copy)
    panel = win.case_panel
    row = _row_of(panel.events_model, lambda e: e.key == DEPORTATION)
    _click_row(qtbot, panel.events_view, row)
    n = panel.event_sources_model.rowCount()
    _click_row(qtbot, panel.event_sources_view, 0)
    assert panel.split_button.isEnabled()
    qtbot.mouseClick(panel.split_button, Qt.MouseButton.LeftButton)
    # The part split off has one article: show single-article events too.
    qtbot.mouseClick(panel.only_shared, Qt.MouseButton.LeftButton)
    assert not panel.only_shared.isChecked()
    keys = [e.key for e in panel.events_model.items()]
    split_key = next(k for k in keys if k.startswith(DEPORTATION + "#split-"))
    assert len(panel.events_model.items()[keys.index(DEPORTATION)].sources) == n - 1
    # Select both parts (click, then Ctrl+click) and merge them back.
    keys = [e.key for e in panel.events_model.items()]
    _click_row(qtbot, panel.events_view, keys.index(DEPORTATION))
    _click_row(qtbot, panel.events_view, keys.index(split_key), Qt.KeyboardModifier.ControlModifier)
    assert panel.merge_button.isEnabled()
    qtbot.mouseClick(panel.merge_button, Qt.MouseButton.LeftButton)
    keys = [e.key for e in panel.events_model.items()]
    assert split_key not in keys
    assert len(panel.events_model.items()[keys.index(DEPORTATION)].sources) == n
    win.close()


def test_analyse_again_runs_in_the_background(qtbot, tmp_path, archive_copy):
    win = _window(qtbot, tmp_path, archive_copy)
    panel = win.case_panel
    with Archive.open(archive_copy) as arc:  # forget the stored claims: a full re-analysis
        arc.db.execute("DELETE FROM case_articles")
        arc.db.conn.commit()
    messages = []
    panel.status_message.connect(messages.append)
    qtbot.mouseClick(panel.analyse_button, Qt.MouseButton.LeftButton)
    assert not panel.analyse_button.isEnabled()
    qtbot.waitUntil(lambda: panel.analyse_button.isEnabled(), timeout=60_000)
    assert any("13 of 13 articles" in m for m in messages), messages
    assert panel.events_model.rowCount() >= 8
    win.close()


def test_reset_layout_docks_the_case_panel_again(qtbot, tmp_path, archive_copy):
    win = _window(qtbot, tmp_path, archive_copy)
    win.case_dock.setFloating(True)
    win.act_reset_layout.trigger()
    assert not win.case_dock.isFloating()
    assert win.case_dock in win.tabifiedDockWidgets(win.timeline_dock)
    win.close()


def test_a_hidden_case_panel_reloads_when_shown(qtbot, tmp_path, archive_copy):
    win = _window(qtbot, tmp_path, archive_copy)
    panel = win.case_panel
    # Show the timeline tab (a click on its tab): the Case panel is hidden.
    bar = next(b for b in win.findChildren(type(panel.tabs.tabBar()))
               if any(b.tabText(i) == "Timeline" for i in range(b.count())))
    timeline_tab = next(i for i in range(bar.count()) if bar.tabText(i) == "Timeline")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     bar.tabRect(timeline_tab).center())
    qtbot.waitUntil(lambda: not panel._on_screen)
    with Archive.open(archive_copy) as arc:
        conflict = next(c for c in arc.case.conflicts() if c.kind == "rank")
        arc.case.set_conflict_status(conflict.key, "not-a-conflict")
    win.session.notify_articles_changed()
    row = _row_of(panel.conflicts_model, lambda c: c.kind == "rank")
    assert panel.conflicts_model.items()[row].status == "open"  # not read while hidden
    case_tab = next(i for i in range(bar.count()) if bar.tabText(i) == "Case")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bar.tabRect(case_tab).center())
    qtbot.waitUntil(lambda: panel._on_screen)
    row = _row_of(panel.conflicts_model, lambda c: c.kind == "rank")
    assert panel.conflicts_model.items()[row].status == "not-a-conflict"
    win.close()


def test_dates_in_the_case_tables_read_as_in_the_timeline(qtbot):
    from archive.case.records import CaseEvent, Conflict, ConflictClaim
    events = CaseEventModel()
    events.set_items((CaseEvent("k", "2025-03", "month", "arrest", "Arrest: X", "x", (), (), 1),
                      CaseEvent("j", "2025-03-05", "day", "ruling", "Ruling: X", "x", (), (), 1)))
    assert [events.index(r, 0).data() for r in range(2)] == ["Mar 2025", "5 Mar 2025"]
    conflicts = ConflictModel()
    conflicts.set_items((Conflict("c", "Arrest of X", "date", (ConflictClaim("2025-03-05", ()),
                                                               ConflictClaim("2025-03-06", ()))),
                         Conflict("d", "X", "rank", (ConflictClaim("captain", ()), ConflictClaim("major", ())))))
    assert conflicts.index(0, 2).data() == "5 Mar 2025 vs 6 Mar 2025"
    assert conflicts.index(1, 2).data() == "captain vs major"
