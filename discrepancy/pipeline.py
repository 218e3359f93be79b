"""The pipeline: loading → cleaning → segmenting → extracting facts → embedding →
aligning → comparing, returning a `CheckResult` that reporting writes out.

`check_corpus` is the library entry point behind `discrepancy check`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .aligning import align
from .cleaning import clean_document
from .comparing import build_findings
from .duplicates import source_groups
from .embedding import EmbeddingCache, embed_texts, model_fingerprint
from .errors import NothingToCompare
from .facts import SentenceDraft, analyze_sentence
from .loading import load_corpus
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


def analyze_block(text: str, published: date | None, nlp) -> list[SentenceDraft]:
    """Sentences of one block and the claims and facts of each (offsets within the block)."""
    doc = nlp(text)
    drafts = []
    for start, end in sentence_spans(doc):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not span.text.strip():
            continue
        drafts.append(SentenceDraft(start, end, tuple(analyze_sentence(span, published))))
    return drafts


def segment_and_extract(documents: list[Document], nlp=None,
                        progress: Progress | None = None) -> tuple[list[Sentence], list[Claim]]:
    """Split every document into sentences and claims with typed facts."""
    nlp = nlp or load_nlp()
    sentences: list[Sentence] = []
    claims: list[Claim] = []
    for n, document in enumerate(documents):
        doc_sentences: list[Sentence] = []
        doc_claims: list[list[Claim]] = []
        for block in split_blocks(document.text):
            if block.is_heading:
                parts = [SentenceDraft(0, len(block.text), ())]
                if any(ch.isdigit() for ch in block.text):
                    parts = analyze_block(block.text, document.published, nlp) or parts
                    parts = [SentenceDraft(0, len(block.text), tuple(c for p in parts for c in p.claims))]
            else:
                parts = analyze_block(block.text, document.published, nlp)
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
                    ))
                if not sentence_claims:
                    sentence_claims.append(Claim(id=f"{sid}.0", sentence_id=sid, doc_id=document.id,
                                                 text=sentence.text, start=s_start, end=s_end))
                doc_claims.append(sentence_claims)
        sentences.extend(doc_sentences)
        claims.extend(inherit_dates(doc_claims))
        if progress:
            progress("segment", n + 1, len(documents))
    return sentences, claims


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


def single_source_claims(claims: list[Claim], comparisons, pairs, groups: dict[str, int],
                         limit: int) -> list[SingleSourceClaim]:
    """Notable claims (carrying a specific value) that no other source speaks to."""
    touched = {c.a.claim_id for c in comparisons} | {c.b.claim_id for c in comparisons}
    touched |= {p.a for p in pairs if p.similarity >= 0.5} | {p.b for p in pairs if p.similarity >= 0.5}
    candidates = []
    for claim in claims:
        if claim.id in touched:
            continue
        facts = [f for f in claim.facts if f.type in ("number", "date", "location")
                 and (f.type != "date" or f.date is not None)]
        if not facts or len(claim.text.split()) < 6:
            continue
        weight = sum({"number": 3, "location": 2, "date": 1}[f.type] for f in facts)
        candidates.append((-weight, claim.id, claim, facts))
    candidates.sort(key=lambda c: (c[0], c[1]))
    out = []
    for _, _, claim, facts in candidates[:limit]:
        out.append(SingleSourceClaim(claim.doc_id, claim.text, tuple(f"{f.type}: {f.text}" for f in facts)))
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
                   device: str = "cpu", progress: Progress | None = None,
                   align_threshold: float | None = None) -> PreparedCorpus:
    """Load, clean, segment, extract facts, embed and align.

    `align_threshold` (default: the settings' similarity threshold) can be set lower
    so that one preparation serves a sweep over higher thresholds.
    """
    settings = settings or Settings()
    threshold = settings.similarity_threshold if align_threshold is None else align_threshold
    loaded = load_corpus(corpus)
    documents = [clean_document(raw) for raw in loaded.documents]
    empty = [d.path for d in documents if not d.text.strip()]
    documents = [d for d in documents if d.text.strip()]
    skipped = list(loaded.skipped) + [SkippedFile(p, "no article text left after cleaning") for p in empty]
    if len(documents) < 2:
        names = ", ".join(d.path for d in documents) or "none"
        raise NothingToCompare(
            f"nothing to compare in {corpus}: {len(documents)} usable article(s) ({names}); need at least two"
        )
    groups, duplicates = source_groups(documents, settings.duplicate_threshold)
    if len(set(groups.values())) < 2:
        raise NothingToCompare(f"nothing to compare in {corpus}: every article is a copy of the same text")
    sentences, claims = segment_and_extract(documents, progress=progress)
    cache = EmbeddingCache(Path(cache_dir) / "embeddings.sqlite") if cache_dir else None
    vectors = embed_texts([s.text for s in sentences], settings.model, cache, device=device)
    sentence_index = {s.id: i for i, s in enumerate(sentences)}
    pairs = align(claims, sentence_index, vectors, groups, settings.top_k, threshold)
    return PreparedCorpus(str(corpus), documents, sentences, claims, pairs, groups, duplicates, skipped,
                          model_fingerprint(settings.model), threshold)


def find_discrepancies(prepared: PreparedCorpus, settings: Settings | None = None) -> CheckResult:
    """Compare the aligned pairs under `settings` and assemble the result (cheap; no model calls)."""
    settings = settings or Settings()
    claim_map = {c.id: c for c in prepared.claims}
    doc_map = {d.id: d for d in prepared.documents}
    findings, comparisons = build_findings(prepared.pairs, claim_map, doc_map, prepared.groups, settings.min_score,
                                           settings.min_agreement_score, settings.similarity_threshold)
    relevant = [c for c in comparisons if c.verdict != "unrelated"]
    single = single_source_claims(prepared.claims, relevant, prepared.pairs, prepared.groups,
                                  settings.single_source_limit)
    return CheckResult(
        corpus=prepared.corpus, documents=prepared.documents, sentences=prepared.sentences, claims=prepared.claims,
        pairs=[p for p in prepared.pairs if p.via != "embedding" or p.similarity >= settings.similarity_threshold],
        findings=findings, single_source=single, duplicates=prepared.duplicates, skipped=prepared.skipped,
        settings=settings.as_dict(), model_label=prepared.model_label,
    )


def check_corpus(corpus: str | Path, settings: Settings | None = None, cache_dir: str | Path | None = None,
                 device: str = "cpu", progress: Progress | None = None) -> CheckResult:
    """Run the whole pipeline on a corpus folder."""
    settings = settings or Settings()
    prepared = prepare_corpus(corpus, settings, cache_dir=cache_dir, device=device, progress=progress)
    return find_discrepancies(prepared, settings)
