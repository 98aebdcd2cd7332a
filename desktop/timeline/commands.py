"""Undoable timeline edits. Each command calls exactly one core method per step.

Every core call is one SQLite transaction, so an edit is saved ("autosave")
when the call returns. Commands talk to the archive through a ``Writer``
(the panel) that knows the current ``Timelines`` object and reports each
write's outcome (``begin``/``done``/``failed``) to the title bar and the
error dialog.

A command runs its first step in :meth:`TimelineCommand.apply`, before it is
pushed on the stack, so a refused edit (a bad date, a quote not in the
article) never enters the undo history::

    cmd = UpdateEventCommand(writer, old, new)
    if cmd.apply():
        undo_stack.push(cmd)   # redo() skips the step apply() already did
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional, Protocol

from PySide6.QtGui import QUndoCommand

from archive.errors import CasefileError, InvalidInput, NotFound
from archive.models import Citation, Event

__all__ = [
    "Writer", "TimelineCommand", "AddEventCommand", "UpdateEventCommand",
    "RemoveEventCommand", "AddCitationCommand", "RemoveCitationCommand", "ImportEventsCommand",
    "citation_key",
]


class Writer(Protocol):
    """What commands need from the panel."""

    @property
    def timelines(self): ...
    def owns_stamp(self, modified: str) -> bool: ...
    def write_begun(self) -> None: ...
    def write_done(self, event_id: Optional[int]) -> None: ...
    def write_failed(self, error: CasefileError) -> None: ...


def citation_key(c: Citation) -> tuple:
    """What identifies a cited passage across undo/redo (its row id changes when re-added)."""
    return (c.article_path, c.start, c.end, c.quote)


class TimelineCommand(QUndoCommand):
    """Base: runs one core call as one write, reporting its outcome to the writer."""

    def __init__(self, writer: Writer, text: str, parent: Optional[QUndoCommand] = None) -> None:
        super().__init__(text, parent)
        self._writer = writer
        self._applied = False
        self.last_error: Optional[CasefileError] = None

    def apply(self) -> bool:
        """Do the first step now; False (error already reported) if the core refused it."""
        ok = self._write(self._do)
        self._applied = ok
        return ok

    def redo(self) -> None:
        if self._applied:
            # apply() already did the first step before the push.
            self._applied = False
            return
        self._write(self._do)

    def undo(self) -> None:
        self._write(self._undo)

    def _write(self, step: Callable[[], Optional[int]]) -> bool:
        self._writer.write_begun()
        try:
            touched = step()
        except CasefileError as exc:
            self.last_error = exc
            self._writer.write_failed(exc)
            return False
        self.last_error = None
        self._writer.write_done(touched)
        return True

    def _do(self) -> Optional[int]:
        raise NotImplementedError

    def _undo(self) -> Optional[int]:
        raise NotImplementedError


class AddEventCommand(TimelineCommand):
    """Adds a new event; undo removes it, redo puts the very same event (same id) back."""

    def __init__(self, writer: Writer, draft: Event, timeline_id: Optional[int]) -> None:
        super().__init__(writer, f"Add event “{_clip(draft.title)}”")
        self._draft = draft
        self._timeline_id = timeline_id
        self.event: Optional[Event] = None      # as stored, with its id
        self._removed: Optional[Event] = None

    def _do(self):
        tl = self._writer.timelines
        if self._removed is not None:
            self.event = tl.restore_event(self._removed)
        else:
            self.event = tl.add_event(self._draft, timeline=self._timeline_id)
        return self.event.id

    def _undo(self):
        self._removed = self._writer.timelines.remove_event(self.event.id)
        return None


class UpdateEventCommand(TimelineCommand):
    """Replaces an event's fields (not its citations); undo writes the previous fields back."""

    def __init__(self, writer: Writer, old: Event, new: Event, text: str = "") -> None:
        super().__init__(writer, text or f"Edit event “{_clip(new.title)}”")
        self._old = old
        self._new = new
        self.event: Optional[Event] = None

    def _do(self):
        self.event = self._writer.timelines.update_event(_rebased(self._writer, self._new))
        return self.event.id

    def _undo(self):
        self.event = self._writer.timelines.update_event(_rebased(self._writer, self._old))
        return self.event.id


