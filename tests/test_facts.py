"""Unit tests of fact extraction, kind by kind, on small texts written for the tests."""
from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from archive.errors import InvalidInput
from archive.facts import EXTRACTOR_VERSION, FactInput, extract, merge_entities
from archive.facts.dates import DateContext, find_dates, shift
from archive.facts.lexicon import compile_phrase
from archive.models import Region


def run(text, published=None, lang=None, regions=(), body_end=None, others=()):
    docs = [FactInput(text, len(text) if body_end is None else body_end, tuple(regions), published, lang)]
    docs += [FactInput(t, len(t), (), p) for t, p in others]
    return extract(docs)[0]


def dates(text, published=None, **kw):
    return {f.text: f for f in run(text, published, **kw) if f.kind == "date"}


def of_kind(facts, kind):
    return [f for f in facts if f.kind == kind]


# ---------------------------------------------------------------- dates

def test_relative_dates_resolve_against_publication():
    text = ("The court ruled on Wednesday. Yesterday the lawyer appealed. Police acted last month, "
            "and two weeks ago the family fled. The ministry spoke on Friday.")
    d = dates(text, "2023-03-16")  # a Thursday
    assert d["Wednesday"].value == "2023-03-15"
    assert "Wednesday of the week published 2023-03-16" in d["Wednesday"].basis
    assert d["Yesterday"].value == "2023-03-15"
    assert "the day before publication (2023-03-16)" in d["Yesterday"].basis
    assert d["last month"].value == "2023-02"
    assert d["two weeks ago"].value == "2023-03-02"
    assert d["Friday"].value == "2023-03-10"


def test_weekday_on_publication_day_and_future_tense():
    d = dates("The hearing was held on Tuesday. A verdict will come on Friday.", "2023-03-14")  # a Tuesday
    assert d["Tuesday"].value == "2023-03-14"
    assert d["Friday"].value == "2023-03-17"


def test_yearless_dates_take_the_publication_year_or_the_one_before():
    d = dates("He was stopped on March 3, charged on 30 January and first questioned on Nov. 26.", "2023-03-14")
    assert d["March 3"].value == "2023-03-03"
    assert d["30 January"].value == "2023-01-30"
    assert d["Nov. 26"].value == "2022-11-26"
    assert "previous year" in d["Nov. 26"].basis


def test_yearless_date_for_the_future_stays_ahead():
    d = dates("The appeal hearing is set for 9 April.", "2023-03-20")
    assert d["9 April"].value == "2023-04-09"


def test_yearless_date_uses_case_context_then_is_unresolved():
    text = "She was released on 12 May."
    with_ctx = extract([FactInput(text, len(text))], context_published=["2021-06-02", "2021-07-01"])[0]
    [f] = of_kind(with_ctx, "date")
    assert f.value == "2021-05-12" and "case" in f.basis
    [alone] = of_kind(run(text), "date")
    assert alone.value == "XXXX-05-12" and alone.extra["unresolved"] is True


def test_ranges_qualifiers_seasons_and_explicit_dates():
    d = dates("Talks ran between 5 and 7 December. Protests grew in late November and mid-October; "
              "by the end of February 2021 the camp closed. This fall the border reopened. "
              "The report is dated 2022-06-01 and signed 14.06.2022.", "2022-12-20")
    assert d["between 5 and 7 December"].value == "2022-12-05/2022-12-07"
    assert d["late November"].value == "2022-11" and d["late November"].extra["qualifier"] == "late"
    assert d["mid-October"].extra["qualifier"] == "mid"
    assert d["end of February 2021"].value == "2021-02"
    assert d["This fall"].value == "2022" and d["This fall"].extra["qualifier"] == "fall"
    assert d["This fall"].extra["range"] == "2022-09/2022-11"
    assert d["2022-06-01"].value == "2022-06-01"
    assert d["14.06.2022"].value == "2022-06-14"


def test_not_dates():
    text = ("Photo: Jan Woitas/dpa. May said the march was peaceful. The meeting started at 16:51. "
            "See https://example.com/2022/12/30/story-a79851 for more. Article 328 applies.")
    found = dates(text, "2022-12-30")
    assert found == {}


