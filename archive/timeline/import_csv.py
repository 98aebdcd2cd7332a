"""Read events back from a timeline CSV (layout in :mod:`.csv_format`).

Every problem is reported as InvalidInput naming the file, the spreadsheet
row (the header is row 1) and what is wrong, so a user can fix it in place.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import InvalidInput
from ..models import CERTAINTIES, Citation, Event, PartialDate
from .csv_reader import column_letter, read_rows
from .csv_format import (CITATION_COLUMN, CITATION_FIELDS, CONFLICTS_COLUMN, EVENT_COLUMNS, split_list,
                         unprotect_cell)
from .dates import check_range, parse_partial_date

__all__ = ["import_csv"]

REQUIRED = ("start", "title")
_YES = {"yes", "y", "true", "1", "approximate", "approx"}
_NO = {"", "no", "n", "false", "0"}


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file.") from None
    except OSError as err:
        raise InvalidInput(f"{path}: cannot be read ({err.strerror or err}).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidInput(
            f"{path}: the file is not UTF-8 text (byte 0x{data[err.start]:02x} at position {err.start}). "
            "Save it from your spreadsheet as “CSV UTF-8” and import it again."
        ) from None


def _header(path: Path, raw: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for i, name in enumerate(raw):
        key = name.strip().lower()
        if not key:
            continue
        if key in columns:
            raise InvalidInput(f"{path}: row 1: the column “{key}” appears twice.")
        if key not in EVENT_COLUMNS and key != CONFLICTS_COLUMN and not CITATION_COLUMN.match(key):
            raise InvalidInput(
                f"{path}: row 1: unknown column “{name.strip()}”. The known columns are "
                f"{', '.join(EVENT_COLUMNS)} and citation1_outlet … citation1_end "
                f"({', '.join(CITATION_FIELDS)}) for each citation."
            )
        columns[key] = i
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidInput(
            f"{path}: the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"{'are' if len(missing) > 1 else 'is'} missing from the header row."
        )
    return columns


def _approximate(cell: str, has_end: bool) -> tuple[bool, bool]:
    value = cell.strip().lower()
    if value in _YES:
        return True, has_end
    if value in _NO:
        return False, False
    if value == "start":
        return True, False
    if value == "end":
        return False, True
    if value in {"both", "start, end", "start,end", "start; end"}:
        return True, True
    raise InvalidInput(f"approximate is “{cell}”; write no, yes, start or end.")


def _date(cell: str, words: str, approximate: bool, what: str) -> Optional[PartialDate]:
    if not cell.strip():
        return None
    try:
        date = parse_partial_date(cell)
    except InvalidInput as err:
        raise InvalidInput(f"{what}: {err}") from None
    return PartialDate(date.value, date.precision, approximate or date.approximate, words)


def _offset(cell: str, what: str) -> int:
    cell = cell.strip()
    if not cell:
        return -1   # unknown: the importer's caller finds the quote in the article
    if not cell.isdigit():
        raise InvalidInput(f"{what} is “{cell}”; it must be a character offset (a whole number).")
    return int(cell)


def _event(get, groups: list[int]) -> Event:
    start_cell = get("start")
    if not start_cell.strip():
        raise InvalidInput("start is empty; every event needs a date.")
    start_approx, end_approx = _approximate(get("approximate"), bool(get("end").strip()))
    start = _date(start_cell, get("start_text"), start_approx, "start")
    end = _date(get("end"), get("end_text"), end_approx, "end")
    precision = get("precision").strip().lower()
    if precision:
        expected = start.precision if end is None or end.precision == start.precision \
            else f"{start.precision}/{end.precision}"
        if precision != expected:
            raise InvalidInput(
                f"precision says “{precision}” but the dates are written to the {expected}; "
                "fix the dates or the precision."
            )
    check_range(start, end)
    title = " ".join(get("title").split())
    if not title:
        raise InvalidInput("title is empty; every event needs a title.")
    certainty = get("certainty").strip().lower() or "reported"
    if certainty not in CERTAINTIES:
        raise InvalidInput(f"certainty is “{get('certainty')}”; use one of {', '.join(CERTAINTIES)}.")
    citations = []
    for n in groups:
        cells = {f: get(f"citation{n}_{f}") for f in CITATION_FIELDS}
        if not any(v.strip() for v in cells.values()):
            continue
        if not cells["quote"].strip():
            raise InvalidInput(f"citation {n} has no quote; a citation is an exact passage of an article.")
        if not cells["path"].strip():
            raise InvalidInput(f"citation {n} has no path; name the article the quote comes from.")
        citations.append(Citation(
            id=None, article_id=None, article_path=cells["path"], quote=cells["quote"],
            start=_offset(cells["start"], f"citation{n}_start"),
            end=_offset(cells["end"], f"citation{n}_end"),
            outlet=cells["outlet"] or None, published=cells["date"] or None,
            title=cells["title"] or None,
        ))
    return Event(
        id=None, timeline_id=None, start=start, end=end, title=get("title"),
        description=get("description"), notes=get("notes"), tags=split_list(get("tags")),
        certainty=certainty, people=split_list(get("people")), places=split_list(get("places")),
        organisations=split_list(get("organisations")), citations=tuple(citations),
    )


def import_csv(path) -> list[Event]:
    """Events (unsaved, no ids) from a timeline CSV; add them with ``Timelines.import_events``."""
    path = Path(path)
    text = _read_text(path)
    rows, found = read_rows(text)
    problems = [str(p) for p in found]
    if found and found[0].row == 1:
        _report(path, problems)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InvalidInput(f"{path}: the file is empty; expected a header row with start, title, ….")
    columns = _header(path, rows[0])
    groups = sorted({int(m.group(1)) for m in map(CITATION_COLUMN.match, columns) if m})
    events = []
    unreadable = {p.row for p in found}
    for number, row in enumerate(rows[1:], start=2):
        if number in unreadable or not any(cell.strip() for cell in row):
            continue   # a row the reader could not take apart is reported once, as such
        extra = [c for i, c in enumerate(row) if i >= len(rows[0]) and c.strip()]
        if extra:
            problems.append(f"row {number}: has more cells than the header has columns.")
            continue

        def get(name: str, row=row) -> str:
            i = columns.get(name)
            return unprotect_cell(row[i]) if i is not None and i < len(row) else ""

        try:
            events.append(_event(get, groups))
        except InvalidInput as err:
            problems.append(f"row {number}: {err}{_column_of(str(err), columns)}")
    if problems:
        _report(path, sorted(problems, key=_row_of))
    return events


def _column_of(message: str, columns: dict[str, int]) -> str:
    """" (column C)" for the column a cell problem names (its message starts with the column)."""
    first = message.split(" ", 1)[0].rstrip(":")
    if first == "citation":   # "citation 2 has no quote"
        parts = message.split(" ")
        first = f"citation{parts[1]}_{parts[4].rstrip('.;')}" if len(parts) > 4 else ""
    i = columns.get(first)
    return f" (column {column_letter(i + 1)})" if i is not None else ""


def _row_of(problem: str) -> int:
    digits = problem.split(" ", 2)[1].rstrip(",:")
    return int(digits) if digits.isdigit() else 0


_SHOWN = 20


def _report(path: Path, problems: list[str]) -> None:
    """One InvalidInput listing every problem (the first ones, when there are many)."""
    if len(problems) == 1:
        raise InvalidInput(f"{path}: {problems[0]}")
    shown = problems[:_SHOWN]
    more = f"\n  … and {len(problems) - _SHOWN} more." if len(problems) > _SHOWN else ""
    raise InvalidInput(f"{path}: {len(problems)} problems; nothing was imported:\n  "
                       + "\n  ".join(shown) + more)
