"""Wording helpers: plurals, quotes cut at word boundaries, "—" where a rate is undefined."""

import pytest

from discrepancy.formatting import clip, plural, ratio, score_cells


def test_plural():
    assert plural(1, "conflict") == "1 conflict"
    assert [plural(n, "conflict") for n in (0, 2)] == ["0 conflicts", "2 conflicts"]
    assert plural(1, "entry", "entries") == "1 entry" and plural(3, "entry", "entries") == "3 entries"
    assert plural(1200, "sentence") == "1,200 sentences"


@pytest.mark.parametrize("width", range(8, 60))
def test_clip_never_cuts_inside_a_word(width):
    text = "Turkey has not yet revealed where the Russian air defense system is installed in the county"
    clipped = clip(text, width)
    assert len(clipped) <= width and clipped.endswith("…")
    words = clipped[:-1].split()
    assert words == text.split()[:len(words)]  # whole words, in order, none cut


def test_clip_keeps_short_text_and_collapses_whitespace():
    assert clip("a  short\nquote", 40) == "a short quote"
    assert clip("Supercalifragilistic", 8) == "Superca…"  # a single long word is the only cut


def test_ratio_and_score_cells():
    assert ratio(0.5, True) == "0.50" and ratio(0.0, False) == "—"
    assert score_cells(0.0, 0.0, 0.0, flagged=0, labels=3) == ["—", "0.00", "0.00"]  # nothing flagged
    assert score_cells(0.0, 0.0, 0.0, flagged=2, labels=0) == ["0.00", "—", "0.00"]  # nothing labeled
    assert score_cells(0.0, 0.0, 0.0, flagged=0, labels=0) == ["—", "—", "—"]
    assert score_cells(1.0, 0.5, 0.6667, flagged=2, labels=4) == ["1.00", "0.50", "0.67"]
