"""Reviewing entities: the researcher's judgements applied over the automatic grouping.

Fact extraction groups mentions into entities by itself
(:func:`archive.facts.merge_entities`). A researcher corrects that grouping
with judgements (merge, split an alias off, rename, change the kind, not an
entity), recorded in the ledger (:mod:`archive.case.judgements`) and never
written into the mentions. After every extraction run, and after every
judgement, the automatic grouping is rebuilt and the ledger replayed over it
(:func:`replay`), so ``arc.entities()``, ``arc.facts()`` and
``arc.articles_mentioning()`` show the reviewed entities.

    review = arc.entity_review
    review.merge("Federal Guard Service", "FSO")   # "FSO" joins, the first name stays
    review.split("Mikhail Zhilin", "Zhilin")       # wrongly linked short form
    review.undo()                                   # the last judgement, recorded as an undo
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional, Union

import sqlite_utils

from ..errors import InvalidInput, NotFound
from ..models import Entity
from ..names import fold_name
from ..store import facts as store_facts
from ..store import judgements as ledger
from ..store.transaction import transaction
from .judgements import Judgement, judgement_from_row
from .merge_suggestions import suggest

__all__ = ["EntityReview", "replay", "rebuild_and_replay"]

ENTITY_KINDS = store_facts.ENTITY_KINDS
EntityRef = Union[int, str, Entity]

@dataclass(eq=False)
class _Group:
    kind: str
    name: str
    subtype: Optional[str]
    keys: set = field(default_factory=set)     # (fact kind, value, text)
    ignored: bool = False
    gone: bool = False
    aliases: tuple = ()
    origin: Optional[int] = None                # the automatic entity it grew from


class _Grouping:
    """The automatic grouping, with the lookups a replay needs, changed judgement by judgement."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        by_id: dict[int, _Group] = {}
        self.key_subtype: dict[tuple, Optional[str]] = {}
        self.demonyms: set[tuple] = set()
        self.owner: dict[tuple, _Group] = {}
        self.by_form: dict[str, set[tuple]] = {}
        for fk, value, text, demonym, eid, ekind, ename, esub in rows:
            group = by_id.get(eid)
            if group is None:
                group = by_id[eid] = _Group(ekind, ename, esub, origin=eid)
            key = (fk, value, text)
            group.keys.add(key)
            self.owner[key] = group
            self.key_subtype[key] = esub
            if demonym:
                self.demonyms.add(key)
            for form in (value, text):
                self.by_form.setdefault(fold_name(form), set()).add(key)
        self.groups = list(by_id.values())

    def find(self, kind: Optional[str], name: Optional[str]) -> Optional[_Group]:
        """The group a judgement means: by its name, else by a name its mentions use."""
        fold = fold_name(name or "")
        alive = [g for g in self.groups if not g.gone]
        named = [g for g in alive if fold_name(g.name) == fold]
        same_kind = [g for g in named if g.kind == kind]
        if same_kind or named:
            return max(same_kind or named, key=lambda g: len(g.keys))
        owners = [self.owner[k] for k in self.by_form.get(fold, ())]
        owners = [g for g in dict.fromkeys(owners) if not g.gone]
        same_kind = [g for g in owners if g.kind == kind]
        if same_kind:
            return max(same_kind, key=lambda g: len(g.keys))
        return None

    def move(self, keys: set, to: _Group) -> None:
        for key in keys:
            self.owner[key].keys.discard(key)
            to.keys.add(key)
            self.owner[key] = to

    def apply(self, row: dict) -> bool:
        """Apply one judgement; False when its names match no entity now."""
        action = row["action"]
        group = self.find(row["kind"], row["name"])
        if group is None:
            return False
        if action == "merge":
            other = self.find(row["other_kind"], row["other"])
            if other is None:
                return False
            if other is not group:
                self.move(set(other.keys), group)
                other.gone = True
                group.subtype = group.subtype or other.subtype
            return True
        if action == "distinct":
            return self.find(row["other_kind"], row["other"]) is not None
        if action == "split":
            alias = fold_name(row["other"])
            moved = {k for k in group.keys if fold_name(k[1]) == alias or fold_name(k[2]) == alias}
            if not moved or moved == group.keys:
                return False
            subtypes = Counter(self.key_subtype.get(k) for k in moved if self.key_subtype.get(k))
            split = _Group(group.kind, " ".join(row["other"].split()),
                           subtypes.most_common(1)[0][0] if subtypes else None)
            self.groups.append(split)
            self.move(moved, split)
            return True
        if action == "rename":
            group.name = " ".join(row["other"].split())
            return True
        if action == "kind":
            group.kind = row["other"]
            group.subtype = _place_subtype(group.name) if group.kind == "place" else None
            return True
        if action == "ignore":
            group.ignored = True
            return True
        return False

    def final(self) -> tuple[list[_Group], list[tuple]]:
        """The groups to write (one per kind and name) and the keys of ignored ones."""
        out: dict[tuple[str, str], _Group] = {}
        ignored: list[tuple] = []
        for g in self.groups:
            if g.gone or not g.keys:
                continue
            if g.ignored:
                ignored.extend(g.keys)
                continue
            kept = out.get((g.kind, g.name))
            if kept is None:
                out[(g.kind, g.name)] = g
            else:
                kept.keys |= g.keys
        for g in out.values():
            forms = {k[1] for k in g.keys}
            forms.update(" ".join(k[2].split()) for k in g.keys if k not in self.demonyms and k[2].strip())
            g.aliases = tuple(store_facts._distinct_forms(forms, g.name))
        return list(out.values()), ignored


