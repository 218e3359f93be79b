"""Number expressions → intervals with a unit.

"at least 10" is [10, inf), "about 2.5 billion" a ±5% band, "$2.5 billion" the
band its last written digit implies, "10-12" the range. Two quantities are
compatible when their intervals meet, so rounding and hedged counts do not
read as conflicts. Years and identifiers (S-400, F-16) are not quantities.
"""

from __future__ import annotations

import math
import re

from .records import Quantity

WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a dozen": 12, "dozen": 12,
}
SCALES = {"thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bln": 1e9, "bn": 1e9,
          "trillion": 1e12, "tn": 1e12, "k": 1e3, "lakh": 1e5, "crore": 1e7}
CURRENCIES = {
    "$": "usd", "us$": "usd", "usd": "usd", "dollar": "usd", "dollars": "usd",
    "€": "eur", "eur": "eur", "euro": "eur", "euros": "eur",
    "£": "gbp", "gbp": "gbp", "pound": "gbp", "pounds": "gbp", "sterling": "gbp",
    "¥": "jpy", "yen": "jpy", "yuan": "cny", "rmb": "cny", "rupees": "inr", "rupee": "inr",
    "lira": "try", "liras": "try", "lire": "try", "roubles": "rub", "rubles": "rub", "rouble": "rub",
    "ruble": "rub", "levs": "bgn", "leva": "bgn", "lev": "bgn", "hryvnias": "uah",
}
UNITS = {
    "metre": "m", "metres": "m", "meter": "m", "meters": "m", "m": "m",
    "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km", "km": "km",
    "mile": "mile", "miles": "mile", "foot": "ft", "feet": "ft", "ft": "ft",
    "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t", "kg": "kg", "kilograms": "kg",
    "percent": "%", "per cent": "%", "%": "%", "percentage points": "pp",
    "magnitude": "magnitude", "knots": "knot", "km/h": "km/h", "mph": "mph",
    "hectares": "ha", "acres": "acre", "degrees": "deg",
}
LOWER_BOUND = re.compile(
    r"\b(?:at least|more than|over|above|upwards of|in excess of|exceeding|no fewer than|no less than|as many as|\+)",
    re.IGNORECASE,
)
UPPER_BOUND = re.compile(r"\b(?:up to|fewer than|less than|under|below|at most|no more than|as few as)\b",
                         re.IGNORECASE)
NEAR_BELOW = re.compile(r"\b(?:nearly|almost|close to|just under|just shy of)\b", re.IGNORECASE)
ABOUT = re.compile(r"\b(?:about|around|approximately|roughly|some|an estimated|estimated|circa|ca\.|approx\.?)\s|~",
                   re.IGNORECASE)
VAGUE = re.compile(r"\b(?:dozens|hundreds|thousands|millions|billions|several|many|few|scores)\b", re.IGNORECASE)
NUMBER = re.compile(r"(?<![\w.-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![A-Za-z]+\d)")


def is_identifier(text: str) -> bool:
    """Model names and codes such as S-400, F-16, Su-27, A320, COVID-19."""
    return bool(re.fullmatch(r"[A-Za-z]{1,5}-?\d+[A-Za-z]?|\d+[A-Za-z]{1,3}\d*", text.strip()))


def _first_number(text: str) -> tuple[float, str] | None:
    """The first numeral in `text` (digits or words) and the digits as written."""
    m = NUMBER.search(text)
    if m:
        digits = m.group(1)
        return float(digits.replace(",", "")), digits
    lowered = text.lower()
    hits = []
    for word, value in WORD_NUMBERS.items():
        m = re.search(r"\b" + re.escape(word) + r"\b", lowered)
        if m:
            hits.append((m.start(), -len(word), float(value), word))
    if not hits:
        return None
    _, _, value, word = min(hits)
    return value, word


def _words_to_digits(text: str) -> str:
    return re.sub(r"\b(" + "|".join(w for w in WORD_NUMBERS if " " not in w) + r")\b",
                  lambda m: str(WORD_NUMBERS[m.group(1).lower()]), text, flags=re.IGNORECASE)


def _scale(text: str) -> float:
    lowered = text.lower()
    for word, factor in SCALES.items():
        if len(word) <= 2:
            if re.search(r"\d\s?" + re.escape(word) + r"\b", lowered):
                return factor
        elif re.search(r"\b" + re.escape(word) + r"\b", lowered):
            return factor
    return 1.0


def unit_of(text: str) -> str:
    """Currency or measurement unit named in a number expression, '' when none."""
    lowered = text.lower()
    for symbol in ("us$", "$", "€", "£", "¥"):
        if symbol in lowered:
            return CURRENCIES[symbol]
    words = re.findall(r"[a-z/%]+", lowered.replace("per cent", "percent"))
    for word in words:
        if word in CURRENCIES:
            return CURRENCIES[word]
    if "%" in lowered:
        return "%"
    for word in words:
        if word in UNITS and word != "m":
            return UNITS[word]
    if re.search(r"\d\s?m\b", lowered) and not _scale(text) > 1:
        return "m"
    return ""


def parse_quantity(text: str) -> Quantity | None:
    """Parse a number expression into an interval. None for vague or non-numeric text."""
    if is_identifier(text.strip()) or VAGUE.search(text):
        return None
    found = _first_number(text)
    if found is None:
        return None
    value, written = found
    scale = _scale(text)
    exact = value * scale
    # A range "10-12", "10 to 12", "between 10 and 12", "two or three".
    rng = re.search(r"(\d[\d,.]*)\s*(?:-|–|to|and|or)\s*(\d[\d,.]*)", _words_to_digits(text))
    if rng:
        try:
            lo, hi = (float(x.replace(",", "")) * scale for x in rng.groups())
        except ValueError:
            lo = hi = exact
        if lo < hi:
            return Quantity(lo, hi, exact, approximate=True)
    if LOWER_BOUND.search(text):
        return Quantity(exact, math.inf, exact, approximate=True)
    if NEAR_BELOW.search(text):
        return Quantity(exact * 0.9, exact, exact, approximate=True)
    if UPPER_BOUND.search(text):
        return Quantity(0.0, exact, exact, approximate=True)
    if ABOUT.search(text):
        return Quantity(exact * 0.95, exact * 1.05, exact, approximate=True)
    if scale > 1 and not written.isalpha():
        # "$2.5 billion" is rounded to its last written digit: [2.45, 2.55] billion.
        decimals = len(written.split(".")[1]) if "." in written else 0
        half = 0.5 * 10 ** (-decimals) * scale
        return Quantity(exact - half, exact + half, exact, approximate=False)
    return Quantity(exact, exact, exact)


def compatible(a: Quantity, b: Quantity) -> bool:
    return a.low <= b.high and b.low <= a.high


def describe(q: Quantity, unit: str = "") -> str:
    value = q.exact
    if value >= 1e9 and value % 1e7 == 0:
        text = f"{value / 1e9:g} billion"
    elif value >= 1e6 and value % 1e4 == 0:
        text = f"{value / 1e6:g} million"
    else:
        text = f"{value:,.10g}"
    if unit in {"usd"}:
        return "$" + text
    if unit == "%":
        return text + "%"
    return f"{text} {unit}".strip()
