"""View › Theme: System, Light or Dark, applied at once and kept in the settings."""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu

from .theme import apply_theme

__all__ = ["THEMES", "add_theme_menu", "switch_theme"]

THEMES = (("system", "&System", "Follow the desktop's light or dark setting"),
          ("light", "&Light", "Dark text on a light page"),
          ("dark", "&Dark", "Light text on a dark page"))


def add_theme_menu(menu: QMenu, current: str, choose: Callable[[str], None]) -> dict[str, QAction]:
    """Add the Theme submenu to ``menu``; ``choose(name)`` runs when one is picked.
    Returns the actions by theme name (exactly one is checked)."""
    sub = menu.addMenu("&Theme")
    sub.setObjectName("themeMenu")
    group = QActionGroup(sub)
    group.setExclusive(True)
    actions = {}
    for name, label, tip in THEMES:
        act = sub.addAction(label)
        act.setCheckable(True)
        act.setChecked(name == current)
        act.setData(name)
        act.setStatusTip(tip)
        group.addAction(act)
        act.triggered.connect(lambda _checked=False, n=name: choose(n))
        actions[name] = act
    if current not in actions:
        actions["system"].setChecked(True)
    return actions


def switch_theme(name: str) -> bool:
    """Apply theme ``name`` to the running application; True if it is dark."""
    app = QApplication.instance()
    return apply_theme(app, name) if app is not None else False
