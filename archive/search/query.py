"""The search query language, and its parser that turns mistakes into BadQuery.

Query language
==============

Words
    ``deported protest`` finds articles with both words, in any form:
    words are stemmed, so ``deported`` also finds "deport", "deportation"
    and "deportations". Case and Latin accents do not matter. Russian words
    are stemmed with a Russian stemmer (``задержан`` finds "задержали").
    Very common words (the, of, and, to, in, ...) are not indexed.
Phrases
    ``"military commissariat"`` finds the words next to each other, in
    that order.
Operators
    ``AND``, ``OR``, ``NOT`` (in capitals) and parentheses:
    ``(deported OR expelled) AND Kazakhstan NOT "press release"``. Words
    side by side must all match, as with ``AND``. Lowercase ``and``/``or``/
    ``not`` are ordinary words, not operators (``not`` is searchable, so
    ``"not guilty"`` works).
Fields
    ``field:value`` searches one field: ``title:mobilization``,
    ``outlet:reuters``, ``author:"Jane Doe"``, ``lang:ru``,
    ``path:interviews`` (any folder or file name part), ``body:draft``
    (article text only, not the title or page boilerplate). Words without a
    field search the title (counted double), the article text, and the page
    boilerplate (link lists, "Related articles"...), which counts only a
    tenth, so articles that merely link to a story rank below it.
Wildcards
    ``deport*`` (any ending), ``organi?ation`` (one character).
    Wildcard words are not stemmed.
Names across scripts and spellings
    A word typed with a capital letter is also looked up as a name:
    ``Zhilin`` finds "Жилин", "Жилина", "Жилиной" in Russian reports, ``Жилин``
    finds "Zhilin" in English ones, and ``Ekaterina`` finds "Yekaterina"
    (see :mod:`.names`). A capitalised Russian word that the archive uses as
    a name mid-sentence is not stemmed: ``Семей`` (the city) does not find
    "семья" (family); typed in lowercase it is an ordinary word again.
    ``body:Zhilin`` searches the exact spelling only.
Fuzzy words
    ``Zhilenkov~`` also finds words one letter away (a typo, a variant
    transliteration); ``Zhilenkov~2`` allows two changes. The first two
    letters must match, which keeps fuzzy search fast on big archives;
    ``Zhilenkov~1/0`` lifts that (``~distance/prefix``). A fuzzy word is
    compared with the words as written as well as with their stems (Russian
    stems are short: "Жилен" stems to "жил"), and a capitalised one with
    the names, so ``Жилен~`` finds "Жилин" and "Zhilin".
Publication dates
    ``published:2022-12-14``, ``published:2022-12`` (the month),
    ``published:2022``, ranges ``published:[2022-12-01 TO 2022-12-31]``,
    open ranges ``published:[2022-12-10 TO]``, and comparisons
    ``published:>=2022-12-10``, ``published:<2023``. An article whose date is
    known only to the month or year matches when that whole month or year
    lies inside the range: an article of "2022-12" is found by the December
    range and by ``published:2022``, not by ``published:2022-12-14``.

A query that cannot be understood raises :class:`~archive.errors.BadQuery`
with one sentence saying what is wrong, e.g. ``Unknown field 'titel' (did you
mean title?). Fields: title, outlet, author, lang, path, published, body.``
"""
from __future__ import annotations

import copy
import difflib
import re

from whoosh import query as wq
from whoosh.qparser import (
    FieldsPlugin, GroupPlugin, GtLtPlugin, MultifieldPlugin,
    OperatorsPlugin, PhrasePlugin, QueryParser, RangePlugin, WildcardPlugin,
)
from whoosh.qparser import syntax
from whoosh.qparser.plugins import Plugin

from ..errors import BadQuery
from .analysis import _CYRILLIC, fold, stem_word
from .engine.lexicon import multiterm_words
from .engine.normalizing import normalize
from .engine.parsing import FuzzyPrefixPlugin, fuzzy_distance, is_fuzzy_word, unstemmed_fuzzy_copy
from .engine.phrases import FastPhrase
from .schema import DEFAULT_FIELDS, FIELD_BOOSTS, NAMES_BOOST, NAMES_FIELD, USER_FIELDS

__all__ = ["parse_query", "make_parser", "expand_multiterms"]

_OPERATOR_WORDS = {"AND", "OR", "NOT"}
_MAX_FUZZY = 2
_MAX_EXPANSION = 256


def _name_like(text: str) -> bool:
    return bool(text) and text[0].isupper() and text not in _OPERATOR_WORDS and not text.isdigit()


