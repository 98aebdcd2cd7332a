"""The cross-process writer lock, held by a real second process."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive.errors import ArchiveInUse
from archive.lock import WriterLock

ROOT = Path(__file__).resolve().parent.parent

_HOLDER = """
import sys
from archive.lock import WriterLock
lock = WriterLock(sys.argv[1])
lock.acquire()
print("locked", flush=True)
sys.stdin.readline()
lock.release()
print("released", flush=True)
"""


@pytest.fixture
def holder(tmp_path):
    """A second Python process that holds the lock of ``tmp_path / 'arc'`` until told to stop."""
    archive_dir = tmp_path / "arc"
    archive_dir.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(archive_dir)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield archive_dir, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_second_writer_gets_archive_in_use_with_pid(holder):
    archive_dir, proc = holder
    with pytest.raises(ArchiveInUse) as err:
        WriterLock(archive_dir).acquire()
    message = str(err.value)
    assert f"pid {proc.pid}" in message
    assert "being indexed by another Casefile process" in message
    assert str(archive_dir) in message


def test_lock_is_free_again_when_holder_releases(holder):
    archive_dir, proc = holder
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "released"
    with WriterLock(archive_dir) as lock:
        assert lock.held
    assert not lock.held


def test_lock_is_free_when_holder_dies(holder):
    archive_dir, proc = holder
    proc.kill()
    proc.wait(timeout=10)
    with WriterLock(archive_dir):
        pass


def test_same_process_second_lock_object_is_refused(tmp_path):
    first = WriterLock(tmp_path)
    first.acquire()
    try:
        with pytest.raises(ArchiveInUse, match="being indexed right now"):
            WriterLock(tmp_path).acquire()
    finally:
        first.release()
    with WriterLock(tmp_path) as again:
        assert again.held


def test_indexing_refused_while_another_process_indexes(holder, tmp_path):
    from archive import Archive

    archive_dir, proc = holder
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("A title\n\nSome words.\n")
    with Archive.open(archive_dir) as arc:          # reading is fine meanwhile
        with pytest.raises(ArchiveInUse, match=f"pid {proc.pid}"):
            arc.index_folder(tmp_path / "src", facts=False)
        assert arc.articles() == []
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "released"
    with Archive.open(archive_dir) as arc:
        assert arc.index_folder(tmp_path / "src", facts=False).added == 1
