"""Nothing is half-written when the process dies mid-edit (SIGKILL)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_timeline_helpers import insert_article, make_store

ROOT = Path(__file__).resolve().parent.parent

# The writer: adds events with 1-4 citations and rewrites older ones, forever.
# Each event's notes hold how many citations it must have, written in the
# same transaction as the citations themselves.
WRITER = r"""
import dataclasses, sys
from pathlib import Path
from archive.models import Citation, Event
from archive.store.db import open_db
from archive.timeline import Timelines, parse_partial_date
from test_timeline_helpers import article_getter

db = open_db(Path(sys.argv[1]))
tl = Timelines(db, article_getter(db))
text = db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0]
words = text.split()
i = 0
while True:
    i += 1
    n = i % 4 + 1
    cites = tuple(Citation(None, 1, "", " ".join(words[k:k + 3]), -1, -1) for k in range(n))
    ev = tl.add_event(Event(None, None, parse_partial_date("2022-12-%02d" % (i % 28 + 1)),
                            "Event %d" % i, notes=str(n), citations=cites))
    if i % 3 == 0:
        m = (i + 2) % 4 + 1
        cites = tuple(Citation(None, 1, "", " ".join(words[k + 5:k + 9]), -1, -1) for k in range(m))
        tl.update_event(dataclasses.replace(ev, notes=str(m), citations=cites))
    print(i, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killed_mid_write_leaves_every_event_whole(tmp_path):
    folder = tmp_path / "arc"
    db = make_store(folder)
    words = " ".join(f"word{n} filler{n}" for n in range(200))
    insert_article(db, "/cases/words.txt", words)
    db.close()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    for round_ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=ROOT)
        # Let it get going, then kill it at an arbitrary moment of its loop.
        for _ in range(20 + round_ * 7):
            line = proc.stdout.readline()
            assert line, proc.stderr.read().decode()
        time.sleep(0.013 * (round_ + 1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        proc.stdout.close()
        proc.stderr.close()

        db = make_store(folder)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = db.execute(
            "SELECT e.id, e.notes, count(c.id) FROM events e LEFT JOIN citations c ON c.event_id = e.id "
            "GROUP BY e.id").fetchall()
        assert len(rows) >= 20
        broken = [(eid, notes, n) for eid, notes, n in rows if int(notes) != n]
        assert broken == [], f"events with missing or extra citations: {broken}"
        assert db.execute("SELECT count(*) FROM citations WHERE event_id NOT IN (SELECT id FROM events)"
                          ).fetchone()[0] == 0
        db.close()


ADDER = r"""
import sys
from pathlib import Path
from archive.models import Citation, Event
from archive.store.db import open_db
from archive.timeline import Timelines, parse_partial_date
from test_timeline_helpers import article_getter

db = open_db(Path(sys.argv[1]))
tl = Timelines(db, article_getter(db))
for i in range(40):
    tl.add_event(Event(None, None, parse_partial_date("2022-12-06"), f"{sys.argv[2]} {i}",
                       citations=(Citation(None, 1, "", "word%d filler%d" % (i, i), -1, -1),)))
"""


def test_two_processes_adding_to_one_timeline_lose_nothing(tmp_path):
    folder = tmp_path / "arc"
    db = make_store(folder)
    insert_article(db, "/cases/words.txt", " ".join(f"word{n} filler{n}" for n in range(50)))
    db.close()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    procs = [subprocess.Popen([sys.executable, "-c", ADDER, str(folder), name], env=env, cwd=ROOT,
                              stderr=subprocess.PIPE) for name in ("left", "right")]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    db = make_store(folder)
    titles = {r[0] for r in db.execute("SELECT title FROM events")}
    assert titles == {f"{side} {i}" for side in ("left", "right") for i in range(40)}
    assert db.execute("SELECT count(*) FROM citations").fetchone()[0] == 80
    db.close()
