"""The desktop's item models (qtmodeltester), settings, and its small pure helpers."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QModelIndex, Qt  # noqa: E402

from archive.models import Article, Fact, Hit, Problem  # noqa: E402
from desktop.formatting import fact_display, human_date  # noqa: E402
from desktop.models import (ArticleFilter, ArticleFilterProxy, ArticleTableModel, FactFilterProxy,  # noqa: E402
                            FactTreeModel, HitListModel, ProblemTableModel)
from desktop.models.articles import DATE, SORT_ROLE  # noqa: E402
from desktop.query_terms import term_pattern, terms  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.textpos import OffsetMap  # noqa: E402


def _article(i, **kw):
    base = dict(id=i, path=f"/a/{i}.txt", relpath=f"{i}.txt", format="txt", sha256="x" * 64,
                title=f"Title {i}", published=None, outlet=None, author=None, url=None, lang="en",
                provenance={}, body_end=10, regions=(), fact_count=i)
    base.update(kw)
    return Article(**base)


ARTICLES = [
    _article(1, published="2022-12-06", outlet="Wire A", lang="en"),
    _article(2, published="2022-12", outlet="Wire B", lang="ru"),
    _article(3, published=None, outlet="Wire A"),
    _article(4, published="2023-01-02", outlet=None, title=None),
]
FACTS = [
    Fact("person", "Anna Berg", 0, 9, "Anna Berg", "named entity", entity_id=7, id=1),
    Fact("date", "6 December", 20, 30, "2022-12-06", "explicit date", id=2),
    Fact("date", "late November", 40, 53, "2022-11", "month", extra={"qualifier": "late"}, id=3),
    Fact("place", "Eastmere", 60, 68, "Eastmere", "GPE", entity_id=9, id=4),
    Fact("quote", "we will appeal", 70, 84, "Anna Berg", "said", id=5),
]


def test_article_model(qtmodeltester):
    model = ArticleTableModel()
    model.set_articles(ARTICLES)
    qtmodeltester.check(model)
    assert model.index(3, 0).data() == "4.txt"  # no title: the file name
    assert model.index(0, DATE).data() == "6 Dec 2022"


def test_article_proxy_filters_and_sorts(qtmodeltester):
    model = ArticleTableModel()
    model.set_articles(ARTICLES)
    proxy = ArticleFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.sort(DATE, Qt.SortOrder.AscendingOrder)
    assert [proxy.article_at(r).id for r in range(4)] == [2, 1, 4, 3]  # undated last
    proxy.set_filter(ArticleFilter(outlet="Wire A"))
    assert {proxy.article_at(r).id for r in range(proxy.rowCount())} == {1, 3}
    proxy.set_filter(ArticleFilter(date_from="2022-12-01", date_to="2022-12-31"))
    assert {proxy.article_at(r).id for r in range(proxy.rowCount())} == {1, 2}
    proxy.set_filter(ArticleFilter(entity_id=7, entity_articles=frozenset({2, 4})))
    assert {proxy.article_at(r).id for r in range(proxy.rowCount())} == {2, 4}
    proxy.set_filter(ArticleFilter(lang="ru"))
    assert proxy.proxy_row_of(2) == 0 and proxy.proxy_row_of(1) is None
    qtmodeltester.check(proxy)


def test_hit_model(qtmodeltester):
    model = HitListModel()
    model.set_hits([Hit(1, "/a/1.txt", "T <1>", "Wire", "2022-12-06", 1.0, "a <mark>word</mark> here"),
                    Hit(2, "/a/2.txt", None, None, None, 0.5, "")])
    qtmodeltester.check(model)
    from desktop.models.hits import HTML_ROLE
    html = model.index(0, 0).data(HTML_ROLE)
    assert "<mark>word</mark>" in html and "T &lt;1&gt;" in html and "6 Dec 2022" in html
    assert "<mark>" not in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_fact_tree_model(qtmodeltester):
    model = FactTreeModel()
    model.set_facts(FACTS, {7: 3, 9: 1})
    qtmodeltester.check(model)
    kinds = [model.index(r, 0).data(Qt.ItemDataRole.UserRole + 2) for r in range(model.rowCount())]
    assert kinds == ["date", "person", "place", "quote"]
    person = model.index_of_fact(FACTS[0])
    assert model.fact_at(person) is FACTS[0]
    assert model.index(1, 1, QModelIndex()).isValid()
    assert person.sibling(person.row(), 1).data() == "+2"
    assert model.others_mentioning(FACTS[3]) == 0
    late = model.index_of_fact(FACTS[2])
    assert late.data() == "Nov 2022 (late)"
    assert "Basis: month" in late.data(Qt.ItemDataRole.ToolTipRole)


def test_fact_filter_proxy(qtmodeltester):
    model = FactTreeModel()
    model.set_facts(FACTS, {})
    proxy = FactFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_text("berg")
    # The person and the quote (by Anna Berg) remain, under their kinds.
    assert proxy.rowCount() == 2
    leaves = [proxy.index(0, 0, proxy.index(r, 0)).data() for r in range(proxy.rowCount())]
    assert leaves[0] == "Anna Berg"
    qtmodeltester.check(proxy)
    proxy.set_text("")
    assert proxy.rowCount() == 4


def test_problem_model(qtmodeltester):
    model = ProblemTableModel()
    model.set_problems([Problem("/x/b.pdf", "not a PDF"), Problem("/x/a.docx", "damaged")])
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "a.docx"
    assert model.index(1, 1).data() == "not a PDF"


@pytest.mark.parametrize("value, extra, expected", [
    ("2022-12-06", {}, "6 Dec 2022"),
    ("2022-12", {"qualifier": "late"}, "Dec 2022 (late)"),
    ("2022", {}, "2022"),
    ("XXXX-12-06", {}, "6 Dec (year unknown)"),
    ("2022-12-05/2022-12-07", {}, "5\u20137 Dec 2022"),
    ("2022-11/2022-12", {}, "Nov 2022 \u2013 Dec 2022"),
])
def test_dates_read_as_calendar_dates(value, extra, expected):
    assert fact_display(Fact("date", "x", 0, 1, value, "", extra=extra)) == expected
    assert human_date(None) == ""


def test_legal_and_quantity_display():
    assert fact_display(Fact("legal", "x", 0, 1, "charge:desertion", "")) == "desertion (charge)"
    assert fact_display(Fact("quantity", "x", 0, 1, "15", "", extra={"unit": "years"})) == "15 years"


def test_offset_map_outside_the_bmp():
    text = "a\U0001F600b\U0001D400c"
    m = OffsetMap(text)
    assert [m.to_qt(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert [m.from_qt(m.to_qt(i)) for i in range(len(text) + 1)] == list(range(len(text) + 1))
    assert m.qt_length == len(text.encode("utf-16-le")) // 2
    assert OffsetMap("plain").to_qt(3) == 3


def test_query_terms():
    assert terms('title:extradition AND "border  guards" NOT army -navy desert*') == [
        "extradition", "border guards", "desert*"]
    assert term_pattern(["extradition"]).search("two extraditions") is not None
    pattern = term_pattern(terms("desert* Лессария"))
    found = [m.group() for m in pattern.finditer("Deserters. Лессарии и Лессария.")]
    assert found == ["Deserters", "Лессарии", "Лессария"]
    assert term_pattern([]) is None


def test_settings_live_under_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEFILE_DATA_DIR", str(tmp_path))
    s = Settings()
    assert s.folder == tmp_path
    assert s.text_zoom == 0 and s.search_history == [] and s.show_boilerplate is False
    s.remember_query("one")
    s.remember_query("two")
    s.remember_query("one")
    assert Settings().search_history == ["one", "two"]
    s.show_boilerplate = True
    assert Settings().show_boilerplate is True
    assert (tmp_path / "settings.ini").is_file()
    with pytest.raises(AttributeError):
        _ = s.no_such_option