def _place_subtype(name: str) -> Optional[str]:
    from ..facts.lexicon import lexicons

    known = lexicons().place(name)
    return known[1] if known else None


def replay(db: sqlite_utils.Database, previous_ids: Optional[dict] = None) -> dict[int, bool]:
    """Apply the active judgements over the automatic entities now in the store.

    Call inside the transaction that rebuilt the automatic entities;
    ``previous_ids`` are the entity ids from before that rebuild, so the
    reviewed entities keep theirs. Returns ``judgement id -> applied``.
    """
    if ledger.ledger_is_empty(db):
        # Nothing was ever judged: the automatic entities stand as they are.
        return {}
    rows = ledger.active_rows(db)
    grouping = _Grouping(ledger.entity_fact_keys(db))
    # The automatic entities' ids, so an undone merge gives the merged one its id back.
    ledger.remember_ids(db, {(g.kind, g.name): g.origin for g in grouping.groups if g.origin is not None},
                        replace=False)
    applied = {row["id"]: grouping.apply(row) for row in rows}
    groups, ignored = grouping.final()
    ledger.write_groups(db, groups, previous_ids or {}, ignored)
    ledger.set_applied(db, applied)
    return applied


def rebuild_and_replay(db: sqlite_utils.Database) -> dict[int, bool]:
    """The automatic entities from the stored facts, then the ledger over them (one transaction)."""
    from ..facts import merge_entities

    with transaction(db):
        names = store_facts.entity_names(db)
        mapping = merge_entities(names) if names else {}
        before = ledger.entity_ids(db)
        store_facts.rebuild_entities(db, mapping, names)
        return replay(db, before)