class RemoveEventCommand(TimelineCommand):
    """Deletes an event; undo restores it with its id and citations."""

    def __init__(self, writer: Writer, event: Event) -> None:
        super().__init__(writer, f"Delete event “{_clip(event.title)}”")
        self._event_id = event.id
        self._removed: Optional[Event] = None

    def _do(self):
        self._removed = self._writer.timelines.remove_event(self._event_id)
        return None

    def _undo(self):
        restored = self._writer.timelines.restore_event(self._removed)
        return restored.id


class AddCitationCommand(TimelineCommand):
    """Cites a passage of an article (by id or path) as a source of an existing event."""

    def __init__(self, writer: Writer, event_id: int, article, quote: str,
                 start: Optional[int] = None) -> None:
        super().__init__(writer, "Add citation")
        self._event_id = event_id
        self._article = article
        self._quote = quote
        self._start = start
        self.citation: Optional[Citation] = None

    def _do(self):
        self.citation = self._writer.timelines.add_citation(
            self._event_id, self._article, self._quote, start=self._start)
        return self._event_id

    def _undo(self):
        current = _find_citation(self._writer, self._event_id, citation_key(self.citation))
        self._writer.timelines.remove_citation(current.id)
        return self._event_id


class RemoveCitationCommand(TimelineCommand):
    """Removes one cited passage from an event; undo cites the same passage again."""

    def __init__(self, writer: Writer, event_id: int, citation: Citation) -> None:
        super().__init__(writer, "Remove citation")
        self._event_id = event_id
        self._key = citation_key(citation)
        self._citation = citation

    def _do(self):
        current = _find_citation(self._writer, self._event_id, self._key)
        self._writer.timelines.remove_citation(current.id)
        return self._event_id

    def _undo(self):
        c = self._citation
        ref = c.article_id if c.article_id is not None else c.article_path
        self._writer.timelines.add_citation(self._event_id, ref, c.quote, start=c.start)
        return self._event_id


class ImportEventsCommand(TimelineCommand):
    """Adds imported events in one transaction; undo removes them, redo restores them."""

    def __init__(self, writer: Writer, events, timeline_id: Optional[int], source: str = "") -> None:
        events = list(events)
        super().__init__(writer, f"Import {len(events)} events" + (f" from {source}" if source else ""))
        self._events = events
        self._timeline_id = timeline_id
        self.imported: list[Event] = []
        self._removed: list[Event] = []

    def _do(self):
        tl = self._writer.timelines
        if self._removed:
            self.imported = [tl.restore_event(ev) for ev in self._removed]
            self._removed = []
        else:
            self.imported = tl.import_events(self._events, timeline=self._timeline_id)
        return self.imported[0].id if self.imported else None

    def _undo(self):
        tl = self._writer.timelines
        self._removed = [tl.remove_event(ev.id) for ev in self.imported]
        return None


def _rebased(writer: Writer, target: Event) -> Event:
    """``target``'s fields on top of the stored event's citations and save stamp.

    The core refuses a save whose stamp is not the stored one (another window
    saved meanwhile). Stamps our own writes made are ours to build on, so
    undo/redo across other commands of this panel keeps working, while an edit
    made in another window is still never overwritten.
    """
    current = writer.timelines.event(target.id)
    if current.modified != target.modified and not writer.owns_stamp(current.modified):
        raise InvalidInput(
            f"Event “{_clip(current.title)}” was changed in another window; "
            "it has been reloaded: redo your edit on it.")
    return dataclasses.replace(target, modified=current.modified, citations=current.citations)


def _find_citation(writer: Writer, event_id: int, key: tuple) -> Citation:
    # Undo/redo re-creates citations with new row ids, so later commands look
    # theirs up by passage rather than by a stale id.
    event = writer.timelines.event(event_id)
    for c in event.citations:
        if citation_key(c) == key:
            return c
    raise NotFound(f"The cited passage “{_clip(key[3])}” is no longer on event “{_clip(event.title)}”.")


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
