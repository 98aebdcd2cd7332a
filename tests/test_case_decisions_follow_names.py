"""The user's case decisions (a confirmed event, a merge, a split, a conflict's
status and note) follow their events when entity review changes the name the
events are keyed on (a merge of two spellings, a rename), and come back to the
old keys when the review is undone; a decision whose event is gone is listed,
never dropped."""
from __future__ import annotations

import json

import pytest

from archive import Archive

APPEAL = "appeal|oscar velde|2025-04-01"
ARREST = "arrest|oscar velde|2025-03-12"
DETENTION = "detention|oscar velde|2025-03-13"
DEPORTATION = "deportation|oscar velde|2025-04-04"
RANK = "rank|oscar velde"
NOTE = "Two outlets give his rank; the court papers say captain"


@pytest.fixture
def velde(velde_folder):
    folder = velde_folder
    arc = Archive.open(folder / ".casefile")
    arc.index_folder(folder)
    yield folder, arc
    arc.close()


def _holding(arc, claim_suffix: str):
    """The case event one of whose sources is the claim ``<article>:…:<step>`` ending so."""
    found = [e for e in arc.case.events() if any(s.claim_id.endswith(claim_suffix) for s in e.sources)]
    assert len(found) == 1, [e.key for e in found]
    return found[0]


def _claim(arc, path_end: str, step: str) -> str:
    for e in arc.case.events():
        for s in e.sources:
            if s.path.endswith(path_end) and s.claim_id.endswith(":" + step):
                return s.claim_id
    raise AssertionError(f"no {step} claim of {path_end}")


def _decide(arc) -> dict:
    """One decision of each kind, made on events keyed on "Oscar Velde"."""
    keys = {e.key for e in arc.case.events()}
    assert {APPEAL, ARREST, DETENTION, DEPORTATION} <= keys
    claims = {
        "appeal": _claim(arc, "04-wire.txt", "appeal"),
        "arrest": _claim(arc, "03-daily.txt", "arrest"),
        "detention": _claim(arc, "03-daily.txt", "detention"),
        "wire deportation": _claim(arc, "04-wire.txt", "deportation"),
        "daily deportation": _claim(arc, "03-daily.txt", "deportation"),
    }
    confirmed = arc.case.confirm_event(APPEAL)
    assert arc.case.merge_events([ARREST, DETENTION]) == ARREST
    arc.case.split_event(DEPORTATION, [claims["wire deportation"]])
    arc.case.set_conflict_status(RANK, "resolved", note=NOTE)
    return {"timeline_event": confirmed.id, **claims}


def _check(arc, made: dict, subject: str) -> None:
    """Every decision applies to its event, now keyed on ``subject``, and none is unmatched."""
    appeal = _holding(arc, made["appeal"])
    assert appeal.status == "confirmed" and appeal.timeline_event_id == made["timeline_event"]
    arrest = _holding(arc, made["arrest"])
    assert made["detention"] in {s.claim_id for s in arrest.sources}, "the merge was lost"
    assert arrest.key.startswith("arrest|")
    wire = _holding(arc, made["wire deportation"])
    assert [s.claim_id for s in wire.sources] == [made["wire deportation"]], "the split was lost"
    for event in (appeal, arrest, wire):
        assert f"|{subject.casefold()}|" in event.key, event.key
    ranks = [c for c in arc.case.conflicts() if c.kind == "rank"]
    assert [(c.status, c.note) for c in ranks] == [("resolved", NOTE)]
    assert ranks[0].key == f"rank|{subject.casefold()}"
    assert arc.case.unmatched_decisions() == []
    assert arc.timelines.event(made["timeline_event"]).id == made["timeline_event"]


def test_decisions_follow_a_merge_and_a_rename_and_come_back_on_undo(velde):
    folder, arc = velde
    made = _decide(arc)
    _check(arc, made, "Oscar Velde")

    merge = arc.entity_review.merge("Oskar Velde", "Oscar Velde")
    arc.case.analyse()
    _check(arc, made, "Oskar Velde")
    # The four reports of the deportation are one event now; the wire's stays apart.
    rest = _holding(arc, made["daily deportation"])
    assert len(rest.sources) == 3

    # A decision taken while the merge is in force follows back when it is undone.
    arc.case.confirm_event(rest.key)

    rename = arc.entity_review.rename("Oskar Velde", "Oskar K. Velde")
    arc.case.analyse()
    _check(arc, made, "Oskar K. Velde")
    assert _holding(arc, made["daily deportation"]).status == "confirmed"

    arc.entity_review.undo(rename.id)
    arc.entity_review.undo(merge.id)
    arc.case.analyse()
    _check(arc, made, "Oscar Velde")
    keys = {e.key for e in arc.case.events()}
    assert {APPEAL, ARREST} <= keys  # the keys the decisions were made on, back again
    # The event confirmed while the names were one splits in two again: the confirmation
    # stays with the part holding most of its sources (the two "Oskar" reports of three).
    assert _holding(arc, _claim(arc, "01-herald.txt", "deportation")).status == "confirmed"
    assert _holding(arc, made["daily deportation"]).status == "suggested"

    arc.entity_review.reapply(merge.id)
    arc.case.analyse()
    arc.close()
    with Archive.open(folder / ".casefile") as again:
        _check(again, made, "Oskar Velde")
        again.db.execute("DELETE FROM case_articles")  # a full re-analysis from the claims up
        again.db.conn.commit()
        again.case.analyse()
        _check(again, made, "Oskar Velde")


