"""The time axis marks an event whose sources disagree (pytest-qt, demo archive):
a ⚠ and an orange outline, the conflict named in the tooltip a real tooltip event
shows; an event without conflict has neither; resolving the conflict takes the
mark away on reload; the desktop export writes the conflicts too."""
from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, QPoint  # noqa: E402
from PySide6.QtGui import QHelpEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip  # noqa: E402

from archive import Archive  # noqa: E402
from archive.models import Event, PartialDate  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.timeline import TimelinePanel  # noqa: E402

ARREST = "arrest|teodor brannik|2025-03-12"


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory, demo_dir):
    target = tmp_path_factory.mktemp("axisdemo") / "archive"
    with Archive.open(target) as arc:
        arc.index_folder(demo_dir)
    return target


@pytest.fixture
def case(tmp_path, built_demo):
    copy = tmp_path / "archive"
    shutil.copytree(built_demo, copy, ignore=shutil.ignore_patterns("*.lock", "write.lock"))
    arc = Archive.open(copy)
    arrest = arc.case.confirm_event(ARREST)
    plain = arc.timelines.add_event(Event(None, None, PartialDate("2025-02-20", "day"), "Plain step",
                                          tags=("arrest",)))
    session = Session()
    session.adopt(arc)
    yield session, arc, arrest, plain
    session.close()


@pytest.fixture
def panel(qtbot, case):
    p = TimelinePanel(case[0])
    qtbot.addWidget(p)
    p.resize(1100, 650)
    p.show()
    qtbot.waitExposed(p)
    p.reload()
    return p


def _tooltip_at(qtbot, axis, box) -> str:
    """The text of the tooltip shown by a real tooltip event over ``box``."""
    axis.ensureVisible(box)
    r = box.rect()
    pos = axis.mapFromScene(box.mapToScene(r.left() + 4, r.center().y()))
    QToolTip.hideText()
    QApplication.sendEvent(axis.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, axis.viewport().mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=3000)
    text = QToolTip.text()
    QToolTip.hideText()
    return text


def test_axis_marks_the_disputed_event_and_names_the_conflict(qtbot, panel, case):
    _session, arc, arrest, plain = case
    axis = panel.axis
    (box,) = axis.boxes(arrest.id)
    assert box.disputed
    tip = _tooltip_at(qtbot, axis, box)
    assert "⚠ Sources disagree: date (Arrest: Teodor Brannik) — 2025-03-11 (" in tip
    assert "2025-03-12 (Northline Wire" in tip and "[open]" in tip
    assert "Harbourton International Airport (Northline Wire) vs Salvik airport" in tip
    (other,) = axis.boxes(plain.id)
    assert not other.disputed
    assert "disagree" not in _tooltip_at(qtbot, axis, other)
    # The outline is painted in the conflict colour: compare the pixels of the two boxes' edges.
    image = axis.viewport().grab().toImage()

    def edge_colour(b):
        p = axis.mapFromScene(b.mapToScene(b.rect().center().x(), b.rect().top()))
        return image.pixelColor(QPoint(p.x(), p.y()))

    assert edge_colour(box).red() > edge_colour(box).blue() + 80
    assert edge_colour(box) != edge_colour(other)

    # Resolved by the user: named as resolved in the tooltip, no longer marked.
    for c in arc.case.conflicts_for_event(arrest.id):
        arc.case.set_conflict_status(c.key, "resolved", note="the airport is Harbourton")
    panel.reload()
    (box,) = axis.boxes(arrest.id)
    assert not box.disputed
    tip = _tooltip_at(qtbot, axis, box)
    assert "Sources disagreed: date" in tip and "[resolved: the airport is Harbourton]" in tip
    assert "⚠ Sources" not in tip
    # Not a conflict: gone from the tooltip.
    for c in arc.case.conflicts_for_event(arrest.id):
        arc.case.set_conflict_status(c.key, "not-a-conflict")
    panel.reload()
    assert "Sources disagree" not in _tooltip_at(qtbot, axis, axis.boxes(arrest.id)[0])


def test_desktop_export_writes_the_conflicts(qtbot, panel, case, tmp_path):
    _session, _arc, arrest, _plain = case
    out = tmp_path / "case.md"
    with qtbot.waitSignal(panel.export_finished, timeout=20000) as blocker:
        panel.export("md", out)
    assert blocker.args == [str(out), None]
    text = out.read_text(encoding="utf-8")
    arrest_part = text.split("## 12 Mar 2025")[1].split("\n## ")[0]
    assert "**⚠** Sources disagree: date (Arrest: Teodor Brannik) — 2025-03-11" in arrest_part
    assert "disagree" not in text.split("Plain step")[1].split("\n## ")[0]
