"""Property-based tests: the loader, segmenter, fact parsers and report escaping hold up on any text."""

from __future__ import annotations

import json
import math
import re
import string

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from discrepancy.dates import parse_date
from discrepancy.loading import (
    PUBLISHED_RANGE,
    decode_bytes,
    document_from_text,
    parse_front_matter,
    parse_published,
    sanitize_text,
)
from discrepancy.quantities import parse_amount
from discrepancy.reporting import code_span, escape_md, highlight
from discrepancy.segmenting import split_blocks

PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any text, lone surrogates and control characters included.
any_text = st.text(st.characters(codec=None), max_size=300)
# Text that reads a bit like news: digits, dates, units, punctuation.
news_words = st.sampled_from([
    "July", "12", "2019", "last", "month", "at least", "about", "2.5", "billion", "$", "%", "-", "–", "on",
    "Monday", "the", "S-400", "1,000", "more than", "between", "and", "to", "year", "ago", "early", "late",
    "0", "31", "February", "29", "1e309", "9" * 40, "½", "٣", "spring", "of", "km", "metres", "dozens",
    ".", ",", "(", ")", "/", "~", "±", "a.m.", "BC", "AD", "Q3", "H1", "mid-",
])
newsy_text = st.lists(news_words, max_size=12).map(" ".join) | any_text

key = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
# A front-matter value: one line, no surrounding space or quotes (parse_front_matter strips those).
value = st.text(
    st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=1, max_size=40,
).map(lambda s: s.strip().strip("\"'").strip()).filter(lambda s: s and "\n" not in s)


@PROPS
@given(any_text)
def test_front_matter_parsing_never_crashes(text):
    fields, body = parse_front_matter(text)
    assert isinstance(fields, dict) and isinstance(body, str)
    raw = document_from_text("x", "x.txt", text)
    assert raw.title and raw.source and raw.url
    # Whatever came in, what goes out is valid UTF-8 and valid JSON.
    for part in (raw.title, raw.body, raw.source, raw.url):
        part.encode("utf-8")
        json.loads(json.dumps(part, ensure_ascii=False).encode("utf-8"))


@PROPS
@given(st.dictionaries(key, value, min_size=1, max_size=6), any_text)
def test_front_matter_round_trips(fields, body):
    body = body.replace("\r", "")  # keep the fence line endings ours
    text = "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\n" + body
    parsed, rest = parse_front_matter(text)
    assert parsed == fields
    assert rest == body


@PROPS
@given(any_text)
@example("a\ud800b\x00c\r\nd\x85e\u2028f")
def test_sanitized_text_is_clean_and_stable(text):
    clean = sanitize_text(text)
    clean.encode("utf-8")  # no lone surrogates
    assert "\r" not in clean and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", clean)
    assert not any(sep in clean for sep in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")  # only \n breaks lines
    assert sanitize_text(clean) == clean


@PROPS
@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_reason(data):
    try:
        text, encoding = decode_bytes(data)
    except ValueError as err:
        assert str(err).startswith("not text")
    else:
        assert isinstance(text, str) and encoding


@PROPS
@given(any_text | st.dates().map(str))
def test_published_dates_never_raise_and_are_plausible(text):
    published = parse_published(text)
    assert published is None or PUBLISHED_RANGE[0] <= published <= PUBLISHED_RANGE[1]


@PROPS
@given(any_text)
@example("line one\n\n  indented line  \n\t\nlast")
def test_block_offsets_always_index_the_text(text):
    previous_end = 0
    for block in split_blocks(text):
        assert 0 <= block.start < block.end <= len(text)
        assert block.start >= previous_end
        assert text[block.start:block.end] == block.text
        assert block.text == block.text.strip() and "\n" not in block.text
        previous_end = block.end


@PROPS
@given(newsy_text)
def test_parse_date_never_raises_and_intervals_are_ordered(text):
    parsed = parse_date(text)
    if parsed is not None and parsed.value is not None:
        assert parsed.value.start <= parsed.value.end


@PROPS
@given(newsy_text, st.dates(*PUBLISHED_RANGE))  # the loader reads other publication dates as unknown
def test_relative_dates_never_raise_and_intervals_are_ordered(text, published):
    parsed = parse_date(text, published)
    if parsed is not None and parsed.value is not None:
        assert parsed.value.start <= parsed.value.end


@PROPS
@given(newsy_text)
@example("between 12 and 10")
@example("1e309 people")
def test_parse_amount_never_raises_and_bands_are_ordered(text):
    quantity = parse_amount(text)
    if quantity is not None:
        assert not math.isnan(quantity.low) and not math.isnan(quantity.high)
        assert quantity.low <= quantity.high


def unescaped_pipes(text: str) -> int:
    """`|` characters not preceded by an odd number of backslashes."""
    return sum(1 for m in re.finditer(r"(\\*)\|", text) if len(m.group(1)) % 2 == 0)


hostile = st.lists(st.sampled_from([
    "<script>", "</script>", "<!--", "-->", "#", "# ", "|", "[x](http://e.vil)", "![i](x.png)", "`", "```",
    "\\", "*", "_", "\n", "\r\n", "&lt;", "&", "<", ">", "https://e.vil", "www.e.vil", "1. ", "- ", "=",
    "\u2028", "\x00", "\ud800", "<img src=x onerror=alert(1)>", "<a href='javascript:x'>", "a@b.co",
]), max_size=15).map("".join) | any_text


@PROPS
@given(hostile)
def test_escaped_text_cannot_inject_html_or_markdown_structure(text):
    escaped = escape_md(text)
    assert "\n" not in escaped and "\r" not in escaped
    assert "<" not in escaped and ">" not in escaped
    assert "<script" not in escaped.lower()
    assert not escaped.lstrip().startswith("#")
    assert unescaped_pipes(escaped) == 0
    assert "](" not in escaped.replace("\\]", "")
    assert "http://" not in escaped and "https://" not in escaped
    escaped.encode("utf-8")


@PROPS
@given(hostile, hostile)
def test_highlight_is_escaped_too(text, value):
    out = highlight(text + value + text, value)
    assert "<" not in out and "\n" not in out and unescaped_pipes(out) == 0


@PROPS
@given(hostile | st.text(string.printable, max_size=40))
def test_code_spans_are_closed_and_literal(text):
    span = code_span(text)
    assert "\n" not in span and "<" not in span
    if span.startswith("`"):
        fence = re.match(r"`+", span).group(0)
        inner = span[len(fence):-len(fence)]
        assert span.endswith(fence)
        # No backtick run inside as long as the fence: the span cannot close early.
        assert all(len(run) < len(fence) for run in re.findall(r"`+", inner))
    cell = code_span(text, table=True)
    assert unescaped_pipes(cell) == 0
