"""spaCy's entity recogniser, driven step by step with the GIL held: same predictions, less overhead.

spaCy's greedy parser loop (``Parser.greedy_parse``) releases the GIL and
runs the transition system in C. The spaCy wheels for Python < 3.12 are
compiled with Cython's profiling hooks, and every call of a parser-state
method (``StateC.B_``, ``safe_get``... hundreds per token: each of the ~74
moves is checked for validity) then takes the GIL and gives it back: that
round trip was about 40% of the model's time on the seed reports.

:func:`ner_pipe` runs the same loop from Python, where those calls find the
GIL already held and cost next to nothing. Each step computes the scores
exactly as the C loop does (the same precomputed features summed with the
same BLIS ``saxpy``, the same bias, the same maxout, the same BLIS ``sgemm``
for the output layer, unseen classes set to the batch minimum) and hands
them to ``Parser.transition_states``, which is the C loop's own transition
code (validity, arg-max, action). Batches are formed as ``Parser.pipe``
forms them (blocks of ``batch_size`` sorted by length, cut in quarters), so
the token vectors are computed on the same matrices too.

It relies on internals of spaCy 3.x (``ParserStepModel``,
``precompute_hiddens``, ``transition_states``), so :func:`ner_pipe` checks
once, on a few sentences, that it gives the same entities as ``nlp.pipe``
and otherwise uses ``nlp.pipe`` (as it does for models it does not know).

    docs = ner_pipe(nlp, texts)          # like list(nlp.pipe(texts)), same doc.ents
"""
from __future__ import annotations

import itertools
import threading
from typing import Iterable, Iterator, Optional

__all__ = ["ner_pipe", "steps_supported"]

# Sentences for the self-check: varied entity types, lengths, and a window
# that ends inside a name (the model's windows often do).
_CHECK_TEXTS = (
    "The Supreme Court of Canada heard the appeal of Maria Lopez on 3 March 2021 in Ottawa.",
    "Officials from the United Nations and Amnesty International met in Geneva",
    "He was detained near Kherson by Russian soldiers, said Oleksandr Petrenko, 34.",
    "Reuters reported that the European Commission fined Google",
    "",
    "Police said",
    "John Smith of the BBC and Anna Kowalska of the Polish Press Agency wrote from Warsaw and Berlin.",
)

_lock = threading.Lock()
_checked: dict[int, tuple] = {}  # id(nlp) -> (nlp, whether the driver may be used)


def _parse(ner, docs: list) -> None:
    """Annotate ``docs`` (one sub-batch) with entities, as ``ner.predict`` + ``ner.set_annotations`` would."""
    if not any(len(doc) for doc in docs):
        ner.set_annotations(docs, ner.moves.init_batch(docs))
        return
    ner._ensure_labels_are_added(docs)
    batch = ner.moves.init_batch(docs)
    step = ner.model.predict(docs)
    state2vec = step.state2vec
    upper = step.vec2scores
    W = upper.get_param("W")
    b = upper.get_param("b")
    unseen = step._class_mask == 0
    any_unseen = bool(unseen.any())
    from blis.py import gemm

    states = [s for s in batch if not s.is_final()]
    try:
        while states:
            hidden = state2vec(step.get_token_ids(states), False)[0]
            scores = gemm(hidden, W, trans2=True, alpha=1.0, beta=0.0)
            scores += b
            if any_unseen:
                scores[:, unseen] = scores.min()
            states = ner.transition_states(states, scores)
    finally:
        step.clear_memory()
    ner.set_annotations(docs, batch)


def _pipe_steps(nlp, texts: Iterable, batch_size: int) -> Iterator:
    ner = nlp.get_pipe("ner")
    quarter = max(batch_size // 4, 2)
    it = iter(texts)
    while True:
        chunk = list(itertools.islice(it, batch_size))
        if not chunk:
            return
        block = [nlp.make_doc(t) for t in chunk]
        try:
            by_length = sorted(block, key=len)
            for i in range(0, len(by_length), quarter):
                _parse(ner, by_length[i:i + quarter])
        except Exception:  # spaCy internals behaving unlike the self-check saw
            with _lock:
                _checked[id(nlp)] = (nlp, False)
            block = list(nlp.pipe(chunk, batch_size=batch_size))
        yield from block


def steps_supported(nlp) -> bool:
    """Whether :func:`ner_pipe` can drive this pipeline itself (checked once per pipeline)."""
    key = id(nlp)
    got = _checked.get(key)
    # The pipeline is kept with its answer, so its id cannot be reused meanwhile.
    if got is not None and got[0] is nlp:
        return got[1]
    with _lock:
        got = _checked.get(key)
        if got is None or got[0] is not nlp:
            _checked[key] = (nlp, _self_check(nlp))
        return _checked[key][1]


def _self_check(nlp) -> bool:
    if nlp.pipe_names != ["ner"]:
        return False
    ner = nlp.get_pipe("ner")
    try:
        if ner.cfg.get("beam_width", 1) != 1 or not ner.model.attrs.get("has_upper", False):
            return False
        ours = []
        for i in range(0, len(_CHECK_TEXTS), 4):
            block = [nlp.make_doc(t) for t in _CHECK_TEXTS[i:i + 4]]
            _parse(ner, sorted(block, key=len))
            ours.extend(block)
    except Exception:
        return False  # another spaCy: its internals moved
    theirs = list(nlp.pipe(_CHECK_TEXTS, batch_size=4))
    return [_annotations(d) for d in ours] == [_annotations(d) for d in theirs]


def _annotations(doc) -> tuple:
    return tuple((t.ent_iob, t.ent_type) for t in doc)


def ner_pipe(nlp, texts: Iterable, batch_size: int = 256, *, context: Optional[Iterable] = None) -> Iterator:
    """Docs of ``texts`` with their entities, in order, like ``nlp.pipe(texts, batch_size=...)``.

    With ``context``, yields ``(doc, context_item)`` pairs like ``as_tuples=True``.
    """
    if steps_supported(nlp):
        docs = _pipe_steps(nlp, texts, batch_size)
    else:
        docs = nlp.pipe(texts, batch_size=batch_size)
    if context is None:
        return docs
    return zip(docs, context)
