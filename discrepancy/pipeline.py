"""The pipeline: loading → cleaning → segmenting → extracting facts → embedding →
aligning → comparing, returning a `CheckResult` that reporting writes out.

`check_corpus` is the library entry point behind `discrepancy check`.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .aligning import align
from .cache import ANALYSIS_FILE, EMBEDDINGS_FILE, AnalysisCache, analysis_key, pipeline_version
from .cleaning import clean_document
from .comparing import build_findings
from .duplicates import source_groups
from .embedding import EmbeddingCache, embed_texts, model_fingerprint, prefetch_model, resolve_device, set_threads
from .errors import NothingToCompare
from .facts import COUNT_CLASSES, PRONOUN_MARK, SentenceDraft, analyze_sentence
from .loading import describe_skipped, load_corpus
from .nlp import load_nlp
from .records import (
    CandidatePair,
    CheckResult,
    Claim,
    Document,
    DuplicateGroup,
    Sentence,
    SingleSourceClaim,
    SkippedFile,
)
from .segmenting import sentence_spans, split_blocks
from .settings import Settings

PIPELINE_VERSION = "1"
# A claim opening with one of these continues the previous sentence's time frame.
SEQUENCE_OPENERS = re.compile(
    r"^(?:as a result|consequently|subsequently|then|after that|afterwards|at the time|that same day|"
    r"on the same day|the same day|shortly after(?:wards)?|soon after|later that (?:day|month|year))\b",
    re.IGNORECASE,
)

Progress = Callable[[str, int, int], None]


# Parsing: spaCy batch size, blocks per worker task, blocks per cache transaction, and the
# fewest uncached blocks for which worker processes pay for themselves.
NLP_BATCH = 64
TASK_BLOCKS = 16
WRITE_EVERY = 200
PARALLEL_MIN_BLOCKS = 120


def analyze_block(text: str, published: date | None, nlp) -> list[SentenceDraft]:
    """Sentences of one block and the claims and facts of each (offsets within the block)."""
    return analyze_doc(nlp(text), published)


def analyze_doc(doc, published: date | None) -> list[SentenceDraft]:
    """`analyze_block` for a block spaCy has already parsed (`nlp.pipe` batches)."""
    drafts = []
    for start, end in sentence_spans(doc):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not span.text.strip():
            continue
        drafts.append(SentenceDraft(start, end, tuple(analyze_sentence(span, published))))
    return drafts


def segment_and_extract(documents: list[Document], nlp=None, progress: Progress | None = None,
                        cache: AnalysisCache | None = None, jobs: int | None = 1,
                        while_parsing: Callable[[], object] | None = None) -> tuple[list[Sentence], list[Claim]]:
    """Split every document into sentences and claims with typed facts.

    Each distinct (block text, publication date) is analysed once: from `cache` when it
    holds it, else parsed with `nlp.pipe` (in `jobs` worker processes when that pays)
    and written back in batches. spaCy is loaded only when some block needs parsing.
    `while_parsing` is called once worker processes are busy (the parent is idle then).
    """
    version = pipeline_version() if cache else ""
    plans: list[list[tuple]] = []
    requests: dict[str, tuple[str, date | None]] = {}
    for document in documents:
        plan = []
        for block in split_blocks(document.text):
            key = None
            if not block.is_heading or any(ch.isdigit() for ch in block.text):
                key = analysis_key(version, document.published, block.text)
                requests.setdefault(key, (block.text, document.published))
            plan.append((block, key))
        plans.append(plan)
    if progress:
        progress("segment", 0, 0)
    analyses = cache.get_many(requests) if cache else {}
    todo = [(key, text, published) for key, (text, published) in requests.items() if key not in analyses]
    if todo:
        analyses.update(analyze_blocks(todo, nlp, cache, version, jobs, progress, while_parsing))
    sentences: list[Sentence] = []
    claims: list[Claim] = []
    for document, plan in zip(documents, plans, strict=True):
        doc_sentences: list[Sentence] = []
        doc_claims: list[list[Claim]] = []
        for block, key in plan:
            if block.is_heading:
                parts = [SentenceDraft(0, len(block.text), ())]
                if key is not None:
                    parts = analyses[key] or parts
                    parts = [SentenceDraft(0, len(block.text), tuple(c for p in parts for c in p.claims))]
            else:
                parts = analyses[key]
            for draft in parts:
                index = len(doc_sentences)
                sid = f"{document.id}#{index}"
                s_start = block.start + draft.start
                s_end = block.start + draft.end
                sentence = Sentence(sid, document.id, index, document.text[s_start:s_end], s_start, s_end,
                                    is_heading=block.is_heading)
                doc_sentences.append(sentence)
                sentence_claims = []
                for k, c in enumerate(draft.claims):
                    c_start, c_end = s_start + c.start, s_start + c.end
                    sentence_claims.append(Claim(
                        id=f"{sid}.{k}", sentence_id=sid, doc_id=document.id,
                        text=document.text[c_start:c_end], start=c_start, end=c_end,
                        predicate=c.predicate, negated=c.negated, hedge=c.hedge, attribution=c.attribution,
                        facts=c.facts, keys=c.keys, object=c.object, participants=c.participants,
                        sentence=sentence.text,
                    ))
                if not sentence_claims:
                    sentence_claims.append(Claim(id=f"{sid}.0", sentence_id=sid, doc_id=document.id,
                                                 text=sentence.text, start=s_start, end=s_end,
                                                 sentence=sentence.text))
                doc_claims.append(sentence_claims)
        sentences.extend(doc_sentences)
        claims.extend(resolve_pronouns(inherit_dates(doc_claims)))
    return sentences, claims


def worker_count(jobs: int | None, blocks: int) -> int:
    """Processes for parsing `blocks` blocks: `jobs` (None: every core), one when too few to pay."""
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if jobs <= 1 or blocks < PARALLEL_MIN_BLOCKS:
        return 1
    return max(1, min(jobs, -(-blocks // TASK_BLOCKS)))


def analyze_blocks(todo: list[tuple[str, str, date | None]], nlp=None, cache: AnalysisCache | None = None,
                   version: str = "", jobs: int | None = 1, progress: Progress | None = None,
                   while_parsing: Callable[[], object] | None = None) -> dict[str, list[SentenceDraft]]:
    """Analyses of `todo` ((key, text, published) triples), written to `cache` every
    `WRITE_EVERY` blocks in one transaction each: an interrupt keeps every finished batch."""
    done: dict[str, list[SentenceDraft]] = {}
    pending: dict[str, list[SentenceDraft]] = {}
    if progress:
        progress("segment", 0, len(todo))
    nlp = nlp or load_nlp()
    workers = worker_count(jobs, len(todo))
    try:
        if workers > 1:
            results = parallel_analyses(todo, nlp, workers, while_parsing)
        else:
            docs = nlp.pipe((text for _, text, _ in todo), batch_size=NLP_BATCH)
            results = ((key, analyze_doc(doc, published)) for (key, _, published), doc in zip(todo, docs, strict=True))
        for key, drafts in results:
            done[key] = pending[key] = drafts
            if cache and len(pending) >= WRITE_EVERY:
                cache.put_many(pending, version)
                pending.clear()
            if progress:
                progress("segment", len(done), len(todo))
    finally:
        if cache and pending:
            cache.put_many(pending, version)
    return done


_WORKER_NLP = None


def _worker_init() -> None:
    global _WORKER_NLP
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the parent, which stops the pool
    if _WORKER_NLP is None:
        _WORKER_NLP = load_nlp()


def _worker_analyze(batch: list[tuple[str, str, date | None]]) -> list[tuple[str, list[SentenceDraft]]]:
    docs = _WORKER_NLP.pipe([text for _, text, _ in batch], batch_size=NLP_BATCH)
    return [(key, analyze_doc(doc, published)) for (key, _, published), doc in zip(batch, docs, strict=True)]


def parallel_analyses(todo: list[tuple[str, str, date | None]], nlp, workers: int,
                      while_parsing: Callable[[], object] | None = None) -> Iterator[tuple[str, list]]:
    """(key, drafts) for `todo` from `workers` processes, as they finish.

    On Linux the workers are forked from this process and share its loaded spaCy
    pipeline; elsewhere each loads its own. Leaving early (Ctrl-C) terminates them.
    """
    global _WORKER_NLP
    fork = sys.platform.startswith("linux")
    context = multiprocessing.get_context("fork" if fork else "spawn")
    _WORKER_NLP = nlp if fork else None
    batches = [todo[i:i + TASK_BLOCKS] for i in range(0, len(todo), TASK_BLOCKS)]
    with context.Pool(workers, initializer=_worker_init) as pool:
        if while_parsing:
            while_parsing()
        for results in pool.imap_unordered(_worker_analyze, batches):
            yield from results


def inherit_dates(sentence_claims: list[list[Claim]]) -> list[Claim]:
    """'X was delivered in July 2019. ... As a result, Y happened.' gives Y the date July 2019,
    marked as inferred so its score and reason say so."""
    out: list[Claim] = []
    last_date = None
    for group in sentence_claims:
        for claim in group:
            own = [f for f in claim.facts if f.type == "date" and f.date]
            if not own and last_date is not None and SEQUENCE_OPENERS.match(claim.text.strip()) \
                    and claim.predicate:
                inherited = replace(last_date, predicate=claim.predicate, inferred=True,
                                    subject_keys=claim.participants, subject="",
                                    anchors=claim.keys)
                claim = replace(claim, facts=claim.facts + (inherited,))
            out.append(claim)
        dated = [f for c in group for f in c.facts if f.type == "date" and f.date and not f.inferred]
        if dated:
            last_date = dated[0]
    return out


def resolve_mark(keys: frozenset[str], named: frozenset[str]) -> frozenset[str]:
    return (keys - {PRONOUN_MARK}) | named if PRONOUN_MARK in keys else keys


def resolve_pronouns(claims: list[Claim]) -> list[Claim]:
    """'It ran aground near Gavrio': 'it' is the last named subject before it (a cheap
    coreference that keeps a pronoun from matching every subject)."""
    out: list[Claim] = []
    last_named: frozenset[str] = frozenset()
    for claim in claims:
        if any(PRONOUN_MARK in f.subject_keys for f in claim.facts) or PRONOUN_MARK in claim.participants:
            claim = replace(claim, participants=resolve_mark(claim.participants, last_named),
                            facts=tuple(replace(f, subject_keys=resolve_mark(f.subject_keys, last_named))
                                        for f in claim.facts))
        named = frozenset(k for k in claim.participants if k.startswith("^"))
        if named:
            last_named = named
        out.append(claim)
    return out


def notable(fact) -> bool:
    """A specific value worth listing when only one source states it."""
    if fact.type == "location":
        return True
    if fact.type == "date":
        return fact.date is not None and fact.date.granularity in ("day", "month", "time")
    if fact.type == "number":
        return bool(fact.role) or "|" in fact.attribute or fact.attribute in COUNT_CLASSES
    return False


def single_source_claims(claims: list[Claim], comparisons, pairs, groups: dict[str, int],
                         limit: int) -> list[SingleSourceClaim]:
    """Notable claims (carrying a specific value) that no other source speaks to."""
    touched = {c.a.claim_id for c in comparisons} | {c.b.claim_id for c in comparisons}
    touched |= {p.a for p in pairs if p.similarity >= 0.5} | {p.b for p in pairs if p.similarity >= 0.5}
    candidates = []
    for claim in claims:
        if claim.id in touched:
            continue
        facts = [f for f in claim.facts if notable(f)]
        if not facts or len(claim.text.split()) < 6:
            continue
        weight = sum({"number": 3, "location": 2, "date": 1}[f.type] for f in facts)
        candidates.append((-weight, claim.id, claim, facts))
    candidates.sort(key=lambda c: (c[0], c[1]))
    out = []
    seen: set[tuple[int, str]] = set()
    for _, _, claim, facts in candidates:
        if len(out) >= limit:
            break
        key = (groups.get(claim.doc_id, -1), " ".join(claim.text.lower().split()))
        if key in seen:  # the same sentence in a syndicated copy: listed once, under the first article
            continue
        seen.add(key)
        out.append(SingleSourceClaim(claim.doc_id, claim.sentence or claim.text,
                                     tuple(f"{f.type}: {f.text}" for f in facts)))
    return out


@dataclass
class PreparedCorpus:
    """Everything up to alignment: what tuning re-uses across many threshold settings."""

    corpus: str
    documents: list[Document]
    sentences: list[Sentence]
    claims: list[Claim]
    pairs: list[CandidatePair]  # aligned with `align_threshold`; finer thresholds filter these
    groups: dict[str, int]
    duplicates: list[DuplicateGroup]
    skipped: list[SkippedFile]
    model_label: str
    align_threshold: float


def prepare_corpus(corpus: str | Path, settings: Settings | None = None, cache_dir: str | Path | None = None,
                   device: str = "auto", progress: Progress | None = None,
                   align_threshold: float | None = None, jobs: int | None = None) -> PreparedCorpus:
    """Load, clean, segment, extract facts, embed and align.

    `align_threshold` (default: the settings' similarity threshold) can be set lower
    so that one preparation serves a sweep over higher thresholds. `cache_dir` holds
    the embedding and analysis caches (None: no cache). `device` is auto, cpu or cuda;
    `jobs` the processes/threads to use (None: every core, 1: no worker processes).
    `progress(stage, done, total)` hears about stages load, segment, embed and align.
    """
    settings = settings or Settings()
    threshold = settings.similarity_threshold if align_threshold is None else align_threshold
    if device != "auto":
        resolve_device(device)  # a bad or unavailable device fails now, not after parsing
    if progress:
        progress("load", 0, 0)
    loaded = load_corpus(corpus, max_file_mb=settings.max_file_mb)
    documents = [clean_document(raw) for raw in loaded.documents]
    empty = [d.path for d in documents if not d.text.strip()]
    documents = [d for d in documents if d.text.strip()]
    skipped = list(loaded.skipped) + [SkippedFile(p, "no article text left after cleaning") for p in empty]
    if len(documents) < 2:
        names = ", ".join(d.path for d in documents) or "none"
        raise NothingToCompare(
            f"nothing to compare in {corpus}: {len(documents)} usable article{'' if len(documents) == 1 else 's'} "
            f"({names}); need at least two"
            + (f"; skipped: {describe_skipped(skipped)}" if skipped else "")
        )
    groups, duplicates = source_groups(documents, settings.duplicate_threshold)
    if len(set(groups.values())) < 2:
        raise NothingToCompare(f"nothing to compare in {corpus}: every article is a copy of the same text")
    if progress:
        progress("load", len(documents), len(documents))
    analysis_cache = AnalysisCache(Path(cache_dir) / ANALYSIS_FILE) if cache_dir else None
    sentences, claims = segment_and_extract(documents, progress=progress, cache=analysis_cache, jobs=jobs,
                                            while_parsing=lambda: prefetch_model(settings.model, device))
    cache = EmbeddingCache(Path(cache_dir) / EMBEDDINGS_FILE) if cache_dir else None
    set_threads(jobs)
    vectors = embed_texts([s.text for s in sentences], settings.model, cache, device=device, progress=progress)
    if progress:
        progress("align", 0, 1)
    sentence_index = {s.id: i for i, s in enumerate(sentences)}
    pairs = align(claims, sentence_index, vectors, groups, settings.top_k, threshold)
    if progress:
        progress("align", 1, 1)
    return PreparedCorpus(str(corpus), documents, sentences, claims, pairs, groups, duplicates, skipped,
                          model_fingerprint(settings.model), threshold)


def find_discrepancies(prepared: PreparedCorpus, settings: Settings | None = None,
                       progress: Progress | None = None) -> CheckResult:
    """Compare the aligned pairs under `settings` and assemble the result (cheap; no model calls)."""
    settings = settings or Settings()
    if progress:
        progress("compare", 0, len(prepared.pairs))
    claim_map = {c.id: c for c in prepared.claims}
    doc_map = {d.id: d for d in prepared.documents}
    findings, comparisons = build_findings(prepared.pairs, claim_map, doc_map, prepared.groups, settings.min_score,
                                           settings.min_agreement_score, settings.similarity_threshold)
    relevant = [c for c in comparisons if c.verdict != "unrelated"]
    single = single_source_claims(prepared.claims, relevant, prepared.pairs, prepared.groups,
                                  settings.single_source_limit)
    if progress:
        progress("compare", len(prepared.pairs), len(prepared.pairs))
    return CheckResult(
        corpus=prepared.corpus, documents=prepared.documents, sentences=prepared.sentences, claims=prepared.claims,
        pairs=[p for p in prepared.pairs if p.via != "embedding" or p.similarity >= settings.similarity_threshold],
        findings=findings, single_source=single, duplicates=prepared.duplicates, skipped=prepared.skipped,
        settings=settings.as_dict(), model_label=prepared.model_label,
    )


def check_corpus(corpus: str | Path, settings: Settings | None = None, cache_dir: str | Path | None = None,
                 device: str = "auto", progress: Progress | None = None, jobs: int | None = None) -> CheckResult:
    """Run the whole pipeline on a corpus folder."""
    settings = settings or Settings()
    prepared = prepare_corpus(corpus, settings, cache_dir=cache_dir, device=device, progress=progress, jobs=jobs)
    return find_discrepancies(prepared, settings, progress=progress)
