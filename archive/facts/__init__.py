"""Fact extraction: dates, people, organisations, places, quantities, legal steps, quotes.

    from archive.facts import FactInput, extract
    [facts] = extract([FactInput(text, body_end=len(text), published="2022-12-14")])

Modules: ``dates`` (finding and resolving dates), ``entities`` (NER, canonical
names, linking), ``quantities``, ``legal``, ``quotes``, ``sentences`` (body and
sentence spans), ``lexicon`` (the editable lexicons and the gazetteer),
``pipeline`` (:func:`extract`, which ties them together).
"""
from __future__ import annotations

from .entities import merge_entities
from .pipeline import (EXTRACTOR_VERSION, FACT_TEXT_LIMIT, FactInput, InferredPublication, extract, facts_limited,
                       inferred_publications, warm_up)

__all__ = ["EXTRACTOR_VERSION", "FACT_TEXT_LIMIT", "FactInput", "InferredPublication", "extract", "facts_limited",
           "inferred_publications", "merge_entities", "warm_up"]
