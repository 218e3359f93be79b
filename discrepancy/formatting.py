"""Small wording helpers shared by the reports and the command line.

`plural` writes "1 conflict" / "2 conflicts"; `clip` shortens a quote at a word
boundary; `ratio` writes a precision or recall, or "—" where it is undefined
(nothing flagged, nothing labeled) instead of a misleading 0.00.
"""

from __future__ import annotations

NOT_DEFINED = "—"
ELLIPSIS = "…"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`count` and the noun in the right number: plural(1, "conflict") == "1 conflict"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def clip(text: str, width: int) -> str:
    """`text` on one line, at most `width` characters, cut at a word boundary with "…".

    A single word longer than `width` is the only thing ever cut inside a word.
    """
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    room = max(1, width - len(ELLIPSIS))
    cut = text[:room + 1].rstrip()
    if len(cut) > room:  # the character after the room is part of a word: go back to its start
        space = cut.rfind(" ", 0, room + 1)
        cut = cut[:space] if space > 0 else cut[:room]
    return cut.rstrip(" ,;:") + ELLIPSIS


def ratio(value: float, defined: bool) -> str:
    """A rate with two decimals, or "—" when it is undefined (its denominator is zero)."""
    return f"{value:.2f}" if defined else NOT_DEFINED


def score_cells(precision: float, recall: float, f1: float, flagged: int, labels: int) -> list[str]:
    """Precision, recall and F1 cells: precision is undefined with nothing flagged, recall with no
    labels; F1 is shown whenever one of them is defined (it is 0 when the other is 0 or undefined)."""
    has_p, has_r = flagged > 0, labels > 0
    return [ratio(precision, has_p), ratio(recall, has_r), ratio(f1, has_p or has_r)]


def scorer_label(settings: dict) -> str:
    """Which slot scorer decided: the packaged one, or the file a user tuned (named by its file name)."""
    from pathlib import Path

    path = settings.get("scorer") or ""
    return f"slot scorer {Path(path).name}" if path else "packaged slot scorer"
