"""Search across scripts and spellings: names, Cyrillic fuzzy words, names the stemmer must not fold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive import Archive
from archive.errors import StoreError
from archive.search.analysis import analyze_terms, term_positions
from archive.search.index import IndexDoc, SearchIndex
from archive.names import skeleton
from archive.search.schema import SCHEMA_VERSION

EN = ("Aleksandr Zhilin, a former officer, was deported on Tuesday. His wife Ekaterina Zhilina "
      "said the family had lived in Semey for a year. Yekaterina said she would appeal.")
RU = ("Бывший офицер Александр Жилин выслан во вторник. Его жена Екатерина Жилина рассказала, "
      "что семья год жила в Семее. Жилину грозит арест, сказала Екатерина.")
FAMILY = "Их семья осталась дома. Сотни семей ждут решения суда."
SEMEY_RU = "Суд в Семей вынес решение. Город Семей стоит на Иртыше."


@pytest.fixture()
def index():
    ix = SearchIndex.in_memory()
    ix.update([
        IndexDoc(1, "en.txt", "Officer deported", None, None, "en", "2022-12", EN, ""),
        IndexDoc(2, "ru.txt", "Офицера выслали", None, None, "ru", "2022-12", RU, ""),
        IndexDoc(3, "family.txt", "Семьи ждут", None, None, "ru", "2022-12", FAMILY, ""),
        IndexDoc(4, "semey.txt", "Решение суда", None, None, "ru", "2022-12", SEMEY_RU, ""),
    ])
    yield ix
    ix.close()


def found(ix, q) -> set[int]:
    return {h.article_id for h in ix.search(q, limit=50).hits}


@pytest.mark.parametrize("a, b", [
    ("Жилиной", "Zhilina"), ("Zhilin", "Жилину"), ("Yekaterina", "Ekaterina"), ("Екатерину", "Yekaterina"),
    ("Семее", "Semey"), ("Mikhail", "Михаил"), ("Yury", "Юрий"), ("Brannick", "Бранник"), ("Zhilin's", "Жилин"),
])
def test_skeletons_meet_across_scripts_and_spellings(a, b):
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize("a, b", [("Семей", "Семья"), ("Zhilin", "Zhukov"), ("Abay", "Abai2")])
def test_different_names_keep_different_skeletons(a, b):
    assert skeleton(a) != skeleton(b)


def test_latin_name_finds_the_russian_report_and_back(index):
    assert found(index, "Zhilin") == {1, 2}
    assert found(index, "Жилин") == {1, 2}
    assert found(index, "Zhilina") == {1, 2}


def test_spelling_variants_find_the_same_articles(index):
    assert found(index, "Ekaterina") == found(index, "Yekaterina") == {1, 2}


def test_exact_field_search_keeps_the_spelling(index):
    assert found(index, "body:Zhilin") == {1}
    assert found(index, "body:Жилин") == {2}


def test_lowercase_words_are_not_expanded_as_names(index):
    # "zhilin" in lowercase is an ordinary word: the Russian report is not found.
    assert found(index, "zhilin") == {1}


def test_cyrillic_fuzzy_words_find_the_name(index):
    # "Жилен" stems to "жил"; compared as written it is one letter from "Жилин".
    assert found(index, "жилен~") == {2}
    # Capitalised, it is also a name: the English report spells it Zhilin.
    assert found(index, "Жилен~") == {1, 2}


def test_city_is_not_folded_into_the_common_word(index):
    # The English report spells the city "Semey"; the family article is not found.
    assert found(index, "Семей") == {1, 2, 4}
    # In lowercase it is the ordinary word (genitive plural of "семья"), in articles 2 and 3.
    assert found(index, "семей") == found(index, "семья") == {2, 3}


def test_names_combine_with_operators_and_phrases(index):
    assert found(index, "Zhilin AND deported") == {1}
    assert found(index, "Zhilin NOT Ekaterina") == set()
    assert found(index, '"Екатерина Жилина"') == {2}
    assert found(index, '"город Семей"') == {4}


def test_snippet_marks_the_other_spelling(index):
    hit = next(h for h in index.search("Zhilin").hits if h.article_id == 2)
    assert "<mark>Жилин</mark>" in hit.snippet and "<mark>Жилину</mark>" in hit.snippet
    hit = next(h for h in index.search("Семей").hits if h.article_id == 4)
    assert "<mark>Семей</mark>" in hit.snippet


def test_sentence_start_capitals_stay_stemmed():
    # The index and the query analyzer must agree word for word.
    text = "Семей известен. В Семее суд. Семья ждёт: Семьи ждут."
    by_positions = sorted((p, t) for t, ps in term_positions(text).items() for p in ps)
    by_terms = [(p, t) for t, p, *_ in analyze_terms(text)]
    assert by_positions == by_terms
    # Sentence starts are stemmed ("Семей", "Семья", "Семьи" -> "сем"); "Семее" mid-sentence is kept.
    assert [t for _, t in by_terms] == ["сем", "извест", "семее", "суд", "сем", "ждет", "сем", "ждут"]


def test_fast_path_serves_name_queries(index):
    from archive.search.engine.fastpath import top_docs
    from archive.search.engine.lexicon import LexiconReader
    from archive.search.query import expand_multiterms, parse_query

    s = index._get_searcher()
    for text in ("Zhilin", "Жилен~", "Семей", '"Екатерина Жилина"', "Zhilin NOT Ekaterina"):
        q = expand_multiterms(parse_query(index._parser, text), LexiconReader(s.reader(), {}))
        assert top_docs(s, q, 10, {}) is not None, text


def test_index_of_the_previous_schema_is_rebuilt(tmp_path):
    folder = tmp_path / "ix"
    SearchIndex.create(folder).close()
    marker = folder / "casefile-search.json"
    assert json.loads(marker.read_text())["schema_version"] == SCHEMA_VERSION
    marker.write_text(json.dumps({"schema_version": SCHEMA_VERSION - 1}))
    with pytest.raises(StoreError, match="different Casefile version"):
        SearchIndex.open(folder)


def test_demo_archive_russian_report_found_by_english_spelling(tmp_path, demo_dir):
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(demo_dir, facts=False)
        hits = arc.search("Brannik", limit=50).hits
        paths = {Path(h.path).name for h in hits}
        assert "09-karvonsky-vestnik-deportation.txt" in paths
        assert len(paths) > 1  # and the English reports
        ru = {Path(h.path).name for h in arc.search("Бранник", limit=50).hits}
        assert ru == paths


def test_archive_with_an_older_index_is_stale_and_reindex_brings_names(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "en.txt").write_text(f"Officer deported\n\n{EN}\n", encoding="utf-8")
    (src / "ru.txt").write_text(f"Офицера выслали\n\n{RU}\n", encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src, facts=False)
    marker = next((tmp_path / "arc").rglob("casefile-search.json"))
    marker.write_text(json.dumps({"schema_version": SCHEMA_VERSION - 1}))
    with Archive.open(tmp_path / "arc") as arc:
        assert arc.index_stale
        assert arc.reindex() == 2
        assert not arc.index_stale
        assert {Path(h.path).name for h in arc.search("Zhilin").hits} == {"en.txt", "ru.txt"}
