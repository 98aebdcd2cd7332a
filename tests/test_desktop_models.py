"""The desktop's item models (qtmodeltester), settings, and its small pure helpers."""
from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QModelIndex, Qt  # noqa: E402

from archive.models import Article, Fact, Hit, Problem  # noqa: E402
from desktop.formatting import fact_display, human_date  # noqa: E402
from desktop.models import (ArticleFilter, ArticleFilterProxy, ArticleTableModel, FactFilterProxy,  # noqa: E402
                            FactTreeModel, HitListModel, ProblemTableModel)
from desktop.models.articles import DATE  # noqa: E402
from desktop.models.facts import DETAIL_ROLE, ELSEWHERE, MENTIONS, date_words_differ  # noqa: E402
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
    # The person's row carries the badge: named in 2 other articles.
    row = model.row_index_of_fact(FACTS[0])
    assert row == person.parent() and model.entity_at(row).name == "Anna Berg"
    assert row.sibling(row.row(), ELSEWHERE).data() == "+2"
    assert model.others_mentioning(FACTS[3]) == 0
    late = model.index_of_fact(FACTS[2])
    # "late November" says no more than the value: no words after it.
    assert late.data() == "Nov 2022 (late)"
    assert late.data(DETAIL_ROLE) is None
    assert "Basis: month" in late.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index_of_fact(FACTS[1]).data() == "6 Dec 2022"   # "6 December" adds nothing


def _person(text, start, entity_id, value="Teodor Brannik", fid=None):
    return Fact("person", text, start, start + len(text), value, "named entity", entity_id=entity_id, id=fid)


def test_entities_get_one_row_with_their_mentions(qtmodeltester):
    text = "Teodor Brannik met Petra Vallin. Major Brannik left. Then Brannik came back."
    mentions = [_person("Teodor Brannik", 0, 46, fid=1), _person("Major Brannik", 33, 46, fid=3),
                _person("Brannik", 58, 46, fid=4)]
    vallin = _person("Petra Vallin", 19, 45, value="Petra Vallin", fid=2)
    unlinked = [_person("Orlov", 70, None, value="Orlov"), _person("orlov", 71, None, value="Orlov")]
    model = FactTreeModel()
    model.set_facts([mentions[2], vallin, mentions[0], *unlinked, mentions[1]], {46: 10, 45: 1}, text)
    qtmodeltester.check(model)
    people = model.group_index("person")
    assert people.data() == "People  (3)"
    rows = [model.index(r, 0, people) for r in range(model.rowCount(people))]
    # First named first; one row per entity, unlinked names grouped by value.
    assert [r.data() for r in rows] == ["Teodor Brannik", "Petra Vallin", "Orlov"]
    brannik = rows[0]
    assert brannik.sibling(0, MENTIONS).data() == "3\u00d7"
    assert brannik.sibling(0, ELSEWHERE).data() == "+9"
    assert rows[1].sibling(1, MENTIONS).data() == "" and rows[1].sibling(1, ELSEWHERE).data() == ""
    assert model.rowCount(rows[2]) == 2
    # The children are the mentions as written, in text order, each its own fact.
    children = [model.index(r, 0, brannik) for r in range(model.rowCount(brannik))]
    assert [model.fact_at(c) for c in children] == mentions
    assert children[1].data(DETAIL_ROLE) == "left. Then Brannik came back.\u2026"
    assert children[1].data().startswith("Major Brannik \u00b7 ")
    assert model.fact_at(brannik) is None and model.entity_at(children[0]) is None
    assert model.entity_of(children[2]) == model.entity_at(brannik)
    assert model.index_of_fact(mentions[2]) == children[2]
    assert model.row_index_of_fact(mentions[2]) == brannik
    assert model.rowCount(children[0]) == 0


def test_dates_sort_chronologically_unresolved_last(qtmodeltester):
    dates = [Fact("date", "on Tuesday", 0, 10, "2025-03-11", "weekday", id=1),
             Fact("date", "6 December", 20, 30, "XXXX-12-06", "no year", id=2),
             Fact("date", "March 2, 2025", 40, 53, "2025-03-02", "explicit", id=3),
             Fact("date", "in 2024", 60, 67, "2024", "year", id=4),
             Fact("date", "5 марта", 70, 77, "2025-03-05", "explicit", id=5)]
    model = FactTreeModel()
    model.set_facts(dates)
    qtmodeltester.check(model)
    group = model.group_index("date")
    shown = [model.index(r, 0, group).data() for r in range(model.rowCount(group))]
    assert shown == ["2024", "2 Mar 2025", "5 Mar 2025 \u00b7 5 марта", "11 Mar 2025 \u00b7 on Tuesday",
                     "6 Dec (year unknown)"]
    assert date_words_differ("mid-February", "Feb 2025 (mid)") is False
    assert date_words_differ("last month", "Feb 2025") is True


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


def test_fact_filter_keeps_only_matching_mentions(qtmodeltester):
    model = FactTreeModel()
    model.set_facts([_person("Teodor Brannik", 0, 46), _person("Major Brannik", 30, 46),
                     _person("Brannik", 50, 46)], {})
    proxy = FactFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("major")
    entity = proxy.index(0, 0, proxy.index(0, 0))
    assert entity.data() == "Teodor Brannik"
    assert [proxy.index(r, 0, entity).data() for r in range(proxy.rowCount(entity))] == ["Major Brannik"]
    qtmodeltester.check(proxy)


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


@pytest.mark.parametrize("dark", [False, True])
def test_fact_highlights_keep_text_readable(dark, monkeypatch):
    from desktop import theme
    from desktop.timeline.table_model import CERTAINTY_COLOURS, CERTAINTY_COLOURS_DARK
    from PySide6.QtGui import QColor

    monkeypatch.setattr(theme, "_dark", dark)
    ink = QColor("#e6e6e6") if dark else QColor("#1d2125")
    page = QColor("#16181c") if dark else QColor("#ffffff")
    for kind in theme.FACT_COLORS:
        tint = theme.fact_tint(kind)
        assert tint.alpha() >= 60, f"{kind}: the tint must still show"
        assert theme.contrast_ratio(ink, theme.blend(tint, page)) >= theme.MIN_CONTRAST, kind
    for colour in (CERTAINTY_COLOURS_DARK if dark else CERTAINTY_COLOURS).values():
        assert theme.contrast_ratio(colour, page) >= theme.MIN_CONTRAST
    assert theme.contrast_ratio(theme.muted_color(), page) >= theme.MIN_CONTRAST
    assert theme.contrast_ratio(theme.dim_color(), page) >= theme.MIN_CONTRAST
    assert round(theme.contrast_ratio(QColor("#000000"), QColor("#ffffff")), 1) == 21.0