def test_anchored_date_resolves_from_other_facts():
    text = ("The decree was announced on 14 February. Five days after the decree was announced, "
            "he crossed the border.")
    d = dates(text, "2023-03-01")
    anchored = d["Five days after"]
    assert anchored.extra["anchor"]["text"] == "the decree was announced"
    assert anchored.extra["anchor"]["value"] == "2023-02-14"
    assert anchored.value == "2023-02-19"
    assert "decree" in anchored.basis


def test_anchor_in_another_article_of_the_case():
    first = "Mobilisation was declared in September, officials said."
    second = "Five days after mobilisation was declared, he left."
    res = extract([FactInput(first, len(first), published="2022-12-01"), FactInput(second, len(second))])
    [f] = [x for x in res[1] if x.kind == "date"]
    assert f.value == "2022-09" and f.extra["anchor"]["value"] == "2022-09"


def test_russian_dates():
    text = "Его задержали 6 декабря. В среду суд продлил арест, а вчера адвокат подал жалобу. В конце ноября ему отказали."
    d = dates(text, "2022-12-15", lang="ru")  # a Thursday
    assert d["6 декабря"].value == "2022-12-06"
    assert d["среду"].value == "2022-12-14"
    assert d["вчера"].value == "2022-12-14"
    assert d["конце ноября"].value == "2022-11" and d["конце ноября"].extra["qualifier"] == "late"


def test_shift_keeps_precision():
    assert shift("2022-12-06", -1, "day") == ("2022-12-05", True)
    assert shift("2022-09", 5, "day") == ("2022-09", False)
    assert shift("2022-11", 2, "month") == ("2023-01", True)


def test_find_dates_without_sentence_helper():
    text = "On 3 March 2020 it began."
    [r] = find_dates(text, [(0, len(text))], DateContext())
    assert r.value == "2020-03-03"


# ---------------------------------------------------------------- quantities

def test_quantities():
    text = ("More than 400,000 foreign nationals arrived, and over 120.000 left. He faces up to fifteen years in prison "
            "after a six-month suspended sentence. Alina Petrova, 36, has served for 18 years and has two children.")
    q = {f.text: f for f in of_kind(run(text, "2023-01-01"), "quantity")}
    big = q["More than 400,000 foreign nationals"]
    assert big.value == "400000" and big.extra["approx"] == "more than" and big.extra["counted"] == "foreign nationals"
    assert q["over 120.000"].value == "120000"
    fifteen = q["up to fifteen years"]
    assert fifteen.value == "15" and fifteen.extra["unit"] == "years" and fifteen.extra["approx"] == "up to"
    six = q["six-month suspended sentence"]
    assert six.value == "6" and six.extra["unit"] == "months"
    assert q["36"].extra["counted"] == "age" and q["36"].extra["person"] == "Alina Petrova"
    assert q["18 years"].value == "18"
    assert q["two children"].value == "2" and q["two children"].extra["counted"] == "children"


# ---------------------------------------------------------------- entities

def test_people_link_short_forms_and_keep_relatives_apart():
    text = ("Viktor Orlov, a former officer, fled in May. Major Orlov's wife, Daria Orlova, joined him. "
            "Orlov said he would appeal. Orlova told reporters she was afraid.")
    people = {(f.text, f.value) for f in of_kind(run(text, "2023-01-01"), "person")}
    assert ("Viktor Orlov", "Viktor Orlov") in people
    assert ("Orlov", "Viktor Orlov") in people
    assert ("Orlova", "Daria Orlova") in people
    assert not any(t == "Orlova" and v == "Viktor Orlov" for t, v in people)


def test_abbreviations_outlets_and_places():
    text = ("He worked for the Federal Security Service (FSB) in Novosibirsk. The FSB declined to comment, "
            "a spokesman told Reuters. He later flew to Germany via Almaty airport.")
    facts = run(text, "2023-01-01")
    orgs = {(f.text, f.value) for f in of_kind(facts, "org")}
    assert ("FSB", "Federal Security Service") in orgs
    assert ("Reuters", "Reuters") in orgs
    places = {f.text: f for f in of_kind(facts, "place")}
    assert places["Germany"].extra["subtype"] == "country"
    assert places["Novosibirsk"].extra["subtype"] == "city"


