"""The timeline panel: adding, editing, undoing, citing, filtering, exporting (pytest-qt)."""
from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from archive.models import Fact  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.timeline import TimelinePanel, passage_mime  # noqa: E402
from desktop.timeline.table_model import CERTAINTY, DATE, TAGS, TITLE  # noqa: E402

# Invented reports, written for these tests.
ARTICLES = {
    "hearing.md": (
        "---\ntitle: Court hears appeal\ndate: 2022-12-07\noutlet: Test Wire\n---\n\n"
        "On 6 December 2022 the regional court heard the appeal of Anna Keller. "
        "Her lawyer said the detention order was unlawful. "
        "The judge adjourned the hearing until 20 December 2022.\n"
    ),
    "arrest.md": (
        "---\ntitle: Activist arrested at airport\ndate: 2022-11-15\noutlet: Test Wire\n---\n\n"
        "Border guards detained Anna Keller at the airport on 14 November 2022. "
        "Police confirmed the arrest the next day. "
        "Tomas Berg, a colleague, called the arrest political.\n"
    ),
    # No date anywhere: a passage from it must be dated by hand.
    "undated.txt": "Statement\n\nThe family asked for the release of Anna Keller.\n",
}


def _build_archive(folder: Path, archive_dir: Path):
    """A real archive indexed from the test articles (facts are built by hand where needed)."""
    from archive import Archive

    arc = Archive.open(archive_dir)
    report = arc.index_folder(folder, facts=False)
    assert report.added == len(ARTICLES) and not report.problems, report
    return arc


def _write_articles(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "reports"
    _write_articles(folder)
    arc = _build_archive(folder, tmp_path / "arc")
    yield arc


@pytest.fixture
def session(qtbot, archive):
    s = Session()
    s.adopt(archive)
    yield s
    s.close()


@pytest.fixture
def errors():
    return []


@pytest.fixture
def panel(qtbot, session, errors, monkeypatch):
    p = TimelinePanel(session)
    # Record errors instead of opening a dialog; the panel still shows its red line.
    original = p.show_error

    def record(error):
        errors.append(str(error))
        p.show_message(str(error))

    monkeypatch.setattr(p, "show_error", record)
    assert original is not None
    qtbot.addWidget(p)
    p.resize(1100, 650)
    p.show()
    return p


def _article(arc, name):
    return next(a for a in arc.articles() if a.relpath == name)


def _span(arc, name, words):
    art = arc.article(_article(arc, name).id)
    start = art.text.index(words)
    return art, start, start + len(words)


def _date_fact(arc, name, words, value):
    art, start, end = _span(arc, name, words)
    sentence_start = art.text.rfind(". ", 0, start) + 2
    sentence_end = art.text.index(".", end) + 1
    return art, Fact(kind="date", text=words, start=start, end=end, value=value, basis="test",
                     sentence=art.text[sentence_start:sentence_end], article_id=art.id)


def _add_from_passage(panel, arc, name, words, title=None, tags=""):
    art, start, end = _span(arc, name, words)
    editor = panel.add_from_passage(art, start, end)
    assert editor is not None and editor.isVisible()
    if title:
        editor.title_edit.setText(title)
    if tags:
        editor.tags.setText(tags)
    assert editor.save(), editor.error.text()
    panel.reload()
    return next(ev for ev in panel.events() if ev.title == (title or ev.title) and
                ev.citations and ev.citations[0].quote == art.text[start:end])


def test_add_from_fact_prefills_date_and_cites_sentence(panel, archive, qtbot):
    art, fact = _date_fact(archive, "arrest.md", "14 November 2022", "2022-11-14")
    states = []
    panel.save_state_changed.connect(lambda name, saved: states.append((name, saved)))
    editor = panel.add_from_fact(fact, art)
    assert editor is not None
    assert editor.start.date().value == "2022-11-14"
    assert editor.citation_list.count() == 1
    assert "Border guards detained" in editor.citation_list.item(0).text()
    editor.tags.setText("arrest")
    assert editor.save()
    assert not editor.isVisible()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    ev = panel.events()[0]
    assert ev.start.value == "2022-11-14" and ev.tags == ("arrest",)
    assert len(ev.citations) == 1 and ev.citations[0].article_id == art.id
    assert panel.model.index(0, 4).data() == "1"
    assert states[-1] == ("Default", True) and ("Default", False) in states
    assert panel.timeline_combo.currentText() == "Default"


def test_add_from_selection_and_edit_in_place(panel, archive, qtbot, qtmodeltester):
    ev = _add_from_passage(panel, archive, "hearing.md",
                           "the regional court heard the appeal of Anna Keller", title="Appeal heard")
    qtmodeltester.check(panel.model)
    row = panel.model.row_of(ev.id)
    assert row >= 0
    m = panel.model
    assert m.setData(m.index(row, TITLE), "Appeal hearing held")
    assert m.setData(m.index(row, DATE), "2022-12-06")
    assert m.setData(m.index(row, CERTAINTY), "confirmed")
    assert m.setData(m.index(row, TAGS), "court, appeal, court")
    stored = archive.timelines.event(ev.id)
    assert stored.title == "Appeal hearing held"
    assert (stored.start.value, stored.start.precision) == ("2022-12-06", "day")
    assert stored.certainty == "confirmed" and stored.tags == ("court", "appeal")
    assert len(stored.citations) == 1, "an in-place edit keeps the citations"
    assert m.index(row, DATE).data() == "6 Dec 2022"
    # A date the core cannot read is refused with a message, and nothing changes.
    assert not m.setData(m.index(row, DATE), "2022-13-40")
    assert panel.message.isVisible() and "not a date" in panel.message.text()
    assert archive.timelines.event(ev.id).start.value == "2022-12-06"
    qtmodeltester.check(panel.model)


def test_inline_date_editor_turns_red_and_refuses_enter(panel, archive, qtbot):
    ev = _add_from_passage(panel, archive, "hearing.md", "The judge adjourned the hearing", title="Adjourned")
    index = panel.model.index(panel.model.row_of(ev.id), DATE)
    panel.table.edit(index)
    editor = panel.table.indexWidget(index) or panel.table.focusWidget()
    from PySide6.QtWidgets import QLineEdit
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "2022-02-30")
    assert not editor.hasAcceptableInput()
    assert "28 days" in panel.message.text() and "c62828" in editor.styleSheet()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert archive.timelines.event(ev.id).start.value == ev.start.value
    editor.selectAll()
    qtbot.keyClicks(editor, "~2022-12")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: archive.timelines.event(ev.id).start.value == "2022-12")
    stored = archive.timelines.event(ev.id).start
    assert stored.precision == "month" and stored.approximate


