"""Start-up: ``casefile-desktop [--archive DIR] [--screenshot FILE.png]``.

The window is shown first and the archive opened right after, so the user
sees the app at once; nothing here loads the NLP models (facts are read from
the store; extraction only ever runs inside background indexing).

``--screenshot FILE.png`` opens the window at 1400x900, waits until the
archive is loaded and the first article is shown with its facts, saves a PNG
of the window and exits (works with ``QT_QPA_PLATFORM=offscreen``).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

__all__ = ["main", "build_parser", "create_window"]

SCREENSHOT_SIZE = (1400, 900)
SCREENSHOT_TIMEOUT_S = 300


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="casefile-desktop",
                                description="Search an archive of news reports, read them beside "
                                            "their facts and build a cited case timeline.")
    p.add_argument("--archive", metavar="DIR",
                   help="archive folder to open, or a folder of articles to index "
                        "(default: the archive used last, else the demo archive)")
    p.add_argument("--screenshot", metavar="FILE.png",
                   help="save a picture of the window once the first article is shown, then exit")
    return p


def create_window(archive: Optional[str] = None):
    """The application objects, for ``main`` and the start-up benchmark.

    Returns ``(app, window)``; the archive is opened once the event loop runs.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Casefile")
    app.setOrganizationName("Casefile")
    app.setApplicationDisplayName("Casefile")
    # Matches packaging/linux/*.desktop, so the desktop shows the app's own icon.
    app.setDesktopFileName("org.casefile.Casefile")

    from .main_window import MainWindow
    from .resources import icon
    from .session import Session
    from .settings import Settings
    from .theme import apply_theme

    settings = Settings()
    apply_theme(app, settings.theme)
    app.setWindowIcon(icon("casefile"))
    session = Session()
    window = MainWindow(session, settings)
    app.aboutToQuit.connect(session.tasks.shutdown)
    _after_first_paint(window, lambda: window.open_initial(archive))
    _tell_missing_model(window)
    return app, window


def _tell_missing_model(window) -> None:
    """Without spaCy's English model the app works, but says (once, on stderr and in
    the status bar; Help › About keeps it) how to add it."""
    from PySide6.QtCore import QTimer

    from archive.english_model import english_model_hint

    hint = english_model_hint()
    if hint:
        print(f"casefile-desktop: {hint}", file=sys.stderr)
        # After the archive's own opening messages, so they do not hide it at once.
        QTimer.singleShot(9000, lambda: window.statusBar().showMessage(hint, 60_000))


def _after_first_paint(window, fn) -> None:
    """Call ``fn`` once the window has painted (so opening the archive never
    delays the first picture), or after a moment if no paint comes."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    state = {"done": False}

    def run() -> None:
        if not state["done"]:
            state["done"] = True
            fn()

    class Watcher(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt naming
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                QTimer.singleShot(0, run)
            return False

    window._first_paint_watcher = Watcher(window)
    window.installEventFilter(window._first_paint_watcher)
    QTimer.singleShot(500, run)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    shot = Path(args.screenshot).expanduser() if args.screenshot else None
    if shot is not None and shot.suffix.lower() != ".png":
        print(f"casefile-desktop: {shot}: the screenshot must be a .png file.", file=sys.stderr)
        return 2
    if args.archive and not Path(args.archive).expanduser().exists() and not Path(
            args.archive).expanduser().parent.is_dir():
        print(f"casefile-desktop: {args.archive}: no such folder.", file=sys.stderr)
        return 2

    app, window = create_window(args.archive)
    if shot is not None:
        window.resize(*SCREENSHOT_SIZE)
        _arm_screenshot(app, window, shot)
    probe = os.environ.get("CASEFILE_STARTUP_PROBE")
    if probe:
        _arm_startup_probe(app, window, exit_after_paint=probe == "exit")
    window.show()
    if probe:
        print(f"casefile-startup-shown {time.time():.6f}", flush=True)
    return app.exec()


def _arm_startup_probe(app, window, exit_after_paint: bool) -> None:
    """For ``benchmarks/bench_startup.py``: print the wall-clock time of the
    window's first paint (and quit then, when asked)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt naming
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                print(f"casefile-startup-painted {time.time():.6f}", flush=True)
                if exit_after_paint:
                    QTimer.singleShot(0, app.quit)
            return False

    window._startup_probe = FirstPaint(window)
    window.installEventFilter(window._startup_probe)


def _arm_screenshot(app, window, target: Path) -> None:
    from PySide6.QtCore import QTimer

    state = {"done": False}

    def shoot(ok: bool = True) -> None:
        if state["done"]:
            return
        state["done"] = True
        # Let the last layout and paint settle before grabbing.
        for _ in range(5):
            app.processEvents()
        target.parent.mkdir(parents=True, exist_ok=True)
        saved = window.grab().save(str(target), "PNG")
        if not saved:
            print(f"casefile-desktop: {target}: could not write the screenshot.", file=sys.stderr)
        elif not ok:
            print("casefile-desktop: the archive did not finish loading in time; "
                  f"saved what was on screen to {target}.", file=sys.stderr)
        app.exit(0 if saved and ok else 1)

    window.ready.connect(lambda: QTimer.singleShot(400, shoot))
    QTimer.singleShot(SCREENSHOT_TIMEOUT_S * 1000, lambda: shoot(False))