def test_nationality_adjectives_are_not_places():
    text = ("Georgian authorities said the Armenian border was open, officials in Georgia confirmed. "
            "Russians and a Spanish lawyer met Kazakh guards; the Russian consul stayed in Madrid.")
    places = of_kind(run(text, "2023-01-01"), "place")
    assert {f.text for f in places} == {"Georgia", "Madrid"}
    assert not any(f.extra.get("demonym") for f in places)


def test_an_adjective_the_model_tags_as_a_place_is_kept_out_of_the_places():
    from archive.facts.entities import _classify
    from archive.facts.lexicon import lexicons

    text = "Crimean officials met Siberian miners in Omsk."
    for word in ("Crimean", "Siberian"):
        s = text.index(word)
        [m] = _classify(text, s, s + len(word), "place", "GPE", lexicons())
        assert m.extra.get("demonym"), word
    [omsk] = _classify(text, text.index("Omsk"), text.index("Omsk") + 4, "place", "GPE", lexicons())
    assert not omsk.extra.get("demonym") and omsk.value == "Omsk"


def test_an_arrest_by_kazakh_police_still_names_no_demonym_as_its_subject():
    text = "Kazakh police detained Mikhail Zhilin at the airport in Astana."
    facts = run(text, "2022-12-14")
    assert {f.text for f in of_kind(facts, "place")} == {"Astana"}
    legal = of_kind(facts, "legal")
    assert legal and all("Kazakh" not in str(f.extra.get("subject", "")) for f in legal)


def test_russian_adjectives_of_place_are_not_places():
    text = ("Казахские пограничники задержали его на границе. Российские власти потребовали выдачи, "
            "а российский консул в Москве ждёт ответа. Решение Харбортонского суда обжаловано в Казахстане.")
    places = {f.text for f in of_kind(run(text, "2023-01-01", lang="ru"), "place")}
    assert not {p for p in places if p.lower().startswith(("казахск", "российск", "харбортонск"))}, places
    assert {"Москве", "Казахстане"} <= places


def test_merge_entities_across_the_archive():
    out = merge_entities([("person", "Viktor Orlov"), ("person", "Orlov"), ("person", "Daria Orlova"),
                          ("org", "FSO"), ("org", "State Protection Bureau"), ("org", "SPB"),
                          ("place", "Nur-Sultan"), ("place", "U.S."), ("person", "Виктор Орлов")])
    assert out[("person", "Orlov")] == ("Viktor Orlov", None)
    assert out[("person", "Daria Orlova")] == ("Daria Orlova", None)
    assert out[("person", "Виктор Орлов")] == ("Viktor Orlov", None)
    assert out[("org", "FSO")] == ("Federal Guard Service", None)
    assert out[("org", "SPB")] == ("State Protection Bureau", None)
    assert out[("place", "Nur-Sultan")] == ("Astana", "city")
    assert out[("place", "U.S.")] == ("United States", "country")


def test_russian_people_and_places():
    text = "Адвокат Ирина Соколова заявила, что Павла Соколова задержали в Москве. Соколова обжалует решение в Казахстане."
    facts = run(text, "2023-01-10", lang="ru")
    people = {f.value for f in of_kind(facts, "person")}
    assert "Ирина Соколова" in people
    places = {f.text: f.value for f in of_kind(facts, "place")}
    assert places.get("Москве") == "Moscow"
    assert places.get("Казахстане") == "Kazakhstan"


# ---------------------------------------------------------------- legal

