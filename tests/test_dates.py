from datetime import date

import pytest

from discrepancy.dates import parse_date


def interval(text, published=None):
    parsed = parse_date(text, published)
    assert parsed is not None and parsed.value is not None, text
    return parsed.value.start, parsed.value.end, parsed.value.granularity


def test_granularities_nest():
    month = parse_date("July 2019").value
    day = parse_date("12 July 2019").value
    assert (month.granularity, day.granularity) == ("month", "day")
    assert month.overlaps(day)
    assert parse_date("2017").value.overlaps(parse_date("September 12, 2017").value)
    assert not parse_date("2019").value.overlaps(parse_date("2020").value)


def test_relative_dates_resolve_against_publication():
    pub = date(2024, 3, 6)  # a Wednesday
    assert interval("last month", pub)[:2] == (date(2024, 2, 1), date(2024, 2, 29))
    assert interval("on Tuesday", pub)[:2] == (date(2024, 3, 5), date(2024, 3, 5))
    assert interval("yesterday", pub)[0] == date(2024, 3, 5)
    start, end, _ = interval("at the end of last year", pub)
    assert start.year == 2023 and end == date(2023, 12, 31) and start.month >= 8


def test_relative_dates_without_publication_stay_unresolved():
    parsed = parse_date("last month", None)
    assert parsed.value is None and parsed.relative == "last month"


@pytest.mark.parametrize("text", ["three years", "32 years", "a 12-day battle", "1 a.m."])
def test_durations_and_times_are_not_dates(text):
    assert parse_date(text) is None