def test_undo_and_redo_every_kind_of_edit(panel, archive, qtbot):
    ev = _add_from_passage(panel, archive, "arrest.md", "Police confirmed the arrest the next day",
                           title="Arrest confirmed")
    m = panel.model
    assert m.setData(m.index(m.row_of(ev.id), TITLE), "Police confirm arrest")
    assert panel.delete_events([ev.id]) == 1
    tl = archive.timelines
    assert tl.events() == []
    stack = panel.undo_stack
    assert stack.count() == 3
    stack.undo()                                  # the delete
    assert tl.event(ev.id).title == "Police confirm arrest"
    stack.undo()                                  # the edit
    assert tl.event(ev.id).title == "Arrest confirmed"
    stack.undo()                                  # the add
    assert tl.events() == []
    stack.redo()
    assert tl.event(ev.id).title == "Arrest confirmed", "redo puts back the same event"
    stack.redo()
    assert tl.event(ev.id).title == "Police confirm arrest"
    stack.redo()
    assert tl.events() == []
    stack.undo()
    panel.reload()
    assert [e.id for e in panel.events()] == [ev.id]
    assert len(panel.events()[0].citations) == 1


def test_drop_passage_on_event_adds_undoable_citation(panel, archive, qtbot):
    ev = _add_from_passage(panel, archive, "arrest.md", "Border guards detained Anna Keller at the airport",
                           title="Detained at airport")
    art, start, end = _span(archive, "arrest.md", "Police confirmed the arrest the next day")
    mime = passage_mime(art.id, start, end, art.text[start:end])
    assert panel.handle_passage_drop(mime, ev.id)
    stored = archive.timelines.event(ev.id)
    assert len(stored.citations) == 2
    assert (stored.citations[1].start, stored.citations[1].end) == (start, end)
    panel.undo_stack.undo()
    assert len(archive.timelines.event(ev.id).citations) == 1
    panel.undo_stack.redo()
    assert len(archive.timelines.event(ev.id).citations) == 2
    # An edit after the citation still undoes cleanly past it.
    panel.reload()
    m = panel.model
    assert m.setData(m.index(m.row_of(ev.id), TITLE), "Detained, then confirmed")
    panel.undo_stack.undo()
    panel.undo_stack.undo()
    stored = archive.timelines.event(ev.id)
    assert stored.title == "Detained at airport" and len(stored.citations) == 1
    # Dropped on empty space: a new event drafted from the passage.
    editor_count = len(panel.open_editors())
    assert panel.handle_passage_drop(mime, None)
    editor = panel.open_editors()[-1]
    assert len(panel.open_editors()) == editor_count + 1
    assert editor.draft.id is None and editor.draft.citations[0].start == start


