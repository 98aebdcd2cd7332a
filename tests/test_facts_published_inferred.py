"""Dates of an article whose dateline prints no year, resolved from the case's other articles."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from archive.errors import InvalidInput
from archive.facts import FactInput, extract, inferred_publications
from archive.facts.dates import infer_publication

DATELINED = ("TALLINN, Dec. 14 (Wire) - Police detained a local reporter on Wednesday, officials said.\n\n"
             "He had crossed the border yesterday. A court had refused him bail on December 6.\n")
DATED = "December 30, 2022\n\nThe reporter was released after a court ruling.\n"
SOURCE = "publication day and month from the dateline, year from the case's other articles"


def _dates(facts) -> dict[str, object]:
    return {f.text: f for f in facts if f.kind == "date"}


def _case(partial="XXXX-12-14", text=DATELINED):
    return [FactInput(text, len(text), published_partial=partial, key="a.txt"),
            FactInput(DATED, len(DATED), published="2022-12-30", key="b.txt")]


def test_relative_dates_resolve_against_the_inferred_publication_date():
    facts, _ = extract(_case())
    dates = _dates(facts)
    wednesday, yesterday = dates["Wednesday"], dates["yesterday"]
    assert wednesday.value == "2022-12-14"
    assert wednesday.basis.startswith("Wednesday of the week published 2022-12-14")
    assert SOURCE in wednesday.basis and "2022-12-30" in wednesday.basis
    assert yesterday.value == "2022-12-13"
    assert yesterday.basis.startswith("the day before publication (2022-12-14)") and SOURCE in yesterday.basis
    for f in (wednesday, yesterday, dates["December 6"]):
        assert f.extra.get("published_inferred") is True and not f.extra.get("unresolved")
    assert dates["December 6"].value == "2022-12-06"


def test_inferred_dates_are_a_step_less_certain_than_printed_ones():
    [inferred], [printed] = extract(_case()[:1], context_published=["2022-12-30"]), \
        extract([FactInput(DATELINED, len(DATELINED), published="2022-12-14")])
    a, b = _dates(inferred)["Wednesday"], _dates(printed)["Wednesday"]
    assert a.value == b.value == "2022-12-14"
    assert a.confidence < b.confidence
    assert "published_inferred" not in b.extra and SOURCE not in b.basis


def test_alone_the_year_stays_unknown():
    [facts] = extract(_case()[:1])
    dates = _dates(facts)
    assert dates["Wednesday"].value == "XXXX-XX-XX" and dates["Wednesday"].extra.get("unresolved")
    assert dates["yesterday"].extra.get("unresolved")
    assert not any(f.extra.get("published_inferred") for f in facts)
    assert inferred_publications(_case()[:1]) == [None]


def test_a_printed_publication_date_wins_over_the_partial():
    doc = FactInput(DATELINED, len(DATELINED), published="2021-12-14", published_partial="XXXX-12-14")
    [facts] = extract([doc], context_published=["2022-12-30"])
    assert _dates(facts)["yesterday"].value == "2021-12-13"
    assert not any(f.extra.get("published_inferred") for f in facts)


def test_the_year_follows_the_rule_for_year_less_dates():
    # A December dateline in a case whose latest article is from March is the previous December.
    got = infer_publication("XXXX-12-14", ["2023-03-02", "2023-01-20"])
    assert got.value == "2022-12-14" and "previous year" in got.basis
    assert infer_publication("XXXX-02-03", ["2023-03-02"]).value == "2023-02-03"


def test_a_month_only_partial_dates_month_relative_words_but_not_days():
    text = "RIGA, December (Wire) - The ministry said last month that talks failed. Yesterday a court met.\n"
    facts, _ = extract(_case("XXXX-12", text))
    dates = _dates(facts)
    assert dates["last month"].value == "2022-11" and dates["last month"].extra["published_inferred"]
    assert dates["Yesterday"].extra.get("unresolved")


def test_a_weekday_printed_with_the_dateline_checks_the_year():
    head = "VILNIUS, Wednesday, Dec. 14 (Wire) - "
    agrees = infer_publication("XXXX-12-14", ["2022-12-30"], head)
    assert agrees.value == "2022-12-14" and "Wednesday printed with it agrees" in agrees.basis
    # 14 December 2021 was a Tuesday: the case's year is one off, the weekday settles it.
    moved = infer_publication("XXXX-12-14", ["2022-12-30"], head.replace("Wednesday", "Tuesday"))
    assert moved.value == "2021-12-14" and "Tuesday" in moved.basis
    # No year near the case puts 14 December on a Monday: the evidence disagrees, nothing is inferred.
    assert infer_publication("XXXX-12-14", ["2022-12-30"], head.replace("Wednesday", "Monday")) is None


@pytest.mark.parametrize("partial", ["12-14", "XXXX-13-01", "XXXX-02-30", "Dec. 14", ""])
def test_a_malformed_partial_is_named_in_the_error(partial):
    with pytest.raises(InvalidInput, match=r"a\.txt: the partial publication date"):
        extract([FactInput(DATELINED, len(DATELINED), published_partial=partial, key="a.txt")])


def test_positional_fields_are_unchanged():
    doc = FactInput("text", 4, (), "2022-12-14", "en", "Title", "key")
    assert (doc.published, doc.lang, doc.title, doc.key, doc.published_partial) == \
        ("2022-12-14", "en", "Title", "key", None)


def test_cli_reports_the_inferred_date_beside_the_article_own(tmp_path):
    from archive.cli import main

    (tmp_path / "a.txt").write_text("Reporter detained\n\n" + DATELINED, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Reporter released\n\n" + DATED, encoding="utf-8")
    res = CliRunner().invoke(main, ["facts", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    out = res.stdout if hasattr(res, "stdout") else res.output
    arts = {a["path"].rsplit("/", 1)[-1].rsplit("\\", 1)[-1]: a for a in json.loads(out[out.index("{"):])["articles"]}
    a, b = arts["a.txt"], arts["b.txt"]
    assert a["published"] is None and a["published_inferred"] == "2022-12-14"
    assert SOURCE in a["published_inferred_basis"]
    assert b["published"] == "2022-12-30" and "published_inferred" not in b
    wednesday = next(f for f in a["facts"] if f["text"] == "Wednesday")
    assert wednesday["value"] == "2022-12-14" and wednesday["published_inferred"] is True
    human = CliRunner().invoke(main, ["facts", str(tmp_path)])
    assert human.exit_code == 0 and "published 2022-12-14, inferred" in human.output


# The article's own evidence comes before the case's latest article.
OLD_CASE = ["2019-12-20", "2022-12-30"]


def test_a_date_the_article_states_with_its_year_fixes_the_year():
    body = "MADRID, Dec. 14 - A court in Astana refused bail on December 6, 2019, his lawyer said.\n"
    got = infer_publication("XXXX-12-14", OLD_CASE, body[:80], body)
    assert got.value == "2019-12-14"
    assert "December 6, 2019" in got.basis and "guessed" not in got.basis


def test_a_future_or_historical_date_with_a_year_does_not_fix_it():
    body = ("MADRID, Dec. 14 - The law of 3 March 1996 applies. The trial will open on March 3, 2025.\n")
    got = infer_publication("XXXX-12-14", ["2022-12-30"], body[:40], body)
    assert got.value == "2022-12-14"
    assert "year guessed from the case" in got.basis


def test_a_weekday_and_date_pair_in_the_text_fixes_the_year():
    # Tuesday, Dec. 13 was in 2022; in 2021 it was a Monday.
    body = "MADRID, Dec. 14 - Police detained him on Tuesday, Dec. 13, officials said.\n"
    got = infer_publication("XXXX-12-14", ["2021-12-30"], body[:20], body)
    assert got.value == "2022-12-14" and "Tuesday, Dec. 13" in got.basis
    agrees = infer_publication("XXXX-12-14", ["2022-12-30"], body[:20], body)
    assert agrees.value == "2022-12-14" and "agrees" in agrees.basis


def test_only_the_case_to_go_on_is_said_in_the_reasoning():
    [got, _] = inferred_publications(_case())
    assert got.value == "2022-12-14" and "year guessed from the case" in got.basis
    assert isinstance(got.value, str) and isinstance(got.basis, str)


def test_an_event_another_article_dates_gives_the_year():
    # The folder's latest article is from 2022; the undated one is about the 2019 arrest.
    undated = "MADRID, Dec. 14 - His arrest on December 6 at the airport was unlawful, his lawyer said.\n"
    older = "Police arrested the reporter on 6 December 2019 at the airport.\n"
    newer = "The reporter's book came out on 2 March 2022.\n"
    docs = [FactInput(undated, len(undated), published_partial="XXXX-12-14", key="a.txt"),
            FactInput(older, len(older), published="2019-12-08", key="b.txt"),
            FactInput(newer, len(newer), published="2022-12-30", key="c.txt")]
    [got, _, _] = inferred_publications(docs)
    assert got.value == "2019-12-14"
    assert "another article of the case dates 2019-12-06" in got.basis and "guessed" not in got.basis
    facts = extract(docs)[0]
    assert {f.text: f.value for f in facts if f.kind == "date"}["December 6"] == "2019-12-06"
