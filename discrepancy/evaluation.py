"""Evaluation: match findings to labeled pairs and measure precision, recall and F1.

Labels are JSONL, one object per line:
  {"kind": "conflict"|"agreement", "a_file", "a", "b_file", "b", "type",
   "priority": "must"|"should"|"nice", "note"}
where `a` and `b` are exact quotes from the two files. A finding matches a label
when two of its claims on different sides overlap the two quoted passages.
Flagged conflicts that match no conflict label count against precision and are
listed, so a person can label them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DiscrepancyError
from .loading import article_files, read_text
from .records import CheckResult, ClaimRef, Document, Finding

LABEL_KINDS = {"conflict", "agreement"}
PRIORITIES = {"must", "should", "nice"}
LABEL_TEXT_FIELDS = ("kind", "a_file", "a", "b_file", "b", "type", "priority", "note")


@dataclass(frozen=True)
class Label:
    line: int
    kind: str
    a_file: str
    a: str
    b_file: str
    b: str
    type: str
    priority: str = "should"
    note: str = ""

    def as_json(self) -> dict:
        return {"kind": self.kind, "a_file": self.a_file, "a": self.a, "b_file": self.b_file, "b": self.b,
                "type": self.type, "priority": self.priority, "note": self.note}


@dataclass
class TypeScore:
    tp: int = 0  # flagged conflicts matching a conflict label
    fp: int = 0  # flagged conflicts matching none
    fn: int = 0  # conflict labels no finding matches
    labels: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return (self.labels - self.fn) / self.labels if self.labels else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    overall: TypeScore
    by_type: dict[str, TypeScore]
    matched: dict[int, list[str]]  # label line → finding ids
    missed: list[Label]
    false_agreements: list[tuple[Label, Finding]]  # labeled agreements flagged as conflicts
    unlabeled: list[Finding]
    must_recall: float
    flagged: int
    labels: list[Label] = field(default_factory=list)


def parse_labels(path: str | Path) -> list[Label]:
    """Read and validate a labels file. Raises `DiscrepancyError` naming the line at fault."""
    p = Path(path)
    if not p.is_file():
        raise DiscrepancyError(f"labels file not found: {p}")
    labels = []
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (UnicodeDecodeError, OSError) as err:
        raise DiscrepancyError(f"cannot read labels file {p}: {err}") from err
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise DiscrepancyError(f"{p}:{n}: not valid JSON ({err.msg})") from err
        if not isinstance(obj, dict):
            raise DiscrepancyError(f"{p}:{n}: expected a JSON object")
        wrong = next((k for k in LABEL_TEXT_FIELDS if obj.get(k) is not None and not isinstance(obj[k], str)), None)
        if wrong:
            raise DiscrepancyError(f"{p}:{n}: {wrong} must be a string, not {obj[wrong]!r}")
        missing = [k for k in ("kind", "a_file", "a", "b_file", "b") if not obj.get(k)]
        if missing:
            raise DiscrepancyError(f"{p}:{n}: missing field(s) {', '.join(missing)}")
        if obj["kind"] not in LABEL_KINDS:
            raise DiscrepancyError(f"{p}:{n}: kind must be conflict or agreement, not {obj['kind']!r}")
        priority = obj.get("priority") or "should"
        if priority not in PRIORITIES:
            raise DiscrepancyError(f"{p}:{n}: priority must be must, should or nice, not {priority!r}")
        labels.append(Label(n, obj["kind"], obj["a_file"], obj["a"], obj["b_file"], obj["b"],
                            obj.get("type") or "other", priority, obj.get("note") or ""))
    return labels


def check_quotes(labels: list[Label], corpus: str | Path, label_path: str | Path = "labels") -> None:
    """Every quote must be in its file: a label that quotes nothing can never be matched."""
    root = Path(corpus)
    texts: dict[str, str] = {}
    names = {p.name for p in article_files(root)}
    for label in labels:
        for file, quote in ((label.a_file, label.a), (label.b_file, label.b)):
            if file not in names:
                raise DiscrepancyError(f"{label_path}:{label.line}: file {file!r} is not an article in {root}")
            if file not in texts:
                texts[file] = " ".join(read_text(root / file)[0].split())
            if " ".join(quote.split()) not in texts[file]:
                raise DiscrepancyError(f"{label_path}:{label.line}: quote not found in {file}: {quote[:60]!r}")


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).lower()


def quote_span(doc: Document, quote: str) -> tuple[int, int] | None:
    """Character span of `quote` in the cleaned document text (whitespace-insensitive)."""
    text = doc.text
    i = text.find(quote)
    if i >= 0:
        return i, i + len(quote)
    words = quote.split()
    if not words:
        return None
    # Fall back to a whitespace-insensitive search.
    norm_text = _norm(text)
    j = norm_text.find(_norm(quote))
    if j < 0:
        return None
    # Map back approximately: proportional position is enough for overlap tests.
    scale = len(text) / max(1, len(norm_text))
    return int(j * scale), int((j + len(_norm(quote))) * scale) + 1


def ref_overlaps(ref: ClaimRef, doc_id: str, span: tuple[int, int] | None, spans: dict[str, tuple[int, int]]) -> bool:
    if ref.doc != doc_id or span is None:
        return False
    s = spans.get(ref.sentence_id)
    return s is not None and s[0] < span[1] and span[0] < s[1]


def finding_matches(finding: Finding, label: Label, docs: dict[str, Document],
                    spans: dict[str, tuple[int, int]]) -> bool:
    a_doc, b_doc = Path(label.a_file).stem, Path(label.b_file).stem
    if a_doc not in docs or b_doc not in docs:
        return False
    a_span, b_span = quote_span(docs[a_doc], label.a), quote_span(docs[b_doc], label.b)
    sides = [side.claims for side in finding.sides] or [(finding.a,), (finding.b,)]
    for i, side_x in enumerate(sides):
        for j, side_y in enumerate(sides):
            if i == j and len(sides) > 1:
                continue
            if any(ref_overlaps(x, a_doc, a_span, spans) for x in side_x) and \
                    any(ref_overlaps(y, b_doc, b_span, spans) for y in side_y):
                return True
    return False


def evaluate_result(result: CheckResult, labels: list[Label]) -> Evaluation:
    """Score the conflicts in `result` against `labels`."""
    docs = {d.id: d for d in result.documents}
    spans = {s.id: (s.start, s.end) for s in result.sentences}
    conflicts = [f for f in result.findings if f.kind == "conflict"]
    conflict_labels = [lb for lb in labels if lb.kind == "conflict"]
    agreement_labels = [lb for lb in labels if lb.kind == "agreement"]
    by_type: dict[str, TypeScore] = {}
    overall = TypeScore()
    matched: dict[int, list[str]] = {}
    for label in conflict_labels:
        hits = [f.id for f in conflicts if finding_matches(f, label, docs, spans)]
        matched[label.line] = hits
        score = by_type.setdefault(label.type, TypeScore())
        score.labels += 1
        overall.labels += 1
        if not hits:
            score.fn += 1
            overall.fn += 1
    matched_ids = {fid for ids in matched.values() for fid in ids}
    false_agreements = []
    unlabeled = []
    for f in conflicts:
        score = by_type.setdefault(f.type, TypeScore())
        if f.id in matched_ids:
            score.tp += 1
            overall.tp += 1
            continue
        score.fp += 1
        overall.fp += 1
        wrong = [lb for lb in agreement_labels if finding_matches(f, lb, docs, spans)]
        if wrong:
            false_agreements.extend((lb, f) for lb in wrong)
        else:
            unlabeled.append(f)
    musts = [lb for lb in conflict_labels if lb.priority == "must"]
    must_recall = sum(1 for lb in musts if matched[lb.line]) / len(musts) if musts else 1.0
    missed = [lb for lb in conflict_labels if not matched[lb.line]]
    return Evaluation(overall, dict(sorted(by_type.items())), matched, missed, false_agreements, unlabeled,
                      must_recall, len(conflicts), labels)




# --- several corpora, and leave-one-corpus-out ------------------------------------------------------

LABEL_FILES = ("labels.jsonl", "gold.jsonl")


def find_labels(corpus: str | Path) -> Path | None:
    """The labels file kept in a corpus folder (labels.jsonl, or gold.jsonl), if any."""
    for name in LABEL_FILES:
        path = Path(corpus) / name
        if path.is_file():
            return path
    return None


@dataclass(frozen=True)
class CorpusScore:
    """How the flagged conflicts of one corpus compare with its labels.

    `found[p]`/`labeled[p]`: conflict labels of priority p matched by a flag / in total;
    `flagged`: conflicts flagged; `real`: flags matching a labeled conflict (precision's
    numerator); `agreements_flagged`: labeled agreements a flag puts on two sides."""

    corpus: str
    labeled: dict[str, int]
    found: dict[str, int]
    flagged: int
    real: int
    agreements_flagged: int
    agreements: int
    threshold: float = 0.0

    @property
    def precision(self) -> float | None:
        return self.real / self.flagged if self.flagged else None

    def recall(self, priority: str | None = None) -> float | None:
        keys = [priority] if priority else list(PRIORITIES)
        total = sum(self.labeled.get(k, 0) for k in keys)
        return sum(self.found.get(k, 0) for k in keys) / total if total else None

    def __add__(self, other: CorpusScore) -> CorpusScore:
        keys = set(self.labeled) | set(other.labeled)
        return CorpusScore("total", {k: self.labeled.get(k, 0) + other.labeled.get(k, 0) for k in keys},
                           {k: self.found.get(k, 0) + other.found.get(k, 0) for k in keys},
                           self.flagged + other.flagged, self.real + other.real,
                           self.agreements_flagged + other.agreements_flagged, self.agreements + other.agreements)

    def as_dict(self) -> dict:
        return {"corpus": self.corpus, "labeled": dict(sorted(self.labeled.items())),
                "found": dict(sorted(self.found.items())), "flagged": self.flagged, "real": self.real,
                "precision": None if self.precision is None else round(self.precision, 4),
                "agreements": self.agreements, "agreements_flagged": self.agreements_flagged,
                "threshold": self.threshold}


def score_result(result: CheckResult, labels: list[Label], threshold: float = 0.0) -> CorpusScore:
    """`evaluate_result`, summed up the way the README's table reports it."""
    ev = evaluate_result(result, labels)
    conflicts = [lb for lb in labels if lb.kind == "conflict"]
    labeled = {p: sum(1 for lb in conflicts if lb.priority == p) for p in PRIORITIES}
    found = {p: sum(1 for lb in conflicts if lb.priority == p and ev.matched[lb.line]) for p in PRIORITIES}
    wrong = {lb.line for lb, _ in ev.false_agreements}
    return CorpusScore(result.corpus, labeled, found, ev.flagged, ev.overall.tp, len(wrong),
                       sum(1 for lb in labels if lb.kind == "agreement"), threshold)


def total(scores: list[CorpusScore]) -> CorpusScore:
    out = CorpusScore("total", {p: 0 for p in PRIORITIES}, {p: 0 for p in PRIORITIES}, 0, 0, 0, 0)
    for s in scores:
        out = out + s
    return out
