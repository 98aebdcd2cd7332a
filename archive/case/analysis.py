"""``CaseAnalysis`` (``arc.case``): case events and contradictions across the archive.

    arc.case.analyse(progress, cancel)        # after facts; re-reads only touched articles
    for event in arc.case.events(): ...       # suggested and confirmed events
    arc.case.confirm_event(event.key)         # -> a timeline event citing every source
    arc.case.split_event(key, [claim_id]); arc.case.merge_events([key, key])
    for c in arc.case.conflicts(): ...
    arc.case.set_conflict_status(c.key, "resolved", note="the FSO is the Federal Guard Service")
    arc.case.conflicts_for_event(timeline_event_id)
    arc.case.conflict_notes()                 # {event id: lines}, for export_timeline(conflicts=...)

The analysis is derived data: it is written in short transactions of its own
(readers never wait for it, WAL) and can be redone at any time. The user's
decisions live apart from it and are applied to whatever it suggests.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Callable, Iterable, Optional

import sqlite_utils

from ..errors import InvalidInput, NotFound
from ..models import Citation, Event, Fact, PartialDate
from ..progress import CancelToken, ProgressFn, report
from ..store import case as store
from ..store.transaction import transaction
from . import claims as claims_mod
from . import conflicts as conflicts_mod
from . import decisions as decisions_mod
from . import events as events_mod
from . import independence
from .event_conflicts import disputed_ids
from . import decision_undo
from .decisions import base_key, key_title
from .records import (CONFLICT_STATUSES, CaseEvent, CaseSource, Conflict, ConflictClaim, DecisionUndo,
                      UnmatchedDecision)

__all__ = ["CaseAnalysis", "AnalysisReport"]

_CHUNK = 64


class AnalysisReport(dict):
    """What one analysis did: ``analysed`` (articles re-read), ``articles``, ``events``, ``conflicts``."""


class CaseAnalysis:
    """The case analysis of one archive (see the module docstring)."""

    def __init__(self, db: sqlite_utils.Database, timelines_fn: Callable[[], object]) -> None:
        self.db = db
        self._timelines = timelines_fn

    # ------------------------------------------------------------ analysis

    def analyse(self, progress: Optional[ProgressFn] = None, cancel: Optional[CancelToken] = None) -> AnalysisReport:
        """Bring the analysis up to date: claims of new and changed articles, then events and conflicts."""
        cancel = cancel or CancelToken()
        version = claims_mod.ANALYSIS_VERSION
        wanted = {aid: f"{key}|{version}" for aid, key in store.analysis_inputs(self.db).items()}
        have = store.stored_keys(self.db)
        todo = sorted(aid for aid, key in wanted.items() if have.get(aid) != key)
        total = len(todo) + 1
        report(progress, 0, total, "Analysing the case")
        done = 0
        for i in range(0, len(todo), _CHUNK):
            rows = []
            for aid in todo[i:i + _CHUNK]:
                cancel.check()
                rows.append(self._analyse_article(aid, wanted[aid]))
                done += 1
            with transaction(self.db):
                store.save_article_claims(self.db, [r for r in rows if r is not None])
            report(progress, done, total, "Analysing the case")
        cancel.check()
        result = self._cross_source()
        report(progress, total, total, "Analysing the case")
        return AnalysisReport(analysed=len(todo), articles=len(wanted), **result)

    def _analyse_article(self, aid: int, key: str):
        row = self.db.execute(
            "SELECT text, body_end, regions, published FROM articles WHERE id = ?", [aid]
        ).fetchone()
        if row is None:
            return None
        text, body_end, regions_json, published = row
        from ..models import Region

        regions = tuple(Region(int(s), int(e), str(label)) for s, e, label in json.loads(regions_json or "[]"))
        facts = _facts_for_claims(self.db, aid)
        claims = claims_mod.article_claims(text, body_end, regions, facts, published)
        body = text[:body_end]
        return aid, key, claims, independence.signature(body), independence.agency_credit(text, body_end)

    def _cross_source(self) -> dict:
        articles = store.all_article_claims(self.db)
        names = store.entity_names_by_fact(self.db)
        people, orgs, places = names["person"], names["org"], names["place"]
        main = _main_people(articles, people)
        signatures = {aid: a["signature"] for aid, a in articles.items() if a["signature"]}
        duplicates = independence.near_duplicate_groups(signatures)
        identity = independence.source_identities(
            [(aid, a["credit"], a["outlet"], a["path"]) for aid, a in articles.items()], duplicates)
        events = events_mod.group_events(articles, people, main)
        conflicts = conflicts_mod.find_conflicts(articles, people, orgs, places, main, events)
        for g in events:
            g["entities"] = _event_entities(g, people, places)
        with transaction(self.db):
            store.save_results(self.db, events, conflicts, identity)
        return {"events": len(events), "conflicts": len(conflicts), "copies": sum(len(g) for g in duplicates)}

    # ------------------------------------------------------------ events

    def _applied(self, min_sources: int = 1, everything: bool = False) -> tuple[list[dict], list[dict]]:
        """The stored suggestions with the decisions applied, and the decisions that match none.

        Only events ``min_sources`` articles report are read, plus those a
        decision names, unless a decision's key is gone: then it is followed
        by its claims (:mod:`archive.case.decisions`), which needs them all.
        """
        decided = [d for d in store.decisions(self.db) if d["kind"] in ("merge", "split", "confirm")]
        involved = {base_key(d["key"]) for d in decided}
        involved.update(base_key(k) for d in decided if d["kind"] == "merge" for k in d["data"]["keys"])
        if not everything and min_sources > 1 and involved:
            everything = store.existing_event_keys(self.db, involved) != involved
        stored = store.load_events(self.db, min_articles=1 if everything else min_sources, keys=involved)
        return decisions_mod.apply_decisions(stored, decided)

    def events(self, min_sources: int = 1) -> list[CaseEvent]:
        """The case's events (suggested and confirmed), by date; ``min_sources``: articles at least."""
        applied, _ = self._applied(min_sources)
        raw = [g for g in applied if len({aid for aid, _ in g["members"]}) >= min_sources]
        info = store.articles_info(self.db, (aid for g in raw for aid, _ in g["members"]))
        identity = store.identities(self.db)
        touching = self._conflicts_by_claim()
        out = []
        for g in raw:
            sources = tuple(_source(aid, item, info) for aid, item in g["members"] if aid in info)
            keys = set()
            for aid, item in g["members"]:
                keys.update(touching.get((aid, item["start"]), ()))
            keys.update(touching.get(("event", g["key"]), ()))
            for merged in g.get("merged", ()):
                keys.update(touching.get(("event", merged), ()))
            confirmed = g.get("timeline_event_id")
            out.append(CaseEvent(
                key=g["key"], date=g["date"], precision=g["precision"], kind=f"step:{g['step']}",
                title=events_mod.event_title(g["step"], g["subject"]), subject=g["subject"],
                entities=tuple(g.get("entities") or (g["subject"],)), sources=sources,
                independent_sources=len({identity.get(s.article_id, s.path) for s in sources}),
                status="confirmed" if confirmed is not None else "suggested",
                timeline_event_id=confirmed, conflict_keys=tuple(sorted(keys)),
            ))
        return out

    def confirmed_keys(self) -> dict[str, set[int]]:
        """``{event key: timeline event ids}`` for every confirmed event: under the key it has
        now, the keys merged into it and the key it was confirmed under."""
        decided = [d for d in store.decisions(self.db) if d["kind"] == "confirm" and d["timeline_event_id"]]
        out: dict[str, set[int]] = defaultdict(set)
        if not decided:
            return out
        applied, _ = self._applied(2)
        for g in applied:
            te = g.get("timeline_event_id")
            if te is not None:
                for k in (g["key"], *g.get("merged", ()), *g.get("decided_keys", ())):
                    out[k].add(int(te))
        for d in decided:
            out[d["key"]].add(int(d["timeline_event_id"]))
        return out

    def event(self, key: str) -> CaseEvent:
        for e in self.events():
            if e.key == key:
                return e
        raise NotFound(f"There is no suggested case event {key!r}; run the case analysis again.")

    def confirm_event(self, key: str, timeline=None, title: Optional[str] = None) -> Event:
        """Make a suggested event a timeline event citing every source sentence, in one transaction.

        Its certainty is "disputed" when an open conflict touches it, else "reported".
        """
        event = self.event(key)
        if event.timeline_event_id is not None:
            raise InvalidInput(f"The case event “{event.title}” is already on the timeline "
                               f"(event {event.timeline_event_id}).")
        statuses = {c.key: c.status for c in self.conflicts()}
        disputed = any(statuses.get(k, "open") == "open" for k in event.conflict_keys)
        citations, seen = [], set()
        for s in event.sources:
            if (s.article_id, s.start) in seen:
                continue
            seen.add((s.article_id, s.start))
            citations.append(Citation(id=None, article_id=s.article_id, article_path=s.path, quote=s.quote,
                                      start=s.start, end=s.end))
        place_names = self._place_names()
        places = tuple(e for e in event.entities if e != event.subject and e in place_names)
        draft = Event(
            id=None, timeline_id=None, start=PartialDate(event.date, event.precision), title=title or event.title,
            certainty="disputed" if disputed else "reported", people=(event.subject,),
            places=places, citations=tuple(citations),
            description=f"Reported by {event.independent_sources} independent source"
                        f"{'s' if event.independent_sources != 1 else ''} ({len(citations)} articles).",
        )
        with transaction(self.db):
            saved = self._timelines().add_event(draft, timeline)
            # "modified": an undo removes the timeline event only while it is as it was made.
            store.add_decision(self.db, "confirm", key, {"claims": sorted({c.claim_id for c in event.sources}),
                                                         "title": event.title, "modified": saved.modified},
                               saved.id)
        return saved

    def _place_names(self) -> set[str]:
        return {n for (n,) in self.db.execute("SELECT name FROM entities WHERE kind = 'place'")}

    def split_event(self, key: str, claim_ids: Iterable[str]) -> str:
        """Move the given sources (``CaseSource.claim_id``) out of an event into one of their own; return its key."""
        claim_ids = sorted(set(claim_ids))
        event = self.event(key)
        ids = {s.claim_id for s in event.sources}
        unknown = [c for c in claim_ids if c not in ids]
        if unknown:
            raise InvalidInput(f"{unknown[0]} is not a source of the case event “{event.title}”.")
        if not claim_ids or len(claim_ids) >= len(ids):
            raise InvalidInput("A split must leave at least one source in each part.")
        with transaction(self.db):
            store.add_decision(self.db, "split", key, {"claims": claim_ids, "title": event.title})
        return events_mod._split_key(key, claim_ids)

    def merge_events(self, keys: Iterable[str]) -> str:
        """Make several suggested events one (the first key stays); return its key."""
        keys = list(dict.fromkeys(keys))
        if len(keys) < 2:
            raise InvalidInput("Give at least two case events to merge.")
        present = {e.key: e for e in self.events()}
        for k in keys:
            if k not in present:
                raise NotFound(f"There is no suggested case event {k!r}.")
        claims = {k: sorted({s.claim_id for s in present[k].sources}) for k in keys}
        with transaction(self.db):
            store.add_decision(self.db, "merge", keys[0], {"keys": keys, "claims": claims,
                                                           "titles": [present[k].title for k in keys]})
        return keys[0]

    # ------------------------------------------------------------ conflicts

    def _conflicts_by_claim(self) -> dict:
        """``(article id, sentence start) -> conflict keys`` and ``("event", key) -> conflict keys``."""
        out: dict = defaultdict(set)
        for c in store.load_conflicts(self.db):
            for claim in c["claims"]:
                for aid, item in claim["members"]:
                    out[(aid, item["start"])].add(c["key"])
            for k in c.get("event_keys", ()):
                out[("event", k)].add(c["key"])
        return out

    def conflicts(self, status: Optional[str] = None) -> list[Conflict]:
        """Where the sources disagree, with the user's status (``open`` until set)."""
        if status is not None and status not in CONFLICT_STATUSES:
            raise InvalidInput(f"“{status}” is not a conflict status; use one of: {', '.join(CONFLICT_STATUSES)}.")
        raw = store.load_conflicts(self.db)
        info = store.articles_info(self.db, (aid for c in raw for cl in c["claims"] for aid, _ in cl["members"]))
        statuses, _ = decisions_mod.follow_statuses(raw, store.conflict_statuses(self.db))
        out = []
        for c in raw:
            row = statuses.get(c["key"])
            state, note = (row["status"], row["note"]) if row else ("open", "")
            if status is not None and state != status:
                continue
            out.append(Conflict(
                key=c["key"], subject=c["subject"], kind=c["kind"], status=state, note=note,
                event_keys=tuple(c.get("event_keys", ())),
                claims=tuple(ConflictClaim(cl["value"], tuple(_source(aid, item, info) for aid, item in cl["members"]
                                                              if aid in info)) for cl in c["claims"]),
            ))
        return out

    def set_conflict_status(self, key: str, status: str, note: str = "") -> Conflict:
        """Mark a conflict open, resolved (with a note) or not a conflict; kept across re-analysis."""
        if status not in CONFLICT_STATUSES:
            raise InvalidInput(f"“{status}” is not a conflict status; use one of: {', '.join(CONFLICT_STATUSES)}.")
        decision_undo.change_conflict_status(self, key, status, note)
        return next(c for c in self.conflicts() if c.key == key)

    def change_conflict_status(self, key: str, status: str, note: str = "") -> DecisionUndo:
        """``set_conflict_status`` that answers with the status it replaced, for ``restore`` (undo)."""
        if status not in CONFLICT_STATUSES:
            raise InvalidInput(f"“{status}” is not a conflict status; use one of: {', '.join(CONFLICT_STATUSES)}.")
        return decision_undo.change_conflict_status(self, key, status, note)

    def undo_confirm(self, timeline_event_id: int) -> DecisionUndo:
        """Take back ``confirm_event`` (see :mod:`archive.case.decision_undo`)."""
        return decision_undo.undo_confirm(self, timeline_event_id)

    def undo_merge(self, key: str) -> DecisionUndo:
        """Take back the latest ``merge_events`` that answered ``key``."""
        return decision_undo.undo_merge(self, key)

    def undo_split(self, split_key: str) -> DecisionUndo:
        """Take back the ``split_event`` that answered ``split_key``."""
        return decision_undo.undo_split(self, split_key)

    def restore(self, undone: DecisionUndo) -> DecisionUndo:
        """Put back what an undo took away (redo), in one transaction."""
        return decision_undo.restore(self, undone)

    def _status_rows_for(self, key: str, raw: list[dict]) -> list[dict]:
        """The stored status rows that apply to the conflict ``key`` now (its own and followed ones)."""
        rows = store.conflict_statuses(self.db)
        applied, _ = decisions_mod.follow_statuses(raw, rows)
        found = applied.get(key)
        return [r for r in rows if found is not None and r["key"] in (key, found.get("followed_from"))]

    def unmatched_decisions(self) -> list[UnmatchedDecision]:
        """The user's decisions that apply to no event or conflict of the last analysis (their
        articles were removed or rewritten), oldest first. They stay stored and apply again when
        their event comes back; the user should see them rather than lose them."""
        # The panel asks on every reload: without decisions there is nothing to
        # match, and reading every event and conflict (40 ms at 1,000 articles) is skipped.
        unmatched = self._applied(everything=True)[1] if store.decisions(self.db) else []
        out = [self._unmatched_event(d) for d in unmatched]
        statuses = store.conflict_statuses(self.db)
        gone = decisions_mod.follow_statuses(store.load_conflicts(self.db), statuses)[1] if statuses else []
        for row in gone:
            if row["status"] == "open" and not row["note"]:
                continue  # "open" with no note is what every conflict is without a decision
            out.append(_unmatched_status(row))
        out.sort(key=lambda u: u.decided_at)
        return out

    def _unmatched_event(self, d: dict) -> UnmatchedDecision:
        data = d["data"]
        title = data.get("title") or key_title(d["key"])
        if d["kind"] == "confirm":
            te = d["timeline_event_id"]
            if d.get("reason") == "taken":
                text = (f"“{title}” (timeline event {te}) is now one event with timeline event "
                        f"{d['other']}: the case shows it confirmed as that one.")
            else:
                text = (f"“{title}” was added to the timeline (event {te}); no event of the case "
                        f"analysis matches it now. The timeline keeps it.")
            return UnmatchedDecision("confirm", d["key"], text, d["decided_at"], timeline_event_id=te,
                                     decision_id=d["id"])
        if d["kind"] == "merge":
            titles = data.get("titles") or [key_title(k) for k in data["keys"]]
            by_key = dict(zip(data["keys"], titles))
            missing = ", ".join(f"“{by_key.get(k, key_title(k))}”" for k in d.get("missing", ()))
            text = f"Merge of {', '.join(f'“{t}”' for t in titles)}: {missing} match no event now."
            return UnmatchedDecision("merge", d["key"], text, d["decided_at"], decision_id=d["id"])
        n = len(data["claims"])
        text = (f"{n} source{'s' if n != 1 else ''} split off “{title}”: "
                f"{'they are' if n != 1 else 'it is'} in no event now.")
        return UnmatchedDecision("split", d["key"], text, d["decided_at"], decision_id=d["id"])


    def conflicts_for_event(self, timeline_event_id: int) -> list[Conflict]:
        """The conflicts touching a timeline event: one of its citations quotes a disputed
        sentence, or it was confirmed from a case event a conflict is about."""
        rows = self.db.execute(
            'SELECT article_id, start, "end" FROM citations WHERE event_id = ? AND article_id IS NOT NULL',
            [int(timeline_event_id)],
        ).fetchall()
        keys = {k for k, ids in self.confirmed_keys().items() if int(timeline_event_id) in ids}
        out = []
        for c in self.conflicts():
            hit = bool(keys & set(c.event_keys))
            if not hit:
                for claim in c.claims:
                    for s in claim.sources:
                        if any(aid == s.article_id and start < s.end and s.start < end for aid, start, end in rows):
                            hit = True
            if hit:
                out.append(c)
        return out

    def disputed_event_ids(self) -> set[int]:
        """Timeline event ids that an open conflict touches (for a marker in the timeline)."""
        return disputed_ids(self.conflicts_by_event())

    def conflicts_by_event(self) -> dict[int, list[Conflict]]:
        """``{timeline event id: conflicts touching it}`` for every event at once (open and
        resolved; "not a conflict" left out)."""
        from .event_conflicts import event_conflicts

        return event_conflicts(self)

    def conflict_notes(self, event_ids: Optional[Iterable[int]] = None) -> dict[int, list[str]]:
        """``{timeline event id: ["Sources disagree: age (…) — 34 (…) vs 35 (…) [open]", …]}``,
        the plain lines ``export_timeline(conflicts=...)`` prints with each event."""
        from .event_conflicts import conflict_notes

        return conflict_notes(self, None if event_ids is None else set(event_ids))


