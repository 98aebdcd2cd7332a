"""bootstrap.py: standard library only, and a clear word instead of Qt's core
dump when a Linux machine lacks the X11 libraries the window needs."""
from __future__ import annotations

import ast
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))
import bootstrap  # noqa: E402

X11 = {"DISPLAY": ":0"}


def _only(*missing):
    """A fake loader (what ctypes.CDLL / ldconfig would answer): everything loads except ``missing``."""
    return lambda soname: soname not in missing


def test_uses_only_the_standard_library():
    tree = ast.parse((ROOT / "bootstrap.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    assert names - set(sys.stdlib_module_names) - {"__future__"} == set()


def test_nothing_missing_nothing_said():
    assert bootstrap.missing_system_libraries(X11, "linux", _only()) == []


def test_missing_xcb_cursor_is_found_and_the_apt_command_given():
    missing = bootstrap.missing_system_libraries(X11, "linux", _only("libxcb-cursor.so.0"))
    assert missing == ["libxcb-cursor.so.0"]
    advice = bootstrap.install_advice(missing, which=lambda tool: "/usr/bin/apt-get" if tool == "apt-get" else None)
    assert "sudo apt-get install libxcb-cursor0" in advice
    assert "dnf" not in advice and "libxcb-cursor.so.0" in advice


@pytest.mark.parametrize("tool, command", [("dnf", "sudo dnf install xcb-util-cursor xcb-util-wm"),
                                           ("pacman", "sudo pacman -S xcb-util-cursor xcb-util-wm")])
def test_other_distributions_get_their_package_names(tool, command):
    missing = bootstrap.missing_system_libraries(X11, "linux", _only("libxcb-cursor.so.0", "libxcb-icccm.so.4"))
    advice = bootstrap.install_advice(missing, which=lambda t: f"/usr/bin/{t}" if t == tool else None)
    assert command in advice


def test_unknown_package_manager_lists_every_command():
    advice = bootstrap.install_advice(["libxcb-cursor.so.0"], which=lambda t: None)
    for command in ("sudo apt-get install libxcb-cursor0", "sudo dnf install xcb-util-cursor",
                    "sudo pacman -S xcb-util-cursor"):
        assert command in advice


@pytest.mark.parametrize("environ, platform", [
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),
    ({"QT_QPA_PLATFORM": "wayland"}, "linux"),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux"),
    (X11, "darwin"), (X11, "win32"),
])
def test_no_check_where_qt_does_not_use_x11(environ, platform):
    assert bootstrap.missing_system_libraries(environ, platform, _only("libxcb-cursor.so.0")) == []


def test_xcb_chosen_on_a_wayland_session_is_checked():
    env = {"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert bootstrap.missing_system_libraries(env, "linux", _only("libxcb-cursor.so.0")) == ["libxcb-cursor.so.0"]


def test_run_exits_cleanly_with_the_advice_instead_of_starting(monkeypatch, capsys):
    started = []
    monkeypatch.setattr(bootstrap, "missing_system_libraries", lambda: ["libxcb-cursor.so.0"])
    monkeypatch.setattr(bootstrap, "ensure_env", lambda: started.append("setup"))
    monkeypatch.setattr(bootstrap.subprocess, "call", lambda *a, **k: started.append("app") or 0)
    assert bootstrap.main(["run"]) == 1
    assert started == []
    assert "libxcb-cursor0" in capsys.readouterr().err
    # The tests run offscreen and need no window: not checked.
    assert bootstrap.main(["test", "--co", "-q", "tests/test_bootstrap.py"]) == 0
    assert started == ["setup", "app"]


def test_real_lookup_answers_for_a_library_every_linux_has():
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    assert bootstrap._loadable("libc.so.6")
    assert not bootstrap._loadable("libcasefile-does-not-exist.so.0")
