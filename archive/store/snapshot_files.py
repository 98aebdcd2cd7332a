"""Where an archive's snapshots are kept, and which there are.

The snapshot files themselves are written and rotated by :mod:`.snapshots`;
this is the part the store's fault messages (:mod:`.health`) and the
recovery commands need too: ``ARCHIVE/snapshots/snapshot-<UTC stamp>.sqlite``,
whose names sort oldest first.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

__all__ = ["SNAPSHOT_DIR", "list_snapshots", "latest_snapshot"]

SNAPSHOT_DIR = "snapshots"


def list_snapshots(archive_dir: Optional[Path]) -> list[Path]:
    """The archive's snapshots, oldest first."""
    if archive_dir is None:
        return []
    folder = Path(archive_dir) / SNAPSHOT_DIR
    try:
        return sorted(folder.glob("snapshot-*.sqlite"))
    except OSError:
        return []


def latest_snapshot(archive_dir: Optional[Path]) -> Optional[Path]:
    found = list_snapshots(archive_dir)
    return found[-1] if found else None
