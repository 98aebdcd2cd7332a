"""Big runs write the search index through writer processes: the same index, and failures surface."""
from __future__ import annotations

import pytest

from archive.indexing import feed, run
from archive import Archive
from archive.errors import StoreError
from archive.search import IndexDoc, SearchIndex
from archive.search.writer_process import BackgroundSession
from archive.store.meta import get_meta

from test_indexing import consistent, make_corpus, write

WORDS = ("harbour", "ledger", "tribunal", "orchard", "lantern", "quarry", "meadow", "beacon")


def _doc(i: int, extra: str = "") -> IndexDoc:
    word = f"{WORDS[i % len(WORDS)]}{i}"
    body = f"The inspector visited the {word} and the {WORDS[i % 3]} on a Tuesday. {extra}"
    return IndexDoc(i, f"/reports/{i}.txt", f"Report {i}", "The Gazette", None, "en", "2022-12", body, "")


def _state(ix: SearchIndex) -> dict:
    queries = ["inspector", "harbour", "ledger OR quarry", '"the inspector visited"', "title:report",
               "beacon7", "orchard3", "granary", "outlet:gazette"]
    out = {}
    for q in queries:
        res = ix.search(q, limit=500)
        out[q] = (res.total, sorted((h.article_id, round(h.score, 9)) for h in res.hits))
    return out


def _leftovers(ix: SearchIndex) -> list[str]:
    """Index files no commit refers to."""
    live = set(ix.segment_ids())
    names = []
    for p in ix.folder.iterdir():
        if p.name.startswith("MAIN_") and p.suffix == ".seg" and p.stem not in live:
            names.append(p.name)
        elif p.is_dir():
            names.append(p.name + "/")
    return names


@pytest.fixture
def writers(tmp_path):
    """An index in ``tmp_path`` and a two-process session on it, both closed afterwards."""
    ix = SearchIndex.open(tmp_path / "index")
    session = BackgroundSession(ix, processes=2)
    yield ix, session
    session.cancel()
    ix.close()


def test_writer_processes_build_the_index_an_in_process_session_builds(tmp_path):
    here = SearchIndex.open(tmp_path / "here")
    there = SearchIndex.open(tmp_path / "there")
    sessions = [here.session(), BackgroundSession(there, processes=2)]
    for session in sessions:
        for batch in range(6):
            session.add([_doc(i) for i in range(batch * 20, batch * 20 + 20)], new=True)
            if batch % 2:
                session.commit(wait=False)
        # A changed article replaces its older copy; a removed one goes.
        session.add([_doc(3, extra="granary")], new=False)
        session.delete([5])
        assert session.commit(wait=True)
        session.close()
    try:
        assert there.doc_count() == here.doc_count() == 119
        assert _state(there) == _state(here)
        assert there.search("granary").total == 1 and there.search("beacon7").total == 1
        assert there.search("harbour0").total == 1 and there.search("ledger5").total == 0
        # Several segments (one per writer per commit), and nothing left behind.
        assert len(there.segment_ids()) >= 3
        assert _leftovers(there) == []
    finally:
        here.close()
        there.close()


def test_an_error_in_a_writer_process_is_raised_here(writers):
    _ix, session = writers
    session.add([_doc(1)], new=True)
    # A store id that is not a number fails inside the writer process.
    session.add([IndexDoc("seven", "/r/7.txt", "T", None, None, "en", None, "body", "")], new=True)
    with pytest.raises(StoreError, match="could not be written"):
        session.commit(wait=True)
    assert not any(p.is_alive() for p in session._processes)


