from discrepancy.cleaning import clean_body

BODY = """Ferry runs aground

Ferry runs aground
The ferry ran aground off Andros on Monday.

Rescuers at the scene on Tuesday morning
Photo credit: AP

Back in 2020, the line was fined by the regulator for repeated safety breaches on its older ships, \
which the company has since sold.
Photo credit: MWM

Smoke rising above the harbour on Monday.
Photo: Reader / Supplied

  03 May 2019    Read: 1566
Follow us on Twitter and Facebook.
More about: ferry Greece

Comments
Great article!
Leave a Reply
"""


def test_furniture_is_dropped_and_recorded():
    text, dropped = clean_body(BODY, title="Ferry runs aground")
    assert text.splitlines()[0] == "The ferry ran aground off Andros on Monday."
    reasons = [d.reason for d in dropped]
    assert reasons.count("repeated headline") == 2
    assert "caption" in reasons and "photo credit" in reasons
    assert "counter" in reasons and "footer" in reasons and "comments" in reasons
    for gone in ("Rescuers at the scene", "Follow us", "Great article", "Read: 1566", "More about"):
        assert gone not in text


def test_a_long_sentence_above_a_credit_is_kept_a_short_one_is_a_caption():
    # Pages put credits under images that sit between paragraphs: long prose stays.
    text, _ = clean_body(BODY, title="Ferry runs aground")
    assert "Back in 2020, the line was fined" in text
    assert "Smoke rising" not in text


def test_clean_article_is_unchanged():
    body = "First paragraph.\n\nSecond paragraph with a number, 12."
    assert clean_body(body, title="Other") == (body, ())