def _unmatched_status(row: dict) -> UnmatchedDecision:
    what = row["key"].split("|")
    subject = what[1].title() if len(what) > 1 else ""
    label = {"not-a-conflict": "not a conflict"}.get(row["status"], row["status"])
    text = f"Conflict about {what[0]}{f' ({subject})' if subject else ''} marked {label}"
    if row["note"]:
        text += f": {row['note']}"
    if row.get("reason") == "taken":
        text += " — the conflict it matches now has a status of its own."
    else:
        text += " — no conflict of the case analysis matches it now."
    return UnmatchedDecision("conflict", row["key"], text, row["decided_at"], note=row["note"],
                             status=row["status"])


def _facts_for_claims(db, aid: int) -> list[Fact]:
    """The facts claims are read from (no quotes), lighter than the store's general query."""
    out = []
    for fid, kind, text, start, end, value, extra, entity_id in db.execute(
        'SELECT id, kind, text, start, "end", value, extra, entity_id FROM facts '
        "WHERE article_id = ? AND kind != 'quote' ORDER BY start, \"end\", id", [aid]
    ):
        out.append(Fact(kind=kind, text=text, start=start, end=end, value=value, basis="",
                        extra=json.loads(extra) if extra and extra != "{}" else {}, id=fid,
                        article_id=aid, entity_id=entity_id))
    return out


