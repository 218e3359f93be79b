from discrepancy.pipeline import segment_and_extract
from discrepancy.records import Document
from discrepancy.segmenting import split_blocks


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
    assert len(claims) == 2
    assert [f.type for f in claims[0].facts if f.type != "name"] == ["location"]
    assert [f.type for f in claims[1].facts] == ["date"]
    assert claims[1].text == "is fully operational in April 2020"
