"""People, organisations and places across Latin and Cyrillic, spelling variants and the models' type mistakes."""
from __future__ import annotations

import pytest

from archive import Archive
from archive.facts import FactInput, extract, merge_entities

EN = """Former guard officer flees to Kazakhstan

Aleksandr Zhilin, a former officer of Russia's Federal Guard Service, fled to Kazakhstan with his wife Ekaterina Zhilina in September. Kazakh Interior Minister Marat Akhmetzhanov said on Tuesday that the request was being studied.

The couple had lived in Novosibirsk, in the Siberian Federal District, before driving to the town of Abay. Yekaterina said they feared for their children. "We had no choice," Yekaterina told reporters in Astana.
"""
RU = """ДИСКЛЕЙМЕР

Бывший сотрудник Федеральной службы охраны Александр Жилин бежал в Казахстан вместе с женой Екатериной Жилиной. Об этом рассказала сама Екатерина Жилина.

Выдавший ордер суд в Новосибирске потребовал экстрадиции. Семья жила в Сибирском федеральном округе. Министр внутренних дел Казахстана Марат Ахметжанов сказал, что запрос изучают.
"""


@pytest.fixture(scope="module")
def case():
    en, ru = extract([FactInput(EN, len(EN), (), "2022-10-01", "en", None, key="en"),
                      FactInput(RU, len(RU), (), "2022-10-01", "ru", None, key="ru")])
    return {"en": en, "ru": ru}


def facts(case, key, kind):
    return [(EN if key == "en" else RU)[f.start:f.end] for f in case[key] if f.kind == kind], \
        {f.value for f in case[key] if f.kind == kind}


def value_of(case, key, surface):
    text = EN if key == "en" else RU
    return {(f.kind, f.value) for f in case[key] if text[f.start:f.end] == surface}


def test_first_name_alone_is_the_person_in_another_spelling(case):
    assert value_of(case, "en", "Yekaterina") == {("person", "Ekaterina Zhilina")}


def test_russian_names_link_to_the_english_spelling(case):
    assert value_of(case, "ru", "Екатерина Жилина") == {("person", "Ekaterina Zhilina")}
    assert value_of(case, "ru", "Екатериной Жилиной") == {("person", "Ekaterina Zhilina")}
    assert value_of(case, "ru", "Александр Жилин") == {("person", "Aleksandr Zhilin")}


def test_regions_and_towns_are_places_not_organisations(case):
    assert value_of(case, "en", "Siberian Federal District") == {("place", "Siberian Federal District")}
    assert value_of(case, "en", "Abay") == {("place", "Abay")}
    assert value_of(case, "en", "Novosibirsk") == {("place", "Novosibirsk")}
    surfaces, _ = facts(case, "en", "org")
    assert "Abay" not in surfaces and "Siberian Federal District" not in surfaces


def test_job_title_fragment_is_no_organisation(case):
    _, orgs = facts(case, "en", "org")
    assert not any(o.startswith("Kazakh Interior") for o in orgs)
    assert value_of(case, "en", "Marat Akhmetzhanov") == {("person", "Marat Akhmetzhanov")}


def test_headings_and_participles_are_no_entities(case):
    for kind in ("person", "org", "place"):
        surfaces, values = facts(case, "ru", kind)
        assert "ДИСКЛЕЙМЕР" not in surfaces and "Выдавший" not in surfaces, kind


def test_russian_organisation_keeps_its_genitive_and_links_to_english(case):
    assert value_of(case, "ru", "Федеральной службы охраны") == {("org", "Federal Guard Service")}


def test_russian_organisation_normal_form():
    from archive.facts.entities import find_mentions_ru

    text = "Сотрудники Федеральной службы исполнения наказаний пришли в суд."
    names = {m.name for m in find_mentions_ru(text, [(0, len(text))]) if m.kind == "org"}
    assert "Федеральная служба исполнения наказаний" in names


