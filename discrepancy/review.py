"""Review: a person confirms or rejects flagged findings; decisions live in SQLite.

The store (default `CORPUS/.discrepancy/reviews.sqlite`) holds one row per
finding id (`Finding.id`, stable across runs while the two sentences stay the
same). Every decision is committed in its own transaction the moment it is
made, so Ctrl-C, a crash or a killed terminal loses nothing already decided.
Decisions for findings that no longer exist stay in the store, unused.

- `apply_reviews(result, store)` folds decisions into a `CheckResult`: each
  finding gets `review_status`/`review_note`; rejected ones move to `result.rejected`.
- A store that cannot be used (empty, damaged, a folder, another program's file) is a
  `StoreError` with one consistent message; nothing is deleted or re-created. A store a
  killed writer left mid-transaction is opened read-write, so SQLite rolls it back.
- `ReviewSession` is the interactive walk behind `discrepancy review`.
- `labels_from_reviews` / `export_labels` turn decisions into labels that
  `discrepancy evaluate` and `discrepancy tune` read.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from .errors import DiscrepancyError
from .formatting import plural
from .outputs import current_umask
from .records import CheckResult, ClaimRef, Finding, Sentence
from .safetext import json_reveal, safe_url

STATUSES = ("unreviewed", "confirmed", "rejected")
STORE_NAME = "reviews.sqlite"
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    finding_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('unreviewed', 'confirmed', 'rejected')),
    note TEXT NOT NULL DEFAULT '',
    skipped INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    a_doc TEXT NOT NULL DEFAULT '',
    a_text TEXT NOT NULL DEFAULT '',
    b_doc TEXT NOT NULL DEFAULT '',
    b_text TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id TEXT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    at TEXT NOT NULL
);
"""


def default_store_path(corpus: str | Path) -> Path:
    return Path(corpus) / ".discrepancy" / STORE_NAME


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Decision:
    finding_id: str
    status: str = "unreviewed"
    note: str = ""
    skipped: bool = False
    kind: str = ""
    type: str = ""
    reason: str = ""
    updated_at: str = ""

    @property
    def decided(self) -> bool:
        return self.status != "unreviewed"


class StoreError(DiscrepancyError):
    """A review store that cannot be used, for whatever reason: always the same one-line shape,
    `review store PATH cannot be used: PROBLEM; it was left untouched (...)`, exit code 2.
    Nothing is ever deleted or re-created: the user's decisions stay where they are."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"review store {self.path} cannot be used: {problem}; it was left untouched "
                         f"(--store PATH uses another file)")


def sqlite_problem(err: BaseException) -> str:
    """What an SQLite error says about a store file, in a user's words."""
    text = str(err)
    lowered = text.lower()
    if "not a database" in lowered:
        return "it is not a review store (not an SQLite database)"
    if "malformed" in lowered or "corrupt" in lowered:
        return f"it is damaged ({text})"
    if "locked" in lowered or "busy" in lowered:
        return f"another program is writing to it ({text}); try again when it is done"
    if "readonly" in lowered or "read-only" in lowered:
        return f"it holds an unfinished transaction that cannot be rolled back here ({text})"
    if "unable to open" in lowered:
        return f"it cannot be opened ({text})"
    return f"it cannot be read ({text})"


def _file_problem(path: Path) -> str | None:
    """Why the thing at `path` cannot be a store before SQLite even looks at it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "it is a broken link" if path.is_symlink() else None
    except OSError as err:
        return f"it cannot be opened ({err.strerror or err})"
    if stat.S_ISDIR(st.st_mode):
        return "it is a folder, not a file"
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file"
    if st.st_size == 0:
        return "it is an empty file, not a review store"
    return None


def _create_store(path: Path) -> None:
    """A new, empty store at `path`, made complete under a temporary name and then linked into
    place: no one ever sees a half-made store, and an existing file is never replaced."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as err:
        raise StoreError(path, f"it cannot be created ({err.strerror or err})") from err
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript(SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.commit()
        finally:
            conn.close()
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o666 & ~current_umask())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # made meanwhile by another run: use that one
        except OSError:  # no hard links on this file system
            if not path.exists():
                os.replace(tmp, path)
    except (sqlite3.Error, OSError) as err:
        raise StoreError(path, f"it cannot be created ({err})") from err
    finally:
        for leftover in (tmp, tmp + "-journal"):
            Path(leftover).unlink(missing_ok=True)