def test_passage_without_a_date_opens_editor_to_date_by_hand(panel, archive, errors):
    art, start, end = _span(archive, "undated.txt", "The family asked for the release")
    editor = panel.add_from_passage(art, start, end)
    assert editor is not None and editor.isVisible() and errors == []
    assert "date" in editor.error.text().lower()
    assert editor.citation_list.count() == 1 and editor.start.text.text() == ""
    assert not editor.save()
    editor.start.text.setText("~2022-12")
    editor.title_edit.setText("Family asks for release")
    assert editor.save(), editor.error.text()
    stored = archive.timelines.events()[0]
    assert stored.start.value == "2022-12" and stored.start.approximate
    assert stored.citations[0].quote == art.text[start:end]


def test_bad_drop_payload_is_reported(panel, errors):
    from PySide6.QtCore import QMimeData

    from desktop.timeline import PASSAGE_MIME

    mime = QMimeData()
    mime.setData(PASSAGE_MIME, b"{not json")
    assert not panel.handle_passage_drop(mime, None)
    assert errors and "could not be read" in errors[-1]


def test_errors_open_the_app_error_dialog(qtbot, session):
    from PySide6.QtCore import QMimeData
    from PySide6.QtWidgets import QMessageBox

    from desktop.timeline import PASSAGE_MIME

    p = TimelinePanel(session)
    qtbot.addWidget(p)
    mime = QMimeData()
    mime.setData(PASSAGE_MIME, b"[]")
    assert not p.handle_passage_drop(mime, None)
    boxes = [b for b in p.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "could not be read" in boxes[0].text()
    boxes[0].close()


def test_editor_keeps_input_when_the_core_refuses(panel, archive, errors):
    art, start, end = _span(archive, "hearing.md", "Her lawyer said the detention order was unlawful")
    editor = panel.add_from_passage(art, start, end)
    editor.title_edit.setText("Lawyer: detention unlawful")
    editor.end.text.setText("2021-01-01")       # before the start: the core refuses the range
    editor.notes.setPlainText("check the court record")
    assert not editor.save()
    assert editor.isVisible() and errors
    assert editor.notes.toPlainText() == "check the court record"
    assert archive.timelines.events() == []
    # A date that cannot be read is caught in the dialog, in red.
    editor.end.text.setText("soon")
    assert not editor.save()
    assert "End date" in editor.error.text() and "c62828" in editor.end.message.styleSheet()
    editor.end.text.clear()
    assert editor.save()
    assert [e.title for e in archive.timelines.events()] == ["Lawyer: detention unlawful"]


def test_editor_removes_citation_and_undo_restores_it(panel, archive):
    ev = _add_from_passage(panel, archive, "arrest.md", "Border guards detained Anna Keller at the airport",
                           title="Detained")
    art, start, end = _span(archive, "arrest.md", "Tomas Berg, a colleague, called the arrest political")
    assert panel.handle_passage_drop(passage_mime(art.id, start, end, art.text[start:end]), ev.id)
    editor = panel.edit_event(ev.id)
    assert editor.citation_list.count() == 2
    editor.citation_list.setCurrentRow(0)
    editor.remove_button.click()
    editor.certainty.setCurrentText("disputed")
    assert editor.save()
    stored = archive.timelines.event(ev.id)
    assert stored.certainty == "disputed" and [c.start for c in stored.citations] == [start]
    panel.undo_stack.undo()                      # the whole editor save is one step
    stored = archive.timelines.event(ev.id)
    assert stored.certainty == "reported" and len(stored.citations) == 2


def test_filters_by_tag_certainty_and_person(panel, archive):
    a = _add_from_passage(panel, archive, "arrest.md", "Border guards detained Anna Keller at the airport",
                          title="Detained", tags="arrest")
    b = _add_from_passage(panel, archive, "hearing.md", "the regional court heard the appeal of Anna Keller",
                          title="Appeal heard", tags="court")
    tl = archive.timelines
    tl.update_event(dataclasses.replace(tl.event(a.id), people=("Anna Keller",), certainty="confirmed"))
    tl.update_event(dataclasses.replace(tl.event(b.id), people=("Tomas Berg",)))
    panel.reload()
    assert {e.id for e in panel.events()} == {a.id, b.id}
    assert [panel.tag_filter.itemText(i) for i in range(panel.tag_filter.count())] == ["All tags", "arrest", "court"]
    panel.set_filter(tag="court")
    assert [e.id for e in panel.events()] == [b.id]
    panel.set_filter(certainty="confirmed")
    assert [e.id for e in panel.events()] == [a.id]
    panel.set_filter(person="Tomas Berg")
    assert [e.id for e in panel.events()] == [b.id]
    panel.set_filter(tag="arrest", person="Tomas Berg")
    assert panel.events() == () and "No event matches" in panel.hint.text()
    # The combo drives the same filter.
    panel.set_filter()
    panel.person_filter.setCurrentIndex(panel.person_filter.findData("Anna Keller"))
    panel.person_filter.activated.emit(panel.person_filter.currentIndex())
    assert [e.id for e in panel.events()] == [a.id]


def test_table_and_axis_select_together_and_lanes_switch(panel, archive):
    a = _add_from_passage(panel, archive, "arrest.md", "Border guards detained Anna Keller at the airport",
                          title="Detained", tags="arrest, detention")
    b = _add_from_passage(panel, archive, "hearing.md", "the regional court heard the appeal of Anna Keller",
                          title="Appeal heard", tags="court")
    axis = panel.axis
    assert axis.lanes() == ["arrest", "court", "detention"]
    assert len(axis.boxes(a.id)) == 2, "an event shows in each of its tag lanes"
    panel.select_events([b.id])
    assert axis.selected_event_ids() == [b.id]
    axis.boxes(a.id)[0].setSelected(True)
    axis.boxes(b.id)[0].setSelected(False)
    assert panel.selected_event_ids() == [a.id]
    assert all(box.isSelected() for box in axis.boxes(a.id))
    panel.lane_combo.setCurrentIndex(1)
    panel.lane_combo.activated.emit(1)
    assert axis.lane_mode() == "person" and axis.lanes() == ["(no person)"]
    before = axis.scale_px_per_day()
    axis.zoom_in()
    assert axis.scale_px_per_day() > before
    assert axis.selected_event_ids() == [a.id], "zooming keeps the selection"


def test_go_to_passage_emits_the_cited_span(panel, archive, qtbot):
    art, start, end = _span(archive, "hearing.md", "The judge adjourned the hearing until 20 December 2022")
    ev = _add_from_passage(panel, archive, "hearing.md", "The judge adjourned the hearing until 20 December 2022",
                           title="Hearing adjourned")
    panel.select_events([ev.id])
    assert panel.sources.count() == 1 and panel.go_button.isEnabled()
    with qtbot.waitSignal(panel.citation_activated) as blocker:
        panel.go_button.click()
    assert blocker.args == [art.id, start, end]
    editor = panel.edit_event(ev.id)
    with qtbot.waitSignal(panel.citation_activated) as blocker:
        editor.go_button.click()
    assert blocker.args == [art.id, start, end]


def test_missing_citation_is_flagged_and_not_jumped_to(panel, archive, qtbot):
    ev = _add_from_passage(panel, archive, "arrest.md", "Police confirmed the arrest the next day",
                           title="Confirmed")
    archive.db.execute("UPDATE citations SET status = 'missing' WHERE event_id = ?", [ev.id])
    archive.db.conn.commit()
    panel.reload()
    panel.select_events([ev.id])
    assert panel.sources.item(0).text().startswith("⚠ MISSING")
    assert panel.model.index(panel.model.row_of(ev.id), 4).data() == "⚠ 1"
    assert not panel.go_button.isEnabled()
    fired = []
    panel.citation_activated.connect(lambda *a: fired.append(a))
    panel.go_to_selected_citation()
    assert fired == [] and "no longer" in panel.message.text()


def test_export_csv_and_pdf_in_background(panel, archive, qtbot, tmp_path):
    import pypdf

    a = _add_from_passage(panel, archive, "arrest.md", "Border guards detained Anna Keller at the airport",
                          title="Detained at the airport", tags="arrest")
    _add_from_passage(panel, archive, "hearing.md", "the regional court heard the appeal of Anna Keller",
                      title="Appeal heard", tags="court")
    out_csv = tmp_path / "out" / "case.csv"
    out_csv.parent.mkdir()
    with qtbot.waitSignal(panel.export_finished, timeout=20000) as blocker:
        task = panel.export("csv", out_csv)
    assert task is not None and blocker.args == [str(out_csv), None]
    with out_csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["title"] for r in rows] == [e.title for e in archive.timelines.events()]
    assert rows[0]["start"] == a.start.value
    out_pdf = tmp_path / "out" / "case.pdf"
    with qtbot.waitSignal(panel.export_finished, timeout=60000) as blocker:
        panel.export("pdf", out_pdf)
    assert blocker.args[1] is None
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out_pdf).pages)
    assert "Detained at the airport" in " ".join(text.split())
    # Only the events the filters show.
    panel.set_filter(tag="court")
    with qtbot.waitSignal(panel.export_finished, timeout=20000):
        panel.export("csv", out_csv, only_shown=True)
    with out_csv.open(encoding="utf-8-sig", newline="") as fh:
        assert [r["title"] for r in csv.DictReader(fh)] == ["Appeal heard"]


