from discrepancy.pipeline import segment_and_extract
from discrepancy.records import Document
from discrepancy.segmenting import MAX_BLOCK_CHARS, chunk_spans, split_blocks


def doc(text, published=None):
    return Document("d", "d.txt", "t", "unknown", published, "unknown", text)


def test_headlines_without_full_stop_are_their_own_blocks():
    blocks = split_blocks("Turkey tests S-400 radar\nMr. Akar spoke. Then he left.")
    assert [b.is_heading for b in blocks] == [True, False]


def test_news_abbreviations_do_not_end_sentences(nlp):
    text = "Mr. Cavusoglu met U.S. officials in Washington on Monday. He said “no deal was made.” Talks go on."
    sentences, _ = segment_and_extract([doc(text)], nlp)
    assert [s.text for s in sentences] == [
        "Mr. Cavusoglu met U.S. officials in Washington on Monday.",
        "He said “no deal was made.”",
        "Talks go on.",
    ]


def test_offsets_point_into_the_document(nlp):
    text = "Headline\n\nFirst sentence here. Second one, with 12 people."
    sentences, claims = segment_and_extract([doc(text)], nlp)
    for s in sentences:
        assert text[s.start:s.end] == s.text
    for c in claims:
        assert text[c.start:c.end] == c.text


def test_coordinated_assertions_become_separate_claims(nlp):
    text = "According to Turkish media, the S-400 is located in Ankara and is fully operational in April 2020."
    _, claims = segment_and_extract([doc(text)], nlp)
    (placed,) = [c for c in claims if any(v.kind == "place" for v in c.values)]
    (dated,) = [c for c in claims if any(v.kind == "date" for v in c.values)]
    assert placed is not dated
    assert dated.text == "is fully operational in April 2020"


# --- long lines: parsed in bounded chunks, so cost stays linear in the length ---------------------

SENTENCES = (
    "The ferry Aegean Star sank off Andros on Monday, the coastguard said.",
    "Rescuers pulled survivors from the water near the port of Gavrio.",
    "Mr. Kalo, the captain, was arrested on Tuesday and charged with negligence.",
    "Officials in Athens said the vessel had passed an inspection in March.",
    "“We heard a bang and then the lights went out,” one passenger told reporters.",
    "The U.S. embassy said two American citizens were among the passengers.",
    "Divers searched the hull on Wednesday (weather permitting) for the missing.",
    "The company said it would cooperate fully with the investigation.",
)


def long_line(chars: int) -> str:
    """One line of `chars` characters or a little more: varied news sentences, no line break."""
    out, size, i = [], 0, 0
    while size < chars:
        sentence = SENTENCES[i % len(SENTENCES)]
        out.append(sentence)
        size += len(sentence) + 1
        i += 1
    return " ".join(out)


def test_a_5_mb_one_line_article_is_cut_into_bounded_chunks_at_sentence_ends():
    line = long_line(5_000_000)
    text = f"Ferry sinks off Andros\n\n{line}\nA last short line."
    blocks = split_blocks(text)
    assert len(blocks) > 5_000_000 // MAX_BLOCK_CHARS
    assert all(0 < len(b.text) <= MAX_BLOCK_CHARS for b in blocks)
    assert all(text[b.start:b.end] == b.text for b in blocks)  # offsets point into the document
    assert "".join(b.text for b in blocks).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    chunks = blocks[1:-1]
    assert all(b.text.endswith(SENTENCES_ENDS) for b in chunks)  # cut between sentences
    assert not any(b.is_heading for b in chunks)
    assert [b.is_heading for b in (blocks[0], blocks[-1])] == [True, False]


SENTENCES_ENDS = tuple(s[-3:] for s in SENTENCES)


def test_a_line_without_sentence_ends_is_cut_at_spaces_or_anywhere():
    words = "word " * 10_000
    blocks = split_blocks(words)
    assert all(len(b.text) <= MAX_BLOCK_CHARS and b.text.endswith("word") for b in blocks)
    assert sum(len(b.text.split()) for b in blocks) == 10_000
    solid = "x" * (3 * MAX_BLOCK_CHARS + 7)
    assert [len(b.text) for b in split_blocks(solid)] == [MAX_BLOCK_CHARS] * 3 + [7]


def test_abbreviations_are_not_taken_for_sentence_ends():
    assert chunk_spans("Mr. Kalo met Dr. Berg. They spoke.", 28) == [(0, 22), (23, 34)]


def test_no_parse_is_longer_than_a_chunk(nlp, monkeypatch):
    text = long_line(3 * MAX_BLOCK_CHARS)
    lengths = []
    real_pipe = type(nlp).pipe

    def recording_pipe(self, texts, *args, **kwargs):
        texts = list(texts)
        lengths.extend(len(t) for t in texts)
        return real_pipe(self, texts, *args, **kwargs)

    monkeypatch.setattr(type(nlp), "pipe", recording_pipe)
    sentences, claims = segment_and_extract([doc(text)], nlp)
    assert lengths and max(lengths) <= MAX_BLOCK_CHARS
    assert len(sentences) == len(text.split(". ")) - text.count("Mr. ") - text.count("U.S. ")
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert all(text[c.start:c.end] == c.text for c in claims)


def test_a_one_line_article_longer_than_spacy_takes_is_checked(tmp_path, nlp, monkeypatch):
    from typer.testing import CliRunner

    from discrepancy.cli import app

    from .conftest import write_article

    monkeypatch.setattr(nlp, "max_length", 20_000)  # spaCy's E088 limit is 1,000,000: the same, smaller
    corpus = tmp_path / "corpus"
    write_article(corpus, "long.txt", long_line(50_000))
    write_article(corpus, "short.txt", "The ferry Aegean Star sank off Tinos on Monday, the coastguard said.")
    done = CliRunner().invoke(app, ["check", str(corpus), "--no-cache", "--jobs", "1", "--json",
                                    str(tmp_path / "r.json")])
    assert done.exit_code == 0, done.output
    assert "2 articles" in done.output
