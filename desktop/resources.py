"""The app's icons and style sheets, from the bundled ``resources/`` (``archive.paths.resources_dir``).

Icons are SVG drawn in ``currentColor``; ``icon(name)`` renders them in the
palette's text colour at whatever size and screen scale Qt asks for, so they
stay sharp on high-DPI screens and readable in light and dark themes. A
missing icon gives an empty ``QIcon`` (it never stops the app).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from archive.paths import resources_dir

__all__ = ["RESOURCES", "icon", "icon_path", "stylesheet", "clear_icon_cache"]

RESOURCES = resources_dir()
_cache: dict[tuple[str, str], QIcon] = {}


def icon_path(name: str) -> Path:
    return RESOURCES / "icons" / f"{name}.svg"


class _SvgIconEngine(QIconEngine):
    """Renders one SVG (already coloured) at any size; dims it when disabled."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self._data = data
        self._renderer = QSvgRenderer(QByteArray(data))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(0.38)
        self._renderer.render(painter, rect)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pm = QPixmap(size)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        self.paint(p, QRect(0, 0, size.width(), size.height()), mode, state)
        p.end()
        return pm

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        pm = self.pixmap(size * scale, mode, state)
        pm.setDevicePixelRatio(scale)
        return pm

    def clone(self) -> "QIconEngine":
        return _SvgIconEngine(self._data)


def _ink() -> str:
    app = QGuiApplication.instance()
    if app is None:
        return "#4a5260"
    text = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    # Slightly softer than the text itself, like most toolkits' symbolic icons.
    return "#c9cfd8" if text.lightness() > 128 else "#4a5260"


def icon(name: str) -> QIcon:
    colour = _ink()
    key = (name, colour)
    if key not in _cache:
        path = icon_path(name)
        if not path.is_file():
            _cache[key] = QIcon()
        else:
            svg = path.read_text(encoding="utf-8").replace("currentColor", colour)
            _cache[key] = QIcon(_SvgIconEngine(svg.encode("utf-8")))
    return _cache[key]


def clear_icon_cache() -> None:
    """Forget rendered icons (after the palette changed)."""
    _cache.clear()


def stylesheet(variant: str = "light") -> str:
    """The app style sheet with the variant's colours filled in."""
    base = RESOURCES / "styles" / "app.qss"
    colours = RESOURCES / "styles" / f"{variant}.colors"
    if not base.is_file():
        return ""
    text = base.read_text(encoding="utf-8")
    values: dict[str, str] = {}
    if colours.is_file():
        for line in colours.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("//") or "=" not in line:
                continue
            key, value = (part.strip() for part in line.split("=", 1))
            values[key] = value
    # Longest names first, so @accent never eats the start of @accent_soft.
    for key in sorted(values, key=len, reverse=True):
        text = text.replace("@" + key, values[key])
    return text
