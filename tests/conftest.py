"""Shared fixtures. Qt must run offscreen: set before anything imports Qt."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep tests away from the user's real settings and data.
os.environ.setdefault("CASEFILE_TESTING", "1")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
DEMO = ROOT / "resources" / "demo"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The four real reports the product was designed from (never copied into the project)."""
    if not SEEDS.is_dir():
        pytest.fail(f"the seed articles are missing: expected them in {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    # Settings, the last-archive memory and the demo archive's index go to a
    # per-test folder, never to the developer's home.
    home = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("CASEFILE_DATA_DIR", str(home))
    yield


# One man, spelt "Oskar Velde" by two outlets and "Oscar Velde" by two others:
# the case analysis keys his events on the name, entity review changes it.
VELDE_ARTICLES = {
    "01-herald.txt": "Officer held at airport\n\nCaptain Oskar Velde was arrested on 12 March 2025 at Salvik "
                     "airport, his lawyer said. Oskar Velde was deported on 4 April 2025.\n",
    "02-courier.txt": "Deserter held\n\nOskar Velde was arrested on 12 March 2025, court papers show. "
                      "Oskar Velde was deported on 4 April 2025.\n",
    "03-daily.txt": "The Velde case\n\nCaptain Oscar Velde was arrested on 12 March 2025. Oscar Velde was "
                    "detained on 13 March 2025. Oscar Velde was deported on 4 April 2025.\n",
    "04-wire.txt": "Appeal lodged\n\nMajor Oscar Velde filed an appeal on 1 April 2025. Oscar Velde was "
                   "deported on 4 April 2025.\n",
}


@pytest.fixture
def velde_folder(tmp_path) -> Path:
    """A folder of four short invented reports naming one man two ways (not indexed)."""
    folder = tmp_path / "velde"
    folder.mkdir()
    for name, text in VELDE_ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
