"""Numbers with what they measure → `Amount` intervals in base units.

Units come from pint: "985-foot", "6.7 metres", "128 km/h", "an hour and 45 minutes"
all become intervals in metres, seconds or metres per second, so "22 ft" and
"6.7 m" compare directly. Money keeps its currency, percentages and earthquake
magnitudes are dimensions of their own, plain counts are `count`.

What the wording says becomes the interval: "at least 10" is [10, inf), "about 70"
±10%, "nearly 1,000" [900, 1000], "10 to 12" the range. What the writing hides is kept
beside it: `step` is half the last written digit (a conversion may hide that much),
`round_step` half the rounding unit of a round number ("290" may be a rounded 288).
The word lists here are closed classes of English: number words, scale words,
bound words, currency names and unit spellings pint does not know.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .records import Amount

ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "lakh": 1e5,
          "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "mln": 1e6, "bln": 1e9, "bn": 1e9, "tn": 1e12}
# Abbreviated scales only count right after a digit ('$2.5m', '10k', '3bn').
SHORT_SCALES = {"k": 1e3, "m": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
FRACTIONS = {"half": 0.5, "quarter": 0.25, "½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
NUMBER_WORDS = set(ONES) | set(TENS) | set(SCALES) | {"dozen", "dozens", "a", "an", "and", "half", "quarter"}

CURRENCY_SYMBOLS = {"us$": "usd", "c$": "cad", "a$": "aud", "hk$": "hkd", "s$": "sgd", "$": "usd", "€": "eur",
                    "£": "gbp", "¥": "jpy", "₹": "inr", "rs.": "inr", "rs": "inr", "₽": "rub", "₺": "try", "₩": "krw"}
CURRENCY_WORDS = {
    "dollar": "usd", "dollars": "usd", "usd": "usd", "euro": "eur", "euros": "eur", "eur": "eur",
    "pound": "gbp", "pounds": "gbp", "sterling": "gbp", "gbp": "gbp", "yen": "jpy", "yuan": "cny", "renminbi": "cny",
    "rupee": "inr", "rupees": "inr", "inr": "inr", "rouble": "rub", "roubles": "rub", "ruble": "rub",
    "rubles": "rub", "lira": "try", "liras": "try", "won": "krw", "dirham": "aed", "dirhams": "aed",
    "dinar": "dinar", "dinars": "dinar", "riyal": "sar", "riyals": "sar", "franc": "chf", "francs": "chf",
    "peso": "peso", "pesos": "peso", "naira": "ngn", "rand": "zar", "shekel": "ils", "shekels": "ils",
    "hryvnia": "uah", "hryvnias": "uah", "zloty": "pln", "krona": "sek", "kronor": "sek", "krone": "nok",
}
PERCENT_WORDS = {"%", "percent", "per cent", "pct", "percentage points", "points"}
MAGNITUDE_WORDS = {"magnitude", "magnitudes", "richter"}
# Unit spellings pint reads differently or not at all ('kmph' would be kilo-mile per hour).
UNIT_ALIASES = {
    "kmph": "km/h", "kph": "km/h", "kmh": "km/h", "km/hr": "km/h", "kms": "km", "kilometre": "km",
    "kilometres": "km", "kilometer": "km", "kilometers": "km", "metre": "m", "metres": "m", "meter": "m",
    "meters": "m", "centimetres": "cm", "millimetres": "mm", "sq km": "km**2", "square kilometres": "km**2",
    "square kilometers": "km**2", "sq mi": "mi**2", "square miles": "mi**2", "sq m": "m**2",
    "square metres": "m**2", "square meters": "m**2", "square feet": "ft**2", "sq ft": "ft**2",
    "cubic metres": "m**3", "cubic meters": "m**3", "cubic feet": "ft**3", "m3": "m**3", "km2": "km**2",
    "nautical miles": "nautical_mile", "nautical mile": "nautical_mile", "tonnes": "metric_ton",
    "tonne": "metric_ton", "tons": "metric_ton", "ton": "metric_ton", "lbs": "lb", "hrs": "hour", "hr": "hour",
    "mins": "minute", "secs": "second", "sec": "second", "yrs": "year", "litres": "liter", "litre": "liter",
    "kilogrammes": "kilogram", "kilogramme": "kilogram", "mile": "mile", "yard": "yard", "inch": "inch",
    "seconds": "second", "minutes": "minute", "hours": "hour", "days": "day", "m/s": "m/s",
    "degrees celsius": "degC", "degrees fahrenheit": "degF", "°c": "degC", "°f": "degF", "celsius": "degC",
    "fahrenheit": "degF", "knots": "knot", "kt": "knot", "miles": "mile", "feet": "foot", "foot": "foot",
    "ft": "foot", "mi": "mile", "inches": "inch", "yards": "yard", "mph": "mph", "km/h": "km/h",
    "hectares": "hectare", "hectare": "hectare", "ha": "hectare", "acres": "acre", "acre": "acre",
}
# English words pint would read as units: never a unit in news prose.
NOT_UNITS = {"a", "an", "at", "in", "are", "point", "points", "bar", "day's", "g", "h", "s", "t", "b", "c", "d",
             "e", "l", "p", "percent", "cup", "cups", "pi", "gal", "ton's", "rad", "sr", "um", "mil", "ms", "ns",
             "pt", "tsp", "tbsp", "drop", "drops", "barn", "grain", "stone", "gray", "dram", "bit", "bits",
             "byte", "bytes", "candle", "count", "counts", "pound", "pounds", "quad", "quads", "turn", "turns",
             "degree", "degrees", "year", "years", "month", "months", "week", "weeks", "night", "nights"}
# Calendar spans read as durations (pint's year/month are averages; a 'year' of age is handled apart).
CALENDAR_UNITS = {"year": 365.25 * 86400, "years": 365.25 * 86400, "month": 30.44 * 86400,
                  "months": 30.44 * 86400, "week": 7 * 86400, "weeks": 7 * 86400, "decade": 3652.5 * 86400,
                  "decades": 3652.5 * 86400, "century": 36525 * 86400, "centuries": 36525 * 86400}
LOWER_BOUND = re.compile(r"\b(?:at least|more than|over|above|upwards of|in excess of|exceed(?:ed|ing|s)?|"
                         r"no fewer than|no less than|as many as|surpass(?:ed|ing)?|topp(?:ed|ing)|beyond)\b"
                         r"|\+\s*$|(?<=\d)\s*\+", re.IGNORECASE)
UPPER_BOUND = re.compile(r"\b(?:up to|fewer than|less than|under|below|at most|no more than|as few as|"
                         r"a maximum of|maximum of|within)\b", re.IGNORECASE)
NEAR_BELOW = re.compile(r"\b(?:nearly|almost|close to|just under|just shy of|nearing|approaching)\b", re.IGNORECASE)
ABOUT = re.compile(r"\b(?:about|around|approximately|roughly|some|an estimated|estimated|circa|ca\.|approx\.?|"
                   r"or so|more or less|upwards|nearabout|an approximate)\b|~", re.IGNORECASE)
VAGUE = re.compile(r"^\W*(?:dozens|hundreds|thousands|millions|billions|tens of|scores|several|many|few|a few|"
                   r"multiple|numerous)\b", re.IGNORECASE)
NUMERAL = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(\d)/(\d))?")
ABOUT_SHARE = 0.10  # 'about 70' spans ±10%
NEARLY_SHARE = 0.10  # 'nearly 1,000' is within 10% below


@dataclass(frozen=True)
class Numeral:
    """A number as written: its value, the half-step of its last written digit, and the
    half-step of its rounding when it ends in zeros ('290': 5)."""

    value: float
    step: float
    round_step: float
    start: int
    end: int


def parse_numeral(text: str) -> Numeral | None:
    """The first number in `text`, digits or words: '1,100', '2.5 billion', '2 1/2', 'twenty-five', 'a dozen'."""
    m = NUMERAL.search(text)
    if m:
        digits = m.group(1)
        value = float(digits.replace(",", ""))
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        step = 0.5 * 10 ** (-decimals)
        integer = digits.split(".")[0].replace(",", "")
        zeros = len(integer) - len(integer.rstrip("0")) if decimals == 0 and value else 0
        round_step = 0.5 * 10 ** zeros if zeros else 0.0
        end = m.end(1)
        if m.group(2):  # '2 1/2'
            value += int(m.group(2)) / max(1, int(m.group(3)))
            step = 0.5 / max(1, int(m.group(3)))
            end = m.end()
        rest = text[end:]
        frac = re.match(r"\s*([½¼¾⅓⅔])", rest)
        if frac:
            value += FRACTIONS[frac.group(1)]
            step, end = 0.125, end + frac.end()
            rest = text[end:]
        scale = _scale_after(rest, short=True)
        if scale:
            factor, length = scale
            value *= factor
            step *= factor
            round_step = max(round_step * factor, 0.0) if round_step else 0.0
            end += length
        return Numeral(value, step, round_step, m.start(), end)
    return _word_numeral(text)


def _scale_after(rest: str, short: bool) -> tuple[float, int] | None:
    m = re.match(r"\s*-?\s*(hundred|thousand|million|billion|trillion|lakhs?|crores?|mln|bln|bn|tn)\b", rest,
                 re.IGNORECASE)
    if m:
        return SCALES[m.group(1).lower()], m.end()
    if short:
        m = re.match(r"(k|m|bn|b|tn)\b", rest, re.IGNORECASE)
        if m and m.group(1).lower() != "m" or (m and re.match(r"m\b(?!\s*(?:/|per))", rest)
                                               and not re.match(r"m\s+\w", rest)):
            # '$2.5m' is 2.5 million, '3,800 m deep' is metres: a bare 'm' before a word is a unit.
            return SHORT_SCALES[m.group(1).lower()], m.end()
    return None


def _word_numeral(text: str) -> Numeral | None:
    """Number words: 'five', 'twenty-five', 'a hundred', 'two million', 'a dozen', 'half'."""
    words = list(re.finditer(r"[a-z½¼¾]+", text.lower()))
    for i, w in enumerate(words):
        word = w.group(0)
        if word in ONES or word in TENS or word in ("dozen",) or (word in ("a", "an") and i + 1 < len(words)
                                                                    and words[i + 1].group(0) in ("dozen",
                                                                                                  "hundred",
                                                                                                  "thousand",
                                                                                                  "million",
                                                                                                  "billion")):
            value, end, j = 0.0, w.end(), i
            current = 0.0
            while j < len(words):
                token = words[j].group(0)
                gap = text[words[j - 1].end():words[j].start()] if j > i else ""
                if j > i and gap.strip(" -") != "":
                    break
                if token in ONES:
                    current += ONES[token]
                elif token in TENS:
                    current += TENS[token]
                elif token in ("a", "an") and j == i:
                    current = 1
                elif token == "dozen":
                    current = (current or 1) * 12
                elif token in SCALES and token not in ("mln", "bln", "bn", "tn"):
                    factor = SCALES[token]
                    if factor == 100:
                        current = (current or 1) * 100
                    else:
                        value += (current or 1) * factor
                        current = 0
                elif token == "and" and j > i:
                    pass
                else:
                    break
                end = words[j].end()
                j += 1
            value += current
            if value:
                return Numeral(value, 0.5, 0.0, w.start(), end)
    return None


@lru_cache(maxsize=1)
def unit_registry():
    import pint

    registry = pint.UnitRegistry()
    registry.define("km_per_hour = kilometer / hour = kmh_")
    return registry


DIMENSIONS = {
    "[length]": "length", "[length] / [time]": "speed", "[time]": "duration", "[mass]": "mass",
    "[length] ** 2": "area", "[length] ** 3": "volume", "[temperature]": "temperature",
}


@dataclass(frozen=True)
class Unit:
    name: str  # normalised spelling, as shown: 'ft', 'km', 'km/h'
    dimension: str
    factor: float  # base units per unit
    offset: float = 0.0  # temperatures


# Unit words read as they are by pint (besides UNIT_ALIASES): a closed list, so that an English word
# pint happens to know ('has' as hectares, 'point', 'line') is never a unit.
PINT_UNIT_WORDS = {
    "m", "km", "cm", "mm", "mile", "miles", "yard", "yards", "yd", "inch", "nmi", "km/h", "m/s", "mph", "knot",
    "kg", "kilogram", "kilograms", "gram", "grams", "lb", "tonne", "metric_ton", "hectare", "acre", "liter",
    "liters", "gallon", "gallons", "barrel", "barrels", "second", "seconds", "minute", "minutes", "hour", "hours",
    "day", "days", "min", "nautical_mile", "degC", "degF", "foot", "km**2", "mi**2", "m**2",
    "ft**2", "m**3", "ft**3",
}


@lru_cache(maxsize=4096)
def unit_of(word: str) -> Unit | None:
    """The unit a word or two names ('feet', 'km/h', 'square kilometres', 'nautical miles'), via pint."""
    key = " ".join(word.lower().replace("-", " ").split()).rstrip(".")
    if key in CALENDAR_UNITS:
        return Unit(key.rstrip("s") if not key.endswith("ies") else "century", "duration", CALENDAR_UNITS[key])
    name = UNIT_ALIASES.get(key, key)
    if name not in PINT_UNIT_WORDS:
        return None
    registry = unit_registry()
    try:
        quantity = registry.Quantity(1.0, "km_per_hour" if name == "km/h" else name)
    except Exception:  # pint raises several error types for unknown names
        return None
    dims = str(quantity.dimensionality)
    dimension = DIMENSIONS.get(dims)
    if dimension is None:
        return None
    if dimension == "temperature":
        zero = registry.Quantity(0.0, name).to("kelvin").magnitude
        one = registry.Quantity(1.0, name).to("kelvin").magnitude
        return Unit(_short(quantity), dimension, one - zero, zero)
    base = quantity.to_base_units()
    return Unit(_short(quantity), dimension, float(base.magnitude))


def _short(quantity) -> str:
    text = f"{quantity.units:~}".replace(" ** 2", "²").replace(" ** 3", "³")
    return {"mi": "mile", "kmh_": "km/h", "km_per_hour": "km/h", "km / h": "km/h", "mi / h": "mph",
            "kt": "knot"}.get(text, text)


def currency_of(text: str) -> str:
    """Currency named by a symbol or word in `text` ('US$', '€', 'rupees'), '' when none."""
    lowered = text.lower()
    for symbol in sorted(CURRENCY_SYMBOLS, key=len, reverse=True):
        if symbol.isalpha() or symbol.endswith("."):
            if re.search(r"(?<![a-z])" + re.escape(symbol) + r"(?=\s?\d)", lowered):
                return CURRENCY_SYMBOLS[symbol]
        elif symbol in lowered:
            return CURRENCY_SYMBOLS[symbol]
    for word in re.findall(r"[a-z]+", lowered):
        if word in CURRENCY_WORDS:
            return CURRENCY_WORDS[word]
    return ""


def bound_of(text: str) -> str:
    """What the wording around a number says of it: lower, upper, nearly, about, range or ''."""
    if re.search(r"\d[\d,.]*\s*(?:-|–|to|and|or)\s*\d", text) and re.search(
            r"\bbetween\b|\d\s*(?:-|–)\s*\d|\d\s+(?:to|or)\s+\d", text):
        return "range"
    if LOWER_BOUND.search(text):
        return "lower"
    if NEAR_BELOW.search(text):
        return "nearly"
    if UPPER_BOUND.search(text):
        return "upper"
    if ABOUT.search(text):
        return "about"
    return ""


def make_amount(numeral: Numeral, dimension: str, unit: str = "", factor: float = 1.0, offset: float = 0.0,
                bound: str = "", upper: Numeral | None = None) -> Amount:
    """An `Amount` in base units from a numeral and what the wording says of it."""
    exact = numeral.value * factor + offset
    step = numeral.step * factor
    round_step = numeral.round_step * factor
    low = high = exact
    if bound == "range" and upper is not None and upper.value * factor + offset > exact:
        high = upper.value * factor + offset
    elif bound == "lower":
        high = math.inf
    elif bound == "upper":
        low = 0.0 if exact >= 0 else -math.inf
    elif bound == "nearly":
        low = exact - abs(exact) * NEARLY_SHARE
    elif bound == "about":
        low, high = exact - abs(exact) * ABOUT_SHARE, exact + abs(exact) * ABOUT_SHARE
    else:
        bound = "" if bound != "range" else "range"
    return Amount(low, high, exact, dimension, unit, bound, step, round_step)


def parse_amount(text: str, dimension: str = "count", unit: Unit | None = None, context: str = "") -> Amount | None:
    """`text` ('at least 1,100', 'about 2.5 billion', '10 to 12') as an Amount of `dimension`.

    `context` is the wording just before the number ('more than', 'nearly') when the
    entity does not include it. None for vague amounts ('dozens', 'several').
    """
    if VAGUE.search(text):
        return None
    numeral = parse_numeral(text)
    if numeral is None:
        return None
    wording = f"{context} {text}"
    bound = bound_of(wording)
    upper = None
    if bound == "range":
        rest = text[numeral.end:]
        m = re.match(r"\s*(?:-|–|to|and|or)\s*", rest)
        upper = parse_numeral(rest[m.end():]) if m else None
        if upper is None:
            bound = ""
    if unit is not None:
        return make_amount(numeral, unit.dimension, unit.name, unit.factor, unit.offset, bound, upper)
    return make_amount(numeral, dimension, "", 1.0, 0.0, bound, upper)


def add_amounts(amounts: list[Amount]) -> Amount:
    """The sum of coordinated amounts of one dimension: '20 Kenyans and a Ugandan' → 21."""
    first = amounts[0]
    return replace(first, low=sum(a.low for a in amounts), high=sum(a.high for a in amounts),
                   exact=sum(a.exact for a in amounts), bound="" if all(not a.bound for a in amounts) else "about",
                   step=max(a.step for a in amounts), round_step=0.0)


RELATIVE_ROUNDING = 0.05  # a round number stands for values within 5% that round to it


def compatible(a: Amount, b: Amount) -> bool:
    """Can both amounts be true of one quantity?

    Intervals from the wording must meet. Across different written units each value
    may also be off by half its last digit (a conversion rounds), and a round number
    ('290', '3,000') may be a rounding of a close, less round one ('288', '2,946').
    """
    if a.dimension != b.dimension:
        return False
    if intervals_meet(a.low, a.high, b.low, b.high):
        return True
    if a.unit != b.unit and intervals_meet(a.low - a.step, a.high + a.step, b.low - b.step, b.high + b.step):
        return True
    for x, y in ((a, b), (b, a)):
        # y is round: x rounds to it (within half its rounding unit and a few per cent).
        gap = abs(x.exact - y.exact)
        if y.round_step and not y.bound and y.exact and gap <= y.round_step \
                and gap / abs(y.exact) <= RELATIVE_ROUNDING and x.round_step < y.round_step:
            return True
    return False


def intervals_meet(lo1: float, hi1: float, lo2: float, hi2: float) -> bool:
    """Closed intervals meet; two bands that only touch ('21 ft' and '22 ft' widened by half a foot) do not."""
    point1, point2 = lo1 == hi1, lo2 == hi2
    if point1 and point2:
        return math.isclose(lo1, lo2, rel_tol=1e-9, abs_tol=1e-12)
    lo, hi = max(lo1, lo2), min(hi1, hi2)
    if lo > hi and not math.isclose(lo, hi, rel_tol=1e-9):
        return False
    if point1 or point2:
        return True  # a point on the edge of a band meets it: 'at least 275' and 275
    return hi - lo > 1e-9 * max(1.0, abs(lo))


def describe(amount: Amount) -> str:
    """A short display form in the written unit: '6.7 m', '$2.5 billion', '21 people'."""
    factor, offset = unit_factor(amount)
    text = format_number((amount.exact - offset) / factor)
    if amount.dimension.startswith("money:"):
        return f"{text} {amount.unit.upper()}"
    if amount.unit == "%":
        return text + "%"
    return f"{text} {amount.unit}" if amount.unit else text


@lru_cache(maxsize=256)
def _pint_factor(name: str) -> tuple[float, float]:
    registry = unit_registry()
    try:
        one = registry.Quantity(1.0, name).to_base_units().magnitude
        zero = registry.Quantity(0.0, name).to_base_units().magnitude
    except Exception:  # an unknown short name: show the base value
        return 1.0, 0.0
    return float(one - zero), float(zero)


def unit_factor(amount: Amount) -> tuple[float, float]:
    """(factor, offset) from the written unit to the base unit of `amount`."""
    if amount.dimension.startswith("money") or amount.dimension in ("count", "percent", "magnitude", "age") \
            or not amount.unit:
        return 1.0, 0.0
    if amount.unit in {u.rstrip("s") for u in CALENDAR_UNITS} or amount.unit in CALENDAR_UNITS:
        return CALENDAR_UNITS.get(amount.unit, CALENDAR_UNITS.get(amount.unit + "s", 1.0)), 0.0
    name = {"km/h": "km_per_hour", "mile": "mile", "°C": "degC", "°F": "degF", "kn": "knot"}.get(amount.unit,
                                                                                                amount.unit)
    return _pint_factor(name.replace("²", "**2").replace("³", "**3"))


def format_number(value: float) -> str:
    if math.isinf(value):
        return "∞"
    if abs(value) >= 1e9 and value % 1e7 == 0:
        return f"{value / 1e9:g} billion"
    if abs(value) >= 1e6 and value % 1e4 == 0:
        return f"{value / 1e6:g} million"
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def is_identifier(text: str) -> bool:
    """Codes and model names: 'S-400', 'F-16', 'KF482', '9K4410', 'A320', 'COVID-19', 'RB-31207'."""
    t = text.strip()
    return bool(re.fullmatch(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]{1,6}(?:[-‑][A-Za-z0-9]{1,6}){0,2}", t)) \
        and not re.fullmatch(r"\d+(?:st|nd|rd|th|s|m|k|bn|km|kg|ft|mph)", t, re.IGNORECASE)
