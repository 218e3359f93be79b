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


def test_a_fact_sentence_above_a_photo_credit_is_kept_only_the_credit_goes():
    body = ("The bridge in Kestrel Falls collapsed on Tuesday.\n\n"
            "Governor Ana Ruiz declared a state of emergency on Wednesday.\n"
            "Photo: J. Doe / Agency\n\n"
            "Rescue teams worked through the night.")
    text, dropped = clean_body(body)
    assert "Governor Ana Ruiz declared a state of emergency on Wednesday." in text
    assert [(d.text, d.reason) for d in dropped] == [("Photo: J. Doe / Agency", "photo credit")]


def test_captions_describing_the_picture_in_the_present_still_go():
    for caption in ("Rescuers search the rubble of the bridge in Kestrel Falls.",
                    "A man is carried from the scene on Tuesday.",
                    "Smoke rising above Harlow Road on Monday."):
        text, dropped = clean_body(f"The bridge collapsed on Tuesday.\n\n{caption}\nPhoto: J. Doe / Agency")
        assert caption not in text, caption
        assert [d.reason for d in dropped] == ["caption", "photo credit"], caption
    for prose in ("The mayor has ordered an inquiry into the collapse.",
                  "The bridge will stay closed until the spring."):
        text, _ = clean_body(f"The bridge collapsed on Tuesday.\n\n{prose}\nPhoto: J. Doe / Agency")
        assert prose in text, prose
