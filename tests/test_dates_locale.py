"""Dates are read with English names whatever the user's locale.

Qt sets the C library's locale from the desktop's, and ``calendar.day_name``
and ``calendar.month_name`` follow it ("Mittwoch", "März"). The fact
extractor is imported late in the app (after Qt), so a German desktop would
have stopped it from reading "on Wednesday" in an English report. No
locale but C is installed on a bare machine, so the test puts German names
into ``calendar`` before anything of Casefile is imported, in a process of
its own.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent('''
    import calendar, json
    calendar.day_name = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
    calendar.day_abbr = [n[:2] for n in calendar.day_name]
    calendar.month_name = ["", "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                           "September", "Oktober", "November", "Dezember"]
    calendar.month_abbr = ["", *(n[:3] for n in calendar.month_name[1:])]
    from archive.facts import FactInput, extract
    from archive.timeline.date_words import read_date
    text = "The officer crossed the border on Wednesday. On 14 March a court in Salvik heard his case."
    [facts] = extract([FactInput(text, len(text), published="2025-03-21")])
    dates = {f.text: [f.value, f.basis] for f in facts if f.kind == "date"}
    print(json.dumps({"dates": dates, "typed": read_date("Friday, 6 December 2022").value}))
''')


def test_english_dates_are_read_under_a_german_locale():
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    dates = got["dates"]
    wednesday = next(v for k, v in dates.items() if "Wednesday" in k)
    assert wednesday[0] == "2025-03-19"
    assert "Wednesday" in wednesday[1] and "Mittwoch" not in wednesday[1]
    assert next(v for k, v in dates.items() if "14 March" in k)[0] == "2025-03-14"
    assert got["typed"] == "2022-12-06"
