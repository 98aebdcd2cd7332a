"""Anchored dates ("one day after his detention") are dated from the event they name."""
from __future__ import annotations

from archive.facts import FactInput, extract


def _dates(*articles):
    """``articles`` are (text, published); returns each article's date facts by their words."""
    res = extract([FactInput(t, len(t), published=p) for t, p in articles])
    return [{f.text: f for f in facts if f.kind == "date"} for facts in res]


def test_the_event_named_dates_the_anchor_not_the_nearest_date():
    text = ("He was detained on 3 March at the airport. On 10 March a court heard the case. "
            "One day after his detention, on Friday, he asked for asylum.")
    [d] = _dates((text, "2025-03-20"))
    f = d["One day after"]
    assert f.value == "2025-03-04"
    assert f.extra["anchor"]["value"] == "2025-03-03"
    assert "detention" in f.basis and f.confidence == 0.6


def test_a_date_beside_the_anchored_words_is_not_their_event():
    text = ("He crossed the border on Wednesday, five days after the decree was announced by the president. "
            "The decree, signed on Feb 14, calls up reservists.")
    [d] = _dates((text, "2025-02-21"))
    assert d["five days after"].value == "2025-02-19"


def test_russian_anchor_is_dated_by_another_article_of_the_case():
    first = "Президент объявил мобилизацию 14 февраля."
    second = "Он пересёк границу через пять дней после объявления мобилизации."
    _, d = _dates((first, "2025-02-20"), (second, "2025-02-21"))
    [f] = d.values()
    assert f.value == "2025-02-19"
    assert "another article" in f.basis


def test_an_event_no_fact_dates_stays_uncertain():
    text = "One day after his detention, he asked for asylum. The court met on 10 March."
    [d] = _dates((text, "2025-03-20"))
    f = d["One day after"]
    assert f.value == "XXXX" and f.extra.get("unresolved")
    assert "anchor event not dated" in f.basis
    assert f.confidence < 0.6


def test_a_year_earlier_refers_to_the_date_just_told():
    text = "Exports rose 5% in October from a year earlier.\n\nThe ministry published the figures in June."
    [d] = _dates((text, "1996-11-20"))
    f = d["a year earlier"]
    assert f.value == "1995-10" and f.extra["anchor"]["value"] == "1996-10"


def test_a_year_earlier_with_no_date_in_its_paragraph_is_a_year_before_publication():
    text = "The trial opened in 1990.\n\nSales fell 3% from a year earlier, the company said."
    [d] = _dates((text, "1996-11-20"))
    f = d["a year earlier"]
    assert f.value == "1995"
    assert "publication date" in f.basis and "paragraph" in f.basis


def test_the_following_year_counts_from_the_year_just_told():
    text = "He was arrested in 2019 and convicted the following year. He appealed in the same year."
    [d] = _dates((text, "2022-12-14"))
    f = d["the following year"]
    assert f.value == "2020" and f.extra["anchor"]["value"] == "2019"
    # chained on the conviction just dated, not on the arrest
    assert d["the same year"].value == "2020"


def test_the_following_year_of_a_day_is_a_year():
    text = "He was arrested on 5 March 2019 and convicted the following year."
    [d] = _dates((text, "2022-12-14"))
    assert d["the following year"].value == "2020"
    text = "He was arrested on 5 March 2019. His wife was detained the same month."
    [d] = _dates((text, "2022-12-14"))
    assert d["the same month"].value == "2019-03"


def test_that_month_is_the_month_just_told():
    text = ("She asked to resign in January, but the bureau turned down her request late that month. "
            "He left on 5 March 2019 and was caught that year.")
    [d] = _dates((text, "2025-02-21"))
    f = d["late that month"]
    assert f.value == "2025-01" and f.extra["qualifier"] == "late"
    assert d["that year"].value == "2019"
