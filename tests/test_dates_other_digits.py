"""Dates typed with full-width or other scripts' digits: normalised or refused, never
stored as text that sorts after 9999."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from archive import Archive, InvalidInput
from archive.cli import main
from archive.models import Event, PartialDate
from archive.timeline.dates import parse_partial_date


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def archive_dir(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("Report\n\nThe court in Velgrad met on Monday 5 December 2022.\n", encoding="utf-8")
    with Archive.open(folder / ".casefile") as arc:
        arc.index_folder(folder, facts=False)
    return folder / ".casefile"


def test_full_width_digits_are_read_as_plain_digits():
    assert parse_partial_date("２０２２-１２-０６").value == "2022-12-06"
    assert parse_partial_date("２０２２－１２").value == "2022-12"         # full-width hyphen too
    approx = parse_partial_date("～２０２２")                              # full-width tilde
    assert (approx.value, approx.approximate, approx.precision) == ("2022", True, "year")


def test_digits_of_other_scripts_are_refused_with_a_clear_message():
    with pytest.raises(InvalidInput) as info:
        parse_partial_date("٢٠٢٢-١٢-٠٦")
    assert "digits 0-9" in str(info.value)


def test_a_hand_built_date_with_other_digits_is_refused_by_the_store(archive_dir):
    with Archive.open(archive_dir) as arc:
        event = Event(None, None, PartialDate("２０２２-１２-０６", "day"), "Arrest")
        with pytest.raises(InvalidInput, match="digits 0-9"):
            arc.timelines.add_event(event)
        assert arc.timelines.events() == []


def test_timeline_add_sorts_a_full_width_date_with_the_others(archive_dir):
    for date, title in (("２０２２-１２-０６", "Full width"), ("2023-01-10", "Later"), ("2022-11-30", "Earlier")):
        result = run("timeline", "add", "--archive", archive_dir, "--date", date, "--title", title)
        assert result.exit_code == 0, result.output
    with Archive.open(archive_dir) as arc:
        events = arc.timelines.events()
    assert [(e.start.value, e.title) for e in events] == [
        ("2022-11-30", "Earlier"), ("2022-12-06", "Full width"), ("2023-01-10", "Later")]


def test_meta_published_with_full_width_digits(archive_dir):
    result = run("meta", "a.txt", "--archive", archive_dir, "--published", "２０２２-１２-０５")
    assert result.exit_code == 0, result.output
    with Archive.open(archive_dir) as arc:
        assert arc.article("a.txt").published == "2022-12-05"
    refused = run("meta", "a.txt", "--archive", archive_dir, "--published", "٢٠٢٢")
    assert refused.exit_code == 1 and "not a date" in refused.output
