"""``Timelines``: the case timelines of one archive, their events and citations.

Every edit is one SQLite transaction (``BEGIN IMMEDIATE``), so an event and
its citations are written together or not at all, even if the process is
killed mid-edit. Two windows editing the same event cannot overwrite each
other: ``update_event`` compares the row's ``modified`` stamp with the one
the caller loaded and refuses a stale save.

>>> tl = Timelines(db, get_article)
>>> ev = tl.add_event(Event(None, None, parse_partial_date("2022-12-06"), "Arrest"))
>>> tl.update_event(dataclasses.replace(ev, certainty="confirmed"))
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import sqlite3
from typing import Callable, Iterable, Iterator, Optional, Sequence, Union

import sqlite_utils

from ..errors import InvalidInput, NotFound
from ..models import CERTAINTIES, Article, Citation, Event, Fact, Timeline
from ..store.transaction import transaction
from . import drafts
from .anchors import find_quote
from .dates import check_range
from .rows import citation_columns, citation_from_row, event_columns, event_from_row

__all__ = ["Timelines", "DEFAULT_TIMELINE"]

DEFAULT_TIMELINE = "Default"
TimelineRef = Union[int, str, None]


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")


def _names(values: Iterable[str], what: str) -> tuple[str, ...]:
    """Trimmed, de-duplicated (case-insensitively), in the order given."""
    out, seen = [], set()
    for value in values or ():
        if not isinstance(value, str):
            raise InvalidInput(f"Each of the {what} must be text, not {value!r}.")
        value = " ".join(value.split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return tuple(out)


class Timelines:
    """The timelines of one archive. ``get_article(id_or_path)`` returns an Article with its text."""

    def __init__(self, db: sqlite_utils.Database, get_article: Callable[[Union[int, str]], Article]) -> None:
        self.db = db
        self._get_article = get_article

    # -- transactions -------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): the write lock is taken up
        front, so the stale-save check and the write cannot interleave with another process."""
        with transaction(self.db):
            yield self.db.conn

    # -- timelines ----------------------------------------------------------

    def _timeline_row(self, timeline_id: int):
        row = self.db.execute(
            "SELECT id, name, created, modified FROM timelines WHERE id = ?", [timeline_id]
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no timeline with id {timeline_id}.")
        return row

    def _timeline(self, row) -> Timeline:
        count = self.db.execute("SELECT count(*) FROM events WHERE timeline_id = ?", [row[0]]).fetchone()[0]
        return Timeline(id=row[0], name=row[1], event_count=count, created=row[2], modified=row[3])

    @staticmethod
    def _clean_name(name: str) -> str:
        name = " ".join((name or "").split())
        if not name:
            raise InvalidInput("A timeline needs a name.")
        if len(name) > 200:
            raise InvalidInput("A timeline name can be at most 200 characters long.")
        return name

    def list(self) -> list[Timeline]:
        """All timelines, by name."""
        rows = self.db.execute(
            "SELECT id, name, created, modified FROM timelines ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [self._timeline(r) for r in rows]

    def get_or_create(self, name: str = DEFAULT_TIMELINE) -> Timeline:
        name = self._clean_name(name)
        with self._write() as conn:
            timeline_id = self._ensure_timeline(conn, name)
        return self._timeline(self._timeline_row(timeline_id))

    def _ensure_timeline(self, conn, name: str) -> int:
        row = conn.execute("SELECT id FROM timelines WHERE name = ?", [name]).fetchone()
        if row:
            return row[0]
        stamp = _now()
        return conn.execute(
            "INSERT INTO timelines (name, created, modified) VALUES (?, ?, ?)", [name, stamp, stamp]
        ).lastrowid

    def rename(self, timeline_id: int, name: str) -> Timeline:
        name = self._clean_name(name)
        with self._write() as conn:
            self._timeline_row(timeline_id)
            clash = conn.execute(
                "SELECT id FROM timelines WHERE name = ? AND id != ?", [name, timeline_id]
            ).fetchone()
            if clash:
                raise InvalidInput(f"There is already a timeline named “{name}”.")
            conn.execute("UPDATE timelines SET name = ?, modified = ? WHERE id = ?",
                         [name, _now(), timeline_id])
        return self._timeline(self._timeline_row(timeline_id))

    def delete(self, timeline_id: int) -> None:
        """Delete a timeline with its events and their citations."""
        with self._write() as conn:
            self._timeline_row(timeline_id)
            conn.execute(
                "DELETE FROM citations WHERE event_id IN (SELECT id FROM events WHERE timeline_id = ?)",
                [timeline_id],
            )
            conn.execute("DELETE FROM events WHERE timeline_id = ?", [timeline_id])
            conn.execute("DELETE FROM timelines WHERE id = ?", [timeline_id])

    def _find_timeline(self, timeline: TimelineRef) -> Optional[int]:
        """The id of an existing timeline; None when the default one does not exist yet."""
        if isinstance(timeline, int) and not isinstance(timeline, bool):
            return self._timeline_row(timeline)[0]
        name = DEFAULT_TIMELINE if timeline is None else self._clean_name(timeline)
        row = self.db.execute("SELECT id FROM timelines WHERE name = ?", [name]).fetchone()
        if row:
            return row[0]
        if name == DEFAULT_TIMELINE:
            return None
        raise NotFound(f"There is no timeline named “{name}”.")

    def _target_timeline(self, conn, timeline: TimelineRef) -> int:
        """The id of the timeline to write to, creating a named one if needed."""
        if isinstance(timeline, int) and not isinstance(timeline, bool):
            return self._timeline_row(timeline)[0]
        name = DEFAULT_TIMELINE if timeline is None else self._clean_name(timeline)
        return self._ensure_timeline(conn, name)

    def _touch_timeline(self, conn, timeline_id: int, stamp: str) -> None:
        conn.execute("UPDATE timelines SET modified = ? WHERE id = ?", [stamp, timeline_id])

    # -- reading events -----------------------------------------------------

    def _citations_for(self, event_ids: Sequence[int]) -> dict[int, list[Citation]]:
        found: dict[int, list[Citation]] = {i: [] for i in event_ids}
        if not event_ids:
            return found
        # Chunked: SQLite limits the number of bound parameters.
        for i in range(0, len(event_ids), 500):
            chunk = list(event_ids[i:i + 500])
            marks = ",".join("?" for _ in chunk)
            for row in self.db.query(
                # The article's address is read from the article, so a corrected URL shows at once.
                "SELECT c.*, a.url AS article_url FROM citations c LEFT JOIN articles a ON a.id = c.article_id "
                f"WHERE c.event_id IN ({marks}) ORDER BY c.event_id, c.position, c.id", chunk
            ):
                found[row["event_id"]].append(citation_from_row(row))
        return found

    def events(self, timeline: TimelineRef = None, *, tags: Iterable[str] = (),
               certainty: Union[str, Iterable[str], None] = None,
               person: Optional[str] = None) -> list[Event]:
        """The timeline's events in chronological order, optionally narrowed.

        ``tags``: events carrying every one of these tags. ``certainty``: one
        value or several. ``person``: events linking that person (any case).
        """
        timeline_id = self._find_timeline(timeline)
        if timeline_id is None:
            return []
        rows = list(self.db.query(
            "SELECT * FROM events WHERE timeline_id = ? "
            "ORDER BY start_value, coalesce(end_value, ''), id", [timeline_id]
        ))
        wanted_tags = {t.casefold() for t in _names(tags, "tags")}
        if isinstance(certainty, str):
            certainty = {certainty}
        wanted_certainty = set(certainty) if certainty else None
        wanted_person = " ".join(person.split()).casefold() if person else None
        events = [event_from_row(r) for r in rows]
        events = [
            e for e in events
            if wanted_tags <= {t.casefold() for t in e.tags}
            and (wanted_certainty is None or e.certainty in wanted_certainty)
            and (wanted_person is None or wanted_person in {p.casefold() for p in e.people})
        ]
        cites = self._citations_for([e.id for e in events])
        return [dataclasses.replace(e, citations=tuple(cites[e.id])) for e in events]

    def event(self, event_id: int) -> Event:
        rows = list(self.db.query("SELECT * FROM events WHERE id = ?", [event_id]))
        if not rows:
            raise NotFound(f"There is no event with id {event_id}.")
        return event_from_row(rows[0], self._citations_for([event_id])[event_id])

    # -- validation ---------------------------------------------------------

    def _article(self, ref: Union[int, str]) -> Article:
        try:
            article = self._get_article(ref)
        except NotFound as err:
            raise InvalidInput(f"Cannot cite {ref}: {err}") from err
        if not article.text:
            # The facade hands out text only when asked; be sure we have it.
            raise InvalidInput(f"Cannot check the quote: the text of {article.path} is not available.")
        return article

    def _verified(self, citation: Citation) -> Citation:
        """The citation anchored in its article, with the source details copied in."""
        ref = citation.article_id if citation.article_id is not None else citation.article_path
        if ref is None or ref == "":
            raise InvalidInput("A citation must name the article it quotes.")
        quote = (citation.quote or "").strip()
        if not quote:
            raise InvalidInput("A citation needs the exact passage it quotes.")
        article = self._article(ref)
        text = article.text
        near = citation.start if isinstance(citation.start, int) and citation.start >= 0 else None
        if near is not None and text[near:near + len(quote)] == quote:
            span = (near, near + len(quote))
        else:
            span = find_quote(text, quote, near)
        if span is None:
            shown = quote if len(quote) <= 80 else quote[:77] + "…"
            raise InvalidInput(
                f"The quote “{shown}” does not occur in {article.path}. "
                "Copy the passage exactly as it appears in the article."
            )
        return Citation(
            id=citation.id, article_id=article.id, article_path=article.path,
            quote=text[span[0]:span[1]], start=span[0], end=span[1], outlet=article.outlet,
            published=article.published, title=article.title, status="ok", url=article.url,
        )

    def _validated(self, event: Event, verify_citations: bool = True) -> Event:
        if not isinstance(event, Event):
            raise InvalidInput("Only an Event can be saved on a timeline.")
        title = " ".join((event.title or "").split())
        if not title:
            raise InvalidInput("An event needs a title.")
        check_range(event.start, event.end)
        if event.certainty not in CERTAINTIES:
            raise InvalidInput(
                f"“{event.certainty}” is not a certainty; use one of: {', '.join(CERTAINTIES)}."
            )
        citations = tuple(self._verified(c) if verify_citations else c for c in event.citations)
        return dataclasses.replace(
            event, title=title, description=(event.description or "").strip(),
            notes=(event.notes or "").strip(), tags=_names(event.tags, "tags"),
            people=_names(event.people, "people"),
            organisations=_names(event.organisations, "organisations"),
            places=_names(event.places, "places"), citations=citations,
        )

    # -- writing events -----------------------------------------------------

    def _insert_citation(self, conn, c: Citation, event_id: int, position: int,
                         keep_id: bool = False) -> int:
        cols = citation_columns(c, event_id, position)
        if keep_id and c.id is not None and not conn.execute(
            "SELECT 1 FROM citations WHERE id = ?", [c.id]
        ).fetchone():
            cols["id"] = c.id
        if cols["article_id"] is not None and not conn.execute(
            "SELECT 1 FROM articles WHERE id = ?", [cols["article_id"]]
        ).fetchone():
            # The article left the archive while the event was away (undo).
            cols["article_id"] = None
            cols["status"] = "missing"
        names = ", ".join(f'"{k}"' for k in cols)
        marks = ", ".join("?" for _ in cols)
        return conn.execute(f"INSERT INTO citations ({names}) VALUES ({marks})", list(cols.values())).lastrowid

    def _insert_citations(self, conn, event_id: int, citations: Sequence[Citation],
                          keep_ids: bool = False) -> None:
        for position, c in enumerate(citations):
            self._insert_citation(conn, c, event_id, position, keep_ids)

    def _insert_event(self, conn, event: Event, timeline_id: int, event_id: Optional[int] = None) -> int:
        stamp = _now()
        cols = event_columns(event)
        cols.update(timeline_id=timeline_id, created=event.created or stamp, modified=stamp)
        if event_id is not None:
            cols["id"] = event_id
        names = ", ".join(cols)
        marks = ", ".join("?" for _ in cols)
        new_id = conn.execute(f"INSERT INTO events ({names}) VALUES ({marks})", list(cols.values())).lastrowid
        self._touch_timeline(conn, timeline_id, stamp)
        return new_id

    def add_event(self, event: Event, timeline: TimelineRef = None) -> Event:
        """Save a new event with its citations; each quote must occur in its article.

        ``timeline``: an id or a name (created if new); when None, the
        event's own ``timeline_id`` or else the "Default" timeline.
        """
        event = self._validated(event)
        if timeline is None and event.timeline_id is not None:
            timeline = event.timeline_id
        with self._write() as conn:
            timeline_id = self._target_timeline(conn, timeline)
            event_id = self._insert_event(conn, event, timeline_id)
            self._insert_citations(conn, event_id, event.citations)
        return self.event(event_id)

    def import_events(self, events: Iterable[Event], timeline: TimelineRef = None) -> list[Event]:
        """Add imported events in one transaction, all or none.

        Unlike ``add_event``, a citation that cannot be checked (its article
        is not in this archive, or the passage is no longer there) is kept as
        it was written and flagged ``missing`` instead of refused, so an
        import never drops what the file holds.
        """
        prepared = []
        for event in events:
            event = self._validated(event, verify_citations=False)
            citations = []
            for c in event.citations:
                try:
                    citations.append(self._verified(c))
                except InvalidInput:
                    citations.append(dataclasses.replace(c, id=None, article_id=None, status="missing"))
            prepared.append(dataclasses.replace(event, citations=tuple(citations)))
        ids = []
        with self._write() as conn:
            timeline_id = self._target_timeline(conn, timeline)
            for event in prepared:
                event_id = self._insert_event(conn, dataclasses.replace(event, created=""), timeline_id)
                self._insert_citations(conn, event_id, event.citations)
                ids.append(event_id)
        return [self.event(i) for i in ids]

    def update_event(self, event: Event) -> Event:
        """Save an edited event (loaded with ``event()``/``events()``).

        Citations the caller kept (same id, article and quote) stay as they
        are; new or changed ones are checked against their article. Raises
        InvalidInput if someone else saved the event since it was loaded.
        """
        if event.id is None:
            raise InvalidInput("This event has not been saved yet; add it instead of updating it.")
        # Check everything before taking the write lock. Reading the stored
        # citations outside the transaction is safe: any change to them bumps
        # the event's stamp, which is compared under the lock below.
        stored = {c.id: c for c in self._citations_for([event.id])[event.id]}
        citations = []
        for c in event.citations:
            old = stored.get(c.id) if c.id is not None else None
            same_source = old is not None and (
                c.article_id == old.article_id or (c.article_id is None and c.article_path == old.article_path))
            if old is not None and same_source and old.quote == c.quote:
                citations.append(old)
            else:
                citations.append(self._verified(dataclasses.replace(c, id=None)))
        event = self._validated(dataclasses.replace(event, citations=()), verify_citations=False)
        with self._write() as conn:
            row = conn.execute("SELECT modified, timeline_id FROM events WHERE id = ?", [event.id]).fetchone()
            if row is None:
                raise NotFound(f"There is no event with id {event.id}; it may have been removed in another window.")
            if row[0] != event.modified:
                raise InvalidInput(
                    f"Event {event.id} (“{event.title}”) was changed by another window; "
                    "reload it and redo your edit."
                )
            stamp = self._next_stamp(row[0])
            cols = event_columns(event)
            cols["modified"] = stamp
            if event.timeline_id is not None and event.timeline_id != row[1]:
                # Moving the event to another timeline.
                cols["timeline_id"] = self._timeline_row(event.timeline_id)[0]
                self._touch_timeline(conn, cols["timeline_id"], stamp)
            sets = ", ".join(f"{k} = ?" for k in cols)
            conn.execute(f"UPDATE events SET {sets} WHERE id = ?", [*cols.values(), event.id])
            keep = [c.id for c in citations if c.id is not None]
            conn.execute(
                f"DELETE FROM citations WHERE event_id = ? AND id NOT IN ({','.join('?' for _ in keep)})",
                [event.id, *keep],
            )
            for position, c in enumerate(citations):
                if c.id is not None:
                    conn.execute("UPDATE citations SET position = ? WHERE id = ?", [position, c.id])
                else:
                    self._insert_citation(conn, c, event.id, position)
            self._touch_timeline(conn, row[1], stamp)
        return self.event(event.id)

    @staticmethod
    def _next_stamp(previous: str) -> str:
        stamp = _now()
        # The stamp must change on every save, even if the clock stepped back
        # or two saves fall in one microsecond.
        return stamp if stamp > previous else previous + "+"

    def _bump_event(self, conn, event_id: int) -> None:
        row = conn.execute("SELECT modified, timeline_id FROM events WHERE id = ?", [event_id]).fetchone()
        stamp = self._next_stamp(row[0])
        conn.execute("UPDATE events SET modified = ? WHERE id = ?", [stamp, event_id])
        self._touch_timeline(conn, row[1], stamp)

    def remove_event(self, event_id: int) -> Event:
        """Delete an event and its citations; returns them so the caller can undo."""
        with self._write() as conn:
            removed = self.event(event_id)
            conn.execute("DELETE FROM citations WHERE event_id = ?", [event_id])
            conn.execute("DELETE FROM events WHERE id = ?", [event_id])
            self._touch_timeline(conn, removed.timeline_id, _now())
        return removed

    def restore_event(self, event: Event) -> Event:
        """Put back an event ``remove_event`` returned, with its id and citations (undo).

        Its citations are stored as they were (they were checked when first
        saved); if its timeline was deleted meanwhile it goes to "Default".
        """
        if event.id is None:
            raise InvalidInput("Only a removed event (one with an id) can be restored.")
        event = self._validated(event, verify_citations=False)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM events WHERE id = ?", [event.id]).fetchone():
                raise InvalidInput(f"Event {event.id} is already on a timeline; there is nothing to restore.")
            exists = event.timeline_id is not None and conn.execute(
                "SELECT 1 FROM timelines WHERE id = ?", [event.timeline_id]).fetchone()
            timeline_id = event.timeline_id if exists else self._ensure_timeline(conn, DEFAULT_TIMELINE)
            self._insert_event(conn, event, timeline_id, event_id=event.id)
            self._insert_citations(conn, event.id, event.citations, keep_ids=True)
        return self.event(event.id)

    # -- citations ----------------------------------------------------------

    def add_citation(self, event_id: int, article: Union[int, str], quote: str,
                     start: Optional[int] = None) -> Citation:
        """Cite a passage for an event; InvalidInput if the quote is not in the article."""
        ref_id = article if isinstance(article, int) else None
        ref_path = article if isinstance(article, str) else ""
        citation = self._verified(Citation(
            id=None, article_id=ref_id, article_path=ref_path, quote=quote,
            start=start if start is not None else -1, end=-1,
        ))
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM events WHERE id = ?", [event_id]).fetchone():
                raise NotFound(f"There is no event with id {event_id}.")
            position = conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM citations WHERE event_id = ?", [event_id]
            ).fetchone()[0]
            new_id = self._insert_citation(conn, citation, event_id, position)
            self._bump_event(conn, event_id)
        return dataclasses.replace(citation, id=new_id)

    def remove_citation(self, citation_id: int) -> None:
        with self._write() as conn:
            row = conn.execute("SELECT event_id FROM citations WHERE id = ?", [citation_id]).fetchone()
            if row is None:
                raise NotFound(f"There is no citation with id {citation_id}.")
            conn.execute("DELETE FROM citations WHERE id = ?", [citation_id])
            self._bump_event(conn, row[0])

    def reanchor_article(self, article_id: int) -> int:
        """Re-find every quote cited from an article whose text changed.

        The occurrence nearest the old span wins (status ``moved`` if the span
        changed); a passage no longer there is flagged ``missing`` and keeps
        its old span. If the article left the archive, all its citations are
        ``missing``. Returns how many citations changed.
        """
        try:
            article = self._get_article(article_id)
        except NotFound:
            article = None
        with self._write() as conn:
            if article is None:
                cur = conn.execute(
                    "UPDATE citations SET status = 'missing' WHERE article_id = ? AND status != 'missing'",
                    [article_id])
                return cur.rowcount
            # Citations orphaned when the article was removed and indexed again
            # under a new id come back by their path.
            rows = conn.execute(
                'SELECT id, article_id, quote, start, "end", status, outlet, published, title FROM citations '
                "WHERE article_id = ? OR (article_id IS NULL AND article_path = ?)",
                [article.id, article.path],
            ).fetchall()
            changed = 0
            source = (article.outlet, article.published, article.title)
            for cid, old_article, quote, start, end, status, outlet, published, title in rows:
                span = find_quote(article.text, quote, start)
                if span is None:
                    new = (article.id, start, end, "missing", quote)
                elif span == (start, end):
                    # Still in place: a citation re-anchored earlier stays marked moved.
                    new = (article.id, start, end, "moved" if status == "moved" else "ok", quote)
                else:
                    new = (article.id, span[0], span[1], "moved", article.text[span[0]:span[1]])
                if new[:4] != (old_article, start, end, status):
                    changed += 1
                elif source == (outlet, published, title):
                    continue
                conn.execute(
                    'UPDATE citations SET article_id = ?, start = ?, "end" = ?, status = ?, quote = ?, '
                    "outlet = ?, published = ?, title = ? WHERE id = ?",
                    [*new, *source, cid],
                )
        return changed

    # -- drafts -------------------------------------------------------------

    def draft_from_fact(self, fact: Fact, article: Article) -> Event:
        """An unsaved event prefilled from a fact: its date, the sentence's entities, the sentence cited."""
        return drafts.draft_from_fact(self.db, fact, self._with_text(article))

    def draft_from_passage(self, article: Article, start: int, end: int) -> Event:
        """An unsaved event citing ``article.text[start:end]``, dated by the passage or the article."""
        return drafts.draft_from_passage(self.db, self._with_text(article), start, end)

    def _with_text(self, article: Article) -> Article:
        if article.text:
            return article
        try:
            return self._get_article(article.id)
        except NotFound as err:
            raise InvalidInput(f"Cannot draft an event: {err}") from err
