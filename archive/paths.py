"""Where Casefile keeps things: user data, bundled resources, the demo archive.

An archive for a folder lives inside it (``FOLDER/.casefile``). User data
(the last archive used, the demo archive) lives in the user data directory,
which ``CASEFILE_DATA_DIR`` overrides (tests and portable installs use it).
The bundled demo articles stay untouched: their archive lives in user data.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

__all__ = [
    "ARCHIVE_DIR_NAME", "INDEX_DIR_NAME", "data_dir", "resources_dir", "demo_source_dir", "demo_archive_dir",
    "last_archive_file", "last_archive", "remember_archive", "default_archive_for",
]

ARCHIVE_DIR_NAME = ".casefile"
# The search index's folder inside an archive.
INDEX_DIR_NAME = "index"
_LAST_ARCHIVE = "last_archive.txt"


def data_dir() -> Path:
    """The user's Casefile data folder (created on demand)."""
    override = os.environ.get("CASEFILE_DATA_DIR")
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("Casefile", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The bundled ``resources/`` folder (demo articles, lexicons, fonts, icons, styles).

    Installed (wheel, editable install, frozen bundle) it is the package
    ``casefile_resources``; a checkout that was never installed reads the
    folder beside the source.
    """
    global _resources
    if _resources is None:
        _resources = _find_resources()
    return _resources


_resources: Optional[Path] = None


def _find_resources() -> Path:
    import importlib.resources

    try:
        root = importlib.resources.files("casefile_resources")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"
    if not isinstance(root, Path):
        # Fonts (fpdf2) and Qt need real files; wheels and bundles install unpacked.
        raise RuntimeError(f"Casefile's resources must be installed as files, not inside {root}.")
    return root


def demo_source_dir() -> Path:
    """The bundled demo articles."""
    return resources_dir() / "demo"


def demo_archive_dir() -> Path:
    """The demo archive's own folder, in user data so the bundled articles stay clean.

    One per installed copy of the demo articles (a checkout, a pipx install, a
    bundle): each indexes its own files, and an install that moved (a new
    Python, an upgrade) builds a fresh demo instead of one whose files are gone.
    """
    import hashlib

    where = hashlib.sha256(str(demo_source_dir().resolve()).encode("utf-8")).hexdigest()[:10]
    return data_dir() / f"demo-archive-{where}"


def last_archive_file() -> Path:
    return data_dir() / _LAST_ARCHIVE


def last_archive() -> Optional[Path]:
    """The archive used last, if it still exists."""
    try:
        text = last_archive_file().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    if not text:
        return None
    path = Path(text)
    return path if path.is_dir() else None


def remember_archive(path: Path | str) -> None:
    """Remember ``path`` as the archive to open when none is named."""
    target = last_archive_file()
    tmp = target.with_suffix(".tmp")
    tmp.write_text(str(Path(path).resolve()) + "\n", encoding="utf-8")
    os.replace(tmp, target)


def default_archive_for(folder: Path | str) -> Path:
    """The archive that indexes ``folder``: ``folder/.casefile``."""
    return Path(folder) / ARCHIVE_DIR_NAME
