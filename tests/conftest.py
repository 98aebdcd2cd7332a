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
