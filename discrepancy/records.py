"""Typed records passed between pipeline stages.

Every stage takes and returns these small frozen dataclasses, so a stage can be
called on its own from tests or a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DroppedText:
    """A piece of the raw file that cleaning removed, and why."""

    text: str
    reason: str


@dataclass(frozen=True)
class RawDocument:
    """A file as read from disk: front matter plus body, nothing removed yet."""

    id: str
    path: str
    title: str
    source: str
    published: date | None
    url: str
    body: str
    encoding: str = "utf-8"
    title_given: bool = True  # False when the title was taken from the first line


@dataclass(frozen=True)
class Document:
    """A cleaned article: `text` holds the article prose only."""

    id: str
    path: str
    title: str
    source: str
    published: date | None
    url: str
    text: str
    dropped: tuple[DroppedText, ...] = ()

    @property
    def published_label(self) -> str:
        return self.published.isoformat() if self.published else "unknown"


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document, with character offsets into `Document.text`."""

    id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int
    is_heading: bool = False


@dataclass(frozen=True)
class DateValue:
    """A calendar interval [start, end] with its granularity (day, month, season, year...)."""

    start: date
    end: date
    granularity: str

    def overlaps(self, other: DateValue) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class Quantity:
    """A number as a closed interval: "at least 10" is (10, inf), "about 2.5 billion" a band."""

    low: float
    high: float
    exact: float
    approximate: bool = False


@dataclass(frozen=True)
class Fact:
    """A typed value stated by a claim, with the frame that says what it is about.

    `predicate` is the normalised verb class the value hangs on (locate, kill,
    deliver...), `attribute` the head noun or unit (people, metre, usd),
    `anchors` the content lemmas of the rest of the claim (who/what it is about).
    """

    type: str  # location | date | number | name | polarity
    text: str  # surface form as written
    norm: str  # normalised, comparable form
    predicate: str
    attribute: str = ""
    role: str = ""  # preposition or syntactic role that links the value to the predicate
    subject: str = ""  # surface text of the claim's subject, for the reason line
    subject_keys: frozenset[str] = frozenset()  # "^" marks a proper name or code
    anchors: frozenset[str] = frozenset()
    date: DateValue | None = None
    quantity: Quantity | None = None
    relative: str = ""  # relative date expression awaiting the publication date
    inferred: bool = False  # value taken from the previous sentence's context
    negated: bool = False
    scope: tuple[DateValue, ...] = ()  # for numbers: the dates the figure holds at


@dataclass(frozen=True)
class Claim:
    """One assertion: a sentence, or one conjunct of a sentence that carries several."""

    id: str
    sentence_id: str
    doc_id: str
    text: str
    start: int
    end: int
    predicate: str = ""
    negated: bool = False
    hedge: str = ""  # "it is believed", "reportedly"...
    attribution: str = ""  # "according to Turkish media", "police said"...
    facts: tuple[Fact, ...] = ()
    keys: frozenset[str] = frozenset()  # content words of the claim
    object: str = ""  # head lemma of what the predicate acts on ("request")
    participants: frozenset[str] = frozenset()  # agent keys, and theme keys prefixed "~"
    sentence: str = ""  # the whole sentence the claim comes from, for quoting


@dataclass(frozen=True)
class CandidatePair:
    """Two claims from different articles that the aligner thinks may talk about the same thing."""

    a: str  # claim id
    b: str
    similarity: float
    via: str  # "embedding" or "fact-key"


@dataclass(frozen=True)
class ClaimRef:
    """A quoted claim: `text` is its whole sentence, `claim` the part that states the value."""

    doc: str
    text: str
    sentence_id: str = ""
    claim_id: str = ""
    value: str = ""
    published: str = "unknown"
    source: str = "unknown"
    hedge: str = ""
    attribution: str = ""
    claim: str = ""


@dataclass(frozen=True)
class Side:
    """One distinct value in a disagreement and every claim that states it."""

    value: str
    claims: tuple[ClaimRef, ...]


@dataclass(frozen=True)
class Comparison:
    """The verdict on one aligned pair of facts."""

    verdict: str  # conflict | agreement | unrelated
    type: str
    score: float
    similarity: float
    reason: str
    a: ClaimRef
    b: ClaimRef
    frame: str = ""
    update: bool = False


@dataclass(frozen=True)
class Finding:
    id: str
    kind: str  # conflict | agreement
    type: str
    score: float
    similarity: float
    reason: str
    a: ClaimRef
    b: ClaimRef
    sides: tuple[Side, ...] = ()
    sources: int = 2
    update: bool = False
    review_status: str = "unreviewed"
    review_note: str = ""


@dataclass(frozen=True)
class SingleSourceClaim:
    doc: str
    text: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateGroup:
    """Articles that are copies of one another (syndicated wire text): one source."""

    doc_ids: tuple[str, ...]
    similarity: float


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass
class CheckResult:
    """Everything `check` produced, ready for reporting."""

    corpus: str
    documents: list[Document]
    sentences: list[Sentence]
    claims: list[Claim]
    pairs: list[CandidatePair]
    findings: list[Finding]
    single_source: list[SingleSourceClaim] = field(default_factory=list)
    duplicates: list[DuplicateGroup] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    rejected: list[Finding] = field(default_factory=list)
    model_label: str = ""
