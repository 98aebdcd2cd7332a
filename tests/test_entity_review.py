"""Entity review: judgements recorded in a ledger and replayed over re-extraction; merge suggestions."""
from __future__ import annotations

import shutil

import pytest

from archive import Archive
from archive.case.merge_suggestions import suggest
from archive.errors import InvalidInput, NotFound
from archive.models import Entity


@pytest.fixture(scope="module")
def indexed_demo(tmp_path_factory, demo_dir):
    """The demo articles in a folder of their own, indexed once; tests copy the archive."""
    base = tmp_path_factory.mktemp("demo-review")
    source = base / "articles"
    shutil.copytree(demo_dir, source)
    with Archive.open(base / "archive") as arc:
        arc.index_folder(source)
    return base


@pytest.fixture
def demo_arc(indexed_demo, tmp_path):
    target = tmp_path / "archive"
    shutil.copytree(indexed_demo / "archive", target)
    arc = Archive.open(target)
    yield arc
    arc.close()


@pytest.fixture(scope="module")
def indexed_seeds(tmp_path_factory, seeds_dir):
    base = tmp_path_factory.mktemp("seeds-review")
    with Archive.open(base / "archive") as arc:
        arc.index_folder(seeds_dir)
    return base


@pytest.fixture
def seeds_arc(indexed_seeds, tmp_path):
    target = tmp_path / "archive"
    shutil.copytree(indexed_seeds / "archive", target)
    arc = Archive.open(target)
    yield arc
    arc.close()


def _named(arc, name, kind=None):
    matches = [e for e in arc.entities(kind) if e.name == name]
    assert len(matches) == 1, [(e.kind, e.name) for e in arc.entities()]
    return matches[0]


def _pairs(suggestions):
    return {(s.keep.name, s.other.name): s for s in suggestions}


# ---------------------------------------------------------------- seeds

def test_seeds_fso_fgs_and_federal_guard_service_are_suggested_once_apart(seeds_arc):
    fgs = _named(seeds_arc, "Federal Guard Service", "org")
    assert {"FSO", "FGS"} <= set(fgs.aliases)  # linked by the extractor already
    review = seeds_arc.entity_review
    review.split(fgs.id, "FGS")
    review.split("Federal Guard Service", "FSO")
    assert {"FGS", "FSO"} <= {e.name for e in seeds_arc.entities("org")}
    pairs = _pairs(review.suggestions())
    acronym = pairs[("Federal Guard Service", "FGS")]
    assert acronym.reason == "acronym" and "initials" in acronym.detail
    lexicon = pairs[("Federal Guard Service", "FSO")]
    assert lexicon.reason == "lexicon" and "orgs.json" in lexicon.detail
    # Accepting a suggestion is a merge like any other.
    review.merge(acronym.keep, acronym.other)
    assert "FGS" in _named(seeds_arc, "Federal Guard Service").aliases
    assert ("Federal Guard Service", "FGS") not in _pairs(review.suggestions())


def test_seeds_reviewed_entity_ids_are_the_ones_facts_link_to(seeds_arc):
    review = seeds_arc.entity_review
    zhilin = _named(seeds_arc, "Mikhail Zhilin", "person")
    review.rename(zhilin, "Mikhail Zhilin (FSO officer)")
    renamed = _named(seeds_arc, "Mikhail Zhilin (FSO officer)")
    assert renamed.id == zhilin.id and "Mikhail Zhilin" in renamed.aliases
    articles = seeds_arc.articles_mentioning(renamed.id)
    assert len(articles) == zhilin.article_count == 4
    for article in articles:
        people = [f for f in seeds_arc.facts(article.id) if f.entity_id == renamed.id]
        assert people and all(f.value == "Mikhail Zhilin (FSO officer)" and f.kind == "person" for f in people)
        assert all(f.extra["extracted"]["value"] in ("Mikhail Zhilin", "Zhilin") for f in people)
    assert renamed.mention_count == sum(
        1 for a in articles for f in seeds_arc.facts(a.id) if f.entity_id == renamed.id)
    # A timeline draft from a passage names people as reviewed.
    article = seeds_arc.article(articles[0].id)
    mention = next(f for f in seeds_arc.facts(article.id) if f.entity_id == renamed.id)
    draft = seeds_arc.timelines.draft_from_passage(article, max(0, mention.start - 20), mention.end + 20)
    assert "Mikhail Zhilin (FSO officer)" in draft.people and "Mikhail Zhilin" not in draft.people


