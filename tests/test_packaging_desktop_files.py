"""The Linux desktop entry and AppStream metainfo that the bundle ships."""
from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archive.version import __version__

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.casefile.Casefile"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
DESKTOP = LINUX / f"{APP_ID}.desktop"


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_launches_the_app_with_its_icon():
    entry = _entry()
    assert entry["Type"] == "Application" and entry["Name"] == "Casefile"
    assert entry["Exec"].split()[0] == "casefile-desktop"
    assert entry["Icon"] == APP_ID
    assert entry["Categories"].endswith(";") and "Office" in entry["Categories"].split(";")
    assert entry["Terminal"] == "false"
    # The app names the same desktop file (Wayland app id).
    assert f'setDesktopFileName("{APP_ID}")' in (ROOT / "desktop" / "app.py").read_text(encoding="utf-8")


def test_metainfo_is_well_formed_and_names_this_version():
    root = ET.parse(METAINFO).getroot()   # raises on XML that is not well formed
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    for tag in ("name", "summary", "metadata_license", "project_license"):
        assert (root.findtext(tag) or "").strip(), f"<{tag}> is empty"
    assert root.findtext("project_license") == "MIT"
    assert len(root.findall("description/p")) >= 1
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id" and launchable.text == DESKTOP.name
    versions = [r.get("version") for r in root.findall("releases/release")]
    assert versions and versions[0] == __version__, "add a <release> for the new version"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli (package appstream) is not installed")
def test_metainfo_passes_appstreamcli():
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate (package desktop-file-utils) is not installed")
def test_desktop_entry_passes_desktop_file_validate():
    done = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_icon_is_a_scalable_svg():
    icon = ROOT / "resources" / "icons" / "casefile.svg"
    root = ET.parse(icon).getroot()
    assert root.tag.endswith("svg") and root.get("viewBox")
    # Drawn in fixed colours: a desktop icon gets no palette to fill in currentColor.
    assert "currentColor" not in icon.read_text(encoding="utf-8")
