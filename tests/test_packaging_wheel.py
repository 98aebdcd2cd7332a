"""The wheel carries everything Casefile needs at run time, and runs from a clean environment.

The wheel is built in-process by setuptools (the build backend, installed
with Casefile), from a copy of the sources, so the checkout gets no
``build/`` folder. The clean-environment test installs the wheel with
``--no-deps --no-index`` into a new virtual environment that borrows this
environment's dependencies through a ``.pth`` line: no network, and none of
the checkout's own files on the path.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from archive.version import __version__

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("archive", "desktop", "resources", "packaging", "setup.py", "pyproject.toml", "README.md",
           "LICENSE", "MANIFEST.in")
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".casefile", "*.egg-info")


def _resource_files() -> list[str]:
    """Every file of the checkout's resources/, relative to it (no caches)."""
    base = ROOT / "resources"
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("wheel-src")
    out = tmp_path_factory.mktemp("wheel-dist")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=_JUNK)
        else:
            shutil.copy2(ROOT / name, src / name)
    code = "import sys, setuptools.build_meta as b; print(b.build_wheel(sys.argv[1]))"
    done = subprocess.run([sys.executable, "-c", code, str(out)], cwd=src, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    name = done.stdout.strip().splitlines()[-1]
    assert name == f"casefile-{__version__}-py3-none-any.whl"
    return out / name


def test_wheel_carries_every_resource_file_and_every_module(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for rel in _resource_files():
            member = f"casefile_resources/{rel}"
            assert member in names, f"{rel} is missing from the wheel"
            assert zf.read(member) == (ROOT / "resources" / rel).read_bytes(), rel
        pinned = (ROOT / "packaging" / "model-requirements.txt").read_bytes()
        assert zf.read("casefile_resources/model-requirements.txt") == pinned
        for package in ("archive", "desktop"):
            for path in (ROOT / package).rglob("*.py"):
                assert path.relative_to(ROOT).as_posix() in names, f"{path.name} is missing"
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        dist = f"casefile-{__version__}.dist-info"
        metadata = zf.read(f"{dist}/METADATA").decode()
        entry_points = zf.read(f"{dist}/entry_points.txt").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    assert "Requires-Dist: PySide6-Essentials==6.11.2" in metadata
    assert "casefile = archive.cli:main" in entry_points
    assert "casefile-desktop = desktop.app:main" in entry_points


def test_resources_load_from_the_unpacked_wheel(wheel, tmp_path):
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    # -S: no site-packages, so neither the editable install nor the checkout is found.
    code = """
import hashlib, importlib.resources, json, sys
sys.path.insert(0, sys.argv[1])
from archive import paths
root = importlib.resources.files("casefile_resources")
print(json.dumps({"dir": str(paths.resources_dir()), "demo": str(paths.demo_source_dir()),
                  "files": {rel: hashlib.sha256(root.joinpath(rel).read_bytes()).hexdigest()
                            for rel in json.loads(sys.argv[2])}}))
"""
    done = subprocess.run([sys.executable, "-S", "-c", code, str(target), json.dumps(_resource_files())],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert Path(found["dir"]) == target / "casefile_resources"
    assert Path(found["demo"]) == target / "casefile_resources" / "demo"
    assert found["files"] == {rel: _sha((ROOT / "resources" / rel).read_bytes()) for rel in _resource_files()}


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_installed_wheel_opens_the_demo_from_a_clean_environment(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                           "--no-deps", "--no-index", "--disable-pip-version-check", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    site = Path(subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    (site / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {**os.environ, "CASEFILE_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(bin_dir / args[0]), *args[1:]], capture_output=True, text=True,
                              timeout=300, cwd=tmp_path, env=env)

    version = run("casefile", "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"casefile, version {__version__}"
    search = run("casefile", "search", "deported")
    assert search.returncode == 0, search.stderr
    assert "matching articles" in search.stdout
    # The demo is the installed copy, not the checkout's.
    assert str(site / "casefile_resources" / "demo") in search.stdout
    assert str(ROOT) not in search.stdout
    shot = tmp_path / "window.png"
    desktop = run("casefile-desktop", "--screenshot", str(shot))
    assert desktop.returncode == 0, desktop.stderr
    assert _png_size(shot) == (1400, 900)


def test_checkout_resources_are_found_through_the_package(monkeypatch, tmp_path):
    from archive import paths

    assert paths.resources_dir() == ROOT / "resources"
    # Two installed copies (a checkout and a pipx install, say) keep separate demo archives.
    here = paths.demo_archive_dir()
    monkeypatch.setattr(paths, "_resources", tmp_path / "elsewhere")
    there = paths.demo_archive_dir()
    assert here != there and here.parent == there.parent == paths.data_dir()