def test_merge_links_scripts_and_spellings_but_not_other_surname_forms():
    names = [("person", "Ekaterina Zhilina"), ("person", "Екатерина Жилина"), ("person", "Yekaterina"),
             ("person", "Aleksandr Zhilin"), ("person", "Zhilin"), ("person", "Жилина"),
             ("place", "Siberian Federal District")]
    out = merge_entities(names)
    assert out[("person", "Екатерина Жилина")] == ("Ekaterina Zhilina", None)
    assert out[("person", "Yekaterina")] == ("Ekaterina Zhilina", None)
    assert out[("person", "Zhilin")] == ("Aleksandr Zhilin", None)
    # "Zhilina" is Ekaterina's surname form, not her husband's.
    assert out[("person", "Жилина")] == ("Ekaterina Zhilina", None)
    assert out[("place", "Siberian Federal District")] == ("Siberian Federal District", "region")


def test_archive_shows_one_person_for_three_spellings(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "en.txt").write_text(EN, encoding="utf-8")
    (src / "ru.txt").write_text(RU, encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src)
    with Archive.open(tmp_path / "arc") as arc:
        people = {e.name: e for e in arc.entities("person")}
        assert "Екатерина Жилина" not in people and "Yekaterina" not in people
        wife = people["Ekaterina Zhilina"]
        assert {"Yekaterina", "Екатерина Жилина"} <= set(wife.aliases)
        assert wife.article_count == 2
        places = {e.name for e in arc.entities("place")}
        assert {"Abay", "Novosibirsk", "Siberian Federal District"} <= places
        assert "Yekaterina" not in places


def test_demo_russian_place_names_take_the_english_name(demo_dir):
    from archive.ingest import read_article

    inputs = []
    for name in ("01-northline-wire-border-detention.txt", "09-karvonsky-vestnik-deportation.txt"):
        p = read_article(demo_dir / name)
        inputs.append(FactInput(p.text, p.body_end, p.regions, "2025-04-05", p.lang, p.title, key=name))
    ru_text = read_article(demo_dir / "09-karvonsky-vestnik-deportation.txt").text
    ru = extract(inputs)[1]
    by_surface = {}
    for f in ru:
        by_surface.setdefault(ru_text[f.start:f.end], set()).add((f.kind, f.value))
    assert by_surface["Карвонию"] == {("place", "Karvonia")}
    # natasha reads "Лессария" as a person; the case names the country in English.
    assert ("person", "Лессария") not in {kv for kvs in by_surface.values() for kv in kvs}
    assert ("place", "Lessaria") in {kv for kvs in by_surface.values() for kv in kvs}


def test_womans_first_name_keeps_its_nominative(demo_dir):
    from archive.facts.entities import _feminine_first_name
    from archive.ingest import read_article

    art = read_article(demo_dir / "09-karvonsky-vestnik-deportation.txt")
    facts = extract([FactInput(art.text, art.body_end, art.regions, "2025-04-05", art.lang, art.title, key="ru")])[0]
    values = {f.value for f in facts if f.kind == "person" and art.text[f.start:f.end] == "Ада Ветрова"}
    assert values == {"Ада Ветрова"}  # natasha's normal form is "Ад Ветрова"
    assert _feminine_first_name("Ад Ветрова", "Ада Ветрова") == "Ада Ветрова"
    assert _feminine_first_name("Екатерина Жилина", "Екатериной Жилиной") == "Екатерина Жилина"
    assert _feminine_first_name("Петр Валлин", "Петра Валлин") == "Петр Валлин"  # the surname says nothing


def test_russian_name_links_by_its_written_form_when_the_normal_form_misses():
    en = "The lawyer Petra Vallin said the ruling would be appealed. Vallin spoke to reporters outside the court."
    ru = "Адвокат Петра Валлин назвала решение незаконным и заявила, что обжалует его."
    _, ru_facts = extract([FactInput(en, len(en), (), "2025-04-05", "en", None, key="en"),
                           FactInput(ru, len(ru), (), "2025-04-05", "ru", None, key="ru")])
    values = {f.value for f in ru_facts if f.kind == "person" and ru[f.start:f.end].endswith("Валлин")}
    assert values == {"Petra Vallin"}
