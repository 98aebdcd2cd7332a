"""Event dates typed as words: ``read_date``."""
from __future__ import annotations

import pytest

from archive.errors import InvalidInput
from archive.timeline import read_date


@pytest.mark.parametrize("text, value, precision, approximate", [
    ("21 September 2022", "2022-09-21", "day", False),
    ("September 21, 2022", "2022-09-21", "day", False),
    ("Tuesday, 21 Sept. 2022", "2022-09-21", "day", False),
    ("21st of March 2023", "2023-03-21", "day", False),
    ("Sept. 2022", "2022-09", "month", False),
    ("Dec 2022", "2022-12", "month", False),
    ("c. Sept. 2022", "2022-09", "month", True),
    ("2022", "2022", "year", False),
    ("c. 2022", "2022", "year", True),
    ("2022-09-21", "2022-09-21", "day", False),
    ("~2022-09", "2022-09", "month", True),
    ("21 сентября 2022 г.", "2022-09-21", "day", False),
    ("май 2023", "2023-05", "month", False),
])
def test_dates_as_people_write_them(text, value, precision, approximate):
    date = read_date(text)
    assert (date.value, date.precision, date.approximate) == (value, precision, approximate)
    assert date.text == ""


@pytest.mark.parametrize("text, says", [
    ("31 February 2022", "February 2022 has 28 days"),
    ("Septober 2022", "“Septober” is not a month"),
    ("2022-13", "month 13 does not exist"),
    ("next week", "is not a date I can read"),
    ("", "A date is required"),
])
def test_unreadable_dates_say_why(text, says):
    with pytest.raises(InvalidInput) as err:
        read_date(text)
    assert says in str(err.value)
