"""What changed since a previous run of a developing story (`check --since PREVIOUS.json`).

A finding keeps its id while its two sentences stay the same, so the previous
run's JSON (written by `check --json`) is matched by id first. A finding whose id
is gone but whose kind, type and values reappear (an article was edited, so its
sentence changed) is matched next. Each current finding is then:

- new: not in the previous run;
- changed: in it, but its sides differ (an article joined or left a side, a new
  value appeared, or the quoted sentence was edited);
- unchanged: the same kind, type, values and articles;

and each previous finding left unmatched is gone. Rejected findings (the review
appendix) take part on both sides, so a rejected finding is never "new".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DiscrepancyError
from .formatting import plural
from .records import CheckResult, Finding

NEW, CHANGED, UNCHANGED, GONE = "new", "changed", "unchanged", "gone"
CHANGE_STATES = (NEW, CHANGED, UNCHANGED, GONE)


@dataclass(frozen=True)
class PreviousRun:
    """The parts of a previous run's JSON that a comparison needs."""

    path: str
    corpus: str
    findings: list[dict]  # body and rejected appendix, as in the JSON
    documents: list[dict]


@dataclass(frozen=True)
class Changes:
    """The comparison of a run with a previous one."""

    since: str  # the previous JSON, as the user named it
    status: dict[str, str]  # current finding id -> new | changed | unchanged
    details: dict[str, str]  # current finding id -> what changed (for changed findings)
    gone: list[dict] = field(default_factory=list)  # previous findings (JSON) no longer found
    articles_added: list[str] = field(default_factory=list)
    articles_removed: list[str] = field(default_factory=list)
    previous_documents: list[dict] = field(default_factory=list)  # to describe the gone findings' articles
    other_corpus: str = ""  # the previous run's corpus, when it differs from this one

    def of(self, finding_id: str) -> str:
        return self.status.get(finding_id, NEW)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CHANGE_STATES, 0)
        for state in self.status.values():
            counts[state] += 1
        counts[GONE] = len(self.gone)
        return counts

    def headline(self) -> str:
        """'2 new, 1 changed, 4 unchanged, 1 gone' (findings)."""
        c = self.counts()
        return f"{c[NEW]} new, {c[CHANGED]} changed, {c[UNCHANGED]} unchanged, {c[GONE]} gone"

    def as_json(self) -> dict:
        """For the JSON report; `documents` describes the articles that only gone findings quote."""
        quoted = {c.get("doc") for f in self.gone for s in f["sides"] for c in s["claims"] if isinstance(c, dict)}
        keep = ("id", "path", "title", "source", "published", "url")
        documents = [{k: d.get(k) for k in keep} for d in self.previous_documents
                     if d["id"] in quoted and d["id"] in self.articles_removed]
        return {"since": self.since, "other_corpus": self.other_corpus or None, "counts": self.counts(),
                "articles_added": self.articles_added, "articles_removed": self.articles_removed,
                "details": dict(sorted(self.details.items())), "gone": self.gone, "documents": documents}


def read_previous(path: str | Path) -> PreviousRun:
    """The previous run's JSON report, or a one-line `DiscrepancyError` naming the file."""
    target = Path(path)
    if not target.is_file():
        raise DiscrepancyError(f"--since: {target} not found (give a JSON report written by check --json)"
                               if not target.exists() else f"--since: {target} is not a file")
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise DiscrepancyError(f"--since: cannot read {target}: {err}") from err
    except json.JSONDecodeError as err:
        raise DiscrepancyError(f"--since: {target} is not JSON (line {err.lineno}: {err.msg}); "
                               f"give a report written by check --json") from err
    if not (isinstance(data, dict) and isinstance(data.get("tool"), dict)
            and data["tool"].get("name") == "discrepancy" and isinstance(data.get("findings"), list)):
        raise DiscrepancyError(f"--since: {target} is not a discrepancy JSON report (write one with check --json)")
    findings = [f for f in [*data["findings"], *(data.get("rejected") or [])] if valid_finding(f)]
    if len(findings) != len(data["findings"]) + len(data.get("rejected") or []):
        raise DiscrepancyError(f"--since: {target} has findings without an id, kind, type and sides; "
                               f"was it edited by hand?")
    documents = [d for d in data.get("documents") or [] if isinstance(d, dict) and isinstance(d.get("id"), str)]
    return PreviousRun(str(path), str(data.get("corpus", "")), findings, documents)


def valid_finding(f: object) -> bool:
    return (isinstance(f, dict) and isinstance(f.get("id"), str) and isinstance(f.get("kind"), str)
            and isinstance(f.get("type"), str) and isinstance(f.get("sides"), list)
            and all(isinstance(s, dict) and isinstance(s.get("value"), str) and isinstance(s.get("claims"), list)
                    for s in f["sides"]))


