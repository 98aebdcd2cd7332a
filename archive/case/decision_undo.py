"""Undoing the user's case decisions, each in one transaction, handing back what it took away
so that a redo (:func:`restore`) puts exactly that back, under the same ids.

    saved = arc.case.confirm_event(key)
    undone = arc.case.undo_confirm(saved.id)   # the timeline event goes too, unless edited since
    arc.case.restore(undone)                   # redo: the decision and its event back
    undone = arc.case.undo_merge(arc.case.merge_events([a, b]))
    undone = arc.case.undo_split(arc.case.split_event(key, claim_ids))
    change = arc.case.change_conflict_status(key, "resolved", "why")
    back = arc.case.restore(change)            # the status and note before; restore(back) redoes

The timeline event a confirmation made is removed with it only while it is as
the confirmation left it (its ``modified`` stamp unchanged): an event the user
edited since is theirs, and stays on the timeline.
"""
from __future__ import annotations

from ..errors import InvalidInput, NotFound
from ..store import case as store
from ..store.transaction import transaction
from .decisions import key_title
from .events import _split_key
from .records import DecisionUndo

__all__ = ["undo_confirm", "undo_merge", "undo_split", "change_conflict_status", "restore"]


def _title(row: dict) -> str:
    return row["data"].get("title") or key_title(row["key"])


def undo_confirm(case, timeline_event_id: int) -> DecisionUndo:
    """Take back "Add to timeline": the case event is a suggestion again; its timeline
    event is removed if the user has not edited it since."""
    event_id = int(timeline_event_id)
    rows = [d for d in store.decisions(case.db) if d["kind"] == "confirm" and d["timeline_event_id"] == event_id]
    if not rows:
        raise InvalidInput(f"Timeline event {event_id} was not added from the case analysis; "
                           "there is no confirmation to undo.")
    title = _title(rows[-1])
    timelines = case._timelines()
    with transaction(case.db):
        for row in rows:
            store.remove_decision(case.db, row["id"])
        try:
            current = timelines.event(event_id)
        except NotFound:
            current = None
        made = rows[-1]["data"].get("modified")
        if current is not None and made is not None and current.modified == made:
            removed = timelines.remove_event(event_id)
            return DecisionUndo("confirm", rows[-1]["key"], tuple(rows), removed_event=removed,
                                message=f"“{title}” is off the timeline and a suggestion again.")
    if current is None:
        message = f"“{title}” is a suggestion again (its timeline event had been deleted)."
    else:
        message = (f"“{title}” is a suggestion again; timeline event {event_id} was edited after it was "
                   "added, so it stays on the timeline.")
    return DecisionUndo("confirm", rows[-1]["key"], tuple(rows),
                        kept_event_id=event_id if current is not None else None, message=message)


def undo_merge(case, key: str) -> DecisionUndo:
    """Take back the latest merge that kept ``key`` (what ``merge_events`` returned)."""
    rows = [d for d in store.decisions(case.db) if d["kind"] == "merge" and d["key"] == key]
    if not rows:
        raise InvalidInput(f"No merge of case events kept {key!r}; there is nothing to undo.")
    row = rows[-1]
    with transaction(case.db):
        store.remove_decision(case.db, row["id"])
    n = len(row["data"]["keys"])
    return DecisionUndo("merge", key, (row,), message=f"The merge of {n} events is undone.")


def undo_split(case, split_key: str) -> DecisionUndo:
    """Take back the split that made ``split_key`` (what ``split_event`` returned)."""
    rows = [d for d in store.decisions(case.db) if d["kind"] == "split"
            and _split_key(d["key"], sorted(set(d["data"]["claims"]))) == split_key]
    if not rows:
        raise InvalidInput(f"No split made the case event {split_key!r}; there is nothing to undo.")
    row = rows[-1]
    with transaction(case.db):
        store.remove_decision(case.db, row["id"])
    return DecisionUndo("split", split_key, (row,), message=f"The sources split off “{_title(row)}” are back in it.")


def change_conflict_status(case, key: str, status: str, note: str) -> DecisionUndo:
    """Set a conflict's status and note; the answer holds the status rows it replaced
    (its own, or one that followed it here from an older key) for :func:`restore`."""
    raw = {c["key"]: c for c in store.load_conflicts(case.db)}
    if key not in raw:
        raise NotFound(f"There is no conflict {key!r}; run the case analysis again.")
    previous = case._status_rows_for(key, list(raw.values()))
    with transaction(case.db):
        # A status followed here from an older key is replaced by this one, not left to compete with it.
        for row in previous:
            store.delete_conflict_status(case.db, row["key"])
        store.set_conflict_status(case.db, key, status, (note or "").strip(), store.conflict_claims(raw[key]))
    label = status.replace("-", " ")
    return DecisionUndo("conflict", key, tuple(previous), replaced=(key,), message=f"Conflict marked {label}.")


def restore(case, undone: DecisionUndo) -> DecisionUndo:
    """Put back what an undo took away (redo); for a conflict, the answer is what this took
    away in turn (restore it to redo)."""
    db = case.db
    if undone.kind == "conflict":
        keys = set(undone.replaced)
        taken = tuple(r for r in store.conflict_statuses(db) if r["key"] in keys)
        with transaction(db):
            for key in keys:
                store.delete_conflict_status(db, key)
            for r in undone.rows:
                store.set_conflict_status(db, r["key"], r["status"], r["note"], r["claims"], r["decided_at"])
        status = undone.rows[-1]["status"].replace("-", " ") if undone.rows else "open"
        return DecisionUndo("conflict", undone.key, taken, replaced=tuple(r["key"] for r in undone.rows),
                            message=f"Conflict marked {status} again.")
    if undone.kind == "confirm":
        timelines = case._timelines()
        with transaction(db):
            if undone.removed_event is not None:
                timelines.restore_event(undone.removed_event)
            else:
                try:
                    timelines.event(undone.kept_event_id if undone.kept_event_id is not None else -1)
                except NotFound:
                    raise InvalidInput(f"The timeline event “{_title(undone.rows[-1])}” was deleted; "
                                       "add the case event to the timeline again instead.") from None
            for row in undone.rows:
                store.restore_decision(db, row)
        return DecisionUndo("confirm", undone.key, undone.rows, removed_event=undone.removed_event,
                            kept_event_id=undone.kept_event_id,
                            message=f"“{_title(undone.rows[-1])}” is on the timeline again.")
    with transaction(db):
        for row in undone.rows:
            store.restore_decision(db, row)
    what = "merge" if undone.kind == "merge" else "split"
    return DecisionUndo(undone.kind, undone.key, undone.rows, message=f"The {what} is made again.")
