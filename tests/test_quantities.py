"""Numbers typed by what they measure: units from pint, bounds from the wording, rounding and conversion."""

import math

import pytest

from discrepancy.quantities import compatible, describe, is_identifier, parse_amount, parse_numeral, unit_of


def amount(text, unit=None):
    value = parse_amount(text, unit=unit_of(unit) if unit else None)
    assert value is not None, text
    return value


@pytest.mark.parametrize("word, dimension, name", [
    ("feet", "length", "ft"), ("kilometres", "length", "km"), ("miles", "length", "mile"),
    ("kmph", "speed", "km/h"), ("km/h", "speed", "km/h"), ("knots", "speed", "kn"), ("minutes", "duration", "min"),
    ("hours", "duration", "h"), ("tonnes", "mass", "t"), ("hectares", "area", "ha"), ("sq km", "area", "km²"),
    ("cubic metres", "volume", "m³"), ("nautical miles", "length", "nmi"), ("years", "duration", "year"),
])
def test_unit_words_get_a_dimension(word, dimension, name):
    unit = unit_of(word)
    assert (unit.dimension, unit.name) == (dimension, name)


@pytest.mark.parametrize("word", ["has", "point", "a", "in", "pounds", "said"])
def test_english_words_pint_knows_are_not_units(word):
    assert unit_of(word) is None


def test_conversion_makes_feet_and_metres_comparable():
    assert compatible(amount("22", "ft"), amount("6.7", "m"))  # 22 ft = 6.71 m
    assert not compatible(amount("21", "ft"), amount("6.7", "m"))  # 21 ft = 6.40 m
    assert compatible(amount("180", "miles"), amount("290", "km"))
    assert not compatible(amount("160", "km"), amount("160", "miles"))  # same number, other unit


def test_one_unit_apart_in_the_same_unit_conflicts():
    assert not compatible(amount("21", "ft"), amount("22", "ft"))
    assert not compatible(amount("126", "km/h"), amount("128", "kmph"))
    assert compatible(amount("128", "km/h"), amount("128", "kmph"))


def test_wording_makes_bands():
    assert amount("at least 10").high == math.inf
    assert amount("nearly 1,000").low == pytest.approx(900)
    assert compatible(amount("about 70", "km"), amount("74", "km"))
    assert compatible(amount("at least 275"), amount("275"))
    assert compatible(amount("10 to 12"), amount("11"))
    assert not compatible(amount("over 270"), amount("260"))


def test_a_round_number_may_round_a_close_one():
    assert compatible(amount("290", "km"), amount("288", "km"))
    assert compatible(amount("3,000"), amount("2,946"))
    assert not compatible(amount("100"), amount("60"))  # 60 is not 'about a hundred'
    assert not compatible(amount("8,200"), amount("8,300"))  # two round figures that differ


@pytest.mark.parametrize("text, value", [("1,100", 1100), ("2 1/2", 2.5), ("twenty-five", 25), ("a dozen", 12),
                                         ("2.5 billion", 2.5e9), ("$2.5m", 2.5e6), ("two million", 2e6)])
def test_numerals(text, value):
    assert parse_numeral(text).value == pytest.approx(value)


@pytest.mark.parametrize("text", ["dozens", "several", "hundreds of"])
def test_vague_amounts_are_not_amounts(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["S-400", "KF482", "9K4410", "A320", "COVID-19", "RB-31207"])
def test_codes_are_identifiers(text):
    assert is_identifier(text)


def test_description_keeps_the_written_unit():
    assert describe(amount("6.7", "metres")) == "6.7 m"
    assert describe(amount("8,200", "hours")) == "8,200 h"
    assert describe(amount("1.5", "km")) == "1.5 km"