def value_key(value: str) -> str:
    return " ".join(value.casefold().split())


def side_values(sides) -> dict[str, str]:
    """value key -> the value as written, for a Finding's sides or a JSON finding's."""
    return {value_key(v): v for v in (s["value"] if isinstance(s, dict) else s.value for s in sides)}


def side_map(sides) -> dict[str, tuple[str, ...]]:
    """value key (case-folded) -> sorted article ids, for a Finding's sides or a JSON finding's."""
    out: dict[str, set[str]] = {}
    for side in sides:
        value, claims = (side["value"], side["claims"]) if isinstance(side, dict) else (side.value, side.claims)
        docs = out.setdefault(value_key(value), set())
        for c in claims:
            doc = c.get("doc") if isinstance(c, dict) else c.doc
            if isinstance(doc, str):
                docs.add(doc)
    return {value: tuple(sorted(docs)) for value, docs in out.items()}


def quotes(sides) -> set[tuple[str, str]]:
    out = set()
    for side in sides:
        claims = side["claims"] if isinstance(side, dict) else side.claims
        for c in claims:
            doc, text = (c.get("doc"), c.get("text")) if isinstance(c, dict) else (c.doc, c.text)
            out.add((str(doc), " ".join(str(text).split())))
    return out


def describe(before: dict[str, tuple[str, ...]], after: dict[str, tuple[str, ...]], edited: bool,
             names: dict[str, str] | None = None) -> str:
    """One line: how the sides moved between two runs (`names`: value key -> value as written)."""
    bits = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        value = (names or {}).get(key, key)
        if was is None:
            bits.append(f"new side {value!r} ({plural(len(now), 'article')})")
        elif now is None:
            bits.append(f"side {value!r} dropped")
        elif was != now:
            added = [d for d in now if d not in was]
            removed = [d for d in was if d not in now]
            moves = ([f"+{', '.join(added)}"] if added else []) + ([f"-{', '.join(removed)}"] if removed else [])
            bits.append(f"{value!r}: {plural(len(was), 'article')} → {len(now)} ({'; '.join(moves)})")
    if edited:
        bits.append("quoted sentences edited")
    return "; ".join(bits) or "sides changed"


def compare_runs(previous: PreviousRun, result: CheckResult) -> Changes:
    """Mark every finding of `result` (body and rejected appendix) against `previous`."""
    current: list[Finding] = list(result.findings) + [f for f in result.rejected
                                                       if f.id not in {x.id for x in result.findings}]
    old_by_id = {f["id"]: f for f in previous.findings}
    matched: dict[str, dict] = {}
    for f in current:
        if f.id in old_by_id:
            matched[f.id] = old_by_id[f.id]
    used = {old["id"] for old in matched.values()}
    # Second pass: same kind, type and values, but other sentences (an edited article).
    for f in sorted(current, key=lambda f: f.id):
        if f.id in matched:
            continue
        key = (f.kind, f.type, frozenset(side_map(f.sides)))
        for old in sorted(previous.findings, key=lambda o: o["id"]):
            if old["id"] in used:
                continue
            if (old["kind"], old["type"], frozenset(side_map(old["sides"]))) == key:
                matched[f.id] = old
                used.add(old["id"])
                break
    status: dict[str, str] = {}
    details: dict[str, str] = {}
    for f in current:
        old = matched.get(f.id)
        if old is None:
            status[f.id] = NEW
            continue
        before, after = side_map(old["sides"]), side_map(f.sides)
        was_quoted, now_quoted = quotes(old["sides"]), quotes(f.sides)
        both = {doc for doc, _ in was_quoted} & {doc for doc, _ in now_quoted}
        # Edited: an article quoted in both runs is quoted with other words (joining or leaving is not editing).
        edited = {q for q in was_quoted if q[0] in both} != {q for q in now_quoted if q[0] in both}
        if before == after and not edited and (old["kind"], old["type"]) == (f.kind, f.type):
            status[f.id] = UNCHANGED
        else:
            status[f.id] = CHANGED
            details[f.id] = describe(before, after, edited, {**side_values(old["sides"]), **side_values(f.sides)})
    gone = sorted((old for old in previous.findings if old["id"] not in used),
                  key=lambda o: (o["kind"] != "conflict", -float(o.get("score") or 0), o["id"]))
    now_docs = {d.id for d in result.documents}
    before_docs = {d["id"] for d in previous.documents}
    other = previous.corpus if previous.corpus and previous.corpus != result.corpus else ""
    return Changes(previous.path, status, details, gone, sorted(now_docs - before_docs), sorted(before_docs - now_docs),
                   previous.documents, other)
