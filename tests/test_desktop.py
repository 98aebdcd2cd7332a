"""The desktop app on the real demo archive: opening, searching, reading facts."""
from __future__ import annotations

import json
import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QImage, QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu  # noqa: E402

from archive import Archive  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.widgets.article_text import PASSAGE_MIME  # noqa: E402

INDEX_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory, demo_dir):
    """The demo folder indexed once (with facts); tests work on copies."""
    if not demo_dir.is_dir() or not any(demo_dir.iterdir()):
        pytest.fail(f"the demo articles are missing from {demo_dir}")
    target = tmp_path_factory.mktemp("demo") / "archive"
    with Archive.open(target) as arc:
        report = arc.index_folder(demo_dir)
        assert report.added > 0
    return target


@pytest.fixture
def window(qtbot, tmp_path, built_demo):
    copy = tmp_path / "archive"
    shutil.copytree(built_demo, copy, ignore=shutil.ignore_patterns("*.lock", "write.lock"))
    settings = Settings(tmp_path / "settings")
    session = Session()
    win = MainWindow(session, settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_archive(copy)
    yield win
    win.close()


def _run_search(win, qtbot, query: str) -> None:
    win.focus_search()
    win.search_panel.field.setText(query)
    # The search runs on the reader pool: wait until its results are shown.
    with qtbot.waitSignal(win.search_panel.search_finished, timeout=10_000):
        win.search_panel.run_query(query)


def _fact_of_kind(win, kind: str):
    facts = [f for f in win.reader.text.facts() if f.kind == kind]
    assert facts, f"the first article shows no {kind} facts"
    return facts[len(facts) // 2]


def test_open_demo_archive_lists_every_article(window, demo_dir):
    arc = window.session.archive
    n_files = len([p for p in demo_dir.iterdir() if not p.name.startswith(".")])
    assert window.archive_panel.model.rowCount() == len(arc.articles()) == n_files
    # The first article is on screen with its facts, grouped by kind.
    assert window.reader.article is not None
    assert window.facts_panel.model.rowCount() > 0
    assert len(window.facts_panel.model.facts()) == len(arc.facts(window.reader.article.id))
    assert "articles" in window.archive_label.text()


def test_demo_archive_is_built_in_background_on_first_use(qtbot, tmp_path, demo_dir):
    # CASEFILE_DATA_DIR points to an empty per-test folder (conftest): first use.
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=INDEX_TIMEOUT_MS):
        win.open_initial(None)
        assert win.session.is_indexing
        assert win.isVisible()
    assert win.archive_panel.model.rowCount() == len(list(demo_dir.iterdir()))
    assert win.reader.article is not None
    win.close()


def test_search_and_click_a_hit_opens_the_article(window, qtbot):
    _run_search(window, qtbot, "Brannik")
    panel = window.search_panel
    assert panel.model.rowCount() > 1
    assert panel.error.isHidden()
    assert "match" in panel.count.text()
    row = panel.model.rowCount() - 1
    hit = panel.model.hit_at(row)
    rect = panel.view.visualRect(panel.model.index(row, 0))
    panel.view.scrollTo(panel.model.index(row, 0))
    rect = panel.view.visualRect(panel.model.index(row, 0))
    with qtbot.waitSignal(window.article_shown) as blocker:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [hit.article_id]
    assert window.reader.article.id == hit.article_id
    # The query's words are highlighted in the text and remembered in the history.
    assert window.reader.text._term_selections
    assert panel.history()[0] == "Brannik"
    assert window.settings.search_history[0] == "Brannik"


def test_up_down_in_the_field_moves_through_hits_and_enter_opens(window, qtbot):
    _run_search(window, qtbot, "court")
    panel = window.search_panel
    assert panel.model.rowCount() >= 2
    assert panel.view.currentIndex().row() == 0
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.view.currentIndex().row() == 1
    qtbot.keyClick(panel.field, Qt.Key.Key_Up)
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    expected = panel.model.hit_at(1).article_id
    with qtbot.waitSignal(window.article_shown):
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.reader.article.id == expected


@pytest.mark.parametrize("query", ['"unclosed phrase', "(border", ""])
def test_bad_or_empty_query_is_explained_inline(window, qtbot, query):
    window.focus_search()
    panel = window.search_panel
    panel.field.setText(query)
    with qtbot.waitSignal(panel.search_finished, timeout=10_000):
        qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert not panel.error.isHidden()
    assert panel.error.text()
    assert panel.model.rowCount() == 0
    # Never a dialog for a query.
    assert window._last_error_box is None
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.objectName() == "errorDialog"]


