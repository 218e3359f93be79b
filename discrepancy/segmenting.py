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


def claim_heads(sent) -> list:
    """Tokens that head one claim each: the main verb and verbs coordinated with it.

    Reporting verbs ("X said that ...") hand the claim to their complement, so the
    reported content is what gets compared and the speaker becomes attribution.
    """
    from .facts import DENIAL_VERBS, DENIED_NOUNS, REPORTING_VERBS

    def content_head(tok):
        # "it is believed that X", "police said X", "officials denied reports that X": the claim is X
        # (a denied X is marked negated by facts.is_negated).
        for _ in range(3):
            lemma = tok.lemma_.lower()
            if lemma not in REPORTING_VERBS and lemma not in DENIAL_VERBS:
                break
            comps = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")]
            if not comps and lemma in DENIAL_VERBS:
                comps = [g for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in DENIED_NOUNS
                         for g in c.children if g.dep_ in ("acl", "ccomp", "relcl") and g.pos_ in ("VERB", "AUX")]
            if not comps:
                break
            tok = comps[0]
        return tok

    result = []
    queue = [sent.root]
    seen = set()
    while queue:
        tok = queue.pop(0)
        head = content_head(tok)
        if head.i in seen:
            continue
        seen.add(head.i)
        result.append(head)
        for node in {tok, head}:
            for child in node.children:
                if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and child.i > node.i:
                    queue.append(child)
    return sorted(result, key=lambda t: t.i)


def claim_tokens(sent, heads) -> list[list]:
    """Partition the sentence's tokens between claim heads (shared material goes to the first)."""
    owner: dict[int, int] = {}
    for n, head in sorted(enumerate(heads), key=lambda nh: -len(list(nh[1].subtree))):
        for tok in head.subtree:
            owner[tok.i] = n  # deeper (smaller) subtrees overwrite their ancestors
    groups: list[list] = [[] for _ in heads]
    for tok in sent:
        n = owner.get(tok.i, 0)
        groups[n].append(tok)
    # A trailing conjunction or punctuation belongs to no claim.
    for group in groups:
        while group and (group[-1].dep_ in ("cc", "punct") and group[-1].text not in ".!?”\")]’'"):
            group.pop()
    return groups
