"""Segmenting: article text → paragraphs (blocks) → sentences → claims.

Blocks are the lines of the cleaned text, so a headline or subheading without a
full stop never swallows the paragraph after it. A line longer than
`MAX_BLOCK_CHARS` (a whole article pasted as one line, a 5 MB scrape) is cut into
chunks of at most that size, between sentences where it can be, so no parse is
ever longer than a chunk: the cost of parsing and fact extraction stays linear in
the length of the text, and spaCy's own length limit is never reached. Inside a block spaCy's parser
finds sentence boundaries (it knows "Mr.", "U.S.", quotes). A sentence that
joins several assertions with "and"/"but" is split into claims, one per
coordinated verb, so "the S-400 is located in Ankara and is fully operational
in April 2020" yields two claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING_MAX_WORDS = 14
SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")
# Longest block parsed at once: far above any real paragraph (the longest in the sample corpora
# and ../shared/realnews is under 1,000 characters), far below spaCy's 1,000,000-character limit.
MAX_BLOCK_CHARS = 5_000
# A place to cut a long line: the end of a sentence, then spaces, before what opens the next one.
CHUNK_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]]*(\s+)(?=[\"“‘'(\[]?[A-Z0-9])")
# Words whose full stop does not end a sentence ("Mr. Kalo", "U.S. officials", "J. Smith").
ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Prof|Capt|Col|Lt|Sgt|Maj|Adm|Cmdr|"
                          r"Rev|Hon|No|Nos|Vol|Fig|Inc|Ltd|Co|Corp|Bros|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|"
                          r"Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z]|\b(?:[A-Za-z]\.)+[A-Za-z])\.$")


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    text: str
    part: bool = False  # a chunk of a line too long to parse at once: never a heading

    @property
    def is_heading(self) -> bool:
        return (not self.part and not SENTENCE_END.search(self.text)
                and len(self.text.split()) <= HEADING_MAX_WORDS)


def chunk_spans(line: str, limit: int = MAX_BLOCK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of pieces of `line` of at most `limit` characters, whitespace trimmed.

    Each cut is at the last sentence end in the second half of the window, else at its
    last space, else at the window's end. Each window is scanned once: linear time.
    """
    spans: list[tuple[int, int]] = []
    pos, n = 0, len(line)
    while n - pos > limit:
        window = pos + limit
        cut = 0
        for m in CHUNK_BREAK.finditer(line, pos + limit // 2, window + 1):
            if m.start(1) <= window and not ABBREVIATION.search(line, max(pos, m.start() - 12), m.start()):
                cut = m.start(1)
        if not cut:
            space = max(line.rfind(" ", pos + 1, window + 1), line.rfind("\t", pos + 1, window + 1))
            cut = space if space > pos else window
        end = cut
        while end > pos and line[end - 1].isspace():
            end -= 1
        if end > pos:
            spans.append((pos, end))
        pos = cut
        while pos < n and line[pos].isspace():
            pos += 1
    if pos < n:
        spans.append((pos, n))
    return spans


def split_blocks(text: str) -> list[Block]:
    """Non-empty lines of `text` with their offsets; lines over `MAX_BLOCK_CHARS` in chunks."""
    blocks = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + len(line) - len(line.lstrip())
        if len(stripped) <= MAX_BLOCK_CHARS:
            blocks.append(Block(start, start + len(stripped), stripped))
            continue
        for lo, hi in chunk_spans(stripped):
            blocks.append(Block(start + lo, start + hi, stripped[lo:hi], part=True))
    return blocks


def sentence_spans(doc) -> list[tuple[int, int]]:
    """Character (start, end) of each sentence of a parsed block.

    spaCy occasionally breaks after an abbreviation or inside a quote; a piece that
    starts in lower case or is only punctuation is glued back to the one before.
    """
    spans: list[list[int]] = []
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        end = start + len(text)
        glue = spans and (text[0].islower() or not any(ch.isalnum() for ch in text)
                          or text[0] in "”’\"')]")
        if glue:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [(s, e) for s, e in spans]


# Dependencies that open a clause of their own: a subordinate clause states its own claim.
CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "advcl", "relcl", "acl", "parataxis", "csubj", "csubjpass"}


def is_clause_head(tok) -> bool:
    if tok.head.i == tok.i:
        return True
    return tok.dep_ in CLAUSE_DEPS and tok.pos_ in ("VERB", "AUX")


def clause_heads(sent) -> list:
    """Tokens that head a clause: the root, coordinated verbs and subordinate clauses."""
    return [tok for tok in sent if is_clause_head(tok)]


def clause_of(tok):
    """The head of the smallest clause containing `tok`."""
    cur = tok
    while not is_clause_head(cur):
        cur = cur.head
    return cur


def clause_tokens(sent, heads) -> dict[int, list]:
    """Each clause head's own tokens: its subtree without the clauses nested in it."""
    owned: dict[int, list] = {h.i: [] for h in heads}
    for tok in sent:
        owned[clause_of(tok).i].append(tok)
    return owned
