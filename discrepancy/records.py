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
class Amount:
    """A number as a closed interval in the base unit of what it measures.

    `low`/`high` are the bounds the wording gives ("at least 10" is [10, inf),
    "about 2.5 km" a band), `exact` the number as written; all three in base units
    (metres, seconds, metres per second, US dollars stay dollars...). `step` is half
    the last written digit in base units: what rounding or a unit conversion may hide.
    """

    low: float
    high: float
    exact: float
    dimension: str  # count | length | duration | speed | mass | area | volume | magnitude | percent | money:usd…
    unit: str = ""  # the unit as written, normalised ('ft', 'km', 'usd'); '' for plain counts
    bound: str = ""  # '' | about | lower | upper | nearly | range
    step: float = 0.0
    round_step: float = 0.0  # 10^trailing zeros / 2 for a round number ('290', '3,000'): it may be rounded

    @property
    def approximate(self) -> bool:
        return bool(self.bound)


@dataclass(frozen=True)
class Value:
    """A typed value stated by a clause, with what it is about.

    Offsets are characters within the sentence. `context` are the clause's character
    ranges without the value itself: embedded, they say what question the value answers.
    `head` is what is measured or counted ('ferry', 'people', 'toll'), `verb` the
    verb the value hangs on; both have spans for their contextual vectors.
    """

    kind: str  # quantity | date | time | place | direction | name | identifier | polarity
    text: str
    start: int
    end: int
    norm: str  # comparable form, also shown in reasons: '6.7 m', '12 July 2019', 'anamur mersin'
    amount: Amount | None = None
    date: DateValue | None = None
    weekday: int = -1  # 0 = Monday, when the text names the day of the week
    role: str = ""  # place: at | from | to; name: office; time: zone; direction: the reference place
    head: str = ""
    head_span: tuple[int, int] = (-1, -1)
    verb: str = ""
    verb_span: tuple[int, int] = (-1, -1)
    context: tuple[tuple[int, int], ...] = ()
    entities: frozenset[str] = frozenset()  # folded names in the clause, the value excluded
    keys: frozenset[str] = frozenset()  # content lemmas of the clause, the value excluded
    ordinals: frozenset[str] = frozenset()  # 'first', 'second'... in the value's phrase or clause
    scope: tuple[DateValue, ...] = ()  # dates stated in the same clause
    places: frozenset[str] = frozenset()  # places named in the same clause (another scope)
    relative: str = ""  # relative date expression awaiting the publication date
    negated: bool = False
    parts: int = 1  # > 1 for a total of coordinated counts ('20 Kenyans and a Ugandan')
    increment: bool = False  # 'four more bodies', 'another 12': may add to an earlier figure
    coordinated: bool = False  # one figure of a breakdown ('7 passengers and three crew members')
    background: bool = False  # a date long before the article: history, not the news event
    question: str = ""  # what the value answers, in its clause's words: 'when the bridge was built'


@dataclass(frozen=True)
class Claim:
    """One assertion: a clause of a sentence, with the typed values it states."""

    id: str
    sentence_id: str
    doc_id: str
    text: str
    start: int  # offsets in the document text
    end: int
    negated: bool = False
    hedge: str = ""  # "it is believed", "reportedly"...
    attribution: str = ""  # "according to Turkish media", "police said"...
    values: tuple[Value, ...] = ()
    verb: str = ""  # lemma of the clause's verb
    keys: frozenset[str] = frozenset()  # content lemmas of the clause
    sentence: str = ""  # the whole sentence, for quoting
    offset: int = 0  # where the sentence starts in the document: value offsets are sentence-relative


@dataclass(frozen=True)
class CandidatePair:
    """Two claims from different articles that the aligner thinks may talk about the same thing."""

    a: str  # claim id
    b: str
    similarity: float  # the two sentences' cosine, topic removed
    via: str  # "value": a candidate value pair


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
    url: str = ""  # the article's address when known ('' otherwise)


@dataclass(frozen=True)
class Side:
    """One distinct value in a disagreement and every claim that states it."""

    value: str
    claims: tuple[ClaimRef, ...]


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
    question: str = ""  # what the values answer, in a claim's words: 'when the bridge was built'


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
class VersionDifference:
    """A value that changed between syndicated copies of one text (an updated wire story).

    `sides` hold one distinct value each, quoted from every copy stating it, earliest
    publication first; the copies stay one source for corroboration all the same.
    """

    id: str
    type: str  # number | date | time | location | name | polarity (as for findings)
    question: str  # what the value answers: 'how many: people', 'where', 'date'
    reason: str
    sides: tuple[Side, ...]


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str
    language: str = ""  # the language's name when the file was not analysed for its language


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
    single_source_more: int = 0  # notable single-source claims beyond the listed ones
    duplicates: list[DuplicateGroup] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    rejected: list[Finding] = field(default_factory=list)
    model_label: str = ""
    versions: list[VersionDifference] = field(default_factory=list)
