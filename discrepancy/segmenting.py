"""Segmenting: article text → paragraphs (blocks) → sentences → claims.

Blocks are the lines of the cleaned text, so a headline or subheading without a
full stop never swallows the paragraph after it. Inside a block spaCy's parser
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


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    text: str

    @property
    def is_heading(self) -> bool:
        return not SENTENCE_END.search(self.text) and len(self.text.split()) <= HEADING_MAX_WORDS


def split_blocks(text: str) -> list[Block]:
    """Non-empty lines of `text` with their offsets."""
    blocks = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        stripped = line.strip()
        if not stripped:
            continue
        lead = len(line) - len(line.lstrip())
        blocks.append(Block(m.start() + lead, m.start() + lead + len(stripped), stripped))
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
