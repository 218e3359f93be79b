"""Review store, applying decisions, the review session and labels from reviews."""

import json
import re
import shutil
import sqlite3
from dataclasses import replace

import pytest

from discrepancy.errors import DiscrepancyError
from discrepancy.evaluation import check_quotes, evaluate_result, parse_labels
from discrepancy.records import Finding
from discrepancy.review import (
    Decision,
    ReviewSession,
    ReviewStore,
    all_findings,
    apply_reviews,
    default_store_path,
    export_labels,
    labels_from_reviews,
    review_queue,
)

from .conftest import S400, copy_s400, shared_cache


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory):
    return copy_s400(tmp_path_factory, "s400-review")


@pytest.fixture(scope="session")
def result(corpus_copy, tmp_path_factory):
    from discrepancy.pipeline import check_corpus

    return check_corpus(corpus_copy, cache_dir=shared_cache(tmp_path_factory))


def conflicts(result):
    return [f for f in result.findings if f.kind == "conflict"]


def test_store_round_trip_and_events(tmp_path, result):
    f = conflicts(result)[0]
    with ReviewStore(tmp_path / "r.sqlite") as store:
        store.set_status(f, "confirmed")
        store.set_note(f, "checked the original")
        d = store.get(f.id)
        assert (d.status, d.note) == ("confirmed", "checked the original")
        assert [e[1] for e in store.events()] == ["confirmed", "note"]
        with pytest.raises(DiscrepancyError):
            store.set_status(f, "maybe")
    # A fresh connection sees everything: each call committed.
    with sqlite3.connect(tmp_path / "r.sqlite") as conn:
        assert conn.execute("SELECT status, note FROM reviews").fetchall() == [("confirmed", "checked the original")]


def test_reading_never_creates_the_store(tmp_path, result):
    path = tmp_path / "none" / "reviews.sqlite"
    assert ReviewStore.open_existing(path) is None
    assert apply_reviews(result, path).findings == result.findings
    assert not path.exists() and not path.parent.exists()


def test_a_foreign_file_is_a_one_line_error(tmp_path):
    path = tmp_path / "reviews.sqlite"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(DiscrepancyError, match="not a review store"):
        ReviewStore.open_existing(path)


# --- stores that were interrupted, damaged or replaced ------------------------------------------

KILLED_WRITER = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")  # spill changed pages into the file before the commit
conn.execute("BEGIN IMMEDIATE")
for i in range(400):
    conn.execute("INSERT INTO events (finding_id, action, status, note, at) VALUES (?, 'x', 'x', ?, 'x')",
                 (f"f{i}", "n" * 200))
