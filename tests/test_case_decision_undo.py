"""Undoing and redoing the user's case decisions in the core: "Add to timeline" (its
timeline event goes too unless the user edited it), a merge, a split, a conflict's
status and note; each step one transaction, read back after reopening the archive."""
from __future__ import annotations

import dataclasses

import pytest

from archive import Archive
from archive.errors import InvalidInput, NotFound

APPEAL = "appeal|oscar velde|2025-04-01"
ARREST = "arrest|oscar velde|2025-03-12"
DETENTION = "detention|oscar velde|2025-03-13"
DEPORTATION = "deportation|oscar velde|2025-04-04"
RANK = "rank|oscar velde"


@pytest.fixture
def velde(velde_folder):
    arc = Archive.open(velde_folder / ".casefile")
    arc.index_folder(velde_folder)
    yield velde_folder, arc
    arc.close()


def _event(arc, key):
    return next(e for e in arc.case.events() if e.key == key)


def _keys(arc):
    return {e.key for e in arc.case.events()}


def test_undo_confirm_removes_the_unedited_timeline_event_and_redo_puts_it_back(velde):
    folder, arc = velde
    saved = arc.case.confirm_event(APPEAL)
    undone = arc.case.undo_confirm(saved.id)
    assert undone.removed_event is not None and undone.kept_event_id is None
    assert "off the timeline" in undone.message
    assert _event(arc, APPEAL).status == "suggested"
    with pytest.raises(NotFound):
        arc.timelines.event(saved.id)
    with pytest.raises(InvalidInput):
        arc.case.undo_confirm(saved.id)   # nothing left to undo
    arc.close()

    with Archive.open(folder / ".casefile") as again:
        assert _event(again, APPEAL).status == "suggested"
        again.case.restore(undone)
        event = _event(again, APPEAL)
        assert event.status == "confirmed" and event.timeline_event_id == saved.id
        back = again.timelines.event(saved.id)
        assert back.title == saved.title and len(back.citations) == len(saved.citations)
    with Archive.open(folder / ".casefile") as third:
        assert _event(third, APPEAL).timeline_event_id == saved.id
        third.case.undo_confirm(saved.id)   # the redone confirmation can be undone again
        assert _event(third, APPEAL).status == "suggested"


def test_undo_confirm_keeps_a_timeline_event_the_user_edited(velde):
    folder, arc = velde
    saved = arc.case.confirm_event(APPEAL)
    arc.timelines.update_event(dataclasses.replace(saved, notes="Checked with the court registry"))
    undone = arc.case.undo_confirm(saved.id)
    assert undone.removed_event is None and undone.kept_event_id == saved.id
    assert "edited" in undone.message and "stays on the timeline" in undone.message
    assert arc.timelines.event(saved.id).notes == "Checked with the court registry"
    assert _event(arc, APPEAL).status == "suggested"
    # Redo links the kept event again instead of adding a second one.
    arc.case.restore(undone)
    assert _event(arc, APPEAL).timeline_event_id == saved.id
    assert len(arc.timelines.events()) == 1
    arc.close()
    with Archive.open(folder / ".casefile") as again:
        assert _event(again, APPEAL).timeline_event_id == saved.id


def test_undo_and_redo_a_merge_and_a_split(velde):
    folder, arc = velde
    head = arc.case.merge_events([ARREST, DETENTION])
    assert DETENTION not in _keys(arc)
    unmerged = arc.case.undo_merge(head)
    assert {ARREST, DETENTION} <= _keys(arc)
    deportation = _event(arc, DEPORTATION)
    moving = [deportation.sources[-1].claim_id]
    part = arc.case.split_event(DEPORTATION, moving)
    assert part in _keys(arc)
    unsplit = arc.case.undo_split(part)
    assert part not in _keys(arc)
    assert {s.claim_id for s in _event(arc, DEPORTATION).sources} == {s.claim_id for s in deportation.sources}
    arc.close()

    with Archive.open(folder / ".casefile") as again:
        assert {ARREST, DETENTION} <= _keys(again)
        again.case.restore(unmerged)
        again.case.restore(unsplit)
    with Archive.open(folder / ".casefile") as third:
        keys = _keys(third)
        assert DETENTION not in keys and part in keys
        assert [s.claim_id for s in _event(third, part).sources] == moving
        with pytest.raises(InvalidInput):
            third.case.undo_merge(DEPORTATION)


def test_undo_a_conflict_status_brings_the_previous_status_and_note_back(velde):
    folder, arc = velde
    first = arc.case.change_conflict_status(RANK, "resolved", "promoted in March")
    second = arc.case.change_conflict_status(RANK, "not-a-conflict", "two ranks, two dates")
    back = arc.case.restore(second)
    rank = next(c for c in arc.case.conflicts() if c.key == RANK)
    assert (rank.status, rank.note) == ("resolved", "promoted in March")
    arc.close()
    with Archive.open(folder / ".casefile") as again:
        rank = next(c for c in again.case.conflicts() if c.key == RANK)
        assert (rank.status, rank.note) == ("resolved", "promoted in March")
        again.case.restore(back)      # redo
        rank = next(c for c in again.case.conflicts() if c.key == RANK)
        assert (rank.status, rank.note) == ("not-a-conflict", "two ranks, two dates")
        again.case.restore(second)    # undo the second change again: resolved
        again.case.restore(first)     # and the first: no status at all
        rank = next(c for c in again.case.conflicts() if c.key == RANK)
        assert (rank.status, rank.note) == ("open", "")
        assert again.db.execute("SELECT count(*) FROM case_conflict_status").fetchone()[0] == 0


def test_undoing_a_status_set_after_an_entity_merge_brings_the_old_key_back(velde):
    folder, arc = velde
    arc.case.set_conflict_status(RANK, "resolved", "promoted in March")
    arc.entity_review.merge("Oskar Velde", "Oscar Velde")
    arc.case.analyse()
    change = arc.case.change_conflict_status("rank|oskar velde", "open", "ask the court")
    arc.case.restore(change)
    assert arc.db.execute("SELECT key FROM case_conflict_status").fetchall() == [(RANK,)]
    rank = next(c for c in arc.case.conflicts() if c.kind == "rank")
    assert (rank.key, rank.status, rank.note) == ("rank|oskar velde", "resolved", "promoted in March")
    arc.entity_review.undo()
    arc.case.analyse()
    rank = next(c for c in arc.case.conflicts() if c.kind == "rank")
    assert (rank.key, rank.status, rank.note) == (RANK, "resolved", "promoted in March")