def _main_people(articles: dict[int, dict], people: dict[int, str]) -> dict[int, str]:
    """``article id -> the person it is about``.

    First each article's own main person: the one it names most often other
    than as a speaker ("Vallin said"), ties to the one named first. Then,
    of the people an article names, the one who is the main person of the
    most articles wins: an interview with the wife of the man the case is
    about is still about him when it says "he was charged".
    """
    local: dict[int, dict[str, list]] = {}
    for aid, art in articles.items():
        counts: dict[str, list] = {}
        for i, fid in enumerate(art["claims"].get("mentions") or ()):
            name = people.get(fid)
            if name is not None:
                counts.setdefault(name, [0, -i])[0] += 1
        if counts:
            local[aid] = counts
    mains = Counter(max(c, key=lambda n: tuple(c[n])) for c in local.values())
    # A surname left apart from the full name ("Brannik": two Branniks in the
    # case) stands for the full name that is most often an article's main person.
    full: dict[str, str] = {}
    for name, _ in mains.most_common():
        if " " in name:
            full.setdefault(name.split()[-1], name)

    def canonical(name: str) -> str:
        return name if " " in name else full.get(name, name)

    main_counts: Counter = Counter()
    for name, k in mains.items():
        main_counts[canonical(name)] += k
    out = {}
    for aid, c in local.items():
        counts: dict[str, list] = {}
        for name, (n, first) in c.items():
            entry = counts.setdefault(canonical(name), [0, first])
            entry[0] += n
            entry[1] = max(entry[1], first)
        out[aid] = max(counts, key=lambda n: (main_counts.get(n, 0), *counts[n]))
    return out


def _source(aid: int, item: dict, info: dict) -> CaseSource:
    path, outlet, published = info[aid]
    return CaseSource(claim_id=f"{aid}:{item['id']}", article_id=aid, path=path, outlet=outlet,
                      published=published, quote=item["quote"], start=item["start"], end=item["end"])


def _event_entities(g: dict, people: dict[int, str], places: dict[int, str]) -> list[str]:
    names = [g["subject"]]
    for _, claim in g["members"]:
        for fid in claim.get("persons") or ():
            if fid in people and people[fid] not in names:
                names.append(people[fid])
        for fid in claim.get("places") or ():
            if fid in places and places[fid] not in names:
                names.append(places[fid])
    return names
