"""Slot matching: the evidence that two values answer the same question (what tells events apart), and
the most similar sentence of another document, computed only where it is needed."""

from datetime import date

import numpy as np
import pytest

from discrepancy.aligning import ValueTable
from discrepancy.comparing import date_relation
from discrepancy.records import Claim, DateValue, Document, Value
from discrepancy.slots import FEATURES, best_sentences, event_mentioned, pair_features


def dated(sentence: str, text: str, when: date, verb: str) -> Value:
    start = sentence.index(text)
    return Value("date", text, start, start + len(text), text, date=DateValue(when, when, "day"), verb=verb)


@pytest.mark.parametrize("sentence, text, relation", [
    ("The bridge in Kestrel Falls opened on 4 May 2001.", "4 May 2001", "point"),
    ("The bridge in Kestrel Falls has been closed since 4 May 2001.", "4 May 2001", "since"),
    ("Ferry Dawn ran from 4 May until the storm.", "4 May", "since"),
    ("The road stays shut until late 4 May.", "4 May", "until"),
    ("By 4 May, divers had reached the hull.", "4 May", "by"),
    ("Divers reached the hull after 4 May.", "4 May", "after"),
    ("The count rose to 11 on 4 May.", "4 May", "point"),  # 'to 11' is not the date's preposition
])
def test_a_date_is_the_moment_of_its_event_or_a_bound(sentence, text, relation):
    assert date_relation(dated(sentence, text, date(2001, 5, 4), "open"), sentence) == relation


def test_only_dates_and_times_have_a_relation():
    value = Value("place", "Kestrel Falls", 4, 17, "kestrel falls")
    assert date_relation(value, "The bridge in Kestrel Falls opened.") == ""


def test_an_event_the_other_sentence_never_mentions():
    built = dated("The bridge was built on 4 May.", "4 May", date(2001, 5, 4), "build")
    inspected = dated("The bridge was inspected on 9 May.", "9 May", date(2001, 5, 9), "inspect")
    assert event_mentioned(built, inspected, frozenset({"bridge", "build"}), frozenset({"bridge", "inspect"})) == 0.0
    # 'the bridge, built in 2001, was inspected on 9 May': the second sentence mentions both events
    assert event_mentioned(built, inspected, frozenset({"bridge", "build"}),
                           frozenset({"bridge", "build", "inspect"})) == 0.5
    assert event_mentioned(built, built, frozenset(), frozenset()) == 1.0
    said = dated("The mayor said on 9 May that the bridge was safe.", "9 May", date(2001, 5, 9), "say")
    assert event_mentioned(said, inspected, frozenset({"mayor"}), frozenset({"bridge", "inspect"})) == 0.5


def table_of(sentences: list[tuple[str, str, str, Value]]) -> tuple[ValueTable, dict[str, Document]]:
    """One value per (document, sentence) with orthogonal context vectors and unrelated verb vectors."""
    claims = [Claim(f"{doc}#0.0", f"{doc}#0", doc, text, 0, len(text), values=(value,), verb=value.verb,
                    keys=frozenset(keys.split()), sentence=text)
              for doc, text, keys, value in sentences]
    n = len(claims)
    eye = np.eye(n, 8, dtype=np.float32)
    table = ValueTable(claims, [(i, 0) for i in range(n)], eye, eye * 0, eye, eye, list(range(n)), [False] * n,
                       list(range(n)), eye, [c.doc_id for c in claims])
    docs = {c.doc_id: Document(c.doc_id, f"{c.doc_id}.txt", c.doc_id, c.doc_id, None, "", c.text) for c in claims}
    return table, docs


def test_dates_of_two_different_events_are_described_as_such():
    a_text = "The bridge in Kestrel Falls was built on 4 May 2001."
    b_text = "Engineers inspected the bridge in Kestrel Falls on 9 May 2001."
    c_text = "The bridge in Kestrel Falls has been closed since 9 May 2001."
    table, docs = table_of([
        ("a", a_text, "bridge kestrel falls build", dated(a_text, "4 May 2001", date(2001, 5, 4), "build")),
        ("b", b_text, "engineer inspect bridge kestrel falls",
         dated(b_text, "9 May 2001", date(2001, 5, 9), "inspect")),
        ("c", c_text, "bridge kestrel falls close", dated(c_text, "9 May 2001", date(2001, 5, 9), "close")),
    ])
    rows = pair_features(table, [(0, 1), (0, 2)], docs)
    column = {name: rows[:, k] for k, name in enumerate(FEATURES)}
    assert column["event_mentioned"].tolist() == [0.0, 0.0]
    assert column["date_relation_differs"].tolist() == [0.0, 1.0]
    assert column["date_bound"].tolist() == [0.0, 1.0]


def test_one_event_told_twice_is_not_marked_as_two():
    a_text = "The bridge in Kestrel Falls opened on 4 May 2001."
    b_text = "Officials said the bridge in Kestrel Falls opened on 9 May 2001."
    table, docs = table_of([
        ("a", a_text, "bridge kestrel falls open", dated(a_text, "4 May 2001", date(2001, 5, 4), "open")),
        ("b", b_text, "official bridge kestrel falls open", dated(b_text, "9 May 2001", date(2001, 5, 9), "open")),
    ])
    row = dict(zip(FEATURES, pair_features(table, [(0, 1)], docs)[0].tolist(), strict=True))
    assert row["event_mentioned"] == 1.0
    assert row["date_relation_differs"] == row["date_bound"] == 0.0


# --- the most similar sentence of another document ----------------------------------------------------

def sentence_table(sentences: int, docs: int, seed: int = 0) -> ValueTable:
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(sentences, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[7] = vectors[3]  # a sentence repeated in one document: ties
    sentence_docs = [f"d{k % docs}" for k in range(sentences)]
    rows = list(range(0, sentences, 3))
    zero = np.zeros((len(rows), 16), dtype=np.float32)
    return ValueTable([], [(0, 0)] * len(rows), zero, zero, zero, zero, [0] * len(rows), [False] * len(rows),
                      rows, vectors, sentence_docs)


def test_needed_keys_get_the_answers_of_comparing_every_sentence_with_every_document():
    table = sentence_table(120, 8)
    every = best_sentences(table)
    assert len(every) == len(set(table.sentence_rows)) * 8
    for r, doc in list(every)[:5]:
        columns = [c for c, d in enumerate(table.sentence_docs) if d == doc]
        assert every[(r, doc)] == max(columns, key=lambda c: float(table.sentences[r] @ table.sentences[c]))
    needed = {(r, f"d{(r * 5) % 8}") for r in table.sentence_rows} | {(3, "d4"), (3, "d7"), (3, "nowhere")}
    assert best_sentences(table, needed) == {key: every[key] for key in needed if key in every}
