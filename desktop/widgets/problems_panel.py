"""The problems panel: files the archive could not read, and why."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget)

from ..models.problems import PROBLEM_ROLE, ProblemTableModel

__all__ = ["ProblemsPanel"]


class ProblemsPanel(QWidget):
    """A table of ``Problem``; double-click shows the file in its folder."""

    count_changed = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.model = ProblemTableModel(self)
        self.hint = QLabel("Every file in the archive's folders was read.")
        self.hint.setObjectName("panelCount")
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(self._reveal)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)

    def set_problems(self, problems: Sequence) -> None:
        self.model.set_problems(problems)
        n = len(problems)
        self.hint.setText(
            "Every file in the archive's folders was read." if not n else
            f"{n} file{'s' if n != 1 else ''} could not be read. Fix or remove "
            f"{'them' if n != 1 else 'it'} and open the folder again (double-click to show a file).")
        self.count_changed.emit(n)

    def problems(self) -> tuple:
        return self.model.problems()

    def _reveal(self, idx) -> None:
        problem = self.model.data(idx, PROBLEM_ROLE)
        if problem is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(problem.path).parent)))
