"""Archives record the Casefile that wrote them; an older Casefile refuses a newer archive."""
from __future__ import annotations

import importlib.metadata
import sqlite3
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.cli import main
from archive.errors import NewerArchive
from archive.store import compat, schema
from archive.store.db import DB_NAME
from archive.version import __version__, version_tuple

ROOT = Path(__file__).resolve().parent.parent


def _raw(archive_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(archive_dir / DB_NAME)


def _state(archive_dir: Path) -> tuple:
    with _raw(archive_dir) as conn:
        return (sorted(conn.execute("SELECT key, value FROM meta")),
                sorted(r[0] for r in conn.execute("SELECT name FROM _migrations")))


@pytest.fixture
def archive_dir(tmp_path) -> Path:
    target = tmp_path / "case" / ".casefile"
    Archive.open(target).close()
    return target


def _fake_newer(archive_dir: Path, written_by: str | None = "9.0.0", migration: bool = True,
                schema_bump: int = 0) -> None:
    """Make the archive look as a future Casefile would leave it."""
    with _raw(archive_dir) as conn:
        if migration:
            conn.execute("INSERT INTO _migrations (name, applied_at) VALUES "
                         "('999_from_the_future', '2031-01-01T00:00:00+00:00')")
        if written_by is None:
            conn.execute("DELETE FROM meta WHERE key = ?", [compat.VERSION_KEY])
        else:
            conn.execute("UPDATE meta SET value = ? WHERE key = ?", [written_by, compat.VERSION_KEY])
        if schema_bump:
            conn.execute("UPDATE meta SET value = ? WHERE key = ?",
                         [str(schema.SCHEMA_VERSION + schema_bump), compat.SCHEMA_KEY])


def test_version_has_one_source():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "archive.version.__version__"}
    assert importlib.metadata.version("casefile") == __version__
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"casefile, version {__version__}"


def test_version_tuple_compares_numerically():
    assert version_tuple("0.10.0") > version_tuple("0.9.3")
    assert version_tuple("1.2.0rc1") == (1, 2, 0)
    assert version_tuple("2") > version_tuple("1.99")


def test_new_archive_records_the_version_and_schema(archive_dir):
    meta, migrations = _state(archive_dir)
    assert (compat.VERSION_KEY, __version__) in meta
    assert (compat.SCHEMA_KEY, str(schema.SCHEMA_VERSION)) in meta
    assert migrations == sorted(name for name, _ in schema.MIGRATIONS)


def test_an_older_record_is_updated_and_a_newer_compatible_one_kept(archive_dir):
    with _raw(archive_dir) as conn:
        conn.execute("UPDATE meta SET value = '0.0.1' WHERE key = ?", [compat.VERSION_KEY])
    with Archive.open(archive_dir) as arc:
        assert compat.written_by(arc.db) == __version__
    # A newer Casefile that changed no schema: this one opens it and keeps the record.
    _fake_newer(archive_dir, written_by="9.0.0", migration=False)
    with Archive.open(archive_dir) as arc:
        assert arc.articles() == []
        assert compat.written_by(arc.db) == "9.0.0"


def test_archive_with_unknown_migrations_is_refused_and_left_untouched(archive_dir):
    _fake_newer(archive_dir)
    before = _state(archive_dir)
    with pytest.raises(NewerArchive) as err:
        Archive.open(archive_dir)
    assert str(err.value) == (
        f"The archive {archive_dir} was written by Casefile 9.0.0, newer than this Casefile "
        f"{__version__}; update Casefile to open it (the archive was left untouched).")
    assert err.value.unknown_migrations == ("999_from_the_future",)
    assert _state(archive_dir) == before
    # The refusal let go of the file: once the future migration is gone it opens again.
    with _raw(archive_dir) as conn:
        conn.execute("DELETE FROM _migrations WHERE name = '999_from_the_future'")
    Archive.open(archive_dir).close()


def test_newer_recorded_schema_is_refused_even_without_a_version(archive_dir):
    _fake_newer(archive_dir, written_by=None, migration=False, schema_bump=1)
    with pytest.raises(NewerArchive) as err:
        Archive.open(archive_dir)
    assert "was written by a newer Casefile, newer than this Casefile" in str(err.value)


def test_cli_says_so_in_one_line(archive_dir):
    _fake_newer(archive_dir)
    result = CliRunner().invoke(main, ["search", "deported", "--archive", str(archive_dir)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert "Traceback" not in result.output and len(lines) == 1, result.output
    assert "was written by Casefile 9.0.0, newer than this Casefile" in lines[0]
    assert "update Casefile to open it" in lines[0]
