"""Smoke test of the frozen desktop bundle: build it, start it offscreen, take a screenshot.

PyInstaller is not in the test extras (it is large and the build takes a
minute or two); install it by hand (``.venv/bin/pip install pyinstaller``)
to run this test.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (not in the test extras: "
                                          "pip install pyinstaller to build the bundle)")

from archive.version import __version__  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "org.casefile.Casefile"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "build_bundle.py"),
                           "--dist", str(out / "dist"), "--work", str(out / "work")],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return out / "dist" / "Casefile"


def _run(bundle: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CASEFILE_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)
    exe = bundle / ("Casefile.exe" if os.name == "nt" else "Casefile")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600,
                          cwd=tmp_path, env=env)


def test_bundle_starts_offscreen_and_shows_the_demo(bundle, tmp_path):
    shot = tmp_path / "window.png"
    done = _run(bundle, tmp_path, "--screenshot", str(shot))
    assert done.returncode == 0, done.stderr[-3000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1400, 900)
    # The bundle carries the English model: no hint about a missing one.
    assert "English model" not in done.stderr


def test_bundle_command_line_searches_its_own_demo(bundle, tmp_path):
    version = _run(bundle, tmp_path, "cli", "--version")
    assert version.stdout.strip() == f"casefile, version {__version__}", version.stderr
    search = _run(bundle, tmp_path, "cli", "search", "deported")
    assert search.returncode == 0, search.stderr[-3000:]
    assert "matching articles" in search.stdout
    assert str(bundle / "_internal" / "casefile_resources" / "demo") in search.stdout


def test_bundle_has_the_linux_desktop_files(bundle):
    if not sys.platform.startswith("linux"):
        pytest.skip("the desktop entry and metainfo are laid out on Linux only")
    share = bundle / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
