"""A strict RFC 4180 reader for timeline CSV files, reporting problems by row and column.

Python's ``csv`` module is the wrong tool for the importer: it refuses any
cell over 128 KiB (``csv.field_size_limit``), a quote that is never closed
silently swallows every following row into one cell, and a NUL character
passes through into the events. This reader has no cell size limit and
reports, with the spreadsheet row (the header is row 1) and column letter:

* a quoted cell that is never closed (naming the line where it opens);
* text after a cell's closing quote (``"abc"def``), which is how a stray
  quote shows up;
* NUL characters.

    rows, problems = read_rows(text)
    for problem in problems:
        print(problem)   # "row 4, column G (line 4): a quoted cell is never closed ..."
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CsvProblem", "read_rows", "column_letter"]


@dataclass(frozen=True)
class CsvProblem:
    """One problem found while reading: where it is (1-based) and what it is."""
    row: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {column_letter(self.column)}: {self.message}"


def column_letter(column: int) -> str:
    """The spreadsheet name of a 1-based column: 1 → A, 27 → AA."""
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def read_rows(text: str) -> tuple[list[list[str]], list[CsvProblem]]:
    """The rows of ``text`` (comma separated, ``"`` quoted, CRLF or LF line ends) and the problems.

    Rows are returned even when there are problems, as well as they could
    be read, so a caller can report every problem at once.
    """
    rows: list[list[str]] = []
    problems: list[CsvProblem] = []
    row: list[str] = []
    cell: list[str] = []
    line = 1
    i, n = 0, len(text)
    quoted = False          # inside a quoted cell
    after_quote = False     # just after a quoted cell's closing quote
    opened_at = (0, 0, 0)   # (row, column, line) where the current quoted cell opened
    reported_after = False

    def end_cell() -> None:
        nonlocal cell, after_quote, reported_after
        value = "".join(cell)
        if "\x00" in value:
            problems.append(CsvProblem(len(rows) + 1, len(row) + 1,
                                       "the cell holds a NUL character (byte 0); remove it and import again."))
        row.append(value)
        cell = []
        after_quote = reported_after = False

    def end_row() -> None:
        nonlocal row
        end_cell()
        rows.append(row)
        row = []

    while i < n:
        ch = text[i]
        if quoted:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    cell.append('"')
                    i += 2
                    continue
                quoted = False
                after_quote = True
            else:
                if ch == "\n":
                    line += 1
                cell.append(ch)
            i += 1
            continue
        if ch == ",":
            end_cell()
        elif ch == "\r" and i + 1 < n and text[i + 1] == "\n":
            end_row()
            line += 1
            i += 1
        elif ch == "\n" or ch == "\r":
            end_row()
            line += 1
        elif ch == '"' and not cell and not after_quote:
            quoted = True
            opened_at = (len(rows) + 1, len(row) + 1, line)
        else:
            if after_quote and not reported_after:
                r, c, at = opened_at
                where = f"line {at}" if at == line else f"lines {at}-{line}: rows may have run together"
                problems.append(CsvProblem(
                    r, c, f"text follows the closing quote of a quoted cell ({where}); a cell that "
                    "holds a quote must be quoted whole, with each \" written twice."))
                reported_after = True
            cell.append(ch)
        i += 1
    if quoted:
        r, c, at = opened_at
        problems.append(CsvProblem(
            r, c, f"a quoted cell opens here (line {at}) and is never closed, so every row after it "
            "would run into it; close the quote or write the quote character twice."))
        # Keep the rows as written: the open cell is dropped, not merged.
        cell = []
    if cell or row:
        end_row()
    return rows, problems