def test_export_to_a_bad_place_reports_error(panel, archive, qtbot, tmp_path, errors):
    _add_from_passage(panel, archive, "arrest.md", "Police confirmed the arrest the next day", title="Confirmed")
    target = tmp_path / "no-such-folder" / "case.csv"
    with qtbot.waitSignal(panel.export_finished, timeout=20000) as blocker:
        panel.export("csv", target)
    assert blocker.args[1] is not None and errors and "no-such-folder" in errors[-1]


def test_import_csv_into_new_timeline_is_undoable(panel, archive, qtbot, tmp_path):
    _add_from_passage(panel, archive, "arrest.md", "Border guards detained Anna Keller at the airport",
                      title="Detained", tags="arrest")
    _add_from_passage(panel, archive, "hearing.md", "the regional court heard the appeal of Anna Keller",
                      title="Appeal heard")
    out = tmp_path / "case.csv"
    with qtbot.waitSignal(panel.export_finished, timeout=20000):
        panel.export("csv", out)
    assert panel.import_csv(out, None, "Copy") == 2
    assert panel.timeline_combo.currentText() == "Copy"
    tl = archive.timelines
    copy = next(t for t in tl.list() if t.name == "Copy")
    assert [e.title for e in tl.events(copy.id)] == ["Detained", "Appeal heard"]
    assert all(len(e.citations) == 1 and e.citations[0].status == "ok" for e in tl.events(copy.id))
    panel.undo_stack.undo()
    assert tl.events(copy.id) == []
    panel.undo_stack.redo()
    assert len(tl.events(copy.id)) == 2


