"""The visual time axis: events as boxes on a zoomable calendar, in lanes.

Lanes group events by tag or by person (``set_lane_mode``); an event with
several tags or people shows in each of its lanes, and all its boxes select
together. Its first box is drawn in full; the others are marked as copies
(dashed, faint, "↳ same event" in their tooltip) and a line joins them, so
one event never reads as two. An event whose sources disagree (an open conflict of
the case analysis) gets a ⚠ and a warning-coloured outline, the conflicts named in
its tooltip. The view knows nothing of the archive: the panel feeds it events and conflicts
and listens to ``selection_changed`` / ``event_activated`` /
``passage_dropped``.
"""
from __future__ import annotations

import datetime as _dt
from typing import Optional, Sequence

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsLineItem, QGraphicsRectItem, QGraphicsScene,
                               QGraphicsView, QWidget)

from archive.case.event_conflicts import describe_conflict
from archive.models import Event
from archive.partial_date import MONTH_ABBR, PartialDate, human_day

from ..plain_text import plain_tooltip
from .dates import event_span, format_event_dates
from .passage_drop import PassageDropTarget
from .table_model import certainty_colour, citation_warnings

__all__ = ["TimeAxisView", "EventBox", "EventLink", "LANE_MODES"]

LANE_MODES = ("tag", "person")

_RULER_H = 34          # room at the top for the date ruler
_LANE_LABEL_W = 120    # room at the left for lane names
_ROW_H = 26            # one row of boxes inside a lane
_LANE_PAD = 8
_MIN_BOX_W = 14
_MAX_LABEL_W = 220
_INSIDE_LABEL_MIN_W = 40   # narrower boxes get their title beside them
_MIN_SCALE, _MAX_SCALE = 0.02, 200.0   # pixels per day
# The outline of an event whose sources disagree: orange, apart from the red of "disputed".
_CONFLICT_EDGE, _CONFLICT_EDGE_DARK = QColor("#e65100"), QColor("#ffb74d")
_DISPUTED_MARK = "⚠ "


class EventBox(QGraphicsRectItem):
    """One event drawn in one lane. ``event_id`` ties every box of an event together;
    ``primary`` is False for the copies of an event in its other lanes."""

    def __init__(self, event: Event, rect: QRectF, label_w: float, primary: bool = True,
                 lanes: Sequence[str] = (), conflicts: Sequence = ()) -> None:
        super().__init__(rect)
        self.event = event
        self.event_id = event.id
        self.primary = primary
        self._label_w = label_w
        # Open conflicts mark the box; resolved ones are only told in the tooltip.
        self.disputed = any(c.status == "open" for c in conflicts)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        tip = [format_event_dates(event), event.title]
        if event.tags:
            tip.append("Tags: " + ", ".join(event.tags))
        tip.append(f"{event.certainty}, {len(event.citations)} source(s)")
        tip += citation_warnings(event)
        tip += [("⚠ " if c.status == "open" else "") + describe_conflict(c) for c in conflicts]
        if len(lanes) > 1:
            tip.append(("" if primary else "↳ same event, also ") + "shown in lanes: " + ", ".join(lanes))
        # Literal text, wrapped: conflict lines quote values and outlets from the articles.
        self.setToolTip(plain_tooltip("\n".join(tip)))

    def paint(self, painter: QPainter, option, widget=None) -> None:
        colour = certainty_colour(self.event.certainty)
        selected = self.isSelected()
        fill = QColor(colour)
        fill.setAlpha((150 if selected else 70) if self.primary else (70 if selected else 25))
        dark = widget is not None and widget.palette().base().color().lightness() < 128
        edge = (colour.lighter(130) if dark else colour.darker(150)) if selected else colour
        if self.disputed and not selected:
            edge = _CONFLICT_EDGE_DARK if dark else _CONFLICT_EDGE
        pen = QPen(edge, 2.5 if selected else (2 if self.disputed else 1))
        # Dashed outline: the date is approximate.
        if self.event.start.approximate or (self.event.end and self.event.end.approximate):
            pen.setStyle(Qt.PenStyle.DashLine)
        if not self.primary:
            pen.setStyle(Qt.PenStyle.DotLine)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        r = self.rect()
        painter.drawRoundedRect(r, 4, 4)
        # The title may run past the box onto the lane: the palette's ink reads on both.
        ink = widget.palette().text().color() if widget is not None else QColor("#212121")
        if not self.primary and widget is not None:
            ink = widget.palette().placeholderText().color()
        painter.setPen(ink)
        if selected or not self.primary:
            font = QFont(painter.font())
            font.setBold(selected)
            font.setItalic(not self.primary)
            painter.setFont(font)
        if r.width() < _INSIDE_LABEL_MIN_W:
            # A day-wide box is too narrow to write in: the title follows it.
            text_rect = QRectF(r.right() + 4, r.top(), self._label_w - r.width() - 4, r.height())
        else:
            text_rect = QRectF(r.left() + 5, r.top(), self._label_w - 8, r.height())
        label = self.event.title if self.primary else f"↳ {self.event.title}"
        if citation_warnings(self.event) or self.disputed:
            label = _DISPUTED_MARK + label
        metrics = QFontMetrics(painter.font())
        label = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(text_rect.width()))
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)

    def boundingRect(self) -> QRectF:
        r = self.rect()
        return QRectF(r.left() - 2, r.top() - 2, max(r.width(), self._label_w) + 4, r.height() + 4)


