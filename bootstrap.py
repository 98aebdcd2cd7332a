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
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Callable, Mapping, Optional

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


# Shared libraries Qt's X11 ("xcb") platform plugin loads that a desktop may
# lack (libxcb-cursor above all, needed since Qt 6.5): soname -> package names
# for apt (Debian, Ubuntu, Mint), dnf (Fedora, RHEL) and pacman (Arch).
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util"),
}
INSTALLERS = (("apt-get", "sudo apt-get install"), ("dnf", "sudo dnf install"), ("pacman", "sudo pacman -S"))


def _loadable(soname: str) -> bool:
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(soname)
        return True
    except OSError:
        pass
    # A differently versioned file that ldconfig knows by the library's name.
    found = ctypes.util.find_library(soname[3:].split(".so")[0])
    if not found:
        return False
    try:
        ctypes.CDLL(found)
        return True
    except OSError:
        return False


def qt_uses_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt will start on X11 here (not offscreen, not on Wayland)."""
    chosen = environ.get("QT_QPA_PLATFORM", "").strip().lower()
    if chosen:
        return chosen.split(";")[0].startswith("xcb")
    # On a Wayland session Qt 6 takes its Wayland plugin first.
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE", "").lower() == "wayland")


def missing_system_libraries(environ: Mapping[str, str] = os.environ, platform: str = sys.platform,
                             loadable: Callable[[str], bool] = _loadable) -> list[str]:
    """Sonames of ``XCB_LIBRARIES`` the window needs here and this machine cannot load."""
    if not platform.startswith("linux") or not qt_uses_xcb(environ):
        return []
    return [soname for soname in XCB_LIBRARIES if not loadable(soname)]


def install_advice(missing: list[str], which: Callable[[str], Optional[str]] = shutil.which) -> str:
    """What to tell the user: the missing libraries and the command that installs them."""
    lines = ["Casefile cannot open its window: this Linux system lacks "
             + ", ".join(missing) + " (needed by Qt's X11 platform plugin)."]
    them = "it" if len(missing) == 1 else "them"
    commands = [f"{prefix} " + " ".join(XCB_LIBRARIES[s][i] for s in missing)
                for i, (tool, prefix) in enumerate(INSTALLERS)]
    here = [cmd for (tool, _), cmd in zip(INSTALLERS, commands) if which(tool)]
    if here:
        lines.append(f"Install {them} with:\n    " + here[0])
    else:
        lines.append(f"Install {them} with the command for your distribution:\n    "
                     + "\n    ".join(f"{cmd}    # {name}" for cmd, name in
                                     zip(commands, ("Debian, Ubuntu, Mint", "Fedora, RHEL", "Arch"))))
    lines.append("then run `python3 bootstrap.py run` again.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    verb, rest = (argv[0], argv[1:]) if argv else ("run", [])
    if verb not in ("run", "test", "setup"):
        print(__doc__)
        return 2
    if verb == "run":
        # Qt would abort with a core dump; say what to install instead, before any download.
        missing = missing_system_libraries()
        if missing:
            print(install_advice(missing), file=sys.stderr)
            return 1
    ensure_env()
    if verb == "setup":
        return 0
    if verb == "test":
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)
    return subprocess.call([str(BIN / "casefile-desktop"), *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