def test_import_of_a_bad_file_names_it(panel, tmp_path, errors):
    bad = tmp_path / "broken.csv"
    bad.write_text("when,what\n2022,x\n", encoding="utf-8")
    assert panel.import_csv(bad, None, "X") == 0
    assert errors and "broken.csv" in errors[-1]


def test_timelines_new_and_rename(panel, archive):
    assert panel.new_timeline("Second case") is not None
    assert panel.timeline_combo.currentText() == "Second case"
    assert panel.rename_timeline("Second case (2022)")
    assert [t.name for t in archive.timelines.list()] == ["Second case (2022)"]
    ev = _add_from_passage(panel, archive, "arrest.md", "Police confirmed the arrest the next day", title="X")
    assert archive.timelines.event(ev.id).timeline_id == archive.timelines.list()[0].id
    names = [a.text().replace("&", "") for a in panel.actions()]
    for wanted in ("New event", "Edit event", "Delete event", "New timeline", "Rename", "CSV", "PDF",
                   "TimelineJS JSON", "Markdown", "Import CSV"):
        assert any(wanted in n for n in names), wanted


def test_reloads_when_another_archive_opens(panel, session, tmp_path):
    from archive.models import Event, PartialDate

    panel.undo_stack.push(__import__("PySide6.QtGui", fromlist=["QUndoCommand"]).QUndoCommand("x"))
    _write_articles(tmp_path / "more")
    other = _build_archive(tmp_path / "more", tmp_path / "other")
    other.timelines.add_event(Event(None, None, PartialDate("2022-11", "month"), "Elsewhere"))
    session.adopt(other)
    assert [e.title for e in panel.events()] == ["Elsewhere"]
    assert panel.undo_stack.count() == 0


