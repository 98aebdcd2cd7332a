"""The gold annotations and the built demo documents must not drift from their files."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from archive.ingest import read_article

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
DATE_VALUE = re.compile(r"^(\d{4}|XXXX)(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
LEGAL_VALUE = re.compile(r"^(charge|step):[a-z-]+$")


def _cases(name: str, folder_fixture: str):
    data = json.loads((GOLD / name).read_text(encoding="utf-8"))
    return [(folder_fixture, art) for art in data["articles"]]


@pytest.mark.parametrize(
    "folder_fixture,article",
    _cases("demo.json", "demo_dir") + _cases("seeds.json", "seeds_dir"),
    ids=lambda v: v["file"] if isinstance(v, dict) else v,
)
def test_every_gold_span_is_in_the_extracted_body(folder_fixture, article, request):
    folder = request.getfixturevalue(folder_fixture)
    parsed = read_article(folder / article["file"])
    body = parsed.text[: parsed.body_end]
    assert article["facts"], "an annotated article has facts"
    for fact in article["facts"]:
        assert fact["kind"] in {"date", "person", "org", "place", "legal"}
        n = body.count(fact["text"])
        assert n > fact["occurrence"], f"{article['file']}: {fact['text']!r} #{fact['occurrence']} not in body"
        if fact["kind"] == "date":
            assert DATE_VALUE.match(fact["value"]), fact
        if fact["kind"] == "legal":
            assert LEGAL_VALUE.match(fact["value"]), fact


def test_demo_has_every_format_and_a_russian_article(demo_dir):
    suffixes = {p.suffix for p in demo_dir.iterdir()}
    assert {".txt", ".md", ".html", ".pdf", ".docx"} <= suffixes
    assert len([p for p in demo_dir.iterdir() if p.is_file()]) >= 8
    langs = {read_article(p).lang for p in demo_dir.iterdir()}
    assert "ru" in langs


def test_built_demo_documents_are_current(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_demo_documents", ROOT / "packaging" / "build_demo_documents.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0
