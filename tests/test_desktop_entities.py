"""The Entities view on the demo archive, driven by real clicks, keys and context menus."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QContextMenuEvent, QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from archive import Archive  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.models.entities import EntityFilter, EntityTableModel, SuggestionTableModel  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(scope="module")
def built(tmp_path_factory, demo_dir):
    """The demo articles copied (a test may touch one) and indexed once; tests work on copies."""
    base = tmp_path_factory.mktemp("entities-view")
    shutil.copytree(demo_dir, base / "articles")
    with Archive.open(base / "archive") as arc:
        arc.index_folder(base / "articles")
    return base


def _open_window(qtbot, archive_dir, settings_dir):
    win = MainWindow(Session(), Settings(settings_dir))
    qtbot.addWidget(win)
    win.resize(1400, 950)
    win.show()
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_archive(archive_dir)
    win.entities_dock.raise_()
    qtbot.waitUntil(lambda: win.entities_panel.model.rowCount() > 0, timeout=5_000)
    return win


@pytest.fixture
def window(qtbot, tmp_path, built):
    shutil.copytree(built / "archive", tmp_path / "archive", ignore=shutil.ignore_patterns("write.lock"))
    win = _open_window(qtbot, tmp_path / "archive", tmp_path / "settings")
    yield win
    win.close()


def _entity(win, name, kind=None):
    found = [e for e in win.session.archive.entities(kind) if e.name == name]
    assert len(found) == 1, name
    return found[0]


def _names(win):
    return {(e.kind, e.name) for e in win.session.archive.entities()}


def _click_entity(qtbot, panel, name, modifier=Qt.KeyboardModifier.NoModifier, double=False):
    entity = next(e for e in panel.model.entities() if e.name == name)
    idx = panel.proxy_index_of(entity.id)
    assert idx.isValid(), name
    panel.view.scrollTo(idx)
    center = panel.view.visualRect(idx).center()
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, modifier, center)
    if double:
        # QTest's double-click sends the double-click event alone; a mouse sends press and release first.
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, modifier, center)
    return entity, center


def _click_action(qtbot, menu, text):
    act = next(a for a in menu.actions() if a.text().replace("&", "").startswith(text))
    assert act.isEnabled(), text
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(act).center())
    return act


def test_models_pass_the_model_tester(qtmodeltester, window):
    panel = window.entities_panel
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.suggestion_model)
    assert isinstance(panel.model, EntityTableModel) and isinstance(panel.suggestion_model, SuggestionTableModel)


def test_lists_every_entity_with_counts_and_filters_by_kind_and_text(window, qtbot):
    panel = window.entities_panel
    arc = window.session.archive
    assert panel.model.rowCount() == len(arc.entities())
    brannik = _entity(window, "Teodor Brannik")
    row = panel.model.row_of(brannik.id)
    cells = [panel.model.index(row, c).data() for c in range(6)]
    assert cells[:2] == ["Teodor Brannik", "Person"] and cells[3] == brannik.article_count
    assert cells[4] == brannik.mention_count and "Бранника" in cells[5]
    qtbot.keyClicks(panel.filter_edit, "brannik")
    shown = {panel.entity_at(panel.proxy.index(r, 0)).name for r in range(panel.proxy.rowCount())}
    assert {"Teodor Brannik", "Mira Brannik"} <= shown and "Halvard Rusk" not in shown
    panel.filter_edit.clear()
    # An alias in another script finds it too (QTest types only ASCII: key events with their text).
    for ch in "теодора":
        QApplication.sendEvent(panel.filter_edit, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, ch))
    shown = {panel.entity_at(panel.proxy.index(r, 0)).name for r in range(panel.proxy.rowCount())}
    assert panel.filter_edit.text() == "теодора" and shown == {"Teodor Brannik"}
    panel.filter_edit.clear()
    panel.kind_combo.setFocus()
    qtbot.keyClick(panel.kind_combo, Qt.Key.Key_Down)       # People
    kinds = {panel.entity_at(panel.proxy.index(r, 0)).kind for r in range(panel.proxy.rowCount())}
    assert kinds == {"person"} and panel.proxy.entity_filter() == EntityFilter(kind="person")


def test_merge_selected_two_then_ctrl_z_and_redo(window, qtbot):
    panel = window.entities_panel
    # People are linked across scripts by the extractor itself; this place is not.
    _click_entity(qtbot, panel, "Greyfield")
    _click_entity(qtbot, panel, "Грейфилд", CTRL)
    assert len(panel.selected_entities()) == 2 and panel.merge_button.isEnabled()
    qtbot.mouseClick(panel.merge_button, Qt.MouseButton.LeftButton)
    assert ("place", "Грейфилд") not in _names(window)
    assert "Грейфилд" in _entity(window, "Greyfield").aliases
    assert [j.action for j in window.session.archive.entity_review.judgements()] == ["merge"]

    qtbot.keyClick(panel.view, Qt.Key.Key_Z, CTRL)
    assert ("place", "Грейфилд") in _names(window)
    ledger = window.session.archive.entity_review.judgements()
    assert [j.action for j in ledger] == ["merge", "undo"] and not ledger[0].active
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert ("place", "Грейфилд") not in _names(window)


def test_context_menu_changes_kind_and_the_facts_panel_follows(window, qtbot):
    panel = window.entities_panel
    # The town of Salvik, tagged as an organisation in a dateline.
    entity, center = _click_entity(qtbot, panel, "Salvik")
    assert entity.kind == "org"
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, center, panel.view.viewport().mapToGlobal(center))
    QApplication.sendEvent(panel.view.viewport(), event)
    menu = panel.menu
    assert menu is not None and menu.isVisible()
    kind_action = _click_action(qtbot, menu, "Kind")
    submenu = kind_action.menu()
    qtbot.waitUntil(submenu.isVisible, timeout=3_000)
    _click_action(qtbot, submenu, "Place")
    assert _entity(window, "Salvik", "place").id == entity.id

    # The article that names it shows it among the places now.
    article = window.session.archive.articles_mentioning(entity.id)[0]
    window.show_article(article.id)
    shown = [f for f in window.facts_panel.model.facts() if f.entity_id == entity.id]
    assert shown and {f.kind for f in shown} == {"place"}
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, CTRL)
    assert _entity(window, "Salvik", "org").id == entity.id
    window.show_article(article.id)
    assert {f.kind for f in window.facts_panel.model.facts() if f.entity_id == entity.id} == {"org"}


def test_menu_key_split_alias_delete_ignores_and_f2_renames(window, qtbot):
    panel = window.entities_panel
    _click_entity(qtbot, panel, "Teodor Brannik")
    qtbot.keyClick(panel.view, Qt.Key.Key_Menu)
    menu = panel.menu
    assert menu is not None and menu.isVisible()
    split_action = _click_action(qtbot, menu, "Split alias")
    qtbot.waitUntil(split_action.menu().isVisible, timeout=3_000)
    _click_action(qtbot, split_action.menu(), "Brannik")
    assert ("person", "Brannik") in _names(window)
    assert "Brannik" not in _entity(window, "Teodor Brannik").aliases

    _click_entity(qtbot, panel, "HARBOURTON - A")
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert ("org", "HARBOURTON - A") not in _names(window)

    entity, _ = _click_entity(qtbot, panel, "Petra Vallin")
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not panel.view
    editor.selectAll()
    qtbot.keyClicks(editor, "Petra Vallin (lawyer)")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("person", "Petra Vallin (lawyer)") in _names(window), timeout=3_000)
    assert _entity(window, "Petra Vallin (lawyer)").id == entity.id

    # Double-click: the articles that mention it, in the Articles tab.
    with qtbot.waitSignal(panel.entity_articles_requested, timeout=2_000) as requested:
        _click_entity(qtbot, panel, "Petra Vallin (lawyer)", double=True)
    assert requested.args == [entity.id]
    wanted = {a.id for a in window.session.archive.articles_mentioning(entity.id)}
    listed = {window.archive_panel.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1).id
              for r in range(window.archive_panel.proxy.rowCount())}
    assert listed == wanted and window.left_tabs.currentWidget() is window.archive_panel

    # Three undos bring every name back.
    for _ in range(3):
        qtbot.keyClick(panel.view, Qt.Key.Key_Z, CTRL)
    names = _names(window)
    assert ("person", "Petra Vallin") in names and ("org", "HARBOURTON - A") in names
    assert ("person", "Brannik") not in names


def test_suggestions_accept_and_dismiss_by_click(window, qtbot):
    panel = window.entities_panel
    model = panel.suggestion_model
    assert model.rowCount() > 0
    row = next(r for r in range(model.rowCount()) if model.suggestion_at(r).reason == "transliteration")
    s = model.suggestion_at(row)
    rect = panel.suggestion_view.visualRect(model.index(row, 0))
    qtbot.mouseClick(panel.suggestion_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert s.other.name in _entity(window, s.keep.name, s.keep.kind).aliases
    assert all({x.keep.id, x.other.id} != {s.keep.id, s.other.id} for x in model.suggestions())

    d = model.suggestion_at(0)
    rect = panel.suggestion_view.visualRect(model.index(0, 0))
    qtbot.mouseClick(panel.suggestion_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert all({x.keep.name, x.other.name} != {d.keep.name, d.other.name} for x in model.suggestions())
    assert [j.action for j in window.session.archive.entity_review.judgements()] == ["merge", "distinct"]


def test_judgements_made_in_the_window_survive_reopening_and_reindexing(qtbot, tmp_path, demo_dir):
    # A folder of its own: the test changes an article and indexes it again.
    source = tmp_path / "articles"
    shutil.copytree(demo_dir, source)
    archive_dir = tmp_path / "archive"
    with Archive.open(archive_dir) as arc:
        arc.index_folder(source)
    window = _open_window(qtbot, archive_dir, tmp_path / "settings")
    panel = window.entities_panel
    _click_entity(qtbot, panel, "Mira Brannik")
    _click_entity(qtbot, panel, "Lotta Graebe", CTRL)
    qtbot.mouseClick(panel.merge_button, Qt.MouseButton.LeftButton)
    _click_entity(qtbot, panel, "Velgrad Free Press •")
    qtbot.mouseClick(panel.ignore_button, Qt.MouseButton.LeftButton)
    reviewed = {(e.kind, e.name): e.id for e in window.session.archive.entities()}
    assert ("person", "Lotta Graebe") not in reviewed and ("org", "Velgrad Free Press •") not in reviewed
    window.close()

    changed = source / "10-eastgate-courier-velgrad-court.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nLotta Graebe was not in court.\n",
                       encoding="utf-8")
    with Archive.open(archive_dir) as arc:
        assert {(e.kind, e.name): e.id for e in arc.entities()} == reviewed
        assert arc.index_folder(source).changed == 1
        now = {(e.kind, e.name): e.id for e in arc.entities()}
        assert now[("person", "Mira Brannik")] == reviewed[("person", "Mira Brannik")]
        assert ("person", "Lotta Graebe") not in now and ("org", "Velgrad Free Press •") not in now
        mira = arc.entity(now[("person", "Mira Brannik")])
        assert "Lotta Graebe" in mira.aliases
        article = arc.article(changed)
        assert any(f.entity_id == mira.id and f.text == "Lotta Graebe" for f in arc.facts(article.id))

    again = _open_window(qtbot, archive_dir, tmp_path / "settings2")
    listed = {e.name for e in again.entities_panel.model.entities()}
    assert "Mira Brannik" in listed and "Lotta Graebe" not in listed
    again.close()


def test_a_refused_rename_says_why_and_leaves_no_undo_step(window, qtbot):
    panel = window.entities_panel
    before = panel.undo_stack.count()
    _click_entity(qtbot, panel, "Teodor Brannik")
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Mira Brannik")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.last_error is not None, timeout=3_000)
    assert "merge the two instead" in str(panel.last_error)
    assert "merge the two instead" in window.statusBar().currentMessage()
    assert panel.undo_stack.count() == before
    assert ("person", "Teodor Brannik") in _names(window)
    assert window.session.archive.entity_review.judgements() == []
