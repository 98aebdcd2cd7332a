"""The app's options, declared once with their types and defaults.

User options (last archive, search history, text zoom...) live in
``settings.ini``; window geometry, splitter and dock state live apart in
``state.ini`` so that resetting the layout never loses an option. When the
``CASEFILE_DATA_DIR`` environment variable is set (tests do), both files go
under it instead of the user's configuration folder.

    settings = Settings()
    settings.text_zoom += 1
    settings.save_state("main_window/geometry", window.saveGeometry())
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

__all__ = ["Option", "OPTIONS", "Settings", "config_dir"]


@dataclass(frozen=True)
class Option:
    """One user option: its key, Python type and default."""
    key: str
    type: type
    default: Any
    doc: str = ""


OPTIONS: tuple[Option, ...] = (
    Option("last_archive", str, "", "Archive folder opened last; reopened at start."),
    Option("search_history", list, [], "Past queries, newest first (completer)."),
    Option("search_history_size", int, 50, "How many past queries to keep."),
    Option("text_zoom", int, 0, "Reader font size steps above/below the default."),
    Option("show_boilerplate", bool, False, "Show page boilerplate in the reader."),
    Option("search_sort", str, "relevance", "Order of search hits: relevance or date."),
    Option("search_limit", int, 200, "Most hits fetched per search."),
    Option("theme", str, "system", "system, light or dark."),
    Option("demo_notice_dismissed", bool, False, "The note saying what the demo archive is was closed."),
)
_BY_KEY = {o.key: o for o in OPTIONS}


def config_dir() -> Path:
    """Where the settings files go (``CASEFILE_DATA_DIR`` wins)."""
    env = os.environ.get("CASEFILE_DATA_DIR")
    if env:
        return Path(env)
    loc = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)
    return Path(loc or Path.home() / ".config" / "casefile")


class Settings:
    """Typed access to the options in ``OPTIONS``, plus window state apart."""

    def __init__(self, folder: Optional[Path] = None) -> None:
        folder = Path(folder) if folder else config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._qs = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        self._state = QSettings(str(folder / "state.ini"), QSettings.Format.IniFormat)

    # Options read and write as attributes: settings.text_zoom
    def __getattr__(self, key: str) -> Any:
        opt = _BY_KEY.get(key)
        if opt is None:
            raise AttributeError(key)
        return self.get(key)

    def __setattr__(self, key: str, value: Any) -> None:
        if key in _BY_KEY:
            self.set(key, value)
        else:
            super().__setattr__(key, value)

    def get(self, key: str) -> Any:
        opt = _BY_KEY[key]
        raw = self._qs.value(key, None)
        if raw is None:
            return list(opt.default) if opt.type is list else opt.default
        return _coerce(raw, opt)

    def set(self, key: str, value: Any) -> None:
        opt = _BY_KEY[key]
        value = _coerce(value, opt)
        self._qs.setValue(key, value)
        self._qs.sync()

    def remember_query(self, query: str) -> list[str]:
        """Put ``query`` first in the search history; return the history."""
        query = query.strip()
        history = [q for q in self.search_history if q != query]
        if query:
            history.insert(0, query)
        history = history[: max(1, self.search_history_size)]
        self.search_history = history
        return history

    # Window geometry, splitter and dock state: kept out of the options.
    def state(self, key: str) -> Optional[QByteArray]:
        value = self._state.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_state(self, key: str, value: QByteArray) -> None:
        self._state.setValue(key, value)
        self._state.sync()

    def reset_state(self) -> None:
        self._state.clear()
        self._state.sync()


def _coerce(value: Any, opt: Option) -> Any:
    try:
        if opt.type is bool:
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
        if opt.type is int:
            return int(value)
        if opt.type is list:
            if value in (None, ""):
                return []
            # The ini backend reads a one-element list back as a plain string.
            if isinstance(value, str):
                return [value]
            return [str(v) for v in value]
        if opt.type is str:
            return "" if value is None else str(value)
    except (TypeError, ValueError):
        return list(opt.default) if opt.type is list else opt.default
    return value
