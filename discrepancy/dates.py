"""Date expressions → calendar intervals with a granularity.

"July 2019" and "12 July 2019" become nested intervals, so the same fact at a
different granularity overlaps instead of conflicting. Relative expressions
("last month", "on Tuesday", "at the end of last year") are resolved against the
article's publication date when it is known, and kept unresolved otherwise.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .records import DateValue

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR_RE = r"(?P<year>1[89]\d\d|20\d\d)"
DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Durations and ages are not dates: "three years", "32 years", "a 12-day battle".
DURATION = re.compile(
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many|\w+ or \w+)"
    r"[- ](?:years?|months?|weeks?|days?|hours?|decades?)(?:[- ]old|[- ]long)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedDate:
    value: DateValue | None  # None when relative and no publication date is known
    relative: str = ""  # the relative expression, when the date depends on the publication date


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month_interval(year: int, month: int) -> DateValue:
    return DateValue(date(year, month, 1), month_end(year, month), "month")


def year_interval(year: int) -> DateValue:
    return DateValue(date(year, 1, 1), date(year, 12, 31), "year")


def part_of(value: DateValue, text: str) -> DateValue:
    """Narrow an interval for 'early', 'mid', 'late', 'the end of', 'the beginning of'."""
    span = (value.end - value.start).days
    lowered = text.lower()
    if re.search(r"\b(?:end|late|close)\b", lowered):
        return DateValue(value.start + timedelta(days=span * 2 // 3), value.end, value.granularity + "-part")
    if re.search(r"\b(?:beginning|start|early)\b", lowered):
        return DateValue(value.start, value.start + timedelta(days=span // 3), value.granularity + "-part")
    if re.search(r"\bmid(?:dle)?\b", lowered):
        return DateValue(value.start + timedelta(days=span // 4), value.end - timedelta(days=span // 4),
                         value.granularity + "-part")
    return value


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_absolute(text: str, published: date | None) -> DateValue | None:
    """Calendar dates written out: 12 July 2019, July 12, 2019, July 2019, 2019, the 1990s, 2019-07-12."""
    t = text.strip()
    m = re.search(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", t)
    if m:
        d = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return DateValue(d, d, "day") if d else None
    for pattern in (DAY_RE + r"\s+(?:of\s+)?" + MONTH_RE + r",?\s+" + YEAR_RE,
                    MONTH_RE + r"\s+" + DAY_RE + r",?\s+" + YEAR_RE):
        m = re.search(r"\b" + pattern + r"\b", t, re.IGNORECASE)
        if m:
            d = safe_date(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"]))
            if d:
                return DateValue(d, d, "day")
    m = re.search(r"\b" + MONTH_RE + r",?\s+(?:of\s+)?" + YEAR_RE + r"\b", t, re.IGNORECASE)
    if m:
        return part_of(month_interval(int(m["year"]), MONTHS[m["month"].lower()]), t[: m.start()])
    m = re.search(r"\b(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?" + YEAR_RE + r"\b", t, re.IGNORECASE)
    if m:
        first, last = SEASONS[m["season"].lower()]
        year = int(m["year"])
        if first > last:  # winter spans the new year
            return DateValue(date(year, 12, 1), month_end(year + 1, 2), "season")
        return DateValue(date(year, first, 1), month_end(year, last), "season")
    m = re.search(r"\b(?P<decade>(?:19|20)\d0)s\b", t)
    if m:
        start = int(m["decade"])
        return DateValue(date(start, 1, 1), date(start + 9, 12, 31), "decade")
    m = re.search(r"\b" + YEAR_RE + r"\b", t)
    if m:
        return part_of(year_interval(int(m["year"])), t[: m.start()])
    return None


def parse_relative(text: str, published: date) -> DateValue | None:
    """Relative expressions resolved against the publication date."""
    t = text.lower().strip()
    year = published.year
    if re.search(r"\b(?:today|tonight|this morning|this afternoon|this evening)\b", t):
        return DateValue(published, published, "day")
    if re.search(r"\byesterday\b", t):
        d = published - timedelta(days=1)
        return DateValue(d, d, "day")
    if re.search(r"\blast year\b|\bprevious year\b|\ba year ago\b", t):
        return part_of(year_interval(year - 1), t)
    if re.search(r"\bthis year\b", t):
        return part_of(DateValue(date(year, 1, 1), published, "year"), t)
    if re.search(r"\bnext year\b", t):
        return part_of(year_interval(year + 1), t)
    if re.search(r"\blast month\b|\bprevious month\b|\ba month ago\b", t):
        first = published.replace(day=1) - timedelta(days=1)
        return part_of(month_interval(first.year, first.month), t)
    if re.search(r"\bthis month\b", t):
        return part_of(DateValue(published.replace(day=1), published, "month"), t)
    if re.search(r"\blast week\b", t):
        start = published - timedelta(days=published.weekday() + 7)
        return DateValue(start, start + timedelta(days=6), "week")
    if re.search(r"\bthis week\b", t):
        start = published - timedelta(days=published.weekday())
        return DateValue(start, published, "week")
    m = re.search(r"\b(?:last\s+)?(?P<wd>" + "|".join(WEEKDAYS) + r")\b", t)
    if m:
        # News usage: a bare weekday means the most recent one on or before publication.
        back = (published.weekday() - WEEKDAYS[m["wd"]]) % 7
        if t.startswith("last") and back == 0:
            back = 7
        d = published - timedelta(days=back)
        return DateValue(d, d, "day")
    m = re.search(r"\b" + MONTH_RE + r"\s+" + DAY_RE + r"\b|\b" + DAY_RE.replace("day", "day2") + r"\s+(?:of\s+)?"
                  + MONTH_RE.replace("month", "month2") + r"\b", t)
    if m:
        month = MONTHS[(m["month"] or m["month2"]).lower()]
        day = int(m["day"] or m["day2"])
        y = year if (month, day) <= (published.month, published.day) else year - 1
        d = safe_date(y, month, day)
        return DateValue(d, d, "day") if d else None
    m = re.search(r"\b" + MONTH_RE + r"\b", t)
    if m and m["month"].lower() not in {"may", "march"} or (m and re.search(r"\bin\s+(?:may|march)\b", t)):
        month = MONTHS[m["month"].lower()]
        y = year if month <= published.month else year - 1
        return part_of(month_interval(y, month), t)
    m = re.search(r"\b(?P<season>spring|summer|autumn|fall|winter)\b", t)
    if m:
        first, last = SEASONS[m["season"].lower()]
        y = year if first <= published.month else year - 1
        if first > last:
            return DateValue(date(y, 12, 1), month_end(y + 1, 2), "season")
        return DateValue(date(y, first, 1), month_end(y, last), "season")
    return None


RELATIVE_CUE = re.compile(
    r"\b(?:today|tonight|yesterday|last|this|next|previous|ago|earlier this|"
    + "|".join(WEEKDAYS) + "|" + "|".join(SEASONS) + r")\b"
    r"|\b" + MONTH_RE + r"(?:\s+" + DAY_RE + r")?\b(?![\s,]+(?:of\s+)?(?:1[89]|20)\d\d)",
    re.IGNORECASE,
)


def parse_date(text: str, published: date | None = None) -> ParsedDate | None:
    """Parse a date expression. Returns None when `text` is not a date (e.g. a duration)."""
    if DURATION.search(text) and not re.search(YEAR_RE, text):
        return None
    absolute = parse_absolute(text, published)
    if absolute:
        return ParsedDate(absolute)
    if not RELATIVE_CUE.search(text):
        return None
    if published is None:
        return ParsedDate(None, relative=text.strip())
    resolved = parse_relative(text, published)
    if resolved is None:
        return None
    return ParsedDate(resolved, relative=text.strip())


def describe(value: DateValue) -> str:
    """A short human form: '12 July 2019', 'July 2019', '2019', 'late 2022'."""
    g = value.granularity
    if g == "day":
        return f"{value.start.day} {calendar.month_name[value.start.month]} {value.start.year}"
    if g.startswith("month"):
        return f"{calendar.month_name[value.start.month]} {value.start.year}"
    if g == "year":
        return str(value.start.year)
    if g == "year-part":
        return f"{value.start.isoformat()}..{value.end.isoformat()}"
    if g == "decade":
        return f"{value.start.year}s"
    return f"{value.start.isoformat()}..{value.end.isoformat()}"