os.kill(os.getpid(), signal.SIGKILL)  # killed mid-transaction: the journal is left hot
"""


def store_with_decision(path, finding) -> bytes:
    with ReviewStore(path) as store:
        store.set_status(finding, "confirmed", "checked")
    return path.read_bytes()


def killed_mid_transaction(path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path)], capture_output=True)
    assert done.returncode == -9
    journal = path.with_name(path.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0


def test_a_hot_journal_is_rolled_back_and_the_decisions_read(tmp_path, result):
    f = conflicts(result)[0]
    path = tmp_path / "reviews.sqlite"
    store_with_decision(path, f)
    killed_mid_transaction(path)
    applied = apply_reviews(result, path)  # used to fail: "attempt to write a readonly database"
    assert next(x for x in applied.findings if x.id == f.id).review_status == "confirmed"
    with ReviewStore(path) as store:
        assert store.get(f.id).note == "checked" and len(store.events()) == 1  # the killed writes are gone


def damaged_stores(folder, finding) -> dict[str, object]:
    """One store path per kind of damage, and a word the message must hold."""
    folder.mkdir()
    (folder / "folder.sqlite").mkdir()
    (folder / "empty.sqlite").write_bytes(b"")
    (folder / "text.sqlite").write_text("not a database", encoding="utf-8")
    foreign = folder / "foreign.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    conn.close()
    good = store_with_decision(folder / "good.sqlite", finding)
    half = bytearray(good)
    half[len(half) // 2:] = b"\xa5" * (len(half) - len(half) // 2)  # pages overwritten with garbage
    (folder / "damaged.sqlite").write_bytes(bytes(half))
    return {"folder.sqlite": "a folder", "empty.sqlite": "empty", "text.sqlite": "not a review store",
            "foreign.sqlite": "not a review store", "damaged.sqlite": "damaged"}


def test_every_store_problem_has_one_accurate_message_and_changes_nothing(tmp_path, result):
    from discrepancy.review import StoreError, read_decisions

    cases = damaged_stores(tmp_path / "stores", conflicts(result)[0])
    for name, word in cases.items():
        path = tmp_path / "stores" / name
        before = path.read_bytes() if path.is_file() else None
        for attempt in (lambda p: read_decisions(p), lambda p: ReviewStore(p).close(),
                        lambda p: apply_reviews(result, p)):
            with pytest.raises(StoreError) as info:
                attempt(path)
            message = str(info.value)
            assert message.startswith(f"review store {path} cannot be used: "), message
            assert word in message, (name, message)
            assert "\n" not in message and not re.search(r"delet|remov", message), message
            assert isinstance(info.value, DiscrepancyError) and info.value.exit_code == 2
        assert (path.read_bytes() if path.is_file() else None) == before, name  # nothing re-created


def test_apply_reviews_marks_and_moves(tmp_path, result):
    c = conflicts(result)
    with ReviewStore(tmp_path / "r.sqlite") as store:
        store.set_status(c[0], "confirmed", note="yes")
        store.set_status(c[1], "rejected", note="same law, translation")
        store.set_note(c[2], "look again")
    applied = apply_reviews(result, tmp_path / "r.sqlite")
    by_id = {f.id: f for f in applied.findings}
    assert by_id[c[0].id].review_status == "confirmed" and by_id[c[0].id].review_note == "yes"
    assert c[1].id not in by_id
    assert [f.id for f in applied.rejected] == [c[1].id]
    assert by_id[c[2].id].review_status == "unreviewed" and by_id[c[2].id].review_note == "look again"
    assert len(applied.findings) + len(applied.rejected) == len(result.findings)
    # The input result is left alone.
    assert all(f.review_status == "unreviewed" for f in result.findings)


def test_stale_decisions_are_kept_and_ignored(tmp_path, result):
    ghost = replace(conflicts(result)[0], id="000000000000")
    with ReviewStore(tmp_path / "r.sqlite") as store:
        store.set_status(ghost, "rejected")
    applied = apply_reviews(result, tmp_path / "r.sqlite")
    assert not applied.rejected and len(applied.findings) == len(result.findings)
    with ReviewStore(tmp_path / "r.sqlite") as store:
        assert store.get("000000000000").status == "rejected"
    assert labels_from_reviews(result, {"000000000000": Decision("000000000000", "rejected")}).stale == 1


def test_queue_order_conflicts_first_skipped_last(result):
    c = conflicts(result)
    assert len(c) >= 3
    decisions = {c[0].id: Decision(c[0].id, "confirmed"), c[1].id: Decision(c[1].id, "unreviewed", skipped=True)}
    queue = review_queue(result.findings, decisions)
    assert [f.id for f in queue] == [f.id for f in c[2:]] + [c[1].id]
    assert all(f.kind == "conflict" for f in queue)
    scores = [f.score for f in queue[:-1]]
    assert scores == sorted(scores, reverse=True)
    with_agreements = review_queue(result.findings, {}, include_agreements=True)
    kinds = [f.kind for f in with_agreements]
    assert kinds == sorted(kinds, key=lambda k: k != "conflict") and "agreement" in kinds


def scripted(answers):
    it = iter(answers)
    return lambda prompt: next(it, None)


def test_session_saves_each_decision_and_can_go_back(tmp_path, result):
    shown = []
    c = conflicts(result)
    with ReviewStore(tmp_path / "r.sqlite") as store:
        session = ReviewSession(result, store, scripted(["c", "?", "n", "a note", "b", "r", "s", "q"]), shown.append)
        summary = session.run()
        d = store.decisions()
    assert d[c[0].id].status == "rejected"  # confirmed, then changed after going back
    assert d[c[1].id].note == "a note" and d[c[1].id].skipped and d[c[1].id].status == "unreviewed"
    assert (summary.confirmed, summary.rejected, summary.skipped, summary.finished) == (0, 1, 1, False)
    text = " ".join(str(x) for x in shown)
    assert "c confirm" in text  # the unknown key "?" printed the key help


def test_session_end_of_input_is_quit(tmp_path, result):
    with ReviewStore(tmp_path / "r.sqlite") as store:
        summary = ReviewSession(result, store, scripted(["c"]), lambda x: None).run()
        assert summary.confirmed == 1 and len(store.decisions()) == 1


def test_rendering_shows_context_and_highlights_the_value(result):
    from rich.console import Console

    from discrepancy.review import render_finding

    f = next(f for f in conflicts(result) if f.type == "location")
    console = Console(width=200, record=True, color_system="truecolor")
    for part in render_finding(result, f, None, 1, 4):
        console.print(part)
    styled = console.export_text(styles=True, clear=False)
    text = console.export_text()
    assert re.search(r"\x1b\[[0-9;]*\b7;33mAnamur-Mersin military base", styled)  # value: reverse yellow
    assert "Anamur-Mersin military base" in text and "Ankara" in text and f.reason in text
    assert "000_4958c1211c77e6e4.txt" in text
    sentences = {s.id: s for s in result.sentences}
    doc, _, i = f.a.sentence_id.rpartition("#")
    before = sentences.get(f"{doc}#{int(i) - 1}")
    assert before is None or " ".join(before.text.split())[:40] in text


def test_labels_round_trip(tmp_path, corpus_copy, result):
    c = conflicts(result)
    agreement = next(f for f in result.findings if f.kind == "agreement")
    decisions = {c[0].id: Decision(c[0].id, "confirmed"), c[1].id: Decision(c[1].id, "confirmed", "a note"),
                 c[2].id: Decision(c[2].id, "rejected"), agreement.id: Decision(agreement.id, "confirmed")}
    out = tmp_path / "labels.jsonl"
    summary = export_labels(result, decisions, out)
    assert summary.written == 4 and not summary.skipped
    labels = parse_labels(out)
    check_quotes(labels, corpus_copy, out)  # every quote is exactly in its file
    kinds = {json.loads(line)["finding"]: json.loads(line)["kind"] for line in out.read_text().splitlines()}
    assert kinds == {c[0].id: "conflict", c[1].id: "conflict", c[2].id: "agreement", agreement.id: "agreement"}
    ev = evaluate_result(result, labels)
    assert ev.overall.labels == 2 and ev.overall.fn == 0
    assert {lb.line for lb, f in ev.false_agreements} == {3}  # the rejected conflict is still flagged
    # Rejected findings moved to the appendix still export.
    assert len(labels_from_reviews(apply_reviews(result, decisions), decisions).labels) == 4


def test_export_never_loses_existing_labels(tmp_path, result):
    # The labeled location conflict first: a review that flips it disagrees with corpus/s400/labels.jsonl.
    c = sorted(conflicts(result), key=lambda f: f.type != "location")
    out = tmp_path / "labels.jsonl"
    original = (S400 / "labels.jsonl").read_text(encoding="utf-8")
    out.write_text(original, encoding="utf-8")
    decisions = {c[0].id: Decision(c[0].id, "confirmed")}
    with pytest.raises(DiscrepancyError, match="--merge"):
        export_labels(result, decisions, out)
    assert out.read_text(encoding="utf-8") == original
    merged = export_labels(result, decisions, out, merge=True)
    text = out.read_text(encoding="utf-8")
    assert text.startswith(original)
    assert merged.kept == len(parse_labels(S400 / "labels.jsonl"))
    # Merging again adds nothing: no duplicates.
    again = export_labels(result, decisions, out, merge=True)
    assert again.written == 0 and out.read_text(encoding="utf-8") == text
    # A review that disagrees with an existing label keeps the label and says so.
    flipped = export_labels(result, {c[0].id: Decision(c[0].id, "rejected")}, out, merge=True)
    assert flipped.written == 0 and flipped.disagreements and out.read_text(encoding="utf-8") == text
    forced = export_labels(result, decisions, out, force=True)
    assert forced.backup.read_text(encoding="utf-8") == text
    assert len(parse_labels(out)) == 1


def test_forcing_twice_keeps_every_earlier_labels_file(tmp_path, result):
    c = conflicts(result)
    out = tmp_path / "labels.jsonl"
    out.write_text("the user's own labels\n", encoding="utf-8")
    decisions = {c[0].id: Decision(c[0].id, "confirmed")}
    first = export_labels(result, decisions, out, force=True)
    exported = out.read_text(encoding="utf-8")
    second = export_labels(result, {c[0].id: Decision(c[0].id, "rejected")}, out, force=True)
    assert (first.backup.name, second.backup.name) == ("labels.jsonl.bak", "labels.jsonl.bak.1")
    assert first.backup.read_text(encoding="utf-8") == "the user's own labels\n"  # never overwritten
    assert second.backup.read_text(encoding="utf-8") == exported


def test_decisions_survive_a_changed_corpus(tmp_path, corpus_copy, result, tmp_path_factory):
    from discrepancy.pipeline import check_corpus

    c = conflicts(result)
    store_path = tmp_path / "r.sqlite"
    with ReviewStore(store_path) as store:
        store.set_status(c[0], "confirmed")
        store.set_status(c[1], "rejected")
    changed = tmp_path / "changed"
    shutil.copytree(corpus_copy, changed)
    involved = {c[0].a.doc, c[0].b.doc, c[1].a.doc, c[1].b.doc}
    spare = next(p for p in sorted(changed.glob("*.txt")) if p.stem not in involved)
    spare.unlink()  # an article the reviewed findings do not use disappears
    first = sorted(changed.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nA new closing paragraph was added later.\n",
                     encoding="utf-8")
    again = apply_reviews(check_corpus(changed, cache_dir=shared_cache(tmp_path_factory)), store_path)
    assert {f.id: f.review_status for f in again.findings}[c[0].id] == "confirmed"
    assert [f.id for f in again.rejected] == [c[1].id]


def test_default_store_location(tmp_path):
    assert default_store_path(tmp_path) == tmp_path / ".discrepancy" / "reviews.sqlite"


def test_all_findings_has_no_duplicates(result):
    applied = apply_reviews(result, {conflicts(result)[0].id: Decision(conflicts(result)[0].id, "rejected")})
    ids = [f.id for f in all_findings(applied)]
    assert len(ids) == len(set(ids)) == len(result.findings)
    assert isinstance(applied.rejected[0], Finding)


def test_review_shows_article_text_as_written_with_invisible_characters_revealed(capsys):
    from discrepancy.records import CheckResult, ClaimRef, Document, Sentence, Side
    from discrepancy.review import render_finding

    hostile = "It is in [bold]Ank\u200bara[/bold] [link=https://e.vil]here[/link] :warning: \u202egnp.exe."
    doc = Document("a_1", "a_1.txt", "t", "Wire [/i]", None, "unknown", hostile)
    other = Document("b_1", "b_1.txt", "t", "unknown", None, "unknown", "It is in Paris.")
    ref_a = ClaimRef("a_1", hostile, sentence_id="a_1#0", value="Ank\u200bara", claim=hostile)
    ref_b = ClaimRef("b_1", "It is in Paris.", sentence_id="b_1#0", value="Paris")
    finding = Finding("f1", "conflict", "location", 0.9, 0.8, "location: [/bold] \u2260 Paris", ref_a, ref_b,
                      sides=(Side("Ank\u200bara", (ref_a,)), Side("Paris", (ref_b,))))
    result = CheckResult("c", [doc, other], [Sentence("a_1#0", "a_1", 0, hostile, 0, len(hostile))], [], [],
                         [finding])
    from discrepancy.safetext import safe_console

    wide = safe_console("stdout", width=400)  # the review screen wraps to the terminal: keep the line whole
    for part in render_finding(result, finding, None, 1, 1):
        wide.print(part)
    shown = capsys.readouterr().out
    assert "[bold]Ank<U+200B>ara[/bold] [link=https://e.vil]here[/link] :warning: <U+202E>gnp.exe." in shown
    assert "Wire [/i]" in shown and "location: [/bold] ≠ Paris" in shown
    assert "\u202e" not in shown and "\u200b" not in shown


@pytest.mark.parametrize("typed, key", [("c", "c"), ("C", "c"), (" confirm ", "c"), ("reject", "r"), ("q", "q"),
                                        ("back", "b"), ("note", "n"), ("skip", "s")])
def test_keys_and_their_words(typed, key):
    from discrepancy.review import parse_key

    assert parse_key(typed) == (key, "")


@pytest.mark.parametrize("typed, words", [("x", ["'x' is not a key here", "c confirm"]),
                                          ("random", ["'random' is not a key here"]),  # not "r" for reject
                                          ("", ["no key typed", "q quit"]),
                                          ("?", ["keys: c confirm"])])
def test_an_invalid_key_says_what_was_wrong(typed, words):
    from discrepancy.review import parse_key

    key, problem = parse_key(typed)
    assert key is None and "\n" not in problem
    for word in words:
        assert word in problem


def test_session_explains_a_wrong_key_and_decides_nothing(tmp_path, result):
    shown = []
    with ReviewStore(tmp_path / "r.sqlite") as store:
        ReviewSession(result, store, scripted(["ready", "", "q"]), shown.append).run()
        assert store.decisions() == {}
    text = " ".join(str(x) for x in shown)
    assert "'ready' is not a key here" in text and "no key typed" in text


def test_long_sentences_wrap_at_word_boundaries_under_their_article(result):
    from rich.console import Console

    from discrepancy.review import render_finding

    f = max(conflicts(result), key=lambda f: len(f.a.text) + len(f.b.text))

    def render(width):
        console = Console(width=width, record=True)
        for part in render_finding(result, f, None, 1, 4):
            console.print(part)
        return console.export_text()

    narrow, wide = render(44), render(2000)
    # The same words in the same order: a word cut across two lines ("co" / "unty") would differ.
    assert narrow.split()[1:] == wide.split()[1:]  # (the first is the rule across the screen)
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= 44
    # Wrapped sentence lines stay indented under their article.
    indented = [line for line in narrow.splitlines() if line.startswith("   ") and line.strip()]
    assert len(indented) > len([line for line in wide.splitlines() if line.startswith("   ")]) + 4


def test_the_screen_shows_values_in_the_order_of_its_quotes_and_links_outlets():
    from rich.console import Console

    from discrepancy.records import CheckResult, ClaimRef, Document, Side
    from discrepancy.review import render_finding

    docs = [Document("a", "a.md", "t", "Harbour Times", None, "https://harbour.example/ferry", "Twelve died."),
            Document("b", "b.md", "t", "Coastal Wire", None, "javascript:alert(1)", "Seven died."),
            Document("c", "c.md", "t", "Valley Post", None, "unknown", "Seven died.")]
    twelve = ClaimRef("a", "Twelve people died.", "a#0", "a#0.0", "Twelve")
    seven_b = ClaimRef("b", "Seven people died.", "b#0", "b#0.0", "Seven")
    seven_c = ClaimRef("c", "Seven people died.", "c#0", "c#0.0", "Seven")
    # The larger side first, as the report lists them; A quotes the other side.
    finding = Finding("f1", "conflict", "number", 0.9, 0.8, "how many people died: Twelve ≠ Seven", twelve, seven_b,
                      sides=(Side("Seven", (seven_b, seven_c)), Side("Twelve", (twelve,))),
                      question="how many people died")
    console = Console(width=200, record=True)
    for part in render_finding(CheckResult("c", docs, [], [], [], [finding]), finding, None, 1, 1):
        console.print(part)
    text = console.export_text()
    assert "values: Twelve ≠ Seven" in text  # A's value first, as the quotes below come
    assert "question: how many people died" in text
    assert "Harbour Times · published unknown · https://harbour.example/ferry" in text
    assert "javascript" not in text
    links = [span.style.link for part in render_finding(CheckResult("c", docs, [], [], [], [finding]), finding, None,
                                                        1, 1) if hasattr(part, "spans") for span in part.spans
             if hasattr(span.style, "link") and span.style.link]
    assert links == ["https://harbour.example/ferry"]
