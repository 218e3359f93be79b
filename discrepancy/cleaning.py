"""Cleaning: keep the article prose, drop page furniture, and record what was dropped.

Rules work line by line on the body because web copy-paste keeps furniture on
lines of its own: photo credits and the caption line above them, share and
newsletter footers, comment forms, view counters, a repeated headline.
"""

from __future__ import annotations

import re
import unicodedata

from .records import Document, DroppedText, RawDocument

CREDIT = re.compile(
    r"^\(?\s*(?:photo|image|picture|pic|video|illustration|graphic|file photo|caption)s?"
    r"(?:\s*(?:credit|courtesy|source))?\s*(?:[:|–—-]|by\b)",
    re.IGNORECASE,
)
CREDIT_TAIL = re.compile(r"\((?:photo|image|picture)s?\s+(?:by|credit|courtesy)[^)]*\)\s*$", re.IGNORECASE)
AGENCY_CREDIT = re.compile(
    r"^[\w .'-]{0,60}/\s*(?:AFP|AP|Reuters|Getty Images|EPA|Anadolu|Xinhua|dpa|Shutterstock)\b.*$",
    re.IGNORECASE,
)
FOOTER = re.compile(
    r"^(?:follow us\b|subscribe\b|sign up\b|share (?:this|on)\b|share:|related(?: articles| stories)?:|"
    r"read (?:more|also)\b|more about:|tags?:|advertisement$|ad$|news ?line$|our standards:|"
    r"copyright\b|©|all rights reserved|click here\b|download (?:our|the) app\b|"
    r"your email address will not be published|required fields are marked|"
    r"no comments yet|be the first to comment|log in to comment|join the conversation)",
    re.IGNORECASE,
)
COMMENTS_START = re.compile(
    r"^(?:comments?(?: \(\d+\))?|leave a reply|leave a comment|\d+ comments?)\s*$"
    r"|^(?:have your say\b|\d+ comments?\b|join the discussion\b|show comments\b|view comments\b)",
    re.IGNORECASE,
)
# 'Updated 6:12 PM EST, Tue January 14, 2025', '14/01/2025 | 15:22 | Updated: 16:05'
TIMESTAMP = re.compile(
    r"^(?:(?:published|updated|posted|last updated|first published)\b[\s:]*.{0,60}\d.{0,40}|"
    r"[\d/.\-: |]+(?:\|\s*(?:updated|published)\b.*)?)$",
    re.I,
)
COUNTER = re.compile(r"(?:^|\s)(?:read|views?|reads):\s*\d[\d,]*\s*$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def normalise_line(line: str) -> str:
    text = unicodedata.normalize("NFKC", line).casefold()
    return re.sub(r"\W+", " ", text).strip()


def is_credit(line: str) -> bool:
    stripped = line.strip()
    return bool(
        CREDIT.match(stripped) or CREDIT_TAIL.search(stripped)
        or (len(stripped) < 80 and AGENCY_CREDIT.match(stripped))
    )


def reports_a_fact(line: str) -> bool:
    """Whether a full sentence reports in the past or perfect tense, or with a modal ('declared',
    'has been closed', 'will reopen'), as news prose does; captions describe the picture in the
    present ('Rescuers search the rubble', 'A man is carried from the scene') or with a bare
    participle ('Smoke rising above Harlow Road on Monday.'). Tense comes from spaCy's tagger:
    suffixes cannot tell 'declared' (a verb) from 'stranded' (an adjective)."""
    from .nlp import load_nlp  # loaded only for the rare full sentence sitting above a photo credit

    for sentence in load_nlp()(line).sents:
        root = sentence.root
        if root.tag_ == "VBD":
            return True
        for aux in root.children:
            if aux.dep_ in ("aux", "auxpass") and (aux.tag_ in ("VBD", "MD") or aux.lower_ in ("has", "have")):
                return True
    return False


def is_caption_like(line: str) -> bool:
    """The line above a photo credit is its caption when it is short: under 25 words without
    closing punctuation, or under 15 words at all ('Smoke rising above Harlow Road on Monday.').
    A long sentence above a credit is prose the page happened to put there, and so is a full
    sentence that reports a fact the way prose does (`reports_a_fact`)."""
    stripped = line.strip()
    words = len(stripped.split())
    if not stripped:
        return False
    if not SENTENCE_END.search(stripped):
        return words <= 25
    return words <= 15 and not (words >= 4 and reports_a_fact(stripped))


def clean_body(body: str, title: str = "") -> tuple[str, tuple[DroppedText, ...]]:
    """Return (article text, dropped pieces) for a raw body. Pure function."""
    lines = body.split("\n")
    keep = [True] * len(lines)
    reasons: dict[int, str] = {}

    def drop(i: int, reason: str) -> None:
        if keep[i]:
            keep[i] = False
            reasons[i] = reason

    title_key = normalise_line(title)
    seen_first = False
    in_comments = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if in_comments:
            drop(i, "comments")
            continue
        if COMMENTS_START.match(stripped):
            in_comments = True
            drop(i, "comments")
            continue
        key = normalise_line(stripped)
        if not seen_first:
            seen_first = True
            if title_key and key == title_key:
                drop(i, "repeated headline")
                continue
        elif key and key == title_key:
            drop(i, "repeated headline")
            continue
        if is_credit(stripped):
            drop(i, "photo credit")
            # The caption sits on the line just above its credit, when it reads like one.
            j = i - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if j >= 0 and keep[j] and is_caption_like(lines[j]):
                drop(j, "caption")
            continue
        if FOOTER.match(stripped):
            drop(i, "footer")
            continue
        if COUNTER.search(stripped) and len(stripped.split()) <= 8:
            drop(i, "counter")
            continue
        if len(stripped.split()) <= 12 and TIMESTAMP.match(stripped) and not SENTENCE_END.search(stripped):
            drop(i, "timestamp")
            continue

    kept = [line.rstrip() if keep[i] else "" for i, line in enumerate(lines)]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    dropped = tuple(DroppedText(lines[i].strip(), reasons[i]) for i in sorted(reasons))
    return text, dropped


def clean_document(raw: RawDocument) -> Document:
    # A title taken from the first line is not "repeated": the first line is all we know of it.
    text, dropped = clean_body(raw.body, raw.title if raw.title_given else "")
    return Document(
        id=raw.id,
        path=raw.path,
        title=raw.title,
        source=raw.source,
        published=raw.published,
        url=raw.url,
        text=text,
        dropped=dropped,
    )
