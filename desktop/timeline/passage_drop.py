"""Dropping a passage from the reader onto the timeline's views.

Both views of the timeline (the table and the axis) take a dragged passage
the same way: they accept the passage's MIME type and emit
``passage_dropped(mime, event_id or None)``; the panel decides whether that
cites the passage for an event or makes a new one.
"""
from __future__ import annotations

from ..widgets.article_text import PASSAGE_MIME  # the reader is where passages are dragged from

__all__ = ["PASSAGE_MIME", "PassageDropTarget"]


class PassageDropTarget:
    """Mixin for a Qt view (listed before the Qt class) with ``passage_dropped`` and ``event_id_at(pos)``."""

    def _drop_hover(self, pos) -> None:
        """Show where a drop at ``pos`` would go (nothing by default)."""

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(PASSAGE_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(PASSAGE_MIME):
            event.acceptProposedAction()
            self._drop_hover(event.position().toPoint())
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        if not event.mimeData().hasFormat(PASSAGE_MIME):
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.passage_dropped.emit(event.mimeData(), self.event_id_at(event.position().toPoint()))