def test_seeds_latin_spellings_of_one_russian_name_and_cyrillic_forms(tmp_path, seeds_dir):
    # The seeds write every name in Latin letters (their Cyrillic is page
    # boilerplate), so the test adds two short reports of its own.
    folder = tmp_path / "case"
    shutil.copytree(seeds_dir, folder)
    (folder / "extra-en.txt").write_text(
        "Lawyer says wife was questioned\n\nEkaterina Zhilina was questioned for three hours on Monday, "
        "her lawyer said.\n", encoding="utf-8")
    (folder / "extra-ru.txt").write_text(
        "Адвокат рассказал о допросе\n\nВ понедельник Михаил Жилин не пришёл на допрос, сообщил его адвокат. "
        "Жилин находится в Астане.\n", encoding="utf-8")
    with Archive.open(tmp_path / "archive") as arc:
        arc.index_folder(folder)
        zhilin = _named(arc, "Mikhail Zhilin", "person")
        assert any(a.startswith("Жилин") or a.startswith("Михаил") for a in zhilin.aliases), zhilin.aliases
        # Spelling variants of one name are linked by the extractor itself now;
        # split off, the variant comes back as a suggestion with its reason.
        wife = next(e for e in arc.entities("person")
                    if {"Yekaterina Zhilina", "Ekaterina Zhilina"} <= {e.name, *e.aliases})
        other = "Ekaterina Zhilina" if wife.name == "Yekaterina Zhilina" else "Yekaterina Zhilina"
        arc.entity_review.split(wife, other)
        assert {"Yekaterina Zhilina", "Ekaterina Zhilina"} <= {e.name for e in arc.entities("person")}
        pairs = _pairs(arc.entity_review.suggestions())
        variant = pairs.get((wife.name, other)) or pairs[(other, wife.name)]
        assert variant.reason == "transliteration"
        arc.entity_review.merge(wife.name, other)
        assert other in _named(arc, wife.name).aliases


# ---------------------------------------------------------------- suggestions on names

def _e(i, kind, name, articles=1):
    return Entity(id=i, kind=kind, name=name, article_count=articles, mention_count=articles)


def test_suggestions_reasons_on_names():
    entities = [
        _e(1, "person", "Mikhail Zhilin", 4), _e(2, "person", "Жилин"), _e(3, "person", "M. Zhilin"),
        _e(4, "person", "Zhilin", 3), _e(5, "person", "Yekaterina Zhilina", 4), _e(6, "person", "Ekaterina Zhilina"),
        _e(7, "org", "Federal Guard Service", 2), _e(8, "org", "FGS"), _e(9, "org", "ФСО"),
        _e(10, "place", "Kessel Gap"), _e(11, "person", "Kessel Gap"), _e(12, "person", "Zhilina", 2),
    ]
    pairs = _pairs(suggest(entities))
    assert pairs[("Zhilin", "Жилин")].reason == "transliteration"
    assert pairs[("Mikhail Zhilin", "M. Zhilin")].reason == "initials"
    assert pairs[("Yekaterina Zhilina", "Ekaterina Zhilina")].reason == "transliteration"
    assert pairs[("Federal Guard Service", "FGS")].reason == "acronym"
    assert pairs[("Federal Guard Service", "ФСО")].reason == "lexicon"
    assert pairs[("Kessel Gap", "Kessel Gap")].reason == "kind"
    # A surname and its feminine form are usually two relatives, not one person.
    assert ("Zhilina", "Zhilin") not in pairs and ("Zhilin", "Zhilina") not in pairs
    assert ("Yekaterina Zhilina", "Mikhail Zhilin") not in pairs
    apart = suggest(entities, apart=[frozenset({"zhilin", "жилин"})])
    assert ("Zhilin", "Жилин") not in _pairs(apart)


