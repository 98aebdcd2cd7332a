"""Titles and quotes that look like HTML are shown as text, in real widgets (pytest-qt)."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QHelpEvent, QTextDocument  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip  # noqa: E402

from archive import Archive  # noqa: E402
from archive.models import Citation, Event  # noqa: E402
from archive.timeline import parse_partial_date  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.timeline import TimelinePanel  # noqa: E402
from desktop.widgets.search_panel import SearchPanel  # noqa: E402

HOSTILE = '<b>x</b><img src="file:///nowhere/pixel.png"> & co'
QUOTE = "<i>seized</i> the <a href='http://example.invalid'>ledger</a>"


def _shown(rich: str) -> str:
    """What Qt displays of a label or tooltip string (it renders what looks like HTML)."""
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def _tooltip_at(view, rect) -> str:
    """The tooltip a hover over ``rect`` of ``view`` shows (a real ToolTip help event)."""
    QToolTip.hideText()
    pos = rect.center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text()


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "raid.md").write_text(
        f"---\ntitle: '{HOSTILE}'\ndate: 2023-04-02\n---\n\nOfficers <i>seized</i> the "
        "<a href='http://example.invalid'>ledger</a> at dawn.\n", encoding="utf-8")
    arc = Archive.open(tmp_path / "arc")
    report = arc.index_folder(folder, facts=False)
    assert report.added == 1 and not report.problems
    yield arc
    arc.close()


def test_event_title_and_quote_show_as_text_in_sources(qtbot, archive):
    art = archive.articles()[0]
    archive.timelines.add_event(Event(
        id=None, timeline_id=None, start=parse_partial_date("2023-04-02"), title=HOSTILE,
        citations=(Citation(id=None, article_id=art.id, article_path="", quote=QUOTE, start=-1, end=-1),),
    ))
    session = Session()
    session.adopt(archive)
    panel = TimelinePanel(session)
    qtbot.addWidget(panel)
    panel.resize(1100, 650)
    panel.show()
    panel.reload()
    view = panel.table
    rect = view.visualRect(panel.model.index(0, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.selected_event_ids(), "the click selects the event"
    assert HOSTILE in _shown(panel.sources_title.text())
    item_rect = panel.sources.visualItemRect(panel.sources.item(0))
    assert QUOTE in _shown(_tooltip_at(panel.sources, item_rect))
    session.close()


def test_search_hit_tooltip_shows_title_as_text(qtbot, archive):
    panel = SearchPanel()
    qtbot.addWidget(panel)
    panel.search_fn = lambda query, sort: archive.search(query, sort=sort)
    panel.resize(600, 400)
    panel.show()
    qtbot.keyClicks(panel.field, "ledger")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    hit = panel.model.hit_at(0)
    assert hit.title == HOSTILE
    shown = _shown(_tooltip_at(panel.view, panel.view.visualRect(panel.model.index(0, 0))))
    assert shown.startswith(HOSTILE), shown


def test_a_quoted_markdown_link_reads_as_its_text_in_sources(qtbot, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "wire.txt").write_text(
        "Wire report\n\nHis lawyer [said](#) the court would [rule on Friday](https://example.invalid/a).\n",
        encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(folder, facts=False)
        art = arc.articles()[0]
        quote = "[said](#) the court would [rule on Friday](https://example.invalid/a)"
        arc.timelines.add_event(Event(
            id=None, timeline_id=None, start=parse_partial_date("2023-04-02"), title="Ruling expected",
            citations=(Citation(id=None, article_id=art.id, article_path="", quote=quote, start=-1, end=-1),),
        ))
        session = Session()
        session.adopt(arc)
        panel = TimelinePanel(session)
        qtbot.addWidget(panel)
        panel.resize(1100, 650)
        panel.show()
        panel.reload()
        view = panel.table
        rect = view.visualRect(panel.model.index(0, 1))
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        item = panel.sources.item(0)
        assert "said the court would rule on Friday" in item.text()
        assert "](" not in item.text()
        shown = _shown(_tooltip_at(panel.sources, panel.sources.visualItemRect(item)))
        assert "said the court would rule on Friday" in shown and "](" not in shown
        # The stored quote is still the article's exact characters.
        assert arc.timelines.events()[0].citations[0].quote == quote
        session.close()
