"""Case analysis: events across outlets, wire copies counted once, conflicts,
the user's decisions kept across re-analysis and reopening, incremental runs,
progress and cancel, bad input, and the ``casefile case`` commands."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive, CancelToken
from archive.case import independence
from archive.cli import main
from archive.errors import Cancelled, InvalidInput, NotFound

DEPORTATION = "deportation|teodor brannik|2025-04-04"
ARREST = "arrest|teodor brannik|2025-03-12"


@pytest.fixture
def demo_archive(demo_dir, tmp_path):
    folder = tmp_path / "demo"
    shutil.copytree(demo_dir, folder)
    arc = Archive.open(folder / ".casefile")
    arc.index_folder(folder)
    yield folder, arc
    arc.close()


def _event(arc, key):
    return next(e for e in arc.case.events() if e.key == key)


def test_indexing_analyses_the_case_and_wire_copies_count_once(demo_archive):
    _, arc = demo_archive
    event = _event(arc, DEPORTATION)
    names = {Path(s.path).name for s in event.sources}
    assert {"11-salvik-herald-deportation-wire.html", "12-coastline-daily-deportation-wire.txt",
            "10-eastgate-courier-velgrad-court.txt", "09-karvonsky-vestnik-deportation.txt"} <= names
    # Four articles, but the two outlets printing the Northline Wire story are one source.
    assert len(names) == 4 and event.independent_sources == 3
    for s in event.sources:
        text = arc.article(s.article_id).text
        assert text[s.start:s.end] == s.quote


def test_near_duplicates_and_credits():
    story = ("Lessaria on Friday handed the officer over to border guards at the checkpoint, his lawyer said, "
             "the first removal of a man who fled the call-up. He was driven out of the detention centre before dawn.")
    edited = story.replace("before dawn", "early in the morning") + " His wife will stay in Salvik."
    other = ("A court in the capital extended the detention of a journalist by two months on Monday, rejecting "
             "a request from his lawyers that he be released on bail while the case is examined.")
    a, b, c = (independence.signature(t) for t in (story, edited, other))
    assert independence.similarity(a, b) >= independence.NEAR_DUPLICATE > independence.similarity(a, c)
    assert independence.near_duplicate_groups({1: a, 2: b, 3: c}) == [{1, 2}]
    assert independence.agency_credit("SALVIK, Feb 21 (Northline Wire) – Border guards", 100) == "Northline Wire"
    assert independence.agency_credit("MADRID, Dec. 14 (.) – The Russian authorities", 100) is None
    ident = independence.source_identities(
        [(1, "Northline Wire", "The Salvik Herald", "a"), (2, None, "Coastline Daily", "b"),
         (3, None, "Northline Wire", "c"), (4, None, None, "d")], [{1, 2}])
    assert ident[1] == ident[2] == ident[3] != ident[4]


def test_conflicts_name_claims_sources_and_quotes(demo_archive):
    _, arc = demo_archive
    by_kind = {c.kind: c for c in arc.case.conflicts()}
    assert {"rank", "age", "service", "employer", "sentence", "date", "place", "negation"} <= set(by_kind)
    rank = by_kind["rank"]
    assert {cl.value for cl in rank.claims} == {"captain", "major"}
    major = next(cl for cl in rank.claims if cl.value == "major")
    assert any("a major in Karvonia" in s.quote for s in major.sources)
    denial = by_kind["negation"]
    assert any("has not been deported" in s.quote for cl in denial.claims for s in cl.sources)
    assert DEPORTATION in denial.event_keys
    assert all(c.status == "open" for c in by_kind.values())


def test_confirm_split_merge_and_status_survive_reanalysis_and_reopening(demo_archive):
    folder, arc = demo_archive
    arrest = _event(arc, ARREST)
    assert arrest.conflict_keys  # dated differently elsewhere, placed elsewhere
    timeline_event = arc.case.confirm_event(ARREST)
    assert timeline_event.certainty == "disputed"
    assert len(timeline_event.citations) == len({(s.article_id, s.start) for s in arrest.sources})
    assert {c.kind for c in arc.case.conflicts_for_event(timeline_event.id)} >= {"date", "place"}
    with pytest.raises(InvalidInput):
        arc.case.confirm_event(ARREST)

    deportation = _event(arc, DEPORTATION)
    wire = [s.claim_id for s in deportation.sources if "Northline Wire" in s.quote]
    split_key = arc.case.split_event(DEPORTATION, wire)
    appeal = next(e.key for e in arc.case.events() if e.key.startswith("appeal|teodor brannik|2025-04-01"))
    merged = arc.case.merge_events([DEPORTATION, split_key])
    assert merged == DEPORTATION
    age = next(c for c in arc.case.conflicts() if c.kind == "age")
    arc.case.set_conflict_status(age.key, "resolved", note="born in March: 34 until the 14th")
    rank = next(c for c in arc.case.conflicts() if c.kind == "rank")
    arc.case.set_conflict_status(rank.key, "not-a-conflict")
    arc.close()

    with Archive.open(folder / ".casefile") as again:
        # Force a full re-analysis: every article's claims are made again.
        again.db.execute("DELETE FROM case_articles")
        again.db.conn.commit()
        report = again.case.analyse()
        assert report["analysed"] == report["articles"] == 13
        events = {e.key: e for e in again.case.events()}
        assert events[ARREST].status == "confirmed" and events[ARREST].timeline_event_id == timeline_event.id
        assert split_key not in events  # split, then merged back
        assert events[DEPORTATION].independent_sources == 3
        assert appeal in events
        statuses = {c.kind: (c.status, c.note) for c in again.case.conflicts()}
        assert statuses["age"] == ("resolved", "born in March: 34 until the 14th")
        assert statuses["rank"][0] == "not-a-conflict"
        stored = again.timelines.event(timeline_event.id)
        assert stored.certainty == "disputed" and len(stored.citations) == len(timeline_event.citations)


def test_split_keeps_its_part_across_reanalysis(demo_archive):
    _, arc = demo_archive
    deportation = _event(arc, DEPORTATION)
    wire = [s.claim_id for s in deportation.sources if "Northline Wire" in s.quote]
    key = arc.case.split_event(DEPORTATION, wire)
    arc.case.analyse()
    events = {e.key: e for e in arc.case.events()}
    assert {s.claim_id for s in events[key].sources} == set(wire)
    assert not set(wire) & {s.claim_id for s in events[DEPORTATION].sources}
    assert events[key].independent_sources == 1


def test_bad_decisions_get_clear_errors(demo_archive):
    _, arc = demo_archive
    with pytest.raises(InvalidInput, match="not a conflict status"):
        arc.case.set_conflict_status(arc.case.conflicts()[0].key, "maybe")
    with pytest.raises(NotFound):
        arc.case.set_conflict_status("no|such", "resolved")
    with pytest.raises(InvalidInput, match="not a source"):
        arc.case.split_event(DEPORTATION, ["999:0:deportation"])
    with pytest.raises(InvalidInput, match="at least one source"):
        arc.case.split_event(DEPORTATION, [s.claim_id for s in _event(arc, DEPORTATION).sources])
    with pytest.raises(InvalidInput, match="at least two"):
        arc.case.merge_events([DEPORTATION])
    with pytest.raises(NotFound):
        arc.case.confirm_event("arrest|nobody|1999-01-01")


def test_only_touched_articles_are_analysed_again(demo_archive):
    folder, arc = demo_archive
    assert arc.case.analyse()["analysed"] == 0
    denial = folder / "13-lessaria-today-ministry-denial.txt"
    denial.write_text(denial.read_text(encoding="utf-8").replace("Brannik, 36,", "Brannik, 34,"), encoding="utf-8")
    seen = []
    arc.index_folder(folder, facts=False)
    arc.extract_pending_facts()
    report = arc.case.analyse(progress=lambda d, t, m: seen.append((d, t, m)))
    assert report["analysed"] == 1 and report["articles"] == 13
    assert seen[0][:2] == (0, 2) and seen[-1][:2] == (2, 2)
    age = next(c for c in arc.case.conflicts() if c.kind == "age")
    assert "36" not in {cl.value for cl in age.claims}
    # A full run (indexing with facts) analyses after the facts, and nothing is left to do.
    denial.write_text(denial.read_text(encoding="utf-8").replace("Brannik, 34,", "Brannik, 37,"), encoding="utf-8")
    stat = denial.stat()  # same size: move the clock on so the scan does not skip the file
    os.utime(denial, (stat.st_atime + 10, stat.st_mtime + 10))
    arc.index_folder(folder)
    assert arc.case.analyse()["analysed"] == 0
    age = next(c for c in arc.case.conflicts() if c.kind == "age")
    assert "37" in {cl.value for cl in age.claims}


def test_cancel_stops_the_analysis(demo_archive):
    _, arc = demo_archive
    arc.db.execute("DELETE FROM case_articles")
    arc.db.conn.commit()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        arc.case.analyse(cancel=token)
    assert arc.case.analyse()["analysed"] == 13


def test_case_cli(demo_archive):
    folder, arc = demo_archive
    arc.close()
    archive = str(folder / ".casefile")
    runner = CliRunner()
    out = runner.invoke(main, ["case", "events", "--archive", archive, "--json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    events = json.loads(out.output)["events"]
    event = next(e for e in events if e["key"] == DEPORTATION)
    assert {"date", "precision", "kind", "title", "entities", "sources", "independent_sources"} <= set(event)
    assert event["independent_sources"] == 3 and event["kind"] == "step:deportation"
    assert {"path", "article_id", "outlet", "quote", "start", "end"} <= set(event["sources"][0])
    out = runner.invoke(main, ["case", "conflicts", "--archive", archive, "--json"], catch_exceptions=False)
    conflicts = json.loads(out.output)["conflicts"]
    employer = next(c for c in conflicts if c["kind"] == "employer")
    assert {cl["value"] for cl in employer["claims"]} == {"State Protection Bureau", "army"}
    assert employer["status"] == "open"
    out = runner.invoke(main, ["case", "conflict-status", employer["key"], "resolved", "--archive", archive,
                               "--note", "Falk misspoke"], catch_exceptions=False)
    assert out.exit_code == 0 and "resolved" in out.output
    out = runner.invoke(main, ["case", "conflict-status", employer["key"], "perhaps", "--archive", archive])
    assert out.exit_code != 0 and "perhaps" in out.output
    out = runner.invoke(main, ["case", "confirm", DEPORTATION, "--archive", archive, "--timeline", "Case"],
                        catch_exceptions=False)
    assert out.exit_code == 0, out.output
    event_id = int(out.output.strip())
    out = runner.invoke(main, ["case", "confirm", DEPORTATION, "--archive", archive])
    assert out.exit_code == 1 and "already on the timeline" in out.output
    out = runner.invoke(main, ["case", "events", "--archive", archive], catch_exceptions=False)
    assert "[confirmed]" in out.output and "independent" in out.output
    with Archive.open(archive) as again:
        event = again.timelines.event(event_id)
        assert len(event.citations) >= 4 and event.certainty == "disputed"


def test_case_analysis_does_not_import_qt():
    code = "import archive.case.analysis, archive.cli.case, sys; assert 'PySide6' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_disputed_events_follow_the_conflict_statuses(demo_archive):
    _, arc = demo_archive
    event = arc.case.confirm_event(ARREST)
    assert event.id in arc.case.disputed_event_ids()
    for c in arc.case.conflicts_for_event(event.id):
        arc.case.set_conflict_status(c.key, "not-a-conflict")
    assert event.id not in arc.case.disputed_event_ids()
    # A timeline event made by hand that quotes a disputed sentence is marked too.
    rank = next(c for c in arc.case.conflicts() if c.kind == "rank")
    source = rank.claims[0].sources[0]
    from archive.models import Citation, Event, PartialDate

    manual = arc.timelines.add_event(Event(None, None, PartialDate("2025-03", "month"), "By hand", citations=(
        Citation(None, source.article_id, source.path, source.quote[:40], source.start, source.start + 40),)))
    assert manual.id in arc.case.disputed_event_ids()
    assert [c.key for c in arc.case.conflicts_for_event(manual.id)] == [
        c.key for c in arc.case.conflicts() if any(s.article_id == source.article_id and s.start == source.start
                                                     for cl in c.claims for s in cl.sources)]


def test_a_removed_article_leaves_the_events_and_conflicts(demo_archive):
    folder, arc = demo_archive
    (folder / "13-lessaria-today-ministry-denial.txt").unlink()
    arc.index_folder(folder)
    kinds = {c.kind for c in arc.case.conflicts()}
    assert "negation" not in kinds and "employer" not in kinds and "place" not in kinds
    assert "13-lessaria-today-ministry-denial.txt" not in {
        Path(s.path).name for e in arc.case.events() for s in e.sources}
    assert arc.db.execute("SELECT count(*) FROM case_articles").fetchone()[0] == 12
