"""The dialogs that move a timeline in and out of files: export and CSV import.

Both only collect choices; the panel does the work (the export on the task
runner, the import as undoable commands).
"""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Optional, Sequence

from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QRadioButton, QVBoxLayout, QWidget,
)

from archive.models import Timeline

__all__ = ["ExportDialog", "ImportDialog", "EXPORT_FORMATS", "format_for_suffix", "suggested_file_name"]

# (core format name, label, file suffix, file-dialog filter)
EXPORT_FORMATS = (
    ("csv", "CSV spreadsheet", ".csv", "CSV files (*.csv)"),
    ("pdf", "PDF chronology", ".pdf", "PDF files (*.pdf)"),
    ("json", "TimelineJS JSON", ".json", "JSON files (*.json)"),
    ("md", "Markdown", ".md", "Markdown files (*.md)"),
)


def format_for_suffix(path: str) -> Optional[str]:
    """The export format a file name implies (``case.pdf`` -> ``pdf``), or None."""
    suffix = Path(path).suffix.lower()
    for fmt, _label, ext, _filter in EXPORT_FORMATS:
        if suffix == ext or (fmt == "md" and suffix == ".markdown"):
            return fmt
    return None


# Characters no file system takes in a name, or that shells and mail make a mess of.
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


def suggested_file_name(timeline_name: str, suffix: str, today: Optional[_dt.date] = None) -> str:
    """``"Default timeline 2026-12-03.pdf"``: the timeline's name and the day, safe on every system."""
    name = " ".join(_UNSAFE.sub(" ", timeline_name or "").split()).strip(" .-") or "Timeline"
    if "timeline" not in name.lower():
        name += " timeline"
    day = (today or _dt.date.today()).isoformat()
    return f"{name[:80].rstrip(' .-')} {day}{suffix}"


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #c62828;")
    label.setWordWrap(True)
    return label


def _lay_out(dialog: QDialog, form: QFormLayout, ok_text: str) -> QLabel:
    """The form, an error line and OK/Cancel; OK runs ``dialog._check``. Returns the error line."""
    error = _error_label()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog._check)
    buttons.rejected.connect(dialog.reject)
    lay = QVBoxLayout(dialog)
    lay.addLayout(form)
    lay.addWidget(error)
    lay.addWidget(buttons)
    return error


