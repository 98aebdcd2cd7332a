"""The SQLite store: opening, articles, corrections, problems, facts, entities."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import InvalidInput, NotFound, StoreError
from archive.models import Fact, ParsedArticle, Region
from archive.store import articles as sa
from archive.store import facts as sf
from archive.store import meta as store_meta
from archive.store.db import DB_NAME, data_version, open_db
from archive.store.meta import get_meta, set_meta
from archive.store.transaction import transaction


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path)
    yield database
    database.close()


def _parsed(path, text="Body text.\nRelated: more", **meta) -> ParsedArticle:
    provenance = {k: "text" for k, v in meta.items() if v is not None}
    return ParsedArticle(
        path=str(path), format="txt", text=text, body_end=len(text), regions=(Region(0, 4, "nav"),),
        provenance=provenance, **meta,
    )


def _store(db, path, text="Body text.", **meta) -> int:
    with transaction(db):
        article, _ = sa.write_article(
            db, _parsed(path, text, **meta), path=str(path), relpath=path.split("/")[-1],
            sha256="h-" + text, size=len(text), mtime=0.0,
        )
    return article.id


# ------------------------------------------------------------------ opening

def test_open_db_sets_wal_foreign_keys_and_busy_timeout(tmp_path):
    db = open_db(tmp_path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert "articles" in db.table_names()
    finally:
        db.close()
    # Opening again migrates nothing and keeps the data.
    db = open_db(tmp_path)
    try:
        assert db.execute("SELECT count(*) FROM _migrations").fetchone()[0] >= 1
    finally:
        db.close()


def test_data_version_changes_for_another_connections_commit_only(tmp_path, db):
    before = data_version(db)
    _store(db, "/a/own.txt", "Own write.")
    assert data_version(db) == before
    other = open_db(tmp_path)
    try:
        with transaction(other):
            sa.save_corrections(other, "/a/own.txt", {"title": "From elsewhere"})
    finally:
        other.close()
    assert data_version(db) != before


def test_damaged_database_raises_store_error_naming_the_file(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"this is not sqlite at all " * 100)
    with pytest.raises(StoreError) as err:
        open_db(tmp_path)
    assert DB_NAME in str(err.value)
    assert "damaged" in str(err.value)


def test_transaction_rolls_back_on_error(db):
    with pytest.raises(RuntimeError):
        with transaction(db):
            set_meta(db, "k", "v")
            raise RuntimeError("boom")
    assert get_meta(db, "k") is None
    with transaction(db):
        set_meta(db, "k", "v")
    assert get_meta(db, "k") == "v"


def test_meta_keeps_the_pending_flag_and_the_source_folders(db):
    assert not store_meta.index_pending(db) and store_meta.source_folders(db) == []
    with transaction(db):
        store_meta.set_index_pending(db, True)
        store_meta.remember_source_folder(db, Path("/cases/a"))
        store_meta.remember_source_folder(db, Path("/cases/b"))
        store_meta.remember_source_folder(db, Path("/cases/a"))
    assert store_meta.index_pending(db) and get_meta(db, store_meta.PENDING_KEY) == "1"
    assert store_meta.source_folders(db) == [Path("/cases/a"), Path("/cases/b")]
    with transaction(db):
        store_meta.set_index_pending(db, False)
    assert not store_meta.index_pending(db) and get_meta(db, "index_pending") == "0"


# ------------------------------------------------------------------ articles

def test_write_article_round_trip_and_keeps_id(db):
    aid = _store(db, "/a/one.txt", "First text.", title="One", published="2022-12-14", outlet="Wire")
    art = sa.get_article(db, aid)
    assert (art.title, art.published, art.outlet) == ("One", "2022-12-14", "Wire")
    assert art.text == "First text."
    assert art.regions == (Region(0, 4, "nav"),)
    assert art.provenance["title"] == "text"
    assert sa.get_article(db, aid, with_text=False).text == ""
    with transaction(db):
        same, changed = sa.write_article(
            db, _parsed("/a/one.txt", "Second text.", title="One"), path="/a/one.txt",
            relpath="one.txt", sha256="x", size=1, mtime=0.0,
        )
    assert same.id == aid and changed
    assert sa.get_article(db, "/a/one.txt").text == "Second text."
    assert sa.get_article(db, "one.txt").id == aid          # relative path
    assert sa.get_article(db, str(aid)).id == aid           # id as text


def test_unknown_article_raises_not_found(db):
    with pytest.raises(NotFound):
        sa.get_article(db, 999)
    with pytest.raises(NotFound):
        sa.get_article(db, "/nowhere/missing.txt")


def test_list_articles_filters(db):
    _store(db, "/a/1.txt", "a", published="2022-12-14", outlet="Wire", lang="en")
    _store(db, "/a/2.txt", "b", published="2022-11", outlet="Daily", lang="en")
    _store(db, "/a/3.txt", "c", published="2021", outlet="Wire", lang="ru")
    _store(db, "/a/4.txt", "d", outlet="Wire")
    paths = lambda arts: [a.path for a in arts]  # noqa: E731
    assert paths(sa.list_articles(db)) == ["/a/3.txt", "/a/2.txt", "/a/1.txt", "/a/4.txt"]
    assert paths(sa.list_articles(db, outlet="Wire")) == ["/a/3.txt", "/a/1.txt", "/a/4.txt"]
    assert paths(sa.list_articles(db, lang="ru")) == ["/a/3.txt"]
    # A month overlaps a range starting inside it; undated articles drop out.
    assert paths(sa.list_articles(db, date_from="2022-11-20")) == ["/a/2.txt", "/a/1.txt"]
    assert paths(sa.list_articles(db, date_to="2022-11-01")) == ["/a/3.txt", "/a/2.txt"]
    assert paths(sa.list_articles(db, date_from="2022-12", date_to="2022-12")) == ["/a/1.txt"]
    assert sa.outlets(db) == ["Daily", "Wire"]
    assert sa.languages(db) == ["en", "ru"]
    with pytest.raises(InvalidInput):
        sa.list_articles(db, date_from="14/12/2022")


def test_stored_files_only_inside_the_folder(db):
    _store(db, "/data/b/x.txt", "1")
    _store(db, "/data/bc/y.txt", "2")
    assert set(sa.stored_files(db, Path("/data/b"))) == {"/data/b/x.txt"}


def test_validate_metadata():
    assert sa.validate_metadata({"published": " 2022-12-29 ", "lang": "EN"}) == {
        "published": "2022-12-29", "lang": "en"}
    assert sa.validate_metadata({"author": "  "}) == {"author": None}
    for bad in ({"published": "2022-13"}, {"published": "29.12.2022"}, {"published": "2022-02-30"},
                {"lang": "english!"}, {"url": "not a url"}, {"colour": "red"}):
        with pytest.raises(InvalidInput):
            sa.validate_metadata(bad)


def test_corrections_apply_over_parsed_metadata(db):
    with transaction(db):
        sa.save_corrections(db, "/a/1.txt", {"outlet": "Right Outlet", "author": None})
    aid = _store(db, "/a/1.txt", "t", title="T", outlet="Wrong", author="Someone")
    art = sa.get_article(db, aid)
    assert art.outlet == "Right Outlet" and art.author is None
    assert art.provenance["outlet"] == "user" and art.provenance["title"] == "text"
    values, provenance = sa.file_metadata(db, aid)
    assert values["outlet"] == "Wrong" and provenance["outlet"] == "text"


def test_write_article_returns_the_article_as_stored(db):
    with transaction(db):
        sa.save_corrections(db, "/a/1.txt", {"outlet": "Right Outlet"})
        written, changed = sa.write_article(
            db, _parsed("/a/1.txt", "Body text.\nRelated: more", title="T", outlet="Wrong", lang="en"),
            path="/a/1.txt", relpath="1.txt", sha256="h1", size=10, mtime=0.0,
        )
    assert changed
    assert written == sa.get_article(db, written.id)
    assert written.outlet == "Right Outlet" and written.provenance["outlet"] == "user"
    assert written.text == "Body text.\nRelated: more" and written.fact_count == 0


def test_rewriting_an_article_keeps_its_facts_only_while_its_text_stays(db):
    aid = _store(db, "/a/1.txt", "Same text.", title="One")
    with transaction(db):
        sf.store_facts(db, aid, [_fact("person", "Anna Smith")], "key1", "v1")
        same, changed = sa.write_article(
            db, _parsed("/a/1.txt", "Same text.", title="One, retitled"), path="/a/1.txt",
            relpath="1.txt", sha256="h2", size=10, mtime=0.0,
        )
    assert not changed and same.fact_count == 1 and same == sa.get_article(db, aid)
    assert db.execute("SELECT facts_sha256 FROM articles").fetchone() == ("key1",)
    with transaction(db):
        other, changed = sa.write_article(
            db, _parsed("/a/1.txt", "Other text.", title="One"), path="/a/1.txt",
            relpath="1.txt", sha256="h3", size=11, mtime=0.0,
        )
    # The facts' offsets pointed into the old text: gone, and the article waits for extraction.
    assert changed and other.id == aid and other.fact_count == 0 and sf.facts_for(db, aid) == []
    assert db.execute("SELECT facts_sha256, facts_version FROM articles").fetchone() == (None, None)
    assert other == sa.get_article(db, aid)


def test_undated_or_inferred_ids_are_articles_without_a_date_of_their_own(db):
    dated = _store(db, "/a/dated.txt", "One.", published="2022-12")
    undated = _store(db, "/a/undated.txt", "Two.")
    inferred = _store(db, "/a/inferred.txt", "Three.")
    with transaction(db):
        sa.set_inferred_date(db, inferred, "2022-11", {"published": "inferred"}, {})
    assert sa.undated_or_inferred_ids(db) == {undated, inferred}
    assert sa.inferred_date_ids(db) == {inferred}
    assert dated not in sa.undated_or_inferred_ids(db)


def test_article_ids_and_paths_with_corrections(db):
    assert sa.article_ids(db) == set() and sa.paths_with_corrections(db) == []
    a1 = _store(db, "/a/1.txt", "One.")
    a2 = _store(db, "/a/2.txt", "Two.")
    with transaction(db):
        sa.save_corrections(db, "/a/1.txt", {"title": "Mine", "outlet": "Right"})
        sa.save_corrections(db, "/b/not-indexed.txt", {"lang": "fr"})
    assert sa.article_ids(db) == {a1, a2}
    assert sorted(sa.paths_with_corrections(db)) == ["/a/1.txt", "/b/not-indexed.txt"]   # each path once


def test_move_article_keeps_its_id_and_corrections(db):
    aid = _store(db, "/a/old.txt", "Text.", title="File title")
    with transaction(db):
        sa.save_corrections(db, "/a/old.txt", {"title": "My title"})
        sa.move_article(db, aid, "/a/new.txt")
    assert sa.find_article_id(db, "/a/new.txt") == aid
    assert sa.corrections_for(db, "/a/new.txt") == {"title": "My title"}
    assert sa.corrections_for(db, "/a/old.txt") == {}


def test_problems(db):
    with transaction(db):
        sa.record_problem(db, "/a/bad.pdf", "not a PDF")
        sa.record_problem(db, "/a/bad.pdf", "still not a PDF")
        sa.record_problem(db, "/b/other.docx", "damaged")
    assert [(p.path, p.reason) for p in sa.list_problems(db)] == [
        ("/a/bad.pdf", "still not a PDF"), ("/b/other.docx", "damaged")]
    with transaction(db):
        sa.clear_problems(db, ["/a/bad.pdf"])
    assert [p.path for p in sa.list_problems(db)] == ["/b/other.docx"]


# ------------------------------------------------------------------ facts

def _fact(kind, value, start=0, **extra):
    return Fact(kind=kind, text=value, start=start, end=start + len(value), value=value, basis="test",
                extra=extra)


def test_store_and_read_facts_and_cache(db):
    aid = _store(db, "/a/1.txt", "x")
    found = [_fact("person", "Anna Smith", 5), _fact("date", "2022-12-14", 0, qualifier="early")]
    with transaction(db):
        sf.store_facts(db, aid, found, "key1", "v1")
        sf.cache_facts(db, "key1", "v1", found)
    stored = sf.facts_for(db, aid)
    assert [f.kind for f in stored] == ["date", "person"]       # text order
    assert stored[0].extra == {"qualifier": "early"} and stored[0].article_id == aid
    assert sf.facts_for(db, aid, "person")[0].value == "Anna Smith"
    assert sf.cached_facts(db, "key1", "v1") == [f for f in found]
    assert sf.cached_facts(db, "key1", "v2") is None
    assert db.execute("SELECT facts_sha256, facts_version FROM articles").fetchone() == ("key1", "v1")
    with pytest.raises(InvalidInput):
        sf.facts_for(db, aid, "colour")


def test_extracted_article_ids_follow_stored_and_dropped_facts(db):
    a1 = _store(db, "/a/1.txt", "x")
    a2 = _store(db, "/a/2.txt", "y")
    assert sf.extracted_article_ids(db) == set()
    with transaction(db):
        sf.store_facts(db, a1, [], "key1", "v1")       # extracted, nothing found
        sf.store_facts(db, a2, [_fact("person", "Anna Smith")], "key2", "v1")
    assert sf.extracted_article_ids(db) == {a1, a2}
    with transaction(db):
        sf.drop_article_facts(db, a2)
    assert sf.extracted_article_ids(db) == {a1}


def test_rebuild_entities_merges_names_and_keeps_ids(db):
    a1 = _store(db, "/a/1.txt", "x")
    a2 = _store(db, "/a/2.txt", "y")
    with transaction(db):
        sf.store_facts(db, a1, [_fact("person", "Anna Smith"), _fact("place", "Almaty")], "k1", "v")
        sf.store_facts(db, a2, [_fact("person", "Smith"), _fact("org", "Court")], "k2", "v")
    names = sf.entity_names(db)
    assert ("person", "Smith") in names and ("place", "Almaty") in names
    mapping = {("person", "Smith"): ("Anna Smith", None), ("place", "Almaty"): ("Almaty", "city")}
    with transaction(db):
        sf.rebuild_entities(db, mapping, names)
    people = sf.list_entities(db, "person")
    assert [(e.name, e.aliases, e.article_count) for e in people] == [("Anna Smith", ("Smith",), 2)]
    place = sf.list_entities(db, "place")[0]
    assert place.subtype == "city"
    assert {f.entity_id for f in sf.facts_for(db, a2) if f.kind == "person"} == {people[0].id}
    assert [a.path for a in sa.list_articles(db, entity_id=place.id)] == ["/a/1.txt"]
    # Rebuilding again keeps the id; an entity nobody mentions disappears.
    with transaction(db):
        sf.store_facts(db, a2, [], "k3", "v")
        sf.rebuild_entities(db, mapping, sf.entity_names(db))
    assert sf.get_entity(db, people[0].id).article_count == 1
    assert [e.name for e in sf.list_entities(db, "org")] == []
    with pytest.raises(NotFound):
        sf.get_entity(db, 12345)


def test_date_range_ignores_yearless_dates_and_spans_ranges(db):
    aid = _store(db, "/a/1.txt", "x")
    assert sf.date_range(db) == (None, None)
    with transaction(db):
        sf.store_facts(db, aid, [
            _fact("date", "2022-11-30"), _fact("date", "XXXX-01-02"),
            _fact("date", "2022-12-05/2022-12-29"), _fact("date", "2022-10"),
        ], "k", "v")
    assert sf.date_range(db) == ("2022-10", "2022-12-29")
