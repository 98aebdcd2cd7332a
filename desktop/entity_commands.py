"""Undoable entity review actions. Each step is one core call (one SQLite transaction).

The first step runs in :meth:`EntityReviewCommand.apply` before the command
is pushed, so a refused judgement never enters the undo history. Undo
records an undo judgement in the archive's ledger; redo applies the
judgement again as a new one (the ledger only ever grows)::

    cmd = EntityReviewCommand(owner, 'Merge "FSO" into "Federal Guard Service"',
                              lambda review: review.merge(keep, other))
    if cmd.apply():
        undo_stack.push(cmd)
"""
from __future__ import annotations

from typing import Callable, Optional, Protocol

from PySide6.QtGui import QUndoCommand

from archive.errors import CasefileError

__all__ = ["ReviewOwner", "EntityReviewCommand"]


class ReviewOwner(Protocol):
    """What a command needs from the panel."""

    def review(self): ...                              # the open archive's EntityReview
    def review_done(self, judgement) -> None: ...
    def review_failed(self, error: CasefileError) -> None: ...


class EntityReviewCommand(QUndoCommand):
    def __init__(self, owner: ReviewOwner, text: str, action: Callable, parent: Optional[QUndoCommand] = None):
        super().__init__(text, parent)
        self._owner = owner
        self._action = action
        self._judgement_id: Optional[int] = None
        self._applied = False
        self.last_error: Optional[CasefileError] = None

    @property
    def judgement_id(self) -> Optional[int]:
        """The judgement now in force for this command (a redo makes a new one)."""
        return self._judgement_id

    def apply(self) -> bool:
        ok = self._step(self._action, keep_id=True)
        self._applied = ok
        return ok

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        if self._judgement_id is not None:
            self._step(lambda review: review.reapply(self._judgement_id), keep_id=True)

    def undo(self) -> None:
        if self._judgement_id is not None:
            self._step(lambda review: review.undo(self._judgement_id), keep_id=False)

    def _step(self, step: Callable, keep_id: bool) -> bool:
        review = self._owner.review()
        if review is None:
            return False
        try:
            judgement = step(review)
        except CasefileError as exc:
            self.last_error = exc
            self._owner.review_failed(exc)
            return False
        if keep_id:
            self._judgement_id = judgement.id
        self._owner.review_done(judgement)
        return True