def test_panel_screenshot(panel, archive, tmp_path, qtbot):
    from archive.timeline import parse_partial_date

    a = _add_from_passage(panel, archive, "arrest.md", "Border guards detained Anna Keller at the airport",
                          title="Detained at the airport", tags="arrest, detention")
    b = _add_from_passage(panel, archive, "hearing.md", "the regional court heard the appeal of Anna Keller",
                          title="Appeal heard", tags="court")
    c = _add_from_passage(panel, archive, "hearing.md", "The judge adjourned the hearing until 20 December 2022",
                          title="Hearing adjourned", tags="court")
    d = _add_from_passage(panel, archive, "arrest.md", "Tomas Berg, a colleague, called the arrest political",
                          title="Colleague calls arrest political", tags="reaction")
    tl = archive.timelines
    for ev, start, end, certainty, people in (
            (a, "2022-11-14", None, "confirmed", ("Anna Keller",)),
            (b, "2022-12-06", None, "reported", ("Anna Keller",)),
            (c, "2022-12-06", "2022-12-20", "reported", ()),
            (d, "~2022-11", None, "disputed", ("Tomas Berg",))):
        tl.update_event(dataclasses.replace(
            tl.event(ev.id), start=parse_partial_date(start), certainty=certainty, people=people,
            end=parse_partial_date(end) if end else None))
    panel.reload()
    panel.axis.fit()
    panel.select_events([a.id])
    qtbot.wait(50)
    path = tmp_path / "timeline.png"
    assert panel.grab().save(str(path))
    assert path.stat().st_size > 5000
    assert panel.model.index(panel.model.row_of(c.id), DATE).data() == "6 Dec 2022 – 20 Dec 2022"
    assert panel.model.index(panel.model.row_of(d.id), DATE).data() == "c. Nov 2022"


def test_empty_axis_shows_the_archive_dates(panel, archive, session):
    # Facts with dates give the archive a date range; with no events the axis shows it.
    first, last = archive.date_range()
    if first is None:  # the test articles were indexed without facts
        archive.extract_pending_facts()
        panel.reload()
        first, last = archive.date_range()
    assert first is not None, "the test articles name dates"
    assert panel.events() == ()
    axis = panel.axis
    shown_left = axis._date_at(axis.mapToScene(0, 0).x() + 120)
    shown_right = axis._date_at(axis.mapToScene(axis.viewport().width(), 0).x())
    assert shown_left.isoformat()[:7] <= first[:7] and last[:7] <= shown_right.isoformat()
    assert abs((shown_right - shown_left).days) < 400, "centred on the range, not on today"
    # The note reads the dates as the facts give them, not as first and last days.
    from archive.partial_date import PartialDate, human_range
    said = human_range(PartialDate.from_iso(first), PartialDate.from_iso(last))
    assert axis.empty_note() == f"No events yet \u00b7 the articles' dates run {said}"


def test_empty_axis_note_keeps_a_year_a_year(panel):
    # "a 1998 treaty" is a year: the note must not turn it into 1 January.
    import datetime as dt
    from desktop.timeline.panel import _archive_span

    class Dated:
        def date_range(self):
            return "1998", "2025-04-09"
    assert _archive_span(Dated()) == (dt.date(1998, 1, 1), dt.date(2025, 4, 9), "1998 \u2013 9 Apr 2025")
    panel.axis.set_empty_range(*_archive_span(Dated()))
    assert panel.axis.empty_note() == "No events yet \u00b7 the articles' dates run 1998 \u2013 9 Apr 2025"


def test_panel_is_short_and_lays_out_by_shape(panel):
    assert panel.minimumSizeHint().height() <= 210
    panel.resize(1300, 240)
    assert panel.splitter.orientation() == Qt.Orientation.Horizontal, "short and wide: side by side"
    panel.resize(1300, 600)
    assert panel.splitter.orientation() == Qt.Orientation.Vertical
    assert panel.hint.isVisible() and panel.table.viewport().rect().contains(panel.hint.geometry())


def test_fitted_axis_shows_every_title(panel, archive):
    events = [
        _add_from_passage(panel, archive, "arrest.md", "Border guards detained Anna Keller at the airport",
                          title="Detained at the airport on arrival", tags="arrest"),
        _add_from_passage(panel, archive, "hearing.md", "The judge adjourned the hearing until 20 December 2022",
                          title="The hearing is adjourned until the twentieth", tags="arrest"),
    ]
    panel.resize(1300, 300)
    panel.axis.fit()
    view_right = panel.axis.mapToScene(panel.axis.viewport().width(), 0).x()
    for ev in events:
        for box in panel.axis.boxes(ev.id):
            assert box.sceneBoundingRect().right() <= view_right + 1, ev.title
