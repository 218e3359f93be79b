"""End to end on the S-400 articles: what must be caught, and what must not."""

import json

from discrepancy.reporting import to_json


def conflicts(result):
    return [f for f in result.findings if f.kind == "conflict"]


def test_the_location_conflict_is_flagged(s400_result):
    (loc,) = [f for f in conflicts(s400_result) if f.type == "location"]
    values = {s.value for s in loc.sides}
    assert values == {"Anamur-Mersin military base", "Ankara"}
    assert loc.reason.startswith("location: Anamur-Mersin military base ≠ Ankara")
    assert {loc.a.doc[:3], loc.b.doc[:3]} == {"000", "001"}


def test_same_fact_at_different_granularity_is_not_flagged(s400_result):
    for f in conflicts(s400_result):
        values = {s.value for s in f.sides}
        assert not ({"July 2019", "12 July 2019"} <= values)
        assert not ({"2017", "September 12, 2017"} <= values)
        assert not any("Mevl" in v for v in values)


def test_few_conflicts_in_all(s400_result):
    assert 1 <= len(conflicts(s400_result)) <= 12


def test_json_has_the_documented_shape(s400_result):
    data = json.loads(to_json(s400_result))
    assert {"id", "path", "title", "source", "published"} <= set(data["documents"][0])
    finding = data["findings"][0]
    assert {"id", "kind", "type", "score", "similarity", "reason", "a", "b", "sides"} <= set(finding)
    assert {"doc", "text", "value"} <= set(finding["a"])
    assert 0 <= finding["score"] <= 1
    dropped = {d["id"][:3]: [x["reason"] for x in d["dropped"]] for d in data["documents"]}
    assert "photo credit" in dropped["000"] and "comments" in dropped["003"]
