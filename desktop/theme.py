"""Colours: light and dark palettes that follow the system, and one colour
per fact kind.

Fact colours are hues spread round the colour wheel (blue dates, green
places, teal organisations, orange people, rose legal steps, violet
quantities; search terms are marked yellow), so that the kinds a reader
compares most (search terms, quantities and people; dates and places) never
share a hue family. In the text each kind is a tint of its colour plus an
underline in the full colour, so kinds also differ by more than the tint;
tests/test_desktop_theme.py keeps every pair of tints apart in both palettes.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from .resources import clear_icon_cache, stylesheet

__all__ = ["FACT_COLORS", "FACT_LABELS", "fact_color", "fact_tint", "is_dark",
           "apply_theme", "mark_color", "dim_color", "contrast_ratio", "relative_luminance", "blend",
           "MIN_CONTRAST", "muted_color"]

FACT_COLORS = {
    "date": "#2F80ED",      # blue
    "person": "#F07B16",    # orange
    "org": "#13A3A3",       # teal
    "place": "#2E9E44",     # green
    "quantity": "#A04FE0",  # violet
    "legal": "#D6336C",     # rose
    "quote": "#CC79A7",     # reddish purple (an underline only)
}
FACT_LABELS = {
    "date": "Dates", "person": "People", "org": "Organisations", "place": "Places",
    "quantity": "Quantities", "legal": "Legal steps", "quote": "Quotes",
}

_dark = False
_choice = "system"


def is_dark() -> bool:
    """Whether the dark palette is in use."""
    return _dark


def fact_color(kind: str) -> QColor:
    return QColor(FACT_COLORS.get(kind, "#999999"))


# Text and page colours of the reader in each palette (see _palette).
_INK = {False: QColor("#1d2125"), True: QColor("#e6e6e6")}
_PAGE = {False: QColor("#ffffff"), True: QColor("#16181c")}
# Body text on a highlight keeps at least the WCAG AA ratio for normal text.
MIN_CONTRAST = 4.5


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black .. 1 white)."""
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 .. 21)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def blend(top: QColor, bottom: QColor) -> QColor:
    """``top`` (with its alpha) painted over an opaque ``bottom``."""
    a = top.alphaF()
    return QColor.fromRgbF(top.redF() * a + bottom.redF() * (1 - a),
                           top.greenF() * a + bottom.greenF() * (1 - a),
                           top.blueF() * a + bottom.blueF() * (1 - a))


def fact_tint(kind: str) -> QColor:
    """The background behind a fact of ``kind`` in the text.

    As strong a tint as the body text stays readable on: on the dark page a
    bright colour (the yellow of quantities) is laid on thinner than a deep one.
    """
    c = fact_color(kind)
    ink, page = _INK[_dark], _PAGE[_dark]
    alpha = 140 if _dark else 110
    while alpha > 30:
        c.setAlpha(alpha)
        if contrast_ratio(ink, blend(c, page)) >= MIN_CONTRAST:
            break
        alpha -= 5
    c.setAlpha(alpha)
    return c


def mark_color() -> QColor:
    """Background of search terms (in the reader and in snippets)."""
    return QColor("#6b5d00") if _dark else QColor("#fff066")


def dim_color() -> QColor:
    """Text colour of page boilerplate (quiet, still 4.5:1 on the page)."""
    return QColor("#8b939e") if _dark else QColor("#6b7280")


def muted_color() -> QColor:
    """Secondary text in lists (counts, the words after a value); the style sheet's @muted."""
    return QColor("#9aa1ab") if _dark else QColor("#6b7280")


def _system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None:
        value = scheme()
        if value == Qt.ColorScheme.Dark:
            return True
        if value == Qt.ColorScheme.Light:
            return False
    # Unknown scheme: judge by the platform's window colour.
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _palette(dark: bool) -> QPalette:
    p = QPalette()
    if dark:
        colors = {
            QPalette.ColorRole.Window: "#1f2227", QPalette.ColorRole.WindowText: "#e6e6e6",
            QPalette.ColorRole.Base: "#16181c", QPalette.ColorRole.AlternateBase: "#1c1f24",
            QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#2a2e35",
            QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#3d6fb6",
            QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2a2e35",
            QPalette.ColorRole.ToolTipText: "#e6e6e6", QPalette.ColorRole.PlaceholderText: "#7d8590",
            QPalette.ColorRole.Link: "#79b8ff", QPalette.ColorRole.Mid: "#3a3f47",
            QPalette.ColorRole.Midlight: "#30353c", QPalette.ColorRole.Dark: "#101215",
            QPalette.ColorRole.Light: "#3a3f47",
        }
    else:
        colors = {
            QPalette.ColorRole.Window: "#f4f5f7", QPalette.ColorRole.WindowText: "#1d2125",
            QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f7f8fa",
            QPalette.ColorRole.Text: "#1d2125", QPalette.ColorRole.Button: "#f0f1f3",
            QPalette.ColorRole.ButtonText: "#1d2125", QPalette.ColorRole.Highlight: "#2f6fd6",
            QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#ffffff",
            QPalette.ColorRole.ToolTipText: "#1d2125", QPalette.ColorRole.PlaceholderText: "#8a8f98",
            QPalette.ColorRole.Link: "#1f5fbf", QPalette.ColorRole.Mid: "#c9cdd3",
            QPalette.ColorRole.Midlight: "#e3e5e8", QPalette.ColorRole.Dark: "#a0a6ae",
            QPalette.ColorRole.Light: "#ffffff",
        }
    for role, value in colors.items():
        p.setColor(role, QColor(value))
    disabled = QColor("#6b7078") if dark else QColor("#a0a6ae")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def apply_theme(app: QApplication, choice: str = "system") -> bool:
    """Set the Fusion style with a light or dark palette; return True if dark.

    ``choice`` is ``system`` (follow the desktop, and keep following it),
    ``light`` or ``dark``.
    """
    global _dark, _choice
    _choice = choice if choice in ("light", "dark") else "system"
    _dark = _system_prefers_dark() if _choice == "system" else _choice == "dark"
    app.setStyle("Fusion")
    app.setPalette(_palette(_dark))
    clear_icon_cache()
    app.setStyleSheet(stylesheet("dark" if _dark else "light"))
    if choice == "system" and not app.property("casefile_follows_scheme"):
        app.setProperty("casefile_follows_scheme", True)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            # Only while the user still follows the system (View › Theme may have picked one).
            hints.colorSchemeChanged.connect(lambda *_: _choice == "system" and apply_theme(app, "system"))
    return _dark