class ReviewStore:
    """The SQLite file of review decisions.

    `ReviewStore(path)` creates the file (and its folder) when there is nothing at `path`;
    `ReviewStore.open_existing(path)` never creates it and never writes a decision. An
    existing file must be a usable store: an empty or damaged file, a folder or another
    program's database is a `StoreError`, never silently replaced. Both open the file
    read-write, so that SQLite rolls back a transaction a killed writer left behind (its
    "hot journal"); a store on read-only media is read as it is.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        problem = _file_problem(self.path)
        if problem:
            raise StoreError(self.path, problem)
        if not self.path.exists():
            if read_only:
                raise StoreError(self.path, "it does not exist")
            _create_store(self.path)
        try:
            # mode=rw: never creates; read-only files fall back to reading. Autocommit mode:
            # `_write` opens and commits each transaction itself.
            uri = self.path.resolve().as_uri() + "?mode=rw"
            self.conn = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None)
        except (sqlite3.Error, OSError) as err:
            raise StoreError(self.path, sqlite_problem(err)) from err
        try:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"reviews", "events"} <= tables:
                raise StoreError(self.path, "it is not a review store (an SQLite database without review tables)")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(self.path, f"it was written by a newer discrepancy (schema {version}); "
                                            f"upgrade discrepancy to read it")
            check = self.conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StoreError(self.path, f"it is damaged ({check})")
        except StoreError:
            self.conn.close()
            raise
        except sqlite3.Error as err:
            self.conn.close()
            raise StoreError(self.path, sqlite_problem(err)) from err

    @classmethod
    def open_existing(cls, path: str | Path) -> ReviewStore | None:
        """The store at `path` for reading, or None when there is nothing there (nothing is created).
        Anything else at `path` that is not a usable store is a `StoreError`."""
        p = Path(path)
        if not p.exists() and not p.is_symlink():
            return None
        return cls(p, read_only=True)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.Error as err:
            raise StoreError(self.path, sqlite_problem(err)) from err

    # --- reading ---------------------------------------------------------------------------

    def decisions(self) -> dict[str, Decision]:
        rows = self._rows("SELECT finding_id, status, note, skipped, kind, type, reason, updated_at FROM reviews")
        return {r[0]: Decision(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7]) for r in rows}

    def get(self, finding_id: str) -> Decision | None:
        rows = self._rows("SELECT finding_id, status, note, skipped, kind, type, reason, updated_at FROM reviews "
                          "WHERE finding_id = ?", (finding_id,))
        return Decision(*rows[0][:3], bool(rows[0][3]), *rows[0][4:]) if rows else None

    def events(self) -> list[tuple[str, str, str, str]]:
        """(finding id, action, status, note) in the order they happened."""
        return [tuple(r) for r in self._rows("SELECT finding_id, action, status, note FROM events ORDER BY seq")]

    # --- writing: one committed transaction per call -----------------------------------------

    def _write(self, finding: Finding, action: str, *, status: str | None = None, note: str | None = None,
               skipped: bool | None = None) -> Decision:
        if self.read_only:  # pragma: no cover - programming error
            raise RuntimeError("review store opened read-only")
        if status is not None and status not in STATUSES:
            raise DiscrepancyError(f"review status must be one of {', '.join(STATUSES)}, not {status!r}")
        now = _now()
        try:
            self.conn.execute("BEGIN IMMEDIATE")  # read-modify-write under the write lock
            try:
                old = self.get(finding.id) or Decision(finding.id)
                new = replace(
                    old,
                    status=old.status if status is None else status,
                    note=old.note if note is None else note,
                    skipped=old.skipped if skipped is None else skipped,
                    kind=finding.kind, type=finding.type, reason=finding.reason, updated_at=now,
                )
                self.conn.execute(
                    "INSERT INTO reviews (finding_id, status, note, skipped, kind, type, reason, a_doc, a_text, "
                    "b_doc, b_text, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(finding_id) DO UPDATE SET status = excluded.status, note = excluded.note, "
                    "skipped = excluded.skipped, kind = excluded.kind, type = excluded.type, "
                    "reason = excluded.reason, a_doc = excluded.a_doc, a_text = excluded.a_text, "
                    "b_doc = excluded.b_doc, b_text = excluded.b_text, updated_at = excluded.updated_at",
                    (finding.id, new.status, new.note, int(new.skipped), finding.kind, finding.type, finding.reason,
                     finding.a.doc, finding.a.text, finding.b.doc, finding.b.text, now))
                self.conn.execute("INSERT INTO events (finding_id, action, status, note, at) VALUES (?, ?, ?, ?, ?)",
                                  (finding.id, action, new.status, new.note, now))
            except BaseException:
                self.conn.rollback()
                raise
            self.conn.commit()
        except sqlite3.Error as err:
            raise StoreError(self.path, f"the decision could not be saved: {sqlite_problem(err)}") from err
        return new

    def set_status(self, finding: Finding, status: str, note: str | None = None) -> Decision:
        return self._write(finding, status, status=status, note=note, skipped=False)

    def set_note(self, finding: Finding, note: str) -> Decision:
        return self._write(finding, "note", note=note)

    def mark_skipped(self, finding: Finding) -> Decision:
        return self._write(finding, "skip", skipped=True)


def read_decisions(path: str | Path) -> dict[str, Decision]:
    """Every decision in the store at `path`; {} when there is no store (none is created).
    Raises `StoreError` when something that is not a usable store is there."""
    opened = ReviewStore.open_existing(path)
    if opened is None:
        return {}
    with opened:
        return opened.decisions()


def _decisions(store: ReviewStore | str | Path | dict[str, Decision] | None) -> dict[str, Decision]:
    if store is None:
        return {}
    if isinstance(store, dict):
        return store
    if isinstance(store, ReviewStore):
        return store.decisions()
    return read_decisions(store)


def apply_reviews(result: CheckResult, store: ReviewStore | str | Path | dict[str, Decision] | None) -> CheckResult:
    """A copy of `result` with review decisions folded in.

    Each finding gets its `review_status` and `review_note`; rejected findings move
    from `findings` to `rejected` (reports list them in an appendix only). A store
    path that does not exist means "no reviews": it is not created.
    """
    decisions = _decisions(store)
    kept: list[Finding] = []
    rejected: list[Finding] = []
    for finding in all_findings(result):  # idempotent: an applied result can be re-applied
        decision = decisions.get(finding.id)
        if decision is not None:
            finding = replace(finding, review_status=decision.status, review_note=decision.note)
        (rejected if finding.review_status == "rejected" else kept).append(finding)
    return replace(result, findings=kept, rejected=rejected)


def apply_reviews_or_warn(result: CheckResult, store: str | Path) -> tuple[CheckResult, str | None]:
    """`apply_reviews`, or, when the store cannot be used, the result without review state and
    the one-line warning to show: a damaged store never costs the user their report."""
    try:
        return apply_reviews(result, store), None
    except StoreError as err:
        return apply_reviews(result, {}), f"{err}; the report shows no review state"


def all_findings(result: CheckResult) -> list[Finding]:
    """Findings in the body and those already moved to the rejected appendix."""
    seen = {f.id for f in result.findings}
    return list(result.findings) + [f for f in result.rejected if f.id not in seen]


def find_finding(result: CheckResult, finding_id: str) -> Finding:
    for finding in all_findings(result):
        if finding.id == finding_id:
            return finding
    raise DiscrepancyError(f"no finding with id {finding_id!r} in {result.corpus} "
                           f"(list them with: discrepancy review {result.corpus} --list)")


def review_queue(findings: Iterable[Finding], decisions: dict[str, Decision],
                 include_agreements: bool = False) -> list[Finding]:
    """Unreviewed findings in review order: conflicts first, highest score first;
    findings skipped in an earlier session come after the ones never shown."""
    queue = []
    for f in findings:
        if f.kind != "conflict" and not include_agreements:
            continue
        d = decisions.get(f.id)
        if d is not None and d.decided:
            continue
        queue.append(f)
    queue.sort(key=lambda f: (bool(decisions.get(f.id) and decisions[f.id].skipped), f.kind != "conflict",
                              -f.score, f.id))
    return queue


def review_rows(result: CheckResult, decisions: dict[str, Decision], status: str | None = None) -> list[dict]:
    """One row per finding (body and rejected appendix) with its review status, for `review --list`;
    only findings with `status` when it is given."""
    rows = []
    for f in all_findings(result):
        d = decisions.get(f.id)
        f_status = d.status if d else "unreviewed"
        if status is not None and f_status != status:
            continue
        rows.append({"id": f.id, "kind": f.kind, "type": f.type, "status": f_status, "note": d.note if d else "",
                     "score": f.score, "reason": " ".join(f.reason.split()),
                     "a": {"doc": f.a.doc, "text": f.a.text}, "b": {"doc": f.b.doc, "text": f.b.text}})
    return rows


def review_counts(findings: Iterable[Finding], decisions: dict[str, Decision]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for f in findings:
        d = decisions.get(f.id)
        counts[d.status if d else "unreviewed"] += 1
    return counts


# --- interactive session -------------------------------------------------------------------

KEY_HELP = "c confirm · r reject · s skip · n add a note · b go back · q quit"
# What may be typed at the prompt: a key, or the word it stands for.
KEYS = {"c": "c", "confirm": "c", "r": "r", "reject": "r", "s": "s", "skip": "s", "n": "n", "note": "n",
        "b": "b", "back": "b", "q": "q", "quit": "q", "?": "?", "h": "?", "help": "?"}


def parse_key(answer: str) -> tuple[str | None, str]:
    """(key, "") for a valid answer, else (None, one line saying what was wrong and what to type)."""
    typed = answer.strip()
    key = KEYS.get(typed.lower())
    if key == "?":
        return None, f"keys: {KEY_HELP}"
    if key:
        return key, ""
    if not typed:
        return None, f"no key typed; type one, then Enter: {KEY_HELP}"
    return None, f"{typed!r} is not a key here; type one, then Enter: {KEY_HELP}"


def context_for(ref: ClaimRef, sentences: dict[str, Sentence]) -> tuple[str, str, str]:
    """(previous sentence, the sentence, next sentence) around a claim; '' where there is none."""
    sid = ref.sentence_id
    if not sid or "#" not in sid:
        return "", ref.text, ""
    doc_id, _, index = sid.rpartition("#")
    try:
        i = int(index)
    except ValueError:
        return "", sentences[sid].text if sid in sentences else ref.text, ""
    prev = sentences.get(f"{doc_id}#{i - 1}")
    this = sentences.get(sid)
    nxt = sentences.get(f"{doc_id}#{i + 1}")
    return (prev.text if prev else "", this.text if this else ref.text, nxt.text if nxt else "")


def find_span(text: str, part: str) -> tuple[int, int] | None:
    if not part:
        return None
    i = text.find(part)
    if i < 0:
        i = text.lower().find(part.lower())
    return (i, i + len(part)) if i >= 0 else None


def highlighted_sentence(sentence: str, ref: ClaimRef):
    """A rich Text of the sentence: the claim underlined, its value in bold reverse."""
    from rich.text import Text

    text = Text(" ".join(sentence.split()))
    plain = text.plain
    claim = find_span(plain, " ".join(ref.text.split()))
    if claim:
        text.stylize("underline", *claim)
    if ref.value and ref.value not in ("affirmed", "denied"):
        span = None
        if claim:
            inner = find_span(plain[claim[0]:claim[1]], ref.value)
            if inner:
                span = (claim[0] + inner[0], claim[0] + inner[1])
        span = span or find_span(plain, ref.value)
        if span:
            text.stylize("bold reverse yellow", *span)
    return text


def sides_in_order(finding: Finding) -> list:
    """The sides with A's first and B's second (the order the screen quotes them in), then the rest."""
    def rank(side) -> int:
        ids = {c.claim_id for c in side.claims} | {(c.doc, c.text) for c in side.claims}
        for k, ref in enumerate((finding.a, finding.b)):
            if ref.claim_id in ids or (ref.doc, ref.text) in ids:
                return k
        return 2

    return sorted(finding.sides, key=rank)


def render_finding(result: CheckResult, finding: Finding, decision: Decision | None, position: int,
                   total: int, sentences: dict[str, Sentence] | None = None) -> list:
    """Rich renderables showing one finding for review. Long sentences wrap at word boundaries,
    indented under their article."""
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.style import Style
    from rich.text import Text

    def indented(text: Text) -> Padding:
        return Padding(text, (0, 0, 0, 3))

    sentences = sentences if sentences is not None else {s.id: s for s in result.sentences}
    docs = {d.id: d for d in result.documents}
    status = decision.status if decision else "unreviewed"
    note = decision.note if decision else ""
    sides = sides_in_order(finding)
    values = " ≠ ".join(s.value for s in sides[:4]) if finding.kind == "conflict" else \
        " = ".join(s.value for s in sides[:2])
    head = Text.assemble(
        (f"[{position}/{total}] ", "bold"), (f"{finding.kind} · {finding.type}", "bold magenta"),
        f" · score {finding.score:.2f} · similarity {finding.similarity:.2f} · id {finding.id} · ",
        (status, {"confirmed": "green", "rejected": "red"}.get(status, "yellow")),
    )
    out: list = [Rule(), head]
    if finding.question:
        out.append(Text.assemble(("question: ", "bold"), finding.question))
    out += [Text.assemble(("values: ", "bold"), values), Text.assemble(("reason: ", "bold"), finding.reason)]
    if finding.update:
        out.append(Text("possible update: the later article may report a change, not a contradiction", "cyan"))
    for label, ref in (("A", finding.a), ("B", finding.b)):
        doc = docs.get(ref.doc)
        where = doc.path if doc else ref.doc
        source = doc.source if doc else ref.source
        published = doc.published_label if doc else ref.published
        url = safe_url(doc.url if doc else ref.url)
        # The outlet links to the article in terminals that show links; the address follows for the rest.
        out.append(Text.assemble("", (f"{label}  ", "bold"), (where, "bold cyan"), " · ",
                                 (source, Style(link=url)) if url else source, f" · published {published}",
                                 (f" · {url}", "dim") if url else ""))
        prev, this, nxt = context_for(ref, sentences)
        if prev:
            out.append(indented(Text("… " + " ".join(prev.split()), "dim")))
        out.append(indented(highlighted_sentence(this, ref)))
        if nxt:
            out.append(indented(Text(" ".join(nxt.split()) + " …", "dim")))
        extras = [x for x in (f"value: {ref.value}" if ref.value else "", f"hedge: {ref.hedge}" if ref.hedge else "",
                              f"attribution: {ref.attribution}" if ref.attribution else "") if x]
        if extras:
            out.append(indented(Text("(" + "; ".join(extras) + ")", "italic")))
    if len(sides) > 2:
        others = "; ".join(f"{s.value} ({plural(len({c.doc for c in s.claims}), 'article')})" for s in sides)
        out.append(Text(f"all sides: {others}", "italic"))
    if note:
        out.append(Text.assemble(("note: ", "bold"), note))
    return out


@dataclass
class SessionSummary:
    decided: dict[str, str] = field(default_factory=dict)  # finding id -> last status set this session
    skipped: int = 0
    notes: int = 0
    shown: int = 0
    finished: bool = False  # walked to the end of the queue

    @property
    def confirmed(self) -> int:
        return sum(1 for s in self.decided.values() if s == "confirmed")

    @property
    def rejected(self) -> int:
        return sum(1 for s in self.decided.values() if s == "rejected")


class ReviewSession:
    """Walk the review queue, asking for one key per finding.

    `ask(prompt)` returns the user's line, or None at end of input (treated as quit).
    `show(renderable)` prints. Each decision is saved before the next prompt.
    """

    def __init__(self, result: CheckResult, store: ReviewStore, ask: Callable[[str], str | None],
                 show: Callable[[object], None], include_agreements: bool = False):
        self.result = result
        self.store = store
        self.ask = ask
        self.show = show
        self.findings = all_findings(result)
        self.queue = review_queue(self.findings, store.decisions(), include_agreements)
        self.sentences = {s.id: s for s in result.sentences}
        self.summary = SessionSummary()

    def run(self) -> SessionSummary:
        from rich.text import Text

        if not self.queue:
            self.summary.finished = True
            return self.summary
        i = 0
        shown_at = -1
        while i < len(self.queue):
            finding = self.queue[i]
            if shown_at != i:
                for part in render_finding(self.result, finding, self.store.get(finding.id), i + 1,
                                           len(self.queue), self.sentences):
                    self.show(part)
                shown_at = i
                self.summary.shown = max(self.summary.shown, i + 1)
            answer = self.ask("c/r/s/n/b/q")
            if answer is None:
                return self.summary
            key, problem = parse_key(answer)
            if key is None:
                self.show(Text(problem, "yellow"))
                continue
            if key == "q":
                return self.summary
            if key == "c":
                self.store.set_status(finding, "confirmed")
                self.summary.decided[finding.id] = "confirmed"
                self.show(Text(f"confirmed {finding.id}", "green"))
                i += 1
            elif key == "r":
                self.store.set_status(finding, "rejected")
                self.summary.decided[finding.id] = "rejected"
                self.show(Text(f"rejected {finding.id}", "red"))
                i += 1
            elif key == "s":
                self.store.mark_skipped(finding)
                self.summary.skipped += 1
                i += 1
            elif key == "n":
                note = self.ask("note (empty to cancel)")
                if note is None:
                    return self.summary
                if note.strip():
                    self.store.set_note(finding, note.strip())
                    self.summary.notes += 1
                    self.show(Text(f"note saved for {finding.id}", "green"))
            elif key == "b":
                if i == 0:
                    self.show(Text("already at the first finding of this session", "yellow"))
                else:
                    i -= 1
        self.summary.finished = True
        return self.summary


# --- labels from reviews ---------------------------------------------------------------------

def _collapse(text: str) -> str:
    return " ".join(text.split())


def _label_key(obj: dict) -> tuple:
    ends = sorted([(obj["a_file"], _collapse(obj["a"])), (obj["b_file"], _collapse(obj["b"]))])
    return tuple(ends)


@dataclass
class LabelExport:
    labels: list[dict]  # new label objects, in finding order
    skipped: list[str]  # one line each: decisions that could not become labels
    stale: int = 0  # decisions for findings no longer in the corpus


def labels_from_reviews(result: CheckResult, decisions: dict[str, Decision]) -> LabelExport:
    """Labels for the reviewed findings of `result` (before or after `apply_reviews`).

    Confirmed conflict → a conflict label; rejected conflict → an agreement label
    ("not a conflict"); confirmed agreement → an agreement label. Quotes are the
    full sentences of the finding's two claims, checked against the raw files the
    way `evaluation.check_quotes` checks them.
    """
    from .loading import read_text

    root = Path(result.corpus)
    docs = {d.id: d for d in result.documents}
    sentences = {s.id: s for s in result.sentences}
    raw: dict[str, str] = {}
    labels, skipped = [], []
    findings = all_findings(result)
    present = {f.id for f in findings}
    for finding in findings:
        decision = decisions.get(finding.id)
        if decision is None or not decision.decided:
            continue
        if finding.kind == "conflict":
            kind = "conflict" if decision.status == "confirmed" else "agreement"
        elif decision.status == "confirmed":
            kind = "agreement"
        else:
            skipped.append(f"{finding.id}: a rejected agreement says nothing about conflicts; not exported")
            continue
        ends = []
        for ref in (finding.a, finding.b):
            doc = docs.get(ref.doc)
            if doc is None:
                break
            if doc.path not in raw:
                try:
                    raw[doc.path] = _collapse(read_text(root / doc.path)[0])
                except (OSError, UnicodeDecodeError):
                    raw[doc.path] = ""
            sentence = sentences.get(ref.sentence_id)
            quote = next((q for q in (sentence.text if sentence else "", ref.text)
                          if q.strip() and _collapse(q) in raw[doc.path]), None)
            if quote is None:
                break
            ends.append((doc.path, quote.strip()))
        if len(ends) != 2:
            skipped.append(f"{finding.id}: its sentences could not be quoted exactly from the files; not exported")
            continue
        note = decision.note or f"review {decision.status}: {finding.reason}"
        labels.append({"kind": kind, "a_file": ends[0][0], "a": ends[0][1], "b_file": ends[1][0], "b": ends[1][1],
                       "type": finding.type, "priority": "should", "note": note, "finding": finding.id,
                       "origin": "review"})
    stale = sum(1 for fid, d in decisions.items() if d.decided and fid not in present)
    return LabelExport(labels, skipped, stale)


@dataclass
class ExportSummary:
    path: Path
    written: int  # new labels added
    kept: int  # existing labels kept (merge)
    duplicates: int  # new labels already in the file
    disagreements: list[str]  # existing labels kept although the review now says otherwise
    skipped: list[str]
    stale: int
    backup: Path | None = None


def export_labels(result: CheckResult, decisions: dict[str, Decision], output: str | Path,
                  force: bool = False, merge: bool = False) -> ExportSummary:
    """Write review decisions as a labels JSONL file, atomically.

    An existing file is never replaced silently: `merge` keeps every existing line
    as it is and appends only labels it does not already hold; `force` replaces it
    after saving the old content to FILE.bak (FILE.bak.1, .2… when that exists: a
    backup is never overwritten).
    """
    from .evaluation import parse_labels
    from .outputs import write_atomic, write_backup

    if force and merge:
        raise DiscrepancyError("give --merge or --force, not both")
    path = Path(output)
    export = labels_from_reviews(result, decisions)
    existing_text = ""
    kept, duplicates, disagreements = 0, 0, []
    new = export.labels
    backup = None
    if path.exists():
        if not (force or merge):
            raise DiscrepancyError(f"{path} exists; use --merge to add to it or --force to replace it")
        try:
            existing_text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise DiscrepancyError(f"cannot read {path}: {err}") from err
        if force:
            backup = write_backup(path)
            existing_text = ""
        else:
            old = parse_labels(path)  # validates: never append to a file we cannot read back
            old_ids = {}
            for line in existing_text.splitlines():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(obj, dict) and obj.get("finding"):
                    old_ids[obj["finding"]] = obj.get("kind")
            from .evaluation import finding_matches

            old_keys = {_label_key(lb.as_json()): lb for lb in old}
            by_id = {f.id: f for f in all_findings(result)}
            docs = {d.id: d for d in result.documents}
            spans = {x.id: (x.start, x.end) for x in result.sentences}
            kept = len(old)
            fresh = []
            for label in new:
                # Already labeled: the same quotes, the same finding id, or a label that matches the finding.
                match = old_keys.get(_label_key(label)) or next(
                    (lb for lb in old if finding_matches(by_id[label["finding"]], lb, docs, spans)), None)
                prior_kind = match.kind if match else old_ids.get(label["finding"])
                if prior_kind is None:
                    fresh.append(label)
                    continue
                duplicates += 1
                if prior_kind != label["kind"]:
                    where = f"line {match.line}" if match else f"finding {label['finding']}"
                    disagreements.append(f"{path} {where} says {prior_kind}, the review says {label['kind']} "
                                         f"(finding {label['finding']}); kept the existing label")
            new = fresh
    body = existing_text
    if body and not body.endswith("\n"):
        body += "\n"
    body += "".join(json_reveal(json.dumps(label, ensure_ascii=False)) + "\n" for label in new)
    write_atomic(path, body)
    return ExportSummary(path, len(new), kept, duplicates, disagreements, export.skipped, export.stale, backup)