def test_demo_suggestions_cross_scripts_and_kinds(demo_arc):
    # People are linked across scripts by the extractor; a place is left to review.
    assert "Хальвард Руск" in _named(demo_arc, "Halvard Rusk", "person").aliases
    pairs = _pairs(demo_arc.entity_review.suggestions(limit=None))
    assert pairs[("Greyfield", "Грейфилд")].reason == "transliteration"
    kinds = [s for s in pairs.values() if s.reason == "kind"]
    assert any(s.keep.kind == "place" and s.keep.name == "Lessaria" and s.other.kind == "org" for s in kinds)
    # A dismissed suggestion stays dismissed, and the dismissal is a judgement too.
    s = pairs[("Greyfield", "Грейфилд")]
    j = demo_arc.entity_review.distinct(s.keep, s.other)
    assert ("Greyfield", "Грейфилд") not in _pairs(demo_arc.entity_review.suggestions(limit=None))
    demo_arc.entity_review.undo(j.id)
    assert ("Greyfield", "Грейфилд") in _pairs(demo_arc.entity_review.suggestions(limit=None))


# ---------------------------------------------------------------- judgements

def test_every_action_is_recorded_and_undone_without_touching_mentions(demo_arc):
    review = demo_arc.entity_review
    raw_before = demo_arc.db.execute("SELECT id, kind, value, text FROM facts ORDER BY id").fetchall()
    greyfield = _named(demo_arc, "Greyfield", "place")
    merged = review.merge(greyfield, "Грейфилд")
    after = _named(demo_arc, "Greyfield", "place")
    assert "Грейфилд" in after.aliases and after.id == greyfield.id
    assert after.article_count > greyfield.article_count
    assert "Грейфилд" not in {e.name for e in demo_arc.entities()}

    salvik = _named(demo_arc, "Salvik", "org")
    review.change_kind(salvik, "place")
    assert _named(demo_arc, "Salvik", "place").id == salvik.id
    review.ignore("HARBOURTON - A")
    assert "HARBOURTON - A" not in {e.name for e in demo_arc.entities()}
    ignored_in = [a for a in demo_arc.articles() if any(
        f.text == "HARBOURTON - A" for f in demo_arc.facts(a.id))]
    assert not ignored_in
    review.split("Teodor Brannik", "Brannik")
    brannik = _named(demo_arc, "Brannik", "person")
    assert brannik.mention_count > 0 and "Brannik" not in _named(demo_arc, "Teodor Brannik").aliases

    actions = [j.action for j in review.judgements()]
    assert actions == ["merge", "kind", "ignore", "split"]
    # Judgements never rewrite what the extractor found.
    assert demo_arc.db.execute("SELECT id, kind, value, text FROM facts ORDER BY id").fetchall() == raw_before

    undo = review.undo()
    assert undo.action == "undo" and undo.target == review.judgements()[3].id
    assert "Brannik" in _named(demo_arc, "Teodor Brannik").aliases
    review.undo(merged.id)
    assert "Грейфилд" in {e.name for e in demo_arc.entities()}
    assert [j.active for j in review.judgements()] == [False, True, True, False, False, False]
    with pytest.raises(InvalidInput, match="already undone"):
        review.undo(merged.id)
    again = review.reapply(merged.id)
    assert again.action == "merge" and "Грейфилд" in _named(demo_arc, "Greyfield").aliases


