"""Publication dates inferred from the case, stored on the article; dates corrected in the core re-date facts."""
from __future__ import annotations

import shutil

import pytest

from archive import Archive
from archive.indexing.inferred_dates import inferred_basis

DEC = "published:[2022-12-01 TO 2022-12-31]"


@pytest.fixture
def case(tmp_path, seeds_dir):
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src)
    return src, tmp_path / "arc"


def _madrid(src):
    return str(next(src.glob("000_*.txt")))


def _ids(result):
    return {h.article_id for h in result.hits}


def _wednesday(arc, article_id):
    [f] = [f for f in arc.facts(article_id, "date") if f.text == "Wednesday"]
    return f


def test_a_year_less_dateline_gets_the_case_year_stored_as_inferred(case):
    src, arc_dir = case
    with Archive.open(arc_dir) as arc:
        art = arc.article(_madrid(src), with_text=False)
        assert (art.published, art.provenance["published"]) == ("2022-12-14", "inferred")
        assert "year from the case's other articles" in inferred_basis(arc, art.id)
        # Sorting by date, the date filter and the search all find it.
        order = [a.published for a in arc.articles() if a.published]
        assert order == sorted(order) and "2022-12-14" in order
        assert art.id in {a.id for a in arc.articles(date_from="2022-12-10", date_to="2022-12-20")}
        assert art.id not in {a.id for a in arc.articles(date_from="2022-12-15")}
        assert art.id in _ids(arc.search(DEC))
        assert art.id not in _ids(arc.search("published:[2022-11-01 TO 2022-11-30]"))
        by_date = [h.published for h in arc.search("Zhilin", sort="date").hits]
        assert "2022-12-14" in by_date
        # The inferred date is not a date of the case: the undated article's
        # relative dates still come from the printed ones.
        assert _wednesday(arc, art.id).value == "2022-12-14"
        # A rebuilt index carries it too.
        arc.reindex()
        assert art.id in _ids(arc.search(DEC))


def test_a_user_correction_wins_survives_reindexing_and_revert_goes_back_to_inferred(case):
    src, arc_dir = case
    path = _madrid(src)
    with Archive.open(arc_dir) as arc:
        art = arc.correct_metadata(path, published="2022-11-20")
        assert (art.published, art.provenance["published"]) == ("2022-11-20", "user")
        assert inferred_basis(arc, art.id) is None
    # The file changes (so it is read and stored again) and the case's dates move.
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\nUpdated.\n")
    later = src / "later.txt"
    later.write_text("Court hearing set\n\n3 January 2023\n\nThe court set a hearing.\n", encoding="utf-8")
    with Archive.open(arc_dir) as arc:
        report = arc.index_folder(src)
        assert report.changed == 1 and report.added == 1
        arc.reindex()
        art = arc.article(path, with_text=False)
        assert (art.published, art.provenance["published"]) == ("2022-11-20", "user")
        assert art.id not in _ids(arc.search(DEC))
        assert art.id in _ids(arc.search("published:2022-11"))
        # The relative dates follow the user's date.
        assert _wednesday(arc, art.id).value == "2022-11-16"
        reverted = arc.revert_metadata(path, "published")
    with Archive.open(arc_dir) as arc:
        art = arc.article(path, with_text=False)
        # January 2023 is now the latest date, and December comes after it: the year before.
        assert (art.published, art.provenance["published"]) == ("2022-12-14", "inferred")
        assert reverted.published == "2022-12-14"
        assert "previous year" in inferred_basis(arc, art.id)
        assert art.id in _ids(arc.search(DEC))
        assert _wednesday(arc, art.id).value == "2022-12-14"


def test_an_inferred_date_follows_the_case_and_goes_when_the_case_gives_no_year(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text("Held\n\nSALVIK, Dec. 14 (Wire) - Police detained him on Wednesday.\n",
                                  encoding="utf-8")
    dated = folder / "b.txt"
    dated.write_text("Freed\n\n30 December 2022\n\nHe was freed.\n", encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(folder)
        aid = arc.article("a.txt").id
        assert arc.article(aid).published == "2022-12-14"
        # The only dated article is corrected into 2021: the inferred year follows.
        arc.correct_metadata("b.txt", published="2021-12-30")
        assert arc.article(aid).published == "2021-12-14"
        assert aid in _ids(arc.search("published:2021-12"))
        assert _wednesday(arc, aid).value == "2021-12-08"
        # The user says b has no date: nothing gives a year any more.
        arc.correct_metadata("b.txt", published="")
        gone = arc.article(aid, with_text=False)
        assert gone.published is None and "published" not in gone.provenance
        assert aid not in _ids(arc.search("published:[2020-01-01 TO 2023-12-31]"))
        assert _wednesday(arc, aid).value == "XXXX-XX-XX"


def test_correcting_a_printed_date_re_dates_its_relative_dates_in_the_core(case):
    src, arc_dir = case
    path = str(next(src.glob("001_*.txt")))
    with Archive.open(arc_dir) as arc:
        aid = arc.article(path).id
        assert _wednesday(arc, aid).value == "2022-12-28"
        arc.correct_metadata(aid, published="2022-12-23")
        assert _wednesday(arc, aid).value == "2022-12-21"
        assert "published 2022-12-23" in _wednesday(arc, aid).basis
    with Archive.open(arc_dir) as arc:
        assert _wednesday(arc, aid).value == "2022-12-21"
        arc.revert_metadata(aid, "published")
    with Archive.open(arc_dir) as arc:
        assert arc.article(aid).published == "2022-12-30"
        assert _wednesday(arc, aid).value == "2022-12-28"
        assert arc.extract_pending_facts() == 0