def test_cyrillic_query_typed_into_the_field(window, qtbot):
    window.focus_search()
    field = window.search_panel.field
    # keyClicks with Cyrillic aborts the process: send key events carrying the text.
    for ch in "Лессария":
        QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                Qt.KeyboardModifier.NoModifier, ch))
        QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_unknown,
                                                Qt.KeyboardModifier.NoModifier, ch))
    assert field.text() == "Лессария"
    qtbot.waitUntil(lambda: window.search_panel.query == "Лессария", timeout=3000)
    hits = window.search_panel.model.hits()
    assert hits, "the Russian article should match its own word"
    langs = {window.session.archive.article(h.article_id, with_text=False).lang for h in hits}
    assert "ru" in langs


def test_clicking_a_fact_selects_its_span_in_the_reader(window, qtbot):
    fact = _fact_of_kind(window, "person")
    panel = window.facts_panel
    idx = panel.proxy.mapFromSource(panel.model.index_of_fact(fact))
    panel.view.scrollTo(idx)
    rect = panel.view.visualRect(idx)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.reader.selected_span() == (fact.start, fact.end)
    cursor = window.reader.text.textCursor()
    assert cursor.selectedText() == fact.text
    assert window.reader.text._flash is not None


def test_clicking_a_highlight_selects_the_fact_in_the_panel(window, qtbot):
    fact = _fact_of_kind(window, "date")
    text = window.reader.text
    # Bring the fact into view without leaving a selection behind.
    window.reader.select_span(fact.start, fact.end, flash=False)
    cur = text.textCursor()
    cur.clearSelection()
    text.setTextCursor(cur)
    pos = text.position_of(fact.start + (fact.end - fact.start) // 2)
    qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    selected = window.facts_panel.selected_fact()
    assert selected is not None
    assert selected.start <= fact.start + (fact.end - fact.start) // 2 < selected.end


def _busiest_entity_row(win):
    """The entity row of the first article with the most mentions (at least 3)."""
    model, proxy = win.facts_panel.model, win.facts_panel.proxy
    best = None
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for r in range(model.rowCount(group)):
            entity = model.entity_at(model.index(r, 0, group))
            if entity is not None and (best is None or len(entity.mentions) > len(best[1].mentions)):
                best = (model.index(r, 0, group), entity)
    assert best is not None and len(best[1].mentions) >= 3, "the first article names nobody three times"
    return proxy.mapFromSource(best[0]), best[1]


def _click_row(panel, qtbot, idx):
    panel.view.scrollTo(idx)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(idx).center())


def _span(fact):
    return fact.start, fact.end


def test_people_show_once_with_their_mention_count(window):
    model = window.facts_panel.model
    facts = window.reader.text.facts()
    for kind in ("person", "org", "place"):
        group = model.group_index(kind)
        if not group.isValid():
            continue
        names = [model.index(r, 0, group).data() for r in range(model.rowCount(group))]
        assert len(names) == len(set(names)), f"{kind}: one row per entity"
        mentions = sum(model.rowCount(model.index(r, 0, group)) for r in range(model.rowCount(group)))
        assert mentions == len([f for f in facts if f.kind == kind])
    # Entity rows start closed: the tree is one line per person.
    idx, _entity = _busiest_entity_row(window)
    assert not window.facts_panel.view.isExpanded(idx)


