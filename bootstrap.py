#!/usr/bin/env python3
"""Set up a private virtual environment and run Casefile or its tests.

    python3 bootstrap.py run    # install (first time only) and open the demo archive
    python3 bootstrap.py test   # install (first time only) and run the whole test suite

Anything after the verb is passed on (to ``casefile-desktop`` or to pytest).
Only the standard library is used here, so it works on a fresh Python 3.11+.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "casefile-installed.stamp"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _wanted_stamp() -> str:
    # Reinstall whenever the declared dependencies change.
    h = hashlib.sha256()
    for name in ("pyproject.toml", "setup.py", "packaging/model-requirements.txt"):
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()


def _pip(*args: str) -> None:
    subprocess.check_call([str(PY), "-m", "pip", "--disable-pip-version-check", *args])


def ensure_env() -> None:
    wanted = _wanted_stamp()
    if STAMP.exists() and STAMP.read_text() == wanted and PY.exists():
        return
    if sys.version_info < (3, 11):
        sys.exit("Casefile needs Python 3.11 or newer; this is " + sys.version.split()[0])
    if not PY.exists():
        print("Creating a virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing Casefile and its dependencies (first run takes a few minutes) ...", flush=True)
    _pip("install", "--quiet", "-e", f"{ROOT}[test]")
    _pip("install", "--quiet", "--no-deps", "--require-hashes", "-r",
         str(ROOT / "packaging" / "model-requirements.txt"))
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    verb, rest = (argv[0], argv[1:]) if argv else ("run", [])
    if verb not in ("run", "test", "setup"):
        print(__doc__)
        return 2
    ensure_env()
    if verb == "setup":
        return 0
    if verb == "test":
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)
    return subprocess.call([str(BIN / "casefile-desktop"), *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
