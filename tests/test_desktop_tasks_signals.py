"""The Qt binding keeps reference counts straight across many signals (PySide6 6.12.0 did not)."""
from __future__ import annotations

import gc
import sys
import time

from PySide6.QtCore import QObject, Signal

from desktop.tasks import TaskRunner


class _Emitter(QObject):
    progressed = Signal(int, int, str)


def test_emitting_signals_leaves_true_and_false_alone(qapp):
    # PySide6 6.12.0's emit() returned True without a reference of its own:
    # each call took one from the interpreter's True until it was freed and
    # Python aborted. A few thousand emits show any such leak plainly.
    emitter = _Emitter()
    received = []
    emitter.progressed.connect(lambda *args: received.append(args))
    silent = _Emitter()  # no receivers: the case an indexing run's progress often is
    # Garbage an earlier test left (models holding parsed JSON full of True)
    # must not be collected in the middle of the count.
    gc.collect()
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(5000):
        emitter.progressed.emit(i, 5000, "reading")
        silent.progressed.emit(i, 5000, "reading")
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert len(received) == 5000
    assert abs(after[0] - before[0]) < 50 and abs(after[1] - before[1]) < 50


def test_a_long_task_reporting_progress_from_a_worker_thread(qapp, qtbot):
    runner = TaskRunner()
    seen = []

    def work(progress, cancel):
        for i in range(3000):
            progress(i, 3000, "step")
        return "ok"

    before = sys.getrefcount(True)
    done = []
    runner.run_long(work, lambda result, error: done.append((result, error)),
                    on_progress=lambda d, t, m: seen.append(d), writer=True)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    deadline = time.monotonic() + 5
    while len(seen) < 3000 and time.monotonic() < deadline:
        qapp.processEvents()
    runner.shutdown()
    assert done == [("ok", None)] and len(seen) == 3000
    assert abs(sys.getrefcount(True) - before) < 50
