"""Undoable case decisions (Add to timeline, merge, split, a conflict's status). Each step
is one core call (one SQLite transaction).

The first step runs in :meth:`CaseDecisionCommand.apply` before the command is
pushed, so a refused decision never enters the undo history. Undo calls the
core's inverse (``undo_confirm``, ``undo_merge``, ``undo_split``, or
``restore`` of the status replaced); redo calls ``restore`` with what the undo
took away, so the same ids come back::

    cmd = ConfirmCommand(owner, event)
    if cmd.apply():
        undo_stack.push(cmd)
"""
from __future__ import annotations

from typing import Callable, Optional, Protocol

from PySide6.QtGui import QUndoCommand

from archive.errors import CasefileError

__all__ = ["CaseOwner", "CaseDecisionCommand", "ConfirmCommand", "MergeCommand", "SplitCommand",
           "ConflictStatusCommand"]


class CaseOwner(Protocol):
    """What a command needs from the panel."""

    def case(self): ...                                     # the open archive's CaseAnalysis
    def decision_done(self, message: str, confirmed: Optional[int] = None) -> None: ...
    def decision_failed(self, error: CasefileError) -> None: ...


class CaseDecisionCommand(QUndoCommand):
    """Base of the commands below, which define ``first(case)`` (make the decision; answer
    what the undo needs) and ``take_back(case, answer)`` (the core's inverse; answer the
    :class:`archive.case.records.DecisionUndo` a redo restores)."""

    def __init__(self, owner: CaseOwner, text: str, parent: Optional[QUndoCommand] = None) -> None:
        super().__init__(text, parent)
        self._owner = owner
        self._applied = False
        self.answer = None                    # what the first step answered
        self.undone = None                    # what the last undo took away
        self.last_error: Optional[CasefileError] = None

    # -- the decision
    def first_message(self, answer) -> str:
        return self.text()

    def confirmed_id(self, answer) -> Optional[int]:
        return None

    # -- QUndoCommand
    def apply(self) -> bool:
        answer = self._step(self.first)
        if answer is None:
            return False
        self.answer = answer
        self._applied = True
        self._owner.decision_done(self.first_message(answer), self.confirmed_id(answer))
        return True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        if self.undone is not None:
            again = self._step(lambda case: case.restore(self.undone))
            if again is not None:
                self._redone(again)
                self._owner.decision_done(again.message)

    def undo(self) -> None:
        if self.answer is None:
            return
        undone = self._step(lambda case: self.take_back(case, self.answer))
        if undone is not None:
            self.undone = undone
            self._owner.decision_done(undone.message)

    def _redone(self, again) -> None:
        """A redo happened; ``again`` is what ``restore`` answered."""

    def _step(self, step: Callable):
        case = self._owner.case()
        if case is None:
            return None
        try:
            return step(case)
        except CasefileError as exc:
            self.last_error = exc
            self._owner.decision_failed(exc)
            return None


class ConfirmCommand(CaseDecisionCommand):
    """Add to timeline; undo takes the confirmation back (and its timeline event, unless edited)."""

    def __init__(self, owner: CaseOwner, event) -> None:
        super().__init__(owner, f"Add “{event.title}” to the timeline")
        self._event = event

    def first(self, case):
        return case.confirm_event(self._event.key)

    def first_message(self, saved) -> str:
        return f"“{self._event.title}” is on the timeline with {len(saved.citations)} citations."

    def confirmed_id(self, saved) -> Optional[int]:
        return saved.id

    def take_back(self, case, saved):
        return case.undo_confirm(saved.id)


class MergeCommand(CaseDecisionCommand):
    def __init__(self, owner: CaseOwner, keys: list[str]) -> None:
        super().__init__(owner, f"Merge {len(keys)} case events")
        self._keys = list(keys)

    def first(self, case):
        return case.merge_events(self._keys)

    def first_message(self, head) -> str:
        return f"{len(self._keys)} events merged."

    def take_back(self, case, head):
        return case.undo_merge(head)


class SplitCommand(CaseDecisionCommand):
    def __init__(self, owner: CaseOwner, event, claim_ids: list[str]) -> None:
        n = len(claim_ids)
        super().__init__(owner, f"Split {n} source{'s' if n != 1 else ''} off “{event.title}”")
        self._key = event.key
        self._claims = list(claim_ids)

    def first(self, case):
        return case.split_event(self._key, self._claims)

    def first_message(self, part) -> str:
        n = len(self._claims)
        return f"{n} source{'s' if n != 1 else ''} split off."

    def take_back(self, case, part):
        return case.undo_split(part)


class ConflictStatusCommand(CaseDecisionCommand):
    """Set a conflict's status and note; undo brings the previous ones back."""

    def __init__(self, owner: CaseOwner, conflict, status: str, label: str, note: str) -> None:
        super().__init__(owner, f"Mark a conflict {label.lower()}")
        self._key, self._status, self._note = conflict.key, status, note

    def first(self, case):
        return case.change_conflict_status(self._key, self._status, self._note)

    def first_message(self, change) -> str:
        return change.message

    def take_back(self, case, change):
        # ``change`` holds the status it replaced; restoring it answers the one it replaces in turn.
        return case.restore(change)

    def _redone(self, again) -> None:
        self.answer = again
