"""Colours that tell the kinds apart in both palettes, View › Theme, and F1's help."""
from __future__ import annotations

import html
import itertools
import math
import re

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from conftest import ROOT  # noqa: E402
from desktop import theme  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.widgets.reader import _SHORT  # noqa: E402
from test_desktop_reading import built, window  # noqa: E402,F401  (fixtures)

# CIE76 distance in Lab: about 2 is just noticeable side by side; highlights a
# reader must tell apart at a glance, scattered through a text, need far more.
MIN_TINT_DISTANCE = 20
PAGES = {False: QColor("#ffffff"), True: QColor("#16181c")}


@pytest.fixture(autouse=True)
def _app_look_restored(qapp):
    """Switching themes restyles the whole application: give the next tests back the look they had."""
    sheet, palette, style = qapp.styleSheet(), QPalette(qapp.palette()), qapp.style().name()
    dark, choice = theme._dark, theme._choice
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    theme._dark, theme._choice = dark, choice


def _lab(c: QColor) -> tuple[float, float, float]:
    def lin(v):
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = lin(c.redF()), lin(c.greenF()), lin(c.blueF())
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(a: QColor, b: QColor) -> float:
    return math.dist(_lab(a), _lab(b))


def test_distance_measure_is_sane():
    assert distance(QColor("#000000"), QColor("#ffffff")) == pytest.approx(100, abs=0.5)
    assert distance(QColor("#fff2a8"), QColor("#fbf8cb")) < MIN_TINT_DISTANCE   # the old term vs quantity tints


@pytest.mark.parametrize("dark", [False, True])
def test_highlight_colours_are_pairwise_distinct(dark, monkeypatch):
    monkeypatch.setattr(theme, "_dark", dark)
    page = PAGES[dark]
    # What the reader paints behind each kind (quotes are an underline only), and search terms.
    painted = {k: theme.blend(theme.fact_tint(k), page) for k in theme.FACT_COLORS if k != "quote"}
    painted["search term"] = theme.mark_color()
    close = [(a, b, round(distance(painted[a], painted[b]), 1))
             for a, b in itertools.combinations(painted, 2)
             if distance(painted[a], painted[b]) < MIN_TINT_DISTANCE]
    assert not close, f"highlights too alike ({'dark' if dark else 'light'}): {close}"
    # The underlines (and the legend's bars) differ as well.
    lines = {k: theme.fact_color(k) for k in theme.FACT_COLORS}
    close = [(a, b) for a, b in itertools.combinations(lines, 2) if distance(lines[a], lines[b]) < MIN_TINT_DISTANCE]
    assert not close


@pytest.mark.parametrize("name", ["light", "dark"])
def test_legend_names_every_kind_at_the_default_width(window, qtbot, name):
    window.set_theme(name)
    window.resize(1400, 900)       # the size of a first start
    qtbot.wait(50)
    reader = window.reader
    chips = list(reader.chips.values())
    for chip in chips:
        name_shown = _SHORT.get(chip.kind, theme.FACT_LABELS[chip.kind])
        assert chip.text().startswith(name_shown), (chip.kind, chip.text())
        assert chip.geometry().right() <= reader.legend_bar.width()
        assert chip.geometry().bottom() <= reader.legend_bar.height()
        assert chip.width() >= chip.sizeHint().width()
    window.set_theme("light")


def _menu_action(qtbot, menu, text: str):
    act = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    return act


def test_view_theme_menu_switches_live_and_is_remembered(window, qtbot):
    app = QApplication.instance()
    bar = window.menuBar()
    view_act = next(a for a in bar.actions() if a.text() == "&View")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(view_act).center())
    view_menu = view_act.menu()
    qtbot.waitUntil(view_menu.isVisible)
    theme_act = _menu_action(qtbot, view_menu, "Theme")
    qtbot.mouseClick(view_menu, Qt.MouseButton.LeftButton, pos=view_menu.actionGeometry(theme_act).center())
    sub = theme_act.menu()
    qtbot.waitUntil(sub.isVisible)
    assert [a.text().replace("&", "") for a in sub.actions()] == ["System", "Light", "Dark"]
    dark = _menu_action(qtbot, sub, "Dark")
    qtbot.mouseClick(sub, Qt.MouseButton.LeftButton, pos=sub.actionGeometry(dark).center())
    qtbot.waitUntil(lambda: theme.is_dark())

    assert app.palette().color(QPalette.ColorRole.Base).lightness() < 60
    assert dark.isChecked()
    # The article on screen is repainted in the dark colours.
    fact_sel = next(s for s in window.reader.text.extraSelections()
                    if s.format.background().style() != Qt.BrushStyle.NoBrush)
    kind = fact_sel.format.property(0x100000)
    assert fact_sel.format.background().color() == theme.fact_tint(kind)
    assert Settings(window.settings.folder).theme == "dark"

    # Back to light, this time from the keyboard: Alt+V, then the menu's mnemonics.
    QTest.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(view_menu.isVisible)
    QTest.keyClick(view_menu, Qt.Key.Key_T)
    qtbot.waitUntil(sub.isVisible)
    QTest.keyClick(sub, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: not theme.is_dark())
    assert Settings(window.settings.folder).theme == "light"
    assert app.palette().color(QPalette.ColorRole.Base).lightness() > 200


def _readme_syntax_examples() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Search syntax", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) >= 7
    return [re.findall(r"`([^`]+)`", row.split(" | ")[0]) for row in rows]


def test_f1_help_lists_every_feature_of_the_readme_table(window, qtbot):
    QTest.keyClick(window, Qt.Key.Key_F1)
    box = next(w for w in window.findChildren(QMessageBox) if w.isVisible())
    shown = html.unescape(re.sub(r"<[^>]+>", " ", box.informativeText()))
    shown = " ".join(shown.split())
    for examples in _readme_syntax_examples():
        for example in examples:
            assert example in shown, f"F1 help lacks the README's example {example!r}"
    assert "F3" in shown
    box.close()