def test_a_killed_writer_process_fails_the_run_and_the_archive_rebuilds(tmp_path, monkeypatch):
    monkeypatch.setattr(feed, "BACKGROUND_MIN_DOCS", 1)
    monkeypatch.setattr(run, "BATCH_FILES", 4)
    monkeypatch.setattr("archive.search.writer_process.cpu_count", lambda: 2)
    src = tmp_path / "src"
    make_corpus(src, 20)
    real_add = BackgroundSession.add

    def add_then_die(self, docs, *, new=False):
        real_add(self, docs, new=new)
        if self.pending >= 8:
            self._processes[0].kill()
            self._processes[0].join()

    monkeypatch.setattr(BackgroundSession, "add", add_then_die)
    arc = Archive.open(tmp_path / "arc")
    with pytest.raises(StoreError, match="stopped unexpectedly"):
        arc.index_folder(src, facts=False)
    assert get_meta(arc.db, "index_pending") == "1"
    arc.close()
    monkeypatch.setattr(BackgroundSession, "add", real_add)
    with Archive.open(tmp_path / "arc") as reopened:
        assert reopened.index_stale
        reopened.reindex()
        assert consistent(reopened)
        stored = len(reopened.articles())
        assert stored >= 8 and reopened.search("Report").total == stored


def test_big_runs_index_through_writer_processes(tmp_path, monkeypatch):
    monkeypatch.setattr(feed, "BACKGROUND_MIN_DOCS", 1)
    monkeypatch.setattr(run, "BATCH_FILES", 7)
    monkeypatch.setattr("archive.search.writer_process.cpu_count", lambda: 2)
    started = []
    real_init = BackgroundSession.__init__

    def spy(self, index, processes=2):
        started.append(processes)
        real_init(self, index, processes)

    monkeypatch.setattr(BackgroundSession, "__init__", spy)
    src = tmp_path / "src"
    make_corpus(src, 60)
    with Archive.open(tmp_path / "arc") as arc:
        report = arc.index_folder(src, facts=False)
        assert report.added == 60 and consistent(arc)
        assert started == [2]
        assert arc.search("Report").total == 60
        assert all(arc.search(f"{w}{i}").total == 1 for i, w in ((0, "harbour"), (33, "citadel"), (59, "vineyard")))
        # A second run adds, replaces a changed article and drops a removed one, through the writers too.
        write(src, "report_010.txt", "Report number 10", "The inspector found the granary empty.")
        (src / "report_011.txt").unlink()
        write(src, "report_100.txt", "Report number 100", "The inspector closed the foundry.")
        again = arc.index_folder(src, facts=False)
        assert (again.added, again.changed, again.removed) == (1, 1, 1) and started == [2, 2]
        assert consistent(arc)
        assert arc.search("granary").total == 1 and arc.search("foundry10").total == 0
        assert arc.search("vineyard11").total == 0 and arc.search("Report").total == 60
        assert arc.search("foundry").total == 1
        assert _leftovers(arc.search_index) == []


def test_ctrl_c_in_the_terminal_does_not_stop_the_writers(writers):
    """Ctrl-C reaches every process of the terminal; the run decides, the writers carry on."""
    import os
    import signal

    ix, session = writers
    session.add([_doc(i) for i in range(30)], new=True)
    for proc in session._processes:
        os.kill(proc.pid, signal.SIGINT)
    session.add([_doc(i) for i in range(30, 60)], new=True)
    assert session.commit(wait=True)
    session.close()
    assert ix.doc_count() == 60 and ix.search("harbour0").total == 1


def test_writers_that_cannot_start_leave_the_work_to_this_process(writers, monkeypatch, caplog):
    from archive.search import writer_process

    monkeypatch.setattr(writer_process, "START_TIMEOUT", 0.0)
    ix, session = writers
    session.add([_doc(i) for i in range(10)], new=True)
    assert session.commit(wait=False)
    session.delete([4])
    assert session.commit(wait=True)
    session.close()
    assert session._fallback is not None
    assert "indexing in this process" in caplog.text
    assert ix.doc_count() == 9 and ix.search("beacon7").total == 1


def test_reading_far_ahead_of_the_writers_waits_for_them(writers, monkeypatch):
    from archive.search import writer_process

    monkeypatch.setattr(writer_process, "MAX_BACKLOG", 5)
    ix, session = writers
    for start in range(0, 100, 5):
        session.add([_doc(i) for i in range(start, start + 5)], new=True)
        # Never more than one batch of 5 in flight per writer.
        assert all(backlog <= 5 for backlog in session._backlog)
    assert session.commit(wait=True)
    session.close()
    assert ix.doc_count() == 100 and ix.search("inspector").total == 100