def test_legal_steps_with_actors():
    text = ("A Lessarian court found him guilty of illegal border crossing and ordered him deported. "
            "He was detained by border guards on arrival. Prosecutors charged him with desertion. "
            "His asylum request was rejected, and he applied for refugee status again. "
            "The government requested his extradition, and he was put on a wanted list.")
    legal = of_kind(run(text, "2023-01-01"), "legal")
    by_value = {}
    for f in legal:
        by_value.setdefault(f.value, f)
    for key in ("step:court-ruling", "charge:illegal-border-crossing", "step:deportation", "step:detention",
                "step:charged", "charge:desertion", "step:asylum-decision", "step:asylum-application",
                "step:extradition-request", "step:wanted-list"):
        assert key in by_value, key
    assert by_value["step:detention"].extra["actor"] == "Border guards"
    assert by_value["step:charged"].extra["actor"] == "Prosecutors"
    assert "court" in by_value["step:court-ruling"].extra["actor"].lower()


def test_a_common_word_starting_a_sentence_is_not_a_name():
    text = ("Daniel Varsky was flown back on Friday and now faces a treason charge.\n\n"
            "Treason is punishable by up to 20 years.")
    names = [(f.kind, f.text) for f in run(text, "2023-03-01") if f.kind in ("person", "org", "place")]
    assert names == [("person", "Daniel Varsky")]


def test_legal_actor_is_not_a_place_named_as_a_destination_or_a_dateline():
    text = ("ALMATY — A military officer who illegally crossed into Kazakhstan has been detained. "
            "Ivan Petrov fled to Kazakhstan and asked for political asylum there. "
            "After an appeals court in Kazakhstan upheld his deportation, his lawyer spoke to reporters. "
            "Kazakhstan has deported him.")
    legal = of_kind(run(text, "2023-01-01"), "legal")
    actors = {(f.value, f.start): f.extra.get("actor") for f in legal}
    by_key = {}
    for (key, start), actor in sorted(actors.items(), key=lambda kv: kv[0][1]):
        by_key.setdefault(key, []).append(actor)
    assert by_key["charge:illegal-border-crossing"] == [None]      # not "Military" nor the dateline
    assert by_key["step:asylum-application"] == [None]             # Kazakhstan is where, not who
    assert by_key["step:deportation"] == ["Appeals court", "Kazakhstan"]


def test_lexicon_phrase_syntax():
    pat = compile_phrase("refus*|deni* ~3 asylum")
    assert pat.search("The ministry denied his request for asylum")
    assert not pat.search("The ministry denied every single request for any asylum")
    with pytest.raises(InvalidInput):
        compile_phrase("")


# ---------------------------------------------------------------- quotes

def test_quotes_with_speakers():
    text = ("Lawyer Petra Lind spoke after the hearing. “He will not get a fair trial there,” she told Reuters. "
            "\"The decision breaks the refugee convention outright,\" Lind said. "
            "«Мы будем обжаловать это решение в суде», — сказала Лind. "
            "Nobody explained the \"emergency\" label.")
    quotes = of_kind(run(text, "2023-01-01"), "quote")
    assert quotes[0].value == "Petra Lind" and quotes[0].text.startswith("“")
    assert quotes[1].value == "Petra Lind"
    assert all("emergency" not in q.text for q in quotes)


def test_unattributed_quote():
    text = "\"Nobody here knows what will happen to him next,\" the statement ended."
    [q] = of_kind(run(text), "quote")
    assert q.value == "unattributed" and q.confidence < 0.8


def test_quote_speakers_follow_appositions_and_continuations():
    text = ("Daniel Varsky was detained at the airport on Monday.\n\n"
            "\"He came here to ask for protection, not to hide,\" said Anna Ortiz, Varsky's lawyer. "
            "\"The court has not even read his asylum file yet.\"\n\n"
            "\"We are studying the request with great care,\" said Tomas Reyes, the lawyer for the ministry.")
    quotes = of_kind(run(text, "2023-01-01"), "quote")
    assert [q.value for q in quotes] == ["Anna Ortiz", "Anna Ortiz", "Tomas Reyes"]
    assert "continues" in quotes[1].basis


def test_no_speaker_taken_from_the_next_sentence():
    text = ("The agency said it would decide \"within the time that the law allows\". "
            "Officials in the capital said they feared a diplomatic row.\n\n"
            "\"He faces years in prison if he is sent back home.\"\n\n"
            "The border service confirmed that a man had been detained.")
    quotes = of_kind(run(text, "2023-01-01"), "quote")
    assert [q.value for q in quotes] == ["unattributed", "unattributed"]