class _NamesPlugin(Plugin):
    """Unfielded words with a capital also search the ``names`` field; fuzzy words also unstemmed."""

    def filters(self, parser):
        # After fuzzy words (0) and field names (100), before the copies per field (110).
        return [(self._names, 105)]

    def _names(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                self._names(parser, node)
                continue
            if getattr(node, "fieldname", True) is not None:
                continue
            alts = [node]
            if is_fuzzy_word(node):
                folded = fold(node.text.lower())
                if stem_word(folded) != folded:
                    alts.append(unstemmed_fuzzy_copy(node))
            elif type(node) is not syntax.WordNode:
                continue
            if _name_like(node.text):
                named = copy.copy(node)
                named.set_fieldname(NAMES_FIELD)
                named.set_boost(node.boost * NAMES_BOOST)
                alts.append(named)
            if len(alts) > 1:
                group[i] = syntax.OrGroup(alts)
        return group


def _field_list() -> str:
    return ", ".join(USER_FIELDS)


class _Bad(Exception):
    """Raised inside parser filters; carries the user message out of Whoosh."""


class _ChecksPlugin(Plugin):
    """Parser filters that reject what Whoosh would silently reinterpret."""

    def filters(self, parser):
        # 98: before the range (99) and field (100) filters consume field
        # names; 590: after whitespace is gone (500), before operators (600).
        return [(self._check_field_names, 98), (self._check_operators, 590)]

    def _check_field_names(self, parser, group):
        nodes = list(group)
        for i, node in enumerate(nodes):
            if isinstance(node, syntax.GroupNode):
                self._check_field_names(parser, node)
            elif isinstance(node, syntax.FieldnameNode):
                name = node.fieldname
                if name not in USER_FIELDS:
                    close = difflib.get_close_matches(name.lower(), USER_FIELDS, n=1)
                    hint = f" (did you mean {close[0]}?)" if close else ""
                    raise _Bad(
                        f"Unknown field '{name}'{hint}. Fields: {_field_list()}; "
                        "to search for words with a colon, put them in quotes."
                    )
                nxt = nodes[i + 1] if i + 1 < len(nodes) else None
                if nxt is None or nxt.is_ws() or isinstance(nxt, syntax.FieldnameNode):
                    raise _Bad(
                        f"'{name}:' must be followed directly by a value, e.g. {name}:word or {name}:\"two words\"."
                    )
        return group

    def _check_operators(self, parser, group):
        nodes = list(group)
        for i, node in enumerate(nodes):
            prev = nodes[i - 1] if i > 0 else None
            nxt = nodes[i + 1] if i + 1 < len(nodes) else None
            if isinstance(node, syntax.GroupNode):
                if len(node) == 0 and not isinstance(node, syntax.NotGroup):
                    raise _Bad("The query has empty parentheses '()'; put words inside them or remove them.")
                self._check_operators(parser, node)
            elif isinstance(node, syntax.InfixOperator):
                if (prev is None or isinstance(prev, syntax.Operator)
                        or nxt is None or isinstance(nxt, syntax.InfixOperator)):
                    raise _Bad(f"'{node.text}' needs a search term on each side, e.g. deported {node.text} detained.")
            elif isinstance(node, syntax.PrefixOperator):
                if nxt is None or isinstance(nxt, syntax.InfixOperator):
                    raise _Bad(f"'{node.text}' must be followed by a search term, e.g. deported NOT detained.")
            elif isinstance(node, syntax.WordNode) and node.text in _OPERATOR_WORDS:
                # Operators are only recognised between terms; one left as a
                # word is at the start or end of the query or a group.
                raise _Bad(f"'{node.text}' needs a search term on each side, e.g. deported {node.text} detained."
                           if node.text != "NOT" else
                           "'NOT' must be followed by a search term, e.g. deported NOT detained.")
            elif (fuzzy_distance(node) or 0) > _MAX_FUZZY:
                raise _Bad(f"'{node.text}~{fuzzy_distance(node)}' asks for too many changes; fuzzy words allow 1 or 2 (word~ or word~2).")
        return group


def make_parser(schema) -> QueryParser:
    """A Whoosh parser for Casefile's query language over ``schema``."""
    parser = QueryParser(
        None,
        schema,
        plugins=[
            # A field name starts with a letter, so "10:30" stays text.
            FieldsPlugin(expr=r"(?P<text>[^\W\d]\w*):", remove_unknown=False),
            WildcardPlugin(),
            PhrasePlugin(),
            RangePlugin(),
            GroupPlugin(),
            OperatorsPlugin(AndNot=None, AndMaybe=None, Require=None),
            FuzzyPrefixPlugin(),
            GtLtPlugin(),
            _ChecksPlugin(),
            _NamesPlugin(),
        ],
    )
    parser.add_plugin(MultifieldPlugin(DEFAULT_FIELDS, fieldboosts=FIELD_BOOSTS))
    return parser


def _check_balance(text: str) -> None:
    """Unbalanced quotes and brackets, which Whoosh would quietly drop."""
    if text.count('"') % 2:
        raise BadQuery('A quote (") is opened but never closed; add the closing quote or remove it.')
    if re.search(r"\(\s*\)", re.sub(r'"[^"]*"', " ", text)):
        raise BadQuery("The query has empty parentheses '()'; put words inside them or remove them.")
    depth = 0
    ranges = 0
    outside = re.sub(r'"[^"]*"', " ", text)
    for ch in outside:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise BadQuery("A closing parenthesis ')' has no matching '('.")
        elif ch in "[{":
            ranges += 1
        elif ch in "]}":
            ranges -= 1
            if ranges < 0:
                raise BadQuery(f"A closing bracket '{ch}' has no matching opening bracket.")
    if depth > 0:
        raise BadQuery("A parenthesis '(' is opened but never closed; add ')' or remove it.")
    if ranges > 0:
        raise BadQuery("A date range bracket is opened but never closed, e.g. published:[2022-12-01 TO 2022-12-31].")


def _errors(q: wq.Query):
    err = getattr(q, "error", None)
    if err:
        yield err
    for child in q.children():
        yield from _errors(child)


def parse_query(parser: QueryParser, text: str) -> wq.Query:
    """The Whoosh query for ``text``; raises BadQuery with one clear sentence."""
    if text is None or not text.strip():
        raise BadQuery('The query is empty; type a word, a "phrase" or a field:value.')
    text = text.strip()
    _check_balance(text)
    try:
        tree = parser.process(text)
        q = tree.query(parser)
    except _Bad as exc:
        raise BadQuery(str(exc)) from None
    if q is None:
        q = wq.NullQuery
    for err in _errors(q):
        raise BadQuery(str(err))
    q = normalize(q)
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        raise BadQuery(
            f"Nothing to search for in '{text}': very common words like 'the' or 'of' are not indexed."
        )
    return q


def _proper_or_stem(reader, fieldname: str, text: str) -> str:
    """``text``, or its stem when it is an unstemmed Cyrillic name the archive never uses as one.

    A capitalised Cyrillic query word is looked up as a name (see
    ``analysis.proper_term``); where no article writes it mid-sentence (only
    at sentence starts, or in lowercase), it is the ordinary word.
    """
    if fieldname not in DEFAULT_FIELDS or not _CYRILLIC.match(text):
        return text
    stem = stem_word(text)
    if stem == text:
        return text
    b = text.encode("utf-8")
    if any((f, b) in reader for f in DEFAULT_FIELDS):
        return text
    return stem


def _fast_phrases(node):
    if type(node) is wq.Phrase and node.slop == 1 and len(node.words) > 1:
        return FastPhrase(node.fieldname, node.words, slop=1, boost=node.boost, char_ranges=node.char_ranges)
    return node


# No analyzer indexes an empty word, so this term is in no document.
_NO_WORD = ""


def expand_multiterms(q: wq.Query, reader) -> wq.Query:
    """``q`` with wildcard and fuzzy words replaced by the indexed words they match.

    Expanding once lets matching, scoring (each word scores as a real term
    instead of a flat constant) and snippets share one lexicon scan. A
    pattern matching more than a few hundred words is left to Whoosh.
    """
    from whoosh.query.terms import MultiTerm

    def fn(node):
        if isinstance(node, MultiTerm):
            btexts = []
            for b in multiterm_words(node, reader):
                btexts.append(b)
                if len(btexts) > _MAX_EXPANSION:
                    return node
            if not btexts:
                # A word no document has, not NullQuery: normalize() drops
                # NullQuery from an AND (as it drops stop words), and
                # "lawy* court" would then find every "court"; NOT of it
                # would find nothing instead of everything.
                return wq.Term(node.fieldname, _NO_WORD, boost=node.boost)
            field = reader.schema[node.fieldname]
            terms = [wq.Term(node.fieldname, b if isinstance(b, str) else field.from_bytes(b), boost=node.boost)
                     for b in btexts]
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        if type(node) is wq.Term and isinstance(node.text, str):
            text = _proper_or_stem(reader, node.fieldname, node.text)
            if text != node.text:
                return wq.Term(node.fieldname, text, boost=node.boost)
            return node
        if type(node) is wq.Phrase:
            words = [_proper_or_stem(reader, node.fieldname, w) if isinstance(w, str) else w
                     for w in node.words]
            if words != list(node.words):
                node = wq.Phrase(node.fieldname, words, slop=node.slop, boost=node.boost,
                                 char_ranges=node.char_ranges)
        return _fast_phrases(node)

    return normalize(q.accept(fn))