class ExportDialog(QDialog):
    """Choose a format, a file, and whether to export all events or only those shown."""

    def __init__(self, timeline_name: str, *, shown: int, total: int,
                 start_dir: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export timeline — {timeline_name}")
        self._name = timeline_name
        self._start_dir = start_dir
        self.format = QComboBox()
        for fmt, label, _ext, _filter in EXPORT_FORMATS:
            self.format.addItem(label, fmt)
        self.path = QLineEdit()
        self.path.setPlaceholderText("Where to save the file")
        self.path.setText(str(Path(start_dir or Path.home()) / suggested_file_name(timeline_name, ".csv")))
        self.path.textEdited.connect(lambda _t: self._forget_overwrite())
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.all_events = QRadioButton(f"All events of the timeline ({total})")
        self.shown_events = QRadioButton(f"Only the events shown by the filters ({shown})")
        self.all_events.setChecked(True)
        self.shown_events.setEnabled(shown != total)
        group = QButtonGroup(self)
        group.addButton(self.all_events)
        group.addButton(self.shown_events)
        scope = QVBoxLayout()
        scope.addWidget(self.all_events)
        scope.addWidget(self.shown_events)
        # On by default: the notes are the user's own work and a timeline for
        # one's own case file wants them; a copy for someone else can leave them out.
        self.include_notes = QCheckBox("Include my notes on the events")
        self.include_notes.setChecked(True)
        self.include_notes.setToolTip("Untick for a copy to hand to someone else: your notes are left out; "
                                      "descriptions and cited passages stay")
        form = QFormLayout()
        form.addRow("&Format:", self.format)
        form.addRow("F&ile:", file_row)
        form.addRow("Events:", scope)
        form.addRow("Notes:", self.include_notes)
        self.error = _lay_out(self, form, "Export")
        self._ok = self.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        self._confirmed: Optional[Path] = None
        self.format.currentIndexChanged.connect(self._fix_suffix)

    def _suffix(self) -> str:
        return EXPORT_FORMATS[self.format.currentIndex()][2]

    def _fix_suffix(self) -> None:
        # Switching the format renames an already chosen file to match it.
        text = self.path.text().strip()
        if text and format_for_suffix(text):
            self.path.setText(str(Path(text).with_suffix(self._suffix())))
        self._forget_overwrite()

    def _browse(self) -> None:
        fmt = EXPORT_FORMATS[self.format.currentIndex()]
        default = self.path.text().strip() or str(Path(self._start_dir) / f"{self._name}{fmt[2]}")
        path, _ = QFileDialog.getSaveFileName(self, "Export timeline", default, fmt[3])
        if path:
            if not Path(path).suffix:
                path += fmt[2]
            self.path.setText(path)
            # The system's save dialog has asked about replacing an existing file.
            self._confirmed = Path(path).expanduser()

    def _forget_overwrite(self) -> None:
        self._confirmed = None
        self._ok.setText("Export")

    def _check(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.error.setText("Choose a file to export to.")
            return
        target = Path(text).expanduser()
        parent = target.parent
        if not parent.is_dir():
            self.error.setText(f"{parent}: this folder does not exist.")
            return
        if target.is_dir():
            self.error.setText(f"{target} is a folder: add the name of the file to write.")
            return
        if target.exists() and self._confirmed != target:
            # Ask once, in place: the next click on the (renamed) button replaces it.
            self._confirmed = target
            self.error.setText(f"{target.name} already exists in {parent}. Click Replace to "
                               "overwrite it, or change the name.")
            self._ok.setText("Replace")
            return
        self.accept()

    def values(self) -> tuple[str, Path, bool, bool]:
        """(format, file, only the events shown, include the notes)."""
        return (self.format.currentData(), Path(self.path.text().strip()).expanduser(),
                self.shown_events.isChecked(), self.include_notes.isChecked())


class ImportDialog(QDialog):
    """Choose a CSV file and the timeline (existing or new) its events go into."""

    NEW = -1

    def __init__(self, timelines: Sequence[Timeline], current_id: Optional[int] = None,
                 path: str = "", start_dir: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import events from CSV")
        self._start_dir = start_dir
        self._names = {t.name for t in timelines}
        self.path = QLineEdit(path)
        self.path.setPlaceholderText("A CSV exported by Casefile or with the same columns")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.target = QComboBox()
        for t in timelines:
            self.target.addItem(f"{t.name} ({t.event_count} events)", t.id)
        self.target.addItem("New timeline…", self.NEW)
        if current_id is not None:
            self.target.setCurrentIndex(max(0, self.target.findData(current_id)))
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("Name of the new timeline")
        self._new_row = QWidget()
        row = QHBoxLayout(self._new_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.new_name)
        form = QFormLayout()
        form.addRow("F&ile:", file_row)
        form.addRow("&Into:", self.target)
        form.addRow("&Name:", self._new_row)
        self.error = _lay_out(self, form, "Import")
        self.target.currentIndexChanged.connect(self._toggle_name)
        self._toggle_name()

    def _toggle_name(self) -> None:
        self._new_row.setEnabled(self.target.currentData() == self.NEW)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import events from CSV",
                                              self.path.text() or self._start_dir, "CSV files (*.csv)")
        if path:
            self.path.setText(path)

    def _check(self) -> None:
        text = self.path.text().strip()
        if not text or not Path(text).expanduser().is_file():
            self.error.setText(f"{text or 'No file chosen'}: choose an existing CSV file.")
            return
        if self.target.currentData() == self.NEW:
            name = self.new_name.text().strip()
            if not name:
                self.error.setText("Give the new timeline a name.")
                return
            if name in self._names:
                self.error.setText(f"A timeline named “{name}” already exists: choose it in the list.")
                return
        self.accept()

    def values(self) -> tuple[Path, Optional[int], str]:
        """(file, id of the chosen timeline or None for a new one, name of the new one)."""
        target = self.target.currentData()
        return (Path(self.path.text().strip()).expanduser(),
                None if target == self.NEW else target, self.new_name.text().strip())
