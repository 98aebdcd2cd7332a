"""Reading by keyboard and mouse: search hits open at their first match, F3
steps through the matches, Markdown links read as their text."""
from __future__ import annotations

import re
import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from archive import Archive  # noqa: E402
from desktop.main_window import MainWindow  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.settings import Settings  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory, demo_dir, seeds_dir):
    """The demo articles plus seed 001 (which has Markdown links), indexed once."""
    folder = tmp_path_factory.mktemp("articles")
    for f in demo_dir.iterdir():
        shutil.copy(f, folder / f.name)
    shutil.copy(next(seeds_dir.glob("001_*.txt")), folder / "seed-001.txt")
    target = tmp_path_factory.mktemp("arc") / "archive"
    with Archive.open(target) as arc:
        arc.index_folder(folder)
    return target


@pytest.fixture
def window(qtbot, tmp_path, built):
    copy = tmp_path / "archive"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("*.lock"))
    win = MainWindow(Session(), Settings(tmp_path / "settings"))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.article_shown, timeout=10_000):
        win.open_archive(copy)
    yield win
    win.close()


def _seed(win):
    return next(a for a in win.session.archive.articles() if a.path.endswith("seed-001.txt"))


def _type_query(win, qtbot, query: str) -> None:
    QTest.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = win.search_panel.field
    qtbot.waitUntil(field.hasFocus)
    QTest.keyClicks(field, query)
    with qtbot.waitSignal(win.article_shown, timeout=5000):
        QTest.keyClick(field, Qt.Key.Key_Return)


def _cursor_visible(text) -> bool:
    rect = text.cursorRect(text.textCursor())
    return text.viewport().rect().contains(rect.center())


def test_search_hit_opens_at_first_match_and_f3_steps_through(window, qtbot):
    _type_query(window, qtbot, "Zhovtis")
    reader = window.reader
    assert reader.article.path.endswith("seed-001.txt")
    text = reader.text
    stored = reader.article.text
    matches = [m.start() for m in re.finditer("Zhovtis", stored)]
    assert len(matches) >= 2
    first = text.selected_span()
    assert first is not None and stored[first[0]:first[1]] == "Zhovtis" and first[0] == matches[0]
    assert _cursor_visible(text)
    assert window.statusBar().currentMessage().startswith(f"Match 1 of {len(matches)}")

    QTest.keyClick(text, Qt.Key.Key_F3)
    assert text.selected_span()[0] == matches[1]
    assert window.statusBar().currentMessage().startswith(f"Match 2 of {len(matches)}")
    assert _cursor_visible(text)
    for _ in range(len(matches) - 1):   # past the last match: round to the first
        QTest.keyClick(text, Qt.Key.Key_F3)
    assert text.selected_span()[0] == matches[0]
    QTest.keyClick(text, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)   # and back to the last
    assert text.selected_span()[0] == matches[-1]
    assert window.statusBar().currentMessage().startswith(f"Match {len(matches)} of {len(matches)}")


def test_long_article_scrolls_to_a_match_far_down(window, qtbot):
    # A word that occurs only near the end of the seed: the reader must scroll to it.
    window.resize(1024, 700)
    stored = window.session.archive.article(_seed(window).id).text
    word = "supervisor"
    assert stored.index(word) > len(stored) * 0.6 and stored.count(word) == 1
    _type_query(window, qtbot, word)
    text = window.reader.text
    assert text.verticalScrollBar().value() > 0
    assert _cursor_visible(text)
    span = text.selected_span()
    assert stored[span[0]:span[1]] == word


def test_f3_without_a_search_says_what_to_do(window, qtbot):
    QTest.keyClick(window.reader.text, Qt.Key.Key_F3)
    assert "search first" in window.statusBar().currentMessage()


def test_markdown_links_read_as_their_text(window, qtbot):
    seed = _seed(window)
    window.show_article(seed.id)
    text = window.reader.text
    stored = window.session.archive.article(seed.id).text
    assert "[reported](#)" in stored                       # the store keeps the file's text
    shown = text.toPlainText()
    assert "media reported Friday" in shown and "](#)" not in shown
    assert "[The Kazakh authorities]" in shown              # brackets without a link stay

    # Double-click the word: the selection names the stored characters of the word.
    at = stored.index("[reported](#)") + 1
    text.setFocus()
    QTest.mouseDClick(text.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                      text.position_of(at + 2))
    start, end = text.selected_span()
    assert stored[start:end] == "reported"
    # Shift+End extends to the end of the line: the copy for the timeline is the stored passage.
    QTest.keyClick(text, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    start, end = text.selected_span()
    assert stored[start:end].startswith("reported](#) Friday")

    # Every highlight still covers its fact's words.
    for fact in window.session.archive.facts(seed.id):
        cur = text._span_cursor(fact.start, fact.end)
        from archive.markup import display_text
        assert cur.selectedText() == display_text(stored[fact.start:fact.end]).replace("\n", "\u2029")


def test_a_quote_across_a_link_reads_as_text_in_the_facts_panel():
    from archive.models import Fact
    from desktop.formatting import fact_display
    text = '"The ruling was [rushed through](#)," she said'
    quote = Fact("quote", text[1:text.index(",\"")], 1, text.index(",\""), "Yekaterina", "quote marks")
    assert fact_display(quote) == "\u201cThe ruling was rushed through\u201d \u2014 Yekaterina"


def test_markdown_emphasis_and_headings_read_as_styled_text(window, qtbot):
    explainer = next(a for a in window.session.archive.articles() if a.path.endswith("05-lantern-post-explainer.md"))
    window.show_article(explainer.id)
    text = window.reader.text
    stored = window.session.archive.article(explainer.id).text
    assert "**State Protection Bureau**" in stored and "## Who is he?" in stored
    shown = text.toPlainText()
    assert "captain in the State Protection Bureau (SPB)" in shown
    assert "**" not in shown and "## " not in shown and "\u2029Who is he?\u2029" in shown.replace("\n", "\u2029")
    # The words the ** marked are bold, the words around them are not; a heading is bold.
    at = stored.index("**State Protection Bureau**") + 2
    assert text._span_cursor(at, at + 5).charFormat().fontWeight() == QFont.Weight.Bold
    before = stored.index("captain in the **State")
    assert text._span_cursor(before, before + 7).charFormat().fontWeight() != QFont.Weight.Bold
    heading = stored.index("Who is he?")
    assert text._span_cursor(heading, heading + 3).charFormat().fontWeight() == QFont.Weight.Bold

    # Drag-select across the bold words with the mouse: the selection is the stored passage.
    text.setFocus()
    start_at, end_at = stored.index("captain in"), stored.index(" (SPB)")
    QTest.mousePress(text.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     text.position_of(start_at))
    QTest.mouseMove(text.viewport(), text.position_of(end_at))
    QTest.mouseRelease(text.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       text.position_of(end_at))
    start, end = text.selected_span()
    # The press and release land mid-character, so either side of the space may be taken.
    assert stored[start:end].strip() == "captain in the **State Protection Bureau**"