def test_clicking_an_entity_steps_through_its_mentions(window, qtbot):
    panel = window.facts_panel
    idx, entity = _busiest_entity_row(window)
    n = len(entity.mentions)
    _click_row(panel, qtbot, idx)
    assert window.reader.selected_span() == _span(entity.mentions[0])
    assert window.reader.text._flash is not None
    _click_row(panel, qtbot, idx)
    assert window.reader.selected_span() == _span(entity.mentions[1])
    assert panel.current_mention() == (1, n)
    assert panel.mention_label.text() == f"2 of {n}"
    qtbot.keyClick(panel.view, Qt.Key.Key_F3)
    assert window.reader.selected_span() == _span(entity.mentions[2 % n])
    qtbot.keyClick(panel.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert window.reader.selected_span() == _span(entity.mentions[1])
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert window.reader.selected_span() == _span(entity.mentions[2 % n])
    panel.prev_button.click()
    panel.prev_button.click()
    assert window.reader.selected_span() == _span(entity.mentions[0])
    panel.prev_button.click()      # wraps round to the last
    assert window.reader.selected_span() == _span(entity.mentions[-1])
    # Add to Timeline takes the mention on screen.
    assert panel.selected_fact() == entity.mentions[-1]


def test_expanded_entity_lists_each_mention_as_written(window, qtbot):
    panel = window.facts_panel
    idx, entity = _busiest_entity_row(window)
    panel.view.expand(idx)
    children = [panel.proxy.index(r, 0, idx) for r in range(panel.proxy.rowCount(idx))]
    assert len(children) == len(entity.mentions)
    for child, mention in zip(children, entity.mentions):
        assert child.data().split(" \u00b7 ")[0] == " ".join(mention.text.split())
    last = children[-1]
    _click_row(panel, qtbot, last)
    assert window.reader.selected_span() == _span(entity.mentions[-1])
    assert window.reader.text.textCursor().selectedText() == entity.mentions[-1].text
    # F3 on a mention row moves the selection down the list, wrapping round.
    qtbot.keyClick(panel.view, Qt.Key.Key_F3)
    assert window.reader.selected_span() == _span(entity.mentions[0])
    assert panel.view.currentIndex() == children[0]


def test_clicking_a_name_selects_its_entity_row(window, qtbot):
    panel = window.facts_panel
    idx, entity = _busiest_entity_row(window)
    mention = entity.mentions[1]
    text = window.reader.text
    window.reader.select_span(mention.start, mention.end, flash=False)
    cur = text.textCursor()
    cur.clearSelection()
    text.setTextCursor(cur)
    qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton,
                     pos=text.position_of(mention.start + len(mention.text) // 2))
    # The entity's row (closed) is selected, and it knows which mention was clicked.
    assert panel.view.currentIndex() == idx
    assert panel.selected_fact() == mention
    assert panel.current_mention() == (1, len(entity.mentions))
    _click_row(panel, qtbot, idx)
    assert window.reader.selected_span() == _span(entity.mentions[2])
    # With the row open, the mention's own row is selected instead.
    panel.view.expand(idx)
    window.reader.select_span(mention.start, mention.end, flash=False)
    cur = text.textCursor()
    cur.clearSelection()
    text.setTextCursor(cur)
    qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton,
                     pos=text.position_of(mention.start + len(mention.text) // 2))
    assert panel.view.currentIndex() == panel.proxy.index(1, 0, idx)


def test_entity_lists_the_articles_that_mention_it(window, qtbot):
    arc = window.session.archive
    entity = next(e for e in arc.entities("person") if 1 < e.article_count < len(arc.articles()))
    window.filter_by_entity(entity.id)
    shown = {a.id for a in window.archive_panel.visible_articles()}
    assert shown == {a.id for a in arc.articles_mentioning(entity.id)}
    assert entity.name in window.archive_panel.summary.text()
    window.archive_panel.clear_filters()
    assert window.archive_panel.proxy.rowCount() == len(arc.articles())


def test_outlet_and_date_filters(window):
    panel = window.archive_panel
    arc = window.session.archive
    outlet = arc.outlets()[0]
    panel.outlet.setCurrentIndex(panel.outlet.findData(outlet))
    assert {a.outlet for a in panel.visible_articles()} == {outlet}
    panel.clear_filters()
    dated = sorted(a.published for a in arc.articles() if a.published)
    panel.date_from.set_value(dated[-1][:10])
    assert all((a.published or "") >= dated[-1][:10] for a in panel.visible_articles())
    assert panel.proxy.rowCount() >= 1


def test_metadata_is_corrected_in_place(window, qtbot):
    header = window.reader.header
    field = header.fields["author"]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.setText("A. Corrected")
    # The correction is written on the writer pool; the article is shown again after.
    with qtbot.waitSignal(window.article_shown, timeout=30_000):
        qtbot.keyClick(field, Qt.Key.Key_Return)
    article = window.session.archive.article(window.reader.article.id)
    assert article.author == "A. Corrected"
    assert article.provenance["author"] == "user"
    assert header.tags["author"].text() == "corrected"
    # A bad date is refused next to the field.
    date = header.fields["published"]
    date.setFocus()
    date.setText("not a date")
    qtbot.keyClick(date, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not header.error.isHidden(), timeout=30_000)


def test_boilerplate_is_hidden_until_asked(window, qtbot):
    arc = window.session.archive
    article = next(a for a in arc.articles() if a.regions)
    window.show_article(article.id)
    text = window.reader.text
    region = article.regions[0]
    block = text.document().findBlock(text.offset_map.to_qt(region.start))
    assert not window.reader.boilerplate_button.isHidden()
    if region.end - region.start >= block.length() - 1:
        assert not block.isVisible()
    window.act_boilerplate.setChecked(True)
    assert block.isVisible()
    assert window.settings.show_boilerplate is True


def test_passage_drag_carries_offsets(window):
    fact = _fact_of_kind(window, "place")
    window.reader.select_span(fact.start, fact.end, flash=False)
    mime = window.reader.text.createMimeDataFromSelection()
    payload = json.loads(bytes(mime.data(PASSAGE_MIME)).decode("utf-8"))
    assert payload == {"article_id": window.reader.article.id, "start": fact.start,
                       "end": fact.end, "text": fact.text}


def test_ctrl_t_adds_the_selected_passage_to_the_timeline(window, qtbot, monkeypatch):
    calls = []
    monkeypatch.setattr(window.timeline_panel, "add_from_passage",
                        lambda article, start, end: calls.append(("passage", article.id, start, end)))
    monkeypatch.setattr(window.timeline_panel, "add_from_fact",
                        lambda fact, article: calls.append(("fact", fact.id, article.id)))
    fact = _fact_of_kind(window, "date")
    window.reader.select_span(fact.start, fact.end + 3, flash=False)
    window.reader.text.setFocus()
    window.act_add.trigger()
    assert calls[-1] == ("passage", window.reader.article.id, fact.start, fact.end + 3)
    window.facts_panel.select_fact(fact)
    window.facts_panel.view.setFocus()
    qtbot.waitUntil(window.facts_panel.view.hasFocus)
    window.act_add.trigger()
    assert calls[-1] == ("fact", fact.id, window.reader.article.id)


def test_menus_carry_the_shortcuts(window):
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString()
                 for menu in window.menuBar().findChildren(QMenu)
                 for a in menu.actions()}
    assert shortcuts["Open Folder…"] == "Ctrl+O"
    assert shortcuts["Find…"] == "Ctrl+F"
    assert shortcuts["Add to Timeline"] == "Ctrl+T"
    assert shortcuts["Zoom In"] == "Ctrl++"
    assert shortcuts["Zoom Out"] == "Ctrl+-"
    assert shortcuts["Quit"] == "Ctrl+Q"
    assert shortcuts["Query Syntax"] == "F1"
    assert window.act_undo.shortcut().toString() == "Ctrl+Z"
    redo = {k.toString() for k in window.act_redo.shortcuts()}
    assert "Ctrl+Shift+Z" in redo and "Ctrl+Y" in redo


def test_zoom_and_layout_are_remembered(window, qtbot, tmp_path):
    before = window.reader.text.font().pointSizeF()
    window.zoom_in()
    window.zoom_in()
    assert window.reader.text.font().pointSizeF() > before
    assert window.settings.text_zoom == 2
    window.save_window_state()
    again = Settings(window.settings.folder)
    assert again.text_zoom == 2
    assert again.state("main_window/geometry") is not None
    assert again.last_archive == str(window.session.archive_path)


def test_screenshot_of_the_window(window, tmp_path):
    path = tmp_path / "window.png"
    assert window.grab().save(str(path), "PNG")
    image = QImage(str(path))
    assert image.width() >= 1000 and image.height() >= 600


def test_timeline_dock_starts_small_and_remembers(window, qtbot, tmp_path):
    from desktop.main_window import DOCK_SHARE

    # About DOCK_SHARE of the height (less when the panels above cannot shrink further).
    dock = window.timeline_dock
    qtbot.waitUntil(lambda: dock.minimumSizeHint().height() <= dock.height() <= window.height() * DOCK_SHARE + 4)
    assert dock.height() >= window.height() * 0.2
    first = dock.height()
    window.resizeDocks([dock], [first + 120], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: dock.height() > first + 60)
    chosen = dock.height()
    window.save_window_state()
    again = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: abs(again.timeline_dock.height() - chosen) < 6)
    again.close()


def test_header_names_a_shared_source_once(window):
    article = window.reader.article
    header = window.reader.header
    shown = [n for n, tag in header.tags.items() if not tag.isHidden()]
    sources = {article.provenance.get(n) for n in header.fields if header.fields[n].value}
    if len(sources) == 1:
        assert shown == ["title"]
    # Every field's source is still told: by its own tag or, when shared, the title's
    # (an inferred date says so itself).
    tip = header.tags["title"].toolTip()
    for name in header.fields:
        if header.fields[name].value and header.tags[name].isHidden():
            if article.provenance[name] == "inferred":
                assert header.fields[name].text().endswith("(inferred)")
                continue
            assert article.provenance[name] == article.provenance["title"]
            assert {"published": "date", "url": "address"}.get(name, name) in tip.lower()


def test_title_copies_in_the_text_step_back(window):
    arc = window.session.archive
    html = next(a for a in arc.articles() if a.format == "html" and a.title)
    window.show_article(html.id)
    text = window.reader.text
    echoes = text.title_echo_blocks()
    assert echoes, "the page repeats its title above the report"
    doc = text.document()
    assert doc.toPlainText().replace("\u2029", "\n") == text._text, "formatting never changes the text"
    first = doc.findBlockByNumber(echoes[0])
    assert " ".join(first.text().split()).casefold() == " ".join(html.title.split()).casefold()
    regions = [(r.start, r.end) for r in html.regions]
    fact = next(f for f in arc.facts(html.id)
                if f.start < html.body_end and not any(a <= f.start < b for a, b in regions)
                and doc.findBlock(text.offset_map.to_qt(f.start)).blockNumber() > max(echoes))
    body = doc.findBlock(text.offset_map.to_qt(fact.start))
    dimmed = first.begin().fragment().charFormat().foreground().color()
    normal = body.begin().fragment().charFormat().foreground().color()
    assert dimmed != normal


def test_legend_fits_a_narrow_reader(window, qtbot):
    reader = window.reader
    chip = reader.chips["person"]
    arc = window.session.archive
    window.show_article(next(a for a in arc.articles() if a.regions).id)
    assert chip.text().startswith("People")
    button = reader.boilerplate_button
    assert not button.isHidden()
    one_line = reader.legend_bar.height()
    total = sum(window.splitter.sizes())
    window.splitter.setSizes([total - 420 - 280, 420, 280])
    # A narrower reader: the legend wraps onto a second line and keeps the names.
    qtbot.waitUntil(lambda: reader.legend_bar.height() > one_line)
    assert chip.text().startswith("People")
    window.splitter.setSizes([900, 200, 280])
    # The narrowest: the names give way to the counts; the switch is never squeezed.
    qtbot.waitUntil(lambda: chip.text().isdigit())
    assert "People" in chip.toolTip()
    assert button.width() >= button.sizeHint().width()
    for widget in list(reader.chips.values()) + [button]:
        assert widget.geometry().right() <= reader.legend_bar.width()
        assert widget.geometry().bottom() <= reader.legend_bar.height()
    plain = next(a for a in arc.articles() if not a.regions and a.body_end >= len(arc.article(a.id).text))
    window.show_article(plain.id)
    assert reader.boilerplate_button.isHidden(), "no boilerplate: no switch for it"
