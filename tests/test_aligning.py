"""Aligning: candidate value pairs are comparable values from different sources."""

import numpy as np

from discrepancy.aligning import comparable_type, remove_topic, value_key
from discrepancy.records import Amount, Value

from .conftest import prepare_texts, shared_cache, value_rows


def unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_topic_removal_separates_same_topic_sentences():
    topic = np.array([5, 0, 0, 0], dtype=np.float32)
    vectors = unit([topic + [0, 1, 0, 0], topic + [0, 0, 1, 0], topic + [0, 0, 0, 1], topic + [0, 1, 0.1, 0]])
    raw = float(vectors[0] @ vectors[1])
    adjusted = remove_topic(vectors)
    assert raw > 0.9
    assert float(adjusted[0] @ adjusted[1]) < 0.2
    assert float(adjusted[0] @ adjusted[3]) > 0.8


def test_values_compare_within_one_type():
    length = Value("quantity", "22-foot", 0, 7, "22 ft", amount=Amount(6.7, 6.7, 6.7, "length", "ft"))
    count = Value("quantity", "22", 0, 2, "22", amount=Amount(22, 22, 22, "count"))
    assert comparable_type(length) == "quantity:length" != comparable_type(count)
    origin = Value("place", "Lyon", 0, 4, "lyon", role="from")
    assert comparable_type(origin) == "place:from"
    assert value_key(length) != value_key(count)


def test_candidates_pair_other_sources_only(tmp_path_factory):
    prepared = prepare_texts(tmp_path_factory.mktemp("align"), {
        "a.txt": "The 22-foot tugboat lost contact on Sunday. Its 6.7-metre hull was made of steel.",
        "b.txt": "The 21-foot tugboat lost contact on Sunday.",
    }, shared_cache(tmp_path_factory))
    table = prepared.table
    for i, j in prepared.pairs:
        assert table.claim(i).doc_id != table.claim(j).doc_id
        assert comparable_type(table.value(i)) == comparable_type(table.value(j))
    (a22,), (b21,), (a67,) = value_rows(prepared, "22-foot"), value_rows(prepared, "21-foot"), \
        value_rows(prepared, "6.7-metre")
    assert (min(a22, b21), max(a22, b21)) in prepared.pairs
    assert (min(a22, a67), max(a22, a67)) not in prepared.pairs  # one article: never compared


def synthetic_table(n: int, groups: int, seed: int = 0):
    """`n` lengths in `groups` sources with random context vectors."""
    from discrepancy.aligning import ValueTable
    from discrepancy.records import Claim

    rng = np.random.default_rng(seed)
    vectors = unit(rng.normal(size=(n, 16)))
    claims = [Claim(f"d{i % groups}#{i}.0", f"d{i % groups}#{i}", f"d{i % groups}", "x", 0, 1,
                    values=(Value("quantity", f"{i} m", 0, 1, f"{i} m", amount=Amount(i, i, i, "length", "m")),))
              for i in range(n)]
    return ValueTable(claims, [(i, 0) for i in range(n)], vectors, vectors * 0, vectors * 0, vectors,
                      [i % groups for i in range(n)], [False] * n)


def test_a_rare_type_pairs_every_value_of_other_sources():
    from discrepancy.aligning import candidate_pairs

    table = synthetic_table(30, 3)
    assert len(candidate_pairs(table)) == 30 * 29 // 2 - 3 * (10 * 9 // 2)


def test_a_common_type_keeps_nearest_values_per_source_and_grows_linearly():
    from discrepancy.aligning import ALL_PAIRS, MAX_PARTNERS, candidate_pairs

    n, groups = 3 * ALL_PAIRS, 6
    table = synthetic_table(n, groups)
    pairs = set(candidate_pairs(table))
    assert len(pairs) <= n * MAX_PARTNERS
    sims = table.context @ table.context.T
    for i in range(0, n, 41):  # each value's nearest value in another source is a candidate
        other = [j for j in range(n) if table.groups[j] != table.groups[i]]
        nearest = max(other, key=lambda j: sims[i, j])
        assert (min(i, nearest), max(i, nearest)) in pairs


def polarity_pairs_of(tmp_path_factory, texts: dict[str, str]) -> set[frozenset[str]]:
    """The denial/affirmation pairs aligned in a corpus of `texts`, as pairs of clause texts."""
    prepared = prepare_texts(tmp_path_factory.mktemp("polarity"), texts, shared_cache(tmp_path_factory))
    table = prepared.table
    return {frozenset((table.claim(i).text, table.claim(j).text)) for i, j in prepared.pairs
            if table.value(i).kind == "polarity"}


def test_a_denial_is_paired_only_with_an_affirmation_about_the_same_thing(tmp_path_factory):
    texts = polarity_pairs_of(tmp_path_factory, {
        "a.txt": "Rescuers did not find the black box on Tuesday.",
        "b.txt": "Divers found the black box near the wreck. The harbour was closed to ships.",
    })
    assert any(any("Divers found" in t for t in pair) for pair in texts)  # 'find the black box' both
    assert not any(any("harbour" in t for t in pair) for pair in texts)  # not about the black box