class EntityReview:
    """The review actions on one archive's entities (``arc.entity_review``).

    Entities are named by id, by name (case-insensitive) or by an
    :class:`Entity`. Every action is one transaction that records a
    judgement and replays the ledger; it returns the :class:`Judgement`.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- finding entities
    def resolve(self, ref: EntityRef) -> Entity:
        """The entity ``ref`` means: ``NotFound``, or ``InvalidInput`` when a name is ambiguous."""
        if isinstance(ref, Entity):
            return store_facts.get_entity(self.db, ref.id)
        if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
            return store_facts.get_entity(self.db, int(ref))
        name = fold_name(str(ref))
        if not name:
            raise InvalidInput("Name an entity: its id or its name.")
        entities = store_facts.list_entities(self.db)
        named = [e for e in entities if fold_name(e.name) == name]
        if not named:
            named = [e for e in entities if name in {fold_name(a) for a in e.aliases}]
        if not named:
            raise NotFound(f'No person, organisation or place named "{ref}" in this archive.')
        if len(named) > 1:
            choices = ", ".join(f"#{e.id} {e.name} ({e.kind})" for e in named[:6])
            raise InvalidInput(f'Several entities are named "{ref}": {choices}; give the id.')
        return named[0]

    # -- actions
    def merge(self, keep: EntityRef, other: EntityRef) -> Judgement:
        """``other`` becomes part of ``keep``, whose name and kind stay."""
        a, b = self.resolve(keep), self.resolve(other)
        if a.id == b.id:
            raise InvalidInput(f'"{a.name}" and "{b.name}" are already one entity.')
        return self._record("merge", a, other_kind=b.kind, other=b.name,
                            detail={"ids": [a.id, b.id], "aliases": [list(a.aliases), list(b.aliases)]})

    def split(self, entity: EntityRef, alias: str) -> Judgement:
        """The mentions written ``alias`` become an entity of their own."""
        e = self.resolve(entity)
        alias = " ".join(str(alias or "").split())
        if fold_name(alias) not in {fold_name(a) for a in e.aliases}:
            known = ", ".join(f'"{a}"' for a in e.aliases) or "none"
            raise InvalidInput(f'"{alias}" is not an alias of "{e.name}" (its aliases: {known}).')
        return self._record("split", e, other=alias, detail={"id": e.id},
                            refused=f'"{alias}" is every mention of "{e.name}": rename it instead.')

    def rename(self, entity: EntityRef, name: str) -> Judgement:
        e = self.resolve(entity)
        name = " ".join(str(name or "").split())
        if not name:
            raise InvalidInput("The new name is empty.")
        if name == e.name:
            raise InvalidInput(f'"{e.name}" already has that name.')
        clash = [x for x in store_facts.list_entities(self.db, e.kind) if x.name == name and x.id != e.id]
        if clash:
            raise InvalidInput(f'There already is a {e.kind} named "{name}" (#{clash[0].id}): merge the two instead.')
        return self._record("rename", e, other=name, detail={"id": e.id})

    def change_kind(self, entity: EntityRef, kind: str) -> Judgement:
        e = self.resolve(entity)
        kind = str(kind or "").strip().lower()
        kind = {"organisation": "org", "organization": "org", "people": "person"}.get(kind, kind)
        if kind not in ENTITY_KINDS:
            raise InvalidInput(f"{kind!r} is not a kind of entity; use one of: {', '.join(ENTITY_KINDS)}.")
        if kind == e.kind:
            raise InvalidInput(f'"{e.name}" already is a {kind}.')
        return self._record("kind", e, other=kind, detail={"id": e.id})

    def ignore(self, entity: EntityRef) -> Judgement:
        """Not an entity: its mentions leave the entity lists and the facts (the archive's stop list)."""
        e = self.resolve(entity)
        return self._record("ignore", e, detail={"id": e.id, "aliases": list(e.aliases)})

    def distinct(self, a: EntityRef, b: EntityRef) -> Judgement:
        """Record that two entities are different (a dismissed suggestion stays dismissed)."""
        x, y = self.resolve(a), self.resolve(b)
        if x.id == y.id:
            raise InvalidInput(f'"{x.name}" is one entity; split an alias off it instead.')
        return self._record("distinct", x, other_kind=y.kind, other=y.name, detail={"ids": [x.id, y.id]})

    def undo(self, judgement_id: Optional[int] = None) -> Judgement:
        """Undo a judgement (the latest active one by default); the undo is recorded too."""
        active = [judgement_from_row(r) for r in ledger.active_rows(self.db)]
        if judgement_id is None:
            if not active:
                raise InvalidInput("There is no judgement to undo.")
            target = active[-1]
        else:
            target = self.judgement(judgement_id)
            if target.action == "undo":
                raise InvalidInput(f"#{target.id} is an undo; apply the judgement again instead.")
            if not target.active:
                raise InvalidInput(f"Judgement #{target.id} is already undone (by #{target.undone_by}).")
        with transaction(self.db):
            uid = ledger.add_judgement(self.db, "undo", target.kind, target.name, target.other_kind, target.other,
                                       target=target.id, detail={"undid": target.describe()})
            ledger.mark_undone(self.db, target.id, uid)
            rebuild_and_replay(self.db)
        return self.judgement(uid)

    def reapply(self, judgement_id: int) -> Judgement:
        """Apply an undone judgement again, as a new judgement (redo)."""
        old = self.judgement(judgement_id)
        if old.active:
            raise InvalidInput(f"Judgement #{old.id} is in force; there is nothing to apply again.")
        if old.action == "undo":
            raise InvalidInput(f"#{old.id} is an undo, not a judgement to apply.")
        with transaction(self.db):
            jid = ledger.add_judgement(self.db, old.action, old.kind, old.name, old.other_kind, old.other,
                                       detail={**old.detail, "reapplies": old.id})
            rebuild_and_replay(self.db)
        return self.judgement(jid)

    # -- reading
    def judgement(self, judgement_id: int) -> Judgement:
        rows = ledger.judgement_rows(self.db, int(judgement_id))
        if not rows:
            raise NotFound(f"No judgement #{judgement_id} in this archive.")
        return judgement_from_row(rows[0])

    def judgements(self, active_only: bool = False) -> list[Judgement]:
        """The ledger, oldest first (undone ones and undo records too unless ``active_only``)."""
        out = [judgement_from_row(r) for r in ledger.judgement_rows(self.db)]
        return [j for j in out if j.active] if active_only else out

    def suggestions(self, kind: Optional[str] = None, limit: Optional[int] = 100) -> list:
        """Likely duplicates with the reason (:class:`archive.case.merge_suggestions.MergeSuggestion`)."""
        apart = {frozenset((fold_name(j.name), fold_name(j.other))) for j in self.judgements(active_only=True)
                 if j.action == "distinct"}
        found = suggest(store_facts.list_entities(self.db), apart=apart)
        if kind is not None:
            found = [s for s in found if kind in (s.keep.kind, s.other.kind)]
        return found if limit is None else found[:limit]

    def replay(self) -> dict[int, bool]:
        """Rebuild the automatic entities and apply the ledger again (after editing lexicons, say)."""
        return rebuild_and_replay(self.db)

    # -- internals
    def _record(self, action: str, e: Entity, *, other_kind: Optional[str] = None, other: Optional[str] = None,
                detail: Optional[dict] = None, refused: str = "") -> Judgement:
        with transaction(self.db):
            jid = ledger.add_judgement(self.db, action, e.kind, e.name, other_kind, other, detail=detail)
            applied = rebuild_and_replay(self.db)
            if not applied.get(jid, False):
                # Rolls the judgement back: a ledger entry that changes nothing misleads.
                raise InvalidInput(refused or f'The judgement on "{e.name}" matches nothing in the archive.')
        return self.judgement(jid)
