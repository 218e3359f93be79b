import math

import pytest

from discrepancy.quantities import compatible, parse_quantity, unit_of


def q(text):
    value = parse_quantity(text)
    assert value is not None, text
    return value


def test_bounds_ranges_and_rounding_are_compatible():
    assert compatible(q("at least 10"), q("12"))
    assert compatible(q("about 2.5 billion"), q("2.48 billion"))
    assert compatible(q("$2.5 billion"), q("2.46 billion"))
    assert compatible(q("10-12"), q("11"))
    assert q("more than 1,000").high == math.inf


def test_different_counts_conflict():
    assert not compatible(q("12"), q("15"))
    assert not compatible(q("4,200"), q("2,400"))
    assert not compatible(q("300"), q("299"))


@pytest.mark.parametrize("text", ["S-400", "F-35s", "A320", "dozens"])
def test_identifiers_and_vague_amounts_are_not_quantities(text):
    assert parse_quantity(text) is None


def test_units():
    assert unit_of("$2.5 billion") == "usd"
    assert unit_of("€12m") == "eur"
    assert unit_of("300-metre") == "m"
    assert unit_of("64.1%") == "%"