# ---------------------------------------------------------------- invariants

def test_offsets_are_exact_and_boilerplate_is_skipped():
    body = "Police detained Marta Kovacs, 41, in Warsaw on 3 March 2023. "
    nav = "Related: Tomasz Nowak visited Berlin on 5 May 2021. "
    tail = "More stories: Anna Zielinska in Paris, 9 June 2020."
    text = body + nav + tail
    region = Region(len(body), len(body) + len(nav), "related")
    facts = run(text, "2023-03-04", regions=[region], body_end=len(body) + len(nav))
    assert facts
    for f in facts:
        assert text[f.start:f.end] == f.text
        assert f.end <= len(body), f
    assert {f.value for f in of_kind(facts, "person")} == {"Marta Kovacs"}


def test_every_seed_fact_has_exact_offsets(seeds_dir):
    from archive.ingest import read_article

    arts = [read_article(p) for p in sorted(seeds_dir.iterdir()) if p.is_file()]
    results = extract([FactInput(a.text, a.body_end, a.regions, a.published, a.lang) for a in arts])
    assert sum(len(r) for r in results) > 100
    for art, facts in zip(arts, results):
        for f in facts:
            assert art.text[f.start:f.end] == f.text
            assert f.kind in ("date", "person", "org", "place", "quantity", "legal", "quote")
            assert f.start < art.body_end


def test_bad_input_is_a_clear_error():
    with pytest.raises(InvalidInput, match="doc-1"):
        extract([FactInput("text", 4, published="14 December", key="doc-1")])
    with pytest.raises(InvalidInput, match="body_end"):
        extract([FactInput("text", -1, key="x")])
    assert extract([]) == []


def test_cancel_and_progress():
    from archive.errors import Cancelled
    from archive.progress import CancelToken

    seen = []
    extract([FactInput("On 3 March 2020 it began.", 25)], progress=lambda d, t, m: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    tok = CancelToken()
    tok.cancel()
    with pytest.raises(Cancelled):
        extract([FactInput("x", 1)], cancel=tok)


def test_version_and_core_without_qt():
    import subprocess
    from pathlib import Path

    assert EXTRACTOR_VERSION
    code = "import sys, archive.facts, archive.cli.facts; sys.exit('PySide6' in sys.modules)"
    root = Path(__file__).resolve().parent.parent
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


# ---------------------------------------------------------------- CLI

def test_cli_json_shape(tmp_path):
    from archive.cli import main

    good = tmp_path / "a.txt"
    good.write_text("Border guards detained Ivan Petrov on 3 March 2023, his wife told Reuters.\n", encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf at all")
    res = CliRunner().invoke(main, ["facts", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    out = res.stdout if hasattr(res, "stdout") else res.output
    doc = json.loads(out[out.index("{"):])
    [art] = doc["articles"]
    assert art["path"].endswith("a.txt") and "published" in art
    kinds = {f["kind"] for f in art["facts"]}
    assert {"date", "person", "legal", "org"} <= kinds
    for f in art["facts"]:
        assert {"kind", "text", "start", "end", "value", "basis", "sentence", "confidence"} <= set(f)
        assert good.read_text(encoding="utf-8")[f["start"]:f["end"]] == f["text"]
    human = CliRunner().invoke(main, ["facts", str(good)])
    assert human.exit_code == 0 and "date" in human.output and "2023-03-03" in human.output


def test_cli_reports_unreadable_files(tmp_path):
    from archive.cli import main

    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf")
    res = CliRunner().invoke(main, ["facts", str(bad)])
    assert res.exit_code != 0 and "broken.pdf" in res.output


def test_a_deadline_with_until_points_ahead_of_the_report():
    from archive.facts import FactInput, extract
    text = ("The judge extended his detention until late April. "
            "He had been detained in April of last year.")
    [facts] = extract([FactInput(text, len(text), published="2025-03-19")])
    dates = {f.text: f.value for f in facts if f.kind == "date"}
    assert dates["late April"] == "2025-04"