def test_a_decision_whose_event_is_gone_is_listed_not_dropped(velde):
    folder, arc = velde
    made = _decide(arc)
    wire = folder / "04-wire.txt"
    wire.unlink()
    arc.index_folder(folder)
    unmatched = arc.case.unmatched_decisions()
    by_kind = {u.kind: u for u in unmatched}
    # The appeal and the rank conflict came from the wire story alone; the split moved its claim.
    assert set(by_kind) == {"confirm", "split", "conflict"}
    assert by_kind["confirm"].timeline_event_id == made["timeline_event"]
    assert "Appeal" in by_kind["confirm"].text and "timeline" in by_kind["confirm"].text
    assert NOTE in by_kind["conflict"].text and "resolved" in by_kind["conflict"].text
    assert arc.timelines.event(made["timeline_event"]) is not None  # the timeline keeps its event
    arc.close()

    with Archive.open(folder / ".casefile") as again:
        again.case.analyse()
        assert {u.kind for u in again.case.unmatched_decisions()} == {"confirm", "split", "conflict"}
        # The merge still applies: both of its events are reported by the daily.
        arrest = _holding(again, made["arrest"])
        assert made["detention"] in {s.claim_id for s in arrest.sources}


def test_decisions_stored_before_claims_were_recorded_follow_too(velde):
    """Decisions of an archive made before migration 006 carry no claims: the analysis
    they were made on gives them theirs before it is replaced."""
    folder, arc = velde
    made = _decide(arc)
    for did, data in arc.db.execute(
            "SELECT id, data FROM case_decisions WHERE kind IN ('confirm', 'merge')").fetchall():
        data = json.loads(data)
        del data["claims"]  # a split's claims are the split itself, and were always stored
        arc.db.execute("UPDATE case_decisions SET data = ? WHERE id = ?", [json.dumps(data), did])
    arc.db.execute("UPDATE case_conflict_status SET claims = NULL")
    arc.db.conn.commit()
    arc.entity_review.merge("Oskar Velde", "Oscar Velde")
    arc.case.analyse()
    _check(arc, made, "Oskar Velde")
    arc.entity_review.undo()
    arc.case.analyse()
    _check(arc, made, "Oscar Velde")


def test_a_status_set_on_the_followed_conflict_replaces_the_old_one(velde):
    folder, arc = velde
    _decide(arc)
    merge = arc.entity_review.merge("Oskar Velde", "Oscar Velde")
    arc.case.analyse()
    rank = next(c for c in arc.case.conflicts() if c.kind == "rank")
    assert rank.key == "rank|oskar velde" and rank.status == "resolved"
    arc.case.set_conflict_status(rank.key, "not-a-conflict", note="a captain promoted major")
    assert arc.db.execute("SELECT key FROM case_conflict_status").fetchall() == [("rank|oskar velde",)]
    arc.entity_review.undo(merge.id)
    arc.case.analyse()
    ranks = [(c.key, c.status, c.note) for c in arc.case.conflicts() if c.kind == "rank"]
    assert ranks == [(RANK, "not-a-conflict", "a captain promoted major")]
    assert arc.case.unmatched_decisions() == []


def test_the_case_cli_lists_unmatched_decisions(velde):
    from click.testing import CliRunner

    from archive.cli import main

    folder, arc = velde
    arc.case.confirm_event(APPEAL)
    (folder / "04-wire.txt").unlink()
    arc.index_folder(folder)
    arc.close()
    out = CliRunner().invoke(main, ["case", "events", "--all", "--archive", str(folder / ".casefile")])
    assert out.exit_code == 0, out.output
    assert "1 decision of yours matches no event now (kept):" in out.output
    assert "Appeal: Oscar Velde" in out.output