def test_a_denial_is_not_paired_with_a_clause_that_merely_names_what_it_denies(tmp_path_factory):
    # 'no update on the repairs' denies an update, not the repairs; 'a repair survey is ongoing'
    # affirms a survey: the two clauses assert different things though both name the repairs.
    assert not polarity_pairs_of(tmp_path_factory, {
        "a.txt": "There was no update on the harbour repairs.",
        "b.txt": "A repair survey of the harbour is ongoing.",
    })


def full_sort_nearest_pairs(table, members, top_k):
    """The reference: every row ranked in full (what neighbour search did before shortlists)."""
    from discrepancy.aligning import MAX_PARTNERS

    vectors = table.context[np.asarray(members)]
    member_groups = np.asarray([table.groups[i] for i in members])
    sims = vectors @ vectors.T
    sims[member_groups[:, None] == member_groups[None, :]] = -np.inf
    out = set()
    for r, row in enumerate(sims):
        taken, kept = {}, 0
        for c in np.argsort(-row, kind="stable"):
            if not np.isfinite(row[c]) or kept >= MAX_PARTNERS:
                break
            if taken.get(int(member_groups[c]), 0) >= top_k:
                continue
            taken[int(member_groups[c])] = taken.get(int(member_groups[c]), 0) + 1
            kept += 1
            out.add((min(members[r], members[c]), max(members[r], members[c])))
    return out


def test_shortlisted_neighbour_search_equals_ranking_every_row_in_full(monkeypatch):
    from discrepancy import aligning

    monkeypatch.setattr(aligning, "BLOCK_ROWS", 37)  # several blocks, the last one partial
    for seed, groups, top_k in [(0, 6, 5), (1, 2, 5), (2, 40, 1), (3, 3, 16)]:
        table = synthetic_table(300, groups, seed)
        # Ties: a few values share one context vector; one source holds most values (its members
        # fill every shortlist, so rows of the others need the full ranking).
        table.context[10:20] = table.context[10]
        table.groups = [0 if i % 7 else g for i, g in enumerate(table.groups)]
        members = list(range(0, 300, 1)) if seed % 2 else list(range(5, 300, 2))
        assert aligning.nearest_pairs(table, members, top_k) == full_sort_nearest_pairs(table, members, top_k)


def polarity_table(n: int, groups: int, seed: int):
    """`n` affirmed or denied clauses in `groups` sources, about a few things with a few verbs."""
    from discrepancy.aligning import ValueTable
    from discrepancy.records import Claim

    rng = np.random.default_rng(seed)
    vectors = unit(rng.normal(size=(n, 16)))
    verbs = unit(rng.normal(size=(n, 16)))
    things, actions = ["bridge", "ferry", "dam", "road"], ["open", "close", "find", "sink"]
    claims = []
    for i in range(n):
        value = Value("polarity", "x", 0, 1, "x", negated=bool(rng.random() < 0.3), head=str(rng.choice(things)),
                      verb=str(rng.choice(actions)), keys=frozenset({str(rng.choice(things))}))
        claims.append(Claim(f"d{i % groups}#{i}.0", f"d{i % groups}#{i}", f"d{i % groups}", "x", 0, 1,
                            values=(value,)))
    vectors[5:9] = vectors[5]  # ties
    return ValueTable(claims, [(i, 0) for i in range(n)], vectors, vectors * 0, verbs, vectors,
                      [i % groups for i in range(n)], [False] * n)


def every_source_polarity_pairs(table, members, top_k):
    """The reference: each denial against the closest affirmations of every other source, by a stable sort."""
    from discrepancy.aligning import shares_figure

    denied = [i for i in members if table.value(i).negated]
    affirmed = [i for i in members if not table.value(i).negated]
    aff = np.asarray(affirmed)
    aff_groups = np.asarray([table.groups[i] for i in affirmed])
    out = set()
    for i in denied:
        sims = table.context[aff] @ table.context[i]
        vi = table.value(i)
        for group in sorted(set(aff_groups.tolist()) - {table.groups[i]}):
            cols = np.nonzero(aff_groups == group)[0]
            for c in cols[np.argsort(-sims[cols], kind="stable")[:max(top_k, 5)]]:
                j = affirmed[c]
                vj = table.value(j)
                shared = set(vi.head.split()) & set(vj.head.split())
                if not shared:
                    continue
                if vi.verb != vj.verb and not (shared and (float(table.verb[i] @ table.verb[j]) >= 0.6
                                                           or shares_figure(table, i, j))):
                    continue
                out.add((min(i, j), max(i, j)))
    return out


def test_polarity_pairs_equal_every_source_in_ordinary_corpora_and_are_capped_in_huge_ones():
    from discrepancy.aligning import POLARITY_SOURCES, polarity_pairs

    for seed, groups, top_k in [(0, 4, 5), (1, 12, 2), (2, POLARITY_SOURCES, 6)]:
        table = polarity_table(400, groups, seed)
        members = list(range(400))
        assert polarity_pairs(table, members, top_k) == every_source_polarity_pairs(table, members, top_k)
    table = polarity_table(1200, 4 * POLARITY_SOURCES, 3)
    pairs = polarity_pairs(table, list(range(1200)), 5)
    denied = [i for i in range(1200) if table.value(i).negated]
    for i in denied:
        partners = {table.groups[j] for a, b in pairs if i in (a, b) for j in (a, b) if j != i}
        assert len(partners) <= POLARITY_SOURCES
    assert pairs <= every_source_polarity_pairs(table, list(range(1200)), 5)