class EventLink(QGraphicsLineItem):
    """The line joining the boxes of one event shown in several lanes."""

    def __init__(self, event: Event, x: float, top: float, bottom: float) -> None:
        super().__init__(x, top, x, bottom)
        self.event_id = event.id
        pen = QPen(certainty_colour(event.certainty), 1.5, Qt.PenStyle.DotLine)
        self.setPen(pen)
        self.setZValue(-1)     # behind the boxes it passes


class _Ruler(QWidget):
    """The date ruler above the lanes; outside the scrolled area so it never hides a lane."""

    def __init__(self, view: "TimeAxisView") -> None:
        super().__init__(view)
        self._view = view

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        self._view.paint_ruler(painter, self.width())
        painter.end()


class TimeAxisView(PassageDropTarget, QGraphicsView):
    """A zoomable horizontal calendar; wheel zooms around the pointer, Shift+wheel scrolls."""

    selection_changed = Signal(list)          # event ids
    event_activated = Signal(int)             # double-click on a box
    passage_dropped = Signal(QMimeData, object)   # mime, event id or None

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self._events: tuple[Event, ...] = ()
        self._conflicts: dict[int, Sequence] = {}
        self._lane_mode = "tag"
        self._scale: Optional[float] = None     # px per day; None = fit on next layout
        self._fitted = True                     # the scale is the fitted one (refit on resize)
        self._origin: Optional[_dt.date] = None
        self._lanes: list[tuple[str, float, float]] = []   # name, top, bottom
        self._empty_range: tuple[Optional[_dt.date], Optional[_dt.date]] = (None, None)
        self._empty_said = ""
        self._syncing = False
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setAcceptDrops(True)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setMinimumHeight(84)   # the ruler and one lane
        self._scene.selectionChanged.connect(self._on_scene_selection)
        self.setViewportMargins(0, _RULER_H, 0, 0)
        self._ruler = _Ruler(self)
        self.horizontalScrollBar().valueChanged.connect(self._ruler.update)

    # -- public ----------------------------------------------------------
    def set_events(self, events: Sequence[Event]) -> None:
        keep = self.selected_event_ids()
        had_events = bool(self._events)
        self._events = tuple(events)
        if had_events != bool(self._events):
            # From nothing to something (or back) the zoom that fitted no longer does.
            self._scale = None
        self._layout()
        self.select_events(keep)

    def set_conflicts(self, by_event) -> None:
        """Where sources disagree: ``{event id: [Conflict, ...]}`` (``arc.case.conflicts_by_event()``)."""
        by_event = {eid: tuple(found) for eid, found in (by_event or {}).items() if found}
        if by_event != self._conflicts:
            self._conflicts = by_event
            if self._events:
                keep = self.selected_event_ids()
                self._layout()
                self.select_events(keep)

    def conflicts_of(self, event_id: int) -> tuple:
        return tuple(self._conflicts.get(event_id, ()))

    def _shown_title(self, ev: Event) -> str:
        open_ = any(c.status == "open" for c in self._conflicts.get(ev.id, ()))
        return _DISPUTED_MARK + ev.title if open_ or citation_warnings(ev) else ev.title

    def set_empty_range(self, first: Optional[_dt.date], last: Optional[_dt.date], said: str = "") -> None:
        """The stretch of time to show while there are no events (default: around today).

        ``said``: the range as the dates themselves read ("1998 \u2013 9 Apr 2025"),
        for the note; without it the note names the first and last day."""
        self._empty_said = said
        first = first or last
        last = last or first
        if first is not None and last < first:
            first, last = last, first
        if (first, last) != self._empty_range:
            self._empty_range = (first, last)
            if not self._events:
                self._scale = None
                self._layout()

    def lane_mode(self) -> str:
        return self._lane_mode

    def set_lane_mode(self, mode: str) -> None:
        if mode not in LANE_MODES:
            raise ValueError(f"lane mode must be one of {LANE_MODES}")
        if mode != self._lane_mode:
            self._lane_mode = mode
            keep = self.selected_event_ids()
            self._layout()
            self.select_events(keep)

    def lanes(self) -> list[str]:
        return [name for name, _top, _bottom in self._lanes]

    def boxes(self, event_id: Optional[int] = None) -> list[EventBox]:
        return [it for it in self._scene.items() if isinstance(it, EventBox)
                and (event_id is None or it.event_id == event_id)]

    def scale_px_per_day(self) -> float:
        return self._scale or 1.0

    def zoom_in(self) -> None:
        self._zoom(1.5)

    def zoom_out(self) -> None:
        self._zoom(1 / 1.5)

    def fit(self) -> None:
        """Show every event: scale to the width, scroll to the start and the first lane."""
        self._scale = None
        self._fitted = True
        keep = self.selected_event_ids()
        self._layout()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())
        self._syncing = True
        try:
            for box in self.boxes():
                box.setSelected(box.event_id in keep)
        finally:
            self._syncing = False

    def gutter_width(self) -> int:
        """Pixels at the left of the viewport covered by the lane names."""
        return _LANE_LABEL_W - 6

    def visible_area(self) -> QRectF:
        """The part of the scene shown and not covered by the lane names."""
        vp = self.viewport().rect()
        return self.mapToScene(vp.adjusted(self.gutter_width(), 0, 0, 0)).boundingRect()

    def _reveal(self, box: "EventBox") -> None:
        """Scroll so ``box`` sits right of the lane names (and in view vertically)."""
        rect = self.mapFromScene(box.sceneBoundingRect()).boundingRect()
        box_rect = self.mapFromScene(box.mapRectToScene(box.rect())).boundingRect()
        bar = self.horizontalScrollBar()
        left_edge = self.gutter_width() + 12
        width = self.viewport().width()
        if box_rect.left() < left_edge:
            bar.setValue(bar.value() - (left_edge - box_rect.left()))
        elif rect.right() > width - 8:
            # Bring its title in too, but never push the box itself under the names.
            shift = min(rect.right() - (width - 8), box_rect.left() - left_edge)
            if shift > 0:
                bar.setValue(bar.value() + shift)
        vbar = self.verticalScrollBar()
        if box_rect.top() < 4:
            vbar.setValue(vbar.value() - (4 - box_rect.top()))
        elif box_rect.bottom() > self.viewport().height() - 4:
            vbar.setValue(vbar.value() + box_rect.bottom() - (self.viewport().height() - 4))

    def selected_event_ids(self) -> list[int]:
        ids: list[int] = []
        for it in self._scene.selectedItems():
            if isinstance(it, EventBox) and it.event_id not in ids:
                ids.append(it.event_id)
        return ids

    def select_events(self, ids: Sequence[int]) -> None:
        """Select every box of these events (without echoing ``selection_changed``)."""
        wanted = set(ids)
        self._syncing = True
        try:
            chosen = []
            for box in self.boxes():
                on = box.event_id in wanted
                box.setSelected(on)
                if on:
                    chosen.append(box)
            # Visible means right of the lane names: a box under them is hidden.
            visible = self.visible_area()
            if chosen and not any(visible.contains(_head(b)) for b in chosen):
                top = min(chosen, key=lambda b: (b.rect().top(), b.rect().left()))
                self._reveal(top)
        finally:
            self._syncing = False

    def event_id_at(self, pos) -> Optional[int]:
        for it in self.items(pos):
            if isinstance(it, EventBox):
                return it.event_id
        return None

    # -- layout ----------------------------------------------------------
    def _lane_names(self, ev: Event) -> list[str]:
        values = ev.tags if self._lane_mode == "tag" else ev.people
        return list(values) or [("(no tag)" if self._lane_mode == "tag" else "(no person)")]

    def _spans(self):
        return [(ev, event_span(ev)) for ev in self._events]

    def _layout(self) -> None:
        self._scene.clear()
        self._lanes = []
        spans = [(ev, sp) for ev, sp in self._spans() if sp is not None]
        width_avail = max(200, self.viewport().width() - _LANE_LABEL_W - 40)
        if spans:
            first = min(sp[0] for _ev, sp in spans)
            last = max(sp[1] for _ev, sp in spans)
        elif self._empty_range[0] is not None:
            first, last = self._empty_range
        else:
            first = last = _dt.date.today()
        # A margin of a few days either side, so edge boxes do not touch the border.
        total_days = max(1, (last - first).days + 1)
        margin = max(2, total_days // 20)
        self._origin = first - _dt.timedelta(days=margin)
        # Measured bold: a selected box draws its title in bold.
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        if self._scale is None:
            scale = width_avail / (total_days + 2 * margin)
            # Fit the titles too: the last events' labels run on past their dates.
            for ev, (d0, _d1) in spans:
                label_w = min(_MAX_LABEL_W, metrics.horizontalAdvance(self._shown_title(ev)) + 16) + _MIN_BOX_W + 4
                room = width_avail - label_w
                if room > width_avail / 3:
                    scale = min(scale, room / max(1, (d0 - self._origin).days + 1))
            self._scale = min(_MAX_SCALE, max(_MIN_SCALE, scale))
        end_x = self._x(last + _dt.timedelta(days=margin))
        lanes: dict[str, list[tuple[Event, float, float, float]]] = {}
        for ev, (d0, d1) in spans:
            x0 = self._x(d0)
            box_w = max(_MIN_BOX_W, (d1 - d0).days * self._scale + self._scale)
            label_w = min(_MAX_LABEL_W, metrics.horizontalAdvance(self._shown_title(ev)) + 16)
            footprint = box_w + 4 + label_w if box_w < _INSIDE_LABEL_MIN_W else max(box_w, label_w)
            for lane in self._lane_names(ev):
                lanes.setdefault(lane, []).append((ev, x0, box_w, footprint))
        order = sorted(lanes, key=lambda n: (n.startswith("("), n.lower()))

        top = 0.0
        for name in order:
            rows_end: list[float] = []
            placed = []
            for ev, x0, box_w, footprint in sorted(lanes[name], key=lambda t: t[1]):
                # Greedy packing: first row whose last box ends before this one starts.
                row = next((i for i, end in enumerate(rows_end) if end + 6 <= x0), None)
                if row is None:
                    row = len(rows_end)
                    rows_end.append(0.0)
                rows_end[row] = x0 + footprint
                placed.append((ev, x0, box_w, footprint, row))
            lane_h = max(1, len(rows_end)) * _ROW_H + 2 * _LANE_PAD
            for ev, x0, box_w, footprint, row in placed:
                rect = QRectF(x0, top + _LANE_PAD + row * _ROW_H + 2, box_w, _ROW_H - 4)
                lanes_of = self._lane_names(ev)
                primary = name == next(n for n in order if n in lanes_of)
                self._scene.addItem(EventBox(ev, rect, footprint, primary, lanes_of,
                                             self._conflicts.get(ev.id, ())))
            self._lanes.append((name, top, top + lane_h))
            top += lane_h
        self._link_copies()
        if not order:
            top += _ROW_H * 2
        right = max([end_x] + [b.sceneBoundingRect().right() for b in self.boxes()])
        self._scene.setSceneRect(QRectF(-_LANE_LABEL_W, 0, right + _LANE_LABEL_W + 20, top + 4))
        self.viewport().update()
        self._ruler.update()

    def _link_copies(self) -> None:
        by_event: dict[int, list[EventBox]] = {}
        for box in self.boxes():
            by_event.setdefault(box.event_id, []).append(box)
        for boxes in by_event.values():
            if len(boxes) < 2:
                continue
            boxes.sort(key=lambda b: b.rect().top())
            x = boxes[0].rect().left() + min(6.0, boxes[0].rect().width() / 2)
            self._scene.addItem(EventLink(boxes[0].event, x, boxes[0].rect().center().y(),
                                          boxes[-1].rect().center().y()))

    def links(self) -> list[EventLink]:
        return [it for it in self._scene.items() if isinstance(it, EventLink)]

    def _x(self, day: _dt.date) -> float:
        return (day - self._origin).days * (self._scale or 1.0)

    def _date_at(self, x: float) -> _dt.date:
        return self._origin + _dt.timedelta(days=x / (self._scale or 1.0))

    def _zoom(self, factor: float, anchor_view_x: Optional[float] = None) -> None:
        if self._origin is None:
            return
        if anchor_view_x is None:
            anchor_view_x = self.viewport().width() / 2
        scene_x = self.mapToScene(int(anchor_view_x), 0).x()
        days = scene_x / (self._scale or 1.0)
        new_scale = min(_MAX_SCALE, max(_MIN_SCALE, (self._scale or 1.0) * factor))
        if new_scale == self._scale:
            return
        self._scale = new_scale
        self._fitted = False
        keep = self.selected_event_ids()
        self._layout()
        self.select_events(keep)
        # Keep the date under the pointer where it was.
        bar = self.horizontalScrollBar()
        new_scene_x = days * new_scale
        bar.setValue(int(bar.value() + (self.mapFromScene(QPointF(new_scene_x, 0)).x() - anchor_view_x)))

    # -- painting: ruler and lane names ----------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, self.palette().base())
        band = QColor(self.palette().alternateBase().color())
        for i, (_name, top, bottom) in enumerate(self._lanes):
            if i % 2:
                painter.fillRect(QRectF(rect.left(), top, rect.width(), bottom - top), band)
        if self._origin is None:
            return
        grid = QPen(QColor(160, 160, 160, 90), 1)
        painter.setPen(grid)
        for x, _label, major in self._ticks(rect.left(), rect.right()):
            if major:
                painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))

    def paint_ruler(self, painter: QPainter, width: int) -> None:
        """Ticks and dates of the visible stretch, with the period in the left corner."""
        pal = self.palette()
        painter.fillRect(QRectF(0, 0, width, _RULER_H), pal.window())
        painter.setPen(QPen(pal.mid().color(), 1))
        painter.drawLine(0, _RULER_H - 1, width, _RULER_H - 1)
        if self._origin is None:
            return
        dx = self.viewport().x() - self._ruler.x()
        left = self.mapToScene(0, 0).x()
        right = self.mapToScene(self.viewport().width(), 0).x()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        ticks = [(self.mapFromScene(QPointF(x, 0)).x() + dx, label, major)
                 for x, label, major in self._ticks(left + _LANE_LABEL_W, right)]
        # Month and year labels first; a day number that would touch one is left out.
        corner = _LANE_LABEL_W - 6 + dx
        ticks = [t for t in ticks if t[0] > corner + 1]
        taken: list[tuple[float, float]] = []
        for want_major in (True, False):
            for vx, label, major in ticks:
                if major != want_major:
                    continue
                painter.setPen(pal.text().color() if major else pal.mid().color())
                painter.drawLine(vx, _RULER_H - (12 if major else 6), vx, _RULER_H - 1)
                if not label:
                    continue
                extent = (vx, vx + 3 + metrics.horizontalAdvance(label) + 6)
                if any(extent[0] < b and a < extent[1] for a, b in taken):
                    continue
                taken.append(extent)
                painter.setPen(pal.text().color() if major else pal.placeholderText().color())
                painter.drawText(vx + 3, _RULER_H - 10, label)
        # Ticks show days or months only: the corner says which month or year.
        context = self._date_at(left + _LANE_LABEL_W)
        corner = PartialDate.from_date(context, "month" if (self._scale or 1.0) >= 6 else "year").human()
        painter.fillRect(QRectF(0, 0, _LANE_LABEL_W - 6 + dx, _RULER_H - 1), pal.window())
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(pal.windowText().color())
        painter.drawText(QRectF(6, 0, _LANE_LABEL_W - 12, _RULER_H - 4),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, corner)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self._origin is None:
            return
        # Lane names stay pinned to the left edge while the axis scrolls.
        painter.save()
        painter.resetTransform()
        pal = self.palette()
        top_offset = self.mapFromScene(QPointF(0, 0)).y()
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        gutter_w = _LANE_LABEL_W - 6
        view_h = self.viewport().height()
        # The gutter runs the full height, so boxes scrolled under it never show through.
        painter.fillRect(QRectF(0, 0, gutter_w, view_h), pal.window())
        for name, top, bottom in self._lanes:
            y0 = max(0.0, top + top_offset)
            y1 = bottom + top_offset
            if y1 <= 0 or y0 >= view_h:
                continue
            painter.setPen(QPen(pal.mid().color(), 1))
            painter.drawLine(QPointF(0, y1 - 0.5), QPointF(gutter_w, y1 - 0.5))
            label_rect = QRectF(6, y0, gutter_w - 10, min(y1 - y0, _ROW_H + _LANE_PAD))
            painter.setPen(pal.windowText().color())
            elided = QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, gutter_w - 12)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
        painter.setPen(QPen(pal.mid().color(), 1))
        painter.drawLine(QPointF(gutter_w - 0.5, 0), QPointF(gutter_w - 0.5, view_h))
        if not self._events and self._empty_range[0] is not None:
            self._paint_empty_note(painter)
        painter.restore()

    def empty_note(self) -> str:
        """What the empty axis says about the archive's dates ("" when it knows none)."""
        first, last = self._empty_range
        if first is None:
            return ""
        span = self._empty_said or (str(first.year) if first.year == last.year and first.month == 1
                                    and last.month == 12 else f"{human_day(first)} \u2013 {human_day(last)}")
        note = f"No events yet \u00b7 the articles' dates run {span}" if first != last else \
            f"No events yet \u00b7 the articles' dates: {span}"
        return note

    def _paint_empty_note(self, painter: QPainter) -> None:
        note = self.empty_note()
        area = QRectF(_LANE_LABEL_W, 0, self.viewport().width() - _LANE_LABEL_W, self.viewport().height())
        painter.setPen(self.palette().placeholderText().color())
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter, note)

    def _ticks(self, left: float, right: float):
        """(scene x, label, major) for years, months or days depending on the zoom."""
        scale = self._scale or 1.0
        start = self._date_at(max(left, -1e7))
        end = self._date_at(min(right, 1e7))
        out = []
        if scale * 30 < 12:          # under ~12 px a month: years only
            step = 1 if scale * 365 >= 40 else 5
            for y in range(start.year - start.year % step, end.year + 1, step):
                if 1 <= y <= 9999:
                    out.append((self._x(_dt.date(y, 1, 1)), str(y), True))
        elif scale < 6:              # months, the year on January
            y, m = start.year, start.month
            label_every = 1 if scale * 30 >= 40 else 3
            while (y, m) <= (end.year, end.month):
                d = _dt.date(y, m, 1)
                label = str(y) if m == 1 else (MONTH_ABBR[m - 1] if (m - 1) % label_every == 0 else "")
                if m == 1 and scale * 30 >= 40:
                    label = PartialDate.from_date(d, "month").human()
                out.append((self._x(d), label, m == 1 or label_every == 1))
                m += 1
                if m > 12:
                    y, m = y + 1, 1
        else:                        # days, the month on the 1st
            d = start
            label_every = 1 if scale >= 30 else 7
            while d <= end:
                if d.day == 1:
                    out.append((self._x(d), human_day(d), True))
                elif (d.day - 1) % label_every == 0:
                    out.append((self._x(d), str(d.day), False))
                else:
                    out.append((self._x(d), "", False))
                d += _dt.timedelta(days=1)
        return out

    # -- interaction -----------------------------------------------------
    def _on_scene_selection(self) -> None:
        if self._syncing:
            return
        ids = self.selected_event_ids()
        # Selecting one box of an event selects its boxes in the other lanes too.
        self.select_events(ids)
        self.selection_changed.emit(ids)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)
            return
        delta = event.angleDelta().y()
        if delta:
            self._zoom(1.25 if delta > 0 else 1 / 1.25, event.position().x())
            event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        event_id = self.event_id_at(event.position().toPoint())
        if event_id is not None:
            self.event_activated.emit(event_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        frame = self.frameWidth()
        self._ruler.setGeometry(frame, frame, self.width() - 2 * frame, _RULER_H)
        # Until the user zooms, the axis keeps fitting the events to its width.
        if self._events and (event.oldSize().width() <= 0 or
                             (self._fitted and event.oldSize().width() != event.size().width())):
            self.fit()


def _head(box: EventBox) -> QRectF:
    """The start of a box in scene coordinates: what must show for the event to be seen."""
    r = box.mapRectToScene(box.rect())
    return QRectF(r.left(), r.top(), min(r.width(), 24.0), r.height())
