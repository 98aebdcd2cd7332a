"""Extracted facts in the store: entities carry the words the articles used for them."""
from __future__ import annotations

from archive.facts import FactInput, extract, merge_entities
from archive.models import Fact, ParsedArticle
from archive.store import articles as sa
from archive.store import facts as sf
from archive.store.db import open_db
from archive.store.transaction import transaction

CASE = [
    ("/case/1.txt", "2023-05-04",
     "Border guards said on Thursday that Daniel Varsky, 41, was detained at the airport in Almaty. "
     "The State Border Agency (SBA) said the Kazakh authorities would decide on his extradition."),
    ("/case/2.txt", "2023-05-06",
     "Lawyers for Varsky said the SBA had shown no warrant. Mr. Varsky denies the charge, "
     "and Kazakhstan has not commented on the case."),
]


def _store_article(db, path: str, text: str, published: str) -> int:
    parsed = ParsedArticle(path=path, format="txt", text=text, body_end=len(text), published=published,
                           provenance={"published": "text"})
    with transaction(db):
        article, _ = sa.write_article(db, parsed, path=path, relpath=path.rsplit("/", 1)[-1],
                                      sha256="h-" + path, size=len(text), mtime=0.0)
    return article.id


def _rebuild(db) -> None:
    names = sf.entity_names(db)
    with transaction(db):
        sf.rebuild_entities(db, merge_entities(names), names)


def test_entity_aliases_are_the_surface_forms_of_the_case(tmp_path):
    db = open_db(tmp_path)
    try:
        ids = [_store_article(db, path, text, published) for path, published, text in CASE]
        results = extract([FactInput(text, len(text), published=published, key=path)
                           for path, published, text in CASE])
        with transaction(db):
            for aid, found in zip(ids, results):
                sf.store_facts(db, aid, found, f"k{aid}", "v")
        _rebuild(db)
        people = {e.name: e for e in sf.list_entities(db, "person")}
        orgs = {e.name: e for e in sf.list_entities(db, "org")}
        places = {e.name: e for e in sf.list_entities(db, "place")}
    finally:
        db.close()
    assert "Varsky" in people["Daniel Varsky"].aliases
    assert people["Daniel Varsky"].article_count == 2
    assert "SBA" in orgs["State Border Agency"].aliases
    # A demonym refers to the country; it is not another spelling of its name.
    assert "Kazakh" not in places["Kazakhstan"].aliases
    assert "Daniel Varsky" not in people["Daniel Varsky"].aliases


def test_aliases_drop_case_variants_and_collapse_line_breaks(tmp_path):
    db = open_db(tmp_path)
    try:
        aid = _store_article(db, "/a.txt", "x", "2023-01-01")
        facts = [Fact(kind="person", text=t, start=i, end=i + len(t), value="Anna Ortiz", basis="test")
                 for i, t in enumerate(["ORTIZ", "Ortiz", "Anna\nOrtiz", "ANNA ORTIZ"])]
        with transaction(db):
            sf.store_facts(db, aid, facts, "k", "v")
        _rebuild(db)
        [anna] = sf.list_entities(db, "person")
    finally:
        db.close()
    assert anna.name == "Anna Ortiz"
    assert anna.aliases == ("Ortiz",)