def test_bad_review_input_gets_one_clear_error(demo_arc):
    review = demo_arc.entity_review
    with pytest.raises(NotFound, match='named "Nobody Atall"'):
        review.merge("Teodor Brannik", "Nobody Atall")
    with pytest.raises(InvalidInput, match="not an alias"):
        review.split("Teodor Brannik", "Mira")
    with pytest.raises(InvalidInput, match="merge the two instead"):
        review.rename("Teodor Brannik", "Mira Brannik")
    with pytest.raises(InvalidInput, match="not a kind of entity"):
        review.change_kind("Teodor Brannik", "vehicle")
    with pytest.raises(InvalidInput, match="Several entities"):
        review.ignore("Lessaria")
    with pytest.raises(InvalidInput, match="already one entity"):
        review.merge("Teodor Brannik", "Brannik")
    with pytest.raises(InvalidInput, match="no judgement to undo"):
        review.undo()
    assert review.judgements() == []


def test_judgements_survive_reopening_and_reindexing(tmp_path, demo_dir):
    source = tmp_path / "articles"
    shutil.copytree(demo_dir, source)
    folder = tmp_path / "archive"
    with Archive.open(folder) as arc:
        arc.index_folder(source)
        review = arc.entity_review
        review.merge("Greyfield", "Грейфилд")
        review.rename("Teodor Brannik", "Teodor Brannik (SPB major)")
        review.change_kind("Salvik", "place")
        review.ignore("Velgrad Free Press •")
        review.split("Mira Brannik", "Mira")
        reviewed = {(e.kind, e.name): (e.id, e.aliases, e.article_count) for e in arc.entities()}

    with Archive.open(folder) as arc:
        assert {(e.kind, e.name): (e.id, e.aliases, e.article_count) for e in arc.entities()} == reviewed

    # A changed file is read and extracted again: the judgements are replayed.
    changed = source / "03-eastgate-courier-airport-arrest.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nTeodor Brannik's lawyer Petra Vallin declined "
                       "to comment.\n", encoding="utf-8")
    with Archive.open(folder) as arc:
        report = arc.index_folder(source)
        assert report.changed == 1
        now = {(e.kind, e.name): (e.id, e.aliases) for e in arc.entities()}
        for key in [("person", "Teodor Brannik (SPB major)"), ("place", "Greyfield"), ("place", "Salvik"),
                    ("person", "Mira")]:
            assert now[key][0] == reviewed[key][0], key
        assert ("person", "Teodor Brannik") not in now and ("org", "Velgrad Free Press •") not in now
        assert "Грейфилд" in now[("place", "Greyfield")][1]
        article = arc.article(changed)
        brannik_id = now[("person", "Teodor Brannik (SPB major)")][0]
        linked = [f for f in arc.facts(article.id) if f.entity_id == brannik_id]
        assert linked and {f.value for f in linked} == {"Teodor Brannik (SPB major)"}
        assert article.id in {a.id for a in arc.articles_mentioning(brannik_id)}
        assert all(j.applied for j in arc.entity_review.judgements())


def test_ids_come_back_on_undo_and_rows_referring_to_entities_are_kept(demo_arc):
    # Case analysis stores entity ids of its own (events, claims): a replay must
    # neither delete the rows of entities that live on nor hand their ids to others.
    db = demo_arc.db
    db.execute("CREATE TABLE notes_on (entity_id INTEGER REFERENCES entities(id) ON DELETE CASCADE, note TEXT)")
    mira = _named(demo_arc, "Mira Brannik")
    db.execute("INSERT INTO notes_on VALUES (?, 'wife')", [mira.id])
    db.conn.commit()
    ids = {(e.kind, e.name): e.id for e in demo_arc.entities()}
    review = demo_arc.entity_review
    review.merge("Greyfield", "Грейфилд")
    review.rename("Teodor Brannik", "Mira Brannik's husband")
    review.change_kind("Salvik", "place")
    assert db.execute("SELECT count(*) FROM notes_on").fetchone()[0] == 1
    for _ in range(3):
        review.undo()
    assert {(e.kind, e.name): e.id for e in demo_arc.entities()} == ids
    assert db.execute("SELECT entity_id FROM notes_on").fetchall() == [(mira.id,)]
