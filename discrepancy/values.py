"""Values: a parsed sentence → clauses (claims) with the typed values they state.

A value is typed by what it measures: a quantity with its dimension and unit (a
length, a duration, a speed, a count of people...), a calendar date, a clock time,
a place with its role (at, from, to), a compass bearing from a reference place, a
name, an identifier, or the polarity of a clause (affirmed or denied). Each value
keeps what it is about, as evidence for slot matching, never as a gate:

- the clause around it, with the value itself left out (`context`), whose
  contextual vectors say what question the value answers;
- the noun it measures or counts (`head`: 'ferry', 'death toll', 'crew') and
  the verb it hangs on (`verb`), each with its span for a contextual vector;
- the names, ordinals, dates and places of its clause (event identity and scope).

Word lists here are closed classes of English only: negators, reporting and denial
verbs, hedges, compass points, ordinal words, time zones, parts of the day, offices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import dates as dates_mod
from . import quantities
from .names import TITLES, fold
from .phrasing import question
from .records import Amount, DateValue, Value
from .segmenting import clause_heads, clause_tokens

REPORTING_VERBS = {
    "say", "tell", "report", "announce", "state", "claim", "add", "note", "declare", "confirm", "quote", "write",
    "insist", "warn", "explain", "reveal", "argue", "stress", "emphasize", "believe", "cite", "reaffirm",
    "suggest", "allege", "estimate", "think", "assert", "maintain", "acknowledge", "admit", "disclose",
}
DENIAL_VERBS = {"deny", "refute", "dismiss", "reject", "rule", "disprove", "contradict"}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "none", "nobody", "nothing", "nowhere", "without"}
NEGATIVE_DETERMINERS = {"no", "neither"}
NEGATIVE_PRONOUNS = {"none", "nobody", "nothing", "noone", "no-one"}
HEDGES = re.compile(
    r"\b(?:it is (?:believed|thought|understood|said|reported|alleged|claimed|rumou?red|feared|suspected)|"
    r"(?:is|are|was|were) (?:believed|thought|said|reported|alleged|claimed|rumou?red|feared|suspected) to|"
    r"reportedly|allegedly|apparently|purportedly|supposedly|presumably|possibly|probably|likely|"
    r"unconfirmed|according to (?:unconfirmed|some|open data|rumou?rs|claims)|may have|might have|"
    r"could have|it is possible|it appears|seems to|appears to|unverified|feared)\b",
    re.IGNORECASE,
)
ATTRIBUTION = re.compile(
    r"\b(?:according to|citing|as reported by|quoted by|told)\s+((?:[\w.’'-]+\s?){1,6}?)"
    r"(?=[,.;]|\s+(?:that|said|the|is|was|on|in)\b|$)",
    re.IGNORECASE,
)
COMPASS = {
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw", "southeast": "se",
    "southwest": "sw", "north-east": "ne", "north-west": "nw", "south-east": "se", "south-west": "sw",
    "northeastern": "ne", "northwestern": "nw", "southeastern": "se", "southwestern": "sw",
    "north-northeast": "ne", "north-northwest": "nw", "south-southeast": "se", "south-southwest": "sw",
    "east-northeast": "ne", "west-northwest": "nw", "east-southeast": "se", "west-southwest": "sw",
}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "last": -1, "final": -1, "previous": -2, "earlier": -2, "latest": -3, "initial": 1,
}
ORDINAL_RE = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
# UTC offsets in minutes of the zone abbreviations news copy uses.
TIME_ZONES = {
    "utc": 0, "gmt": 0, "z": 0, "ist": 330, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420,
    "mdt": -360, "pst": -480, "pdt": -420, "bst": 60, "cet": 60, "cest": 120, "eet": 120, "eest": 180,
    "msk": 180, "kst": 540, "jst": 540, "aest": 600, "aedt": 660, "npt": 345, "pkt": 300, "wib": 420,
    "sgt": 480, "hkt": 480, "wat": 60, "eat": 180, "sast": 120, "trt": 180, "ast": 180, "cat": 120,
    "ict": 420, "pht": 480, "awst": 480, "nzst": 720, "nzdt": 780, "hst": -600, "akst": -540,
}
PART_OF_DAY = {  # minutes after midnight
    "dawn": (300, 420), "morning": (300, 720), "forenoon": (480, 720), "noon": (720, 720), "midday": (690, 750),
    "afternoon": (720, 1080), "evening": (1020, 1320), "dusk": (1080, 1230), "night": (1200, 1440),
    "midnight": (0, 0), "overnight": (0, 360), "late": (1080, 1440), "early": (0, 540), "tonight": (1080, 1440),
}
CLOCK = re.compile(
    r"(?<![\d,])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?"
    r"|(?<![\d,])(?P<hm>[012]\d[0-5]\d)\s*(?=hrs|hours|h\b|[A-Z]{2,4}\b)", re.IGNORECASE)
PLACE_LABELS = {"GPE", "LOC", "FAC"}
NAME_LABELS = {"PERSON", "ORG", "LAW", "PRODUCT", "WORK_OF_ART", "EVENT", "NORP"}
# What a value's role is, by the preposition that attaches a place.
FROM_PREPS = {"from", "out"}
TO_PREPS = {"to", "towards", "toward", "into", "for", "onto"}
AT_PREPS = {"in", "at", "near", "off", "outside", "inside", "on", "around", "within", "over", "across", "by",
            "along", "between", "beside", "under", "above", "below", "through", "throughout", "beyond", "of"}
OFFICE_WORDS = TITLES | {
    "head", "chief", "executive", "director", "ceo", "chairman", "chairwoman", "commander", "leader", "founder",
    "co-founder", "officer", "member", "commissioner", "pilot", "copilot", "co-pilot", "attendant", "deputy",
    "vice", "ambassador", "prosecutor", "judge", "premier", "chancellor", "king", "queen", "prince", "emir",
    "sheikh", "superintendent", "inspector", "spokesperson", "official", "engineer", "manager", "coach",
}
MEASURE_ADJECTIVES = {"long": "length", "tall": "length", "high": "length", "wide": "length", "deep": "length",
                      "thick": "length", "old": "age"}
MAGNITUDE_RE = re.compile(r"\b(?:magnitude|richter)\b", re.IGNORECASE)
# Nouns that only say "a figure": 'the number of those killed', 'the toll of the floods'.
FIGURE_NOUNS = {"number", "total", "toll", "figure", "count", "tally", "sum", "amount"}
PLACE_TYPE_NOUNS = {"region", "province", "district", "county", "state", "prefecture", "governorate", "oblast",
                    "municipality", "department", "territory", "area", "island", "city", "town", "village"}
# Words that make a figure a sum of others: 'combined flying experience', 'in total'.
AGGREGATE_WORDS = {"combined", "total", "altogether", "overall", "cumulative", "collectively", "together"}
PERSON_COUNT_NOUNS = {"people", "person", "persons", "individual", "individuals", "occupant", "occupants", "soul",
                      "souls", "one", "ones"}


@dataclass(frozen=True)
class ClaimDraft:
    """A clause of one sentence, before it gets document ids (offsets within the sentence)."""

    start: int
    end: int
    negated: bool
    hedge: str
    attribution: str
    values: tuple[Value, ...]
    verb: str = ""
    keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SentenceDraft:
    start: int
    end: int
    claims: tuple[ClaimDraft, ...]


# --- spans and contexts -------------------------------------------------------------------------------


def char_span(tokens) -> tuple[int, int]:
    tokens = list(tokens)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def ranges(tokens, sent_start: int, exclude: set[int]) -> tuple[tuple[int, int], ...]:
    """Character ranges (sentence-relative) of `tokens` outside `exclude`, adjacent ones merged."""
    out: list[list[int]] = []
    last = None
    for tok in sorted(tokens, key=lambda t: t.i):
        if tok.i in exclude or tok.is_punct or tok.is_space:
            last = None
            continue
        start, end = tok.idx - sent_start, tok.idx + len(tok.text) - sent_start
        if last is not None and tok.i == last + 1 and out:
            out[-1][1] = end
        else:
            out.append([start, end])
        last = tok.i
    return tuple((s, e) for s, e in out)


def token_key(tok) -> str:
    return fold(tok.text) if tok.pos_ == "PROPN" else tok.lemma_.lower()


POLARITY_ROLES = ("dobj", "nsubjpass", "attr", "nsubj")


def content_keys(tokens, exclude: set[int]) -> frozenset[str]:
    keys = set()
    for tok in tokens:
        if tok.i in exclude or tok.is_stop or tok.is_punct or tok.like_num:
            continue
        if tok.pos_ in ("NOUN", "PROPN", "VERB", "ADJ"):
            key = token_key(tok)
            if len(key) > 1 and key not in REPORTING_VERBS:
                keys.add(key)
    return frozenset(keys)


def governing_verb(tok):
    """The nearest verb above `tok` (or the root)."""
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        if cur.pos_ == "VERB":
            return cur
        if cur.pos_ == "AUX" and not any(c.pos_ == "VERB" and c.dep_ in ("xcomp",) for c in cur.children):
            return cur
    return cur


def noun_phrase(noun, skip: set[int] = frozenset()) -> list:
    """The core of a noun phrase: the noun with its compounds and adjectives ('crew members', 'death toll'),
    without numbers, units and tokens of other values (`skip`)."""
    keep = [noun]
    for child in noun.children:
        if child.dep_ in ("compound", "amod") and child.i < noun.i:
            keep.extend(t for t in child.subtree if t.dep_ in ("compound", "amod", "advmod") or t.i == child.i)
    return sorted({t for t in keep if t.i not in skip and not t.like_num and not t.is_punct
                   and (t.i == noun.i or quantities.unit_of(t.text) is None)}, key=lambda t: t.i)


# --- claims ---------------------------------------------------------------------------------------------


def negation_of(head, owned) -> bool:
    """Is the clause headed by `head` denied? 'not', 'never', 'no survivors', 'there were no', 'none',
    'denied any involvement', or the complement of 'denied (reports) that' / 'did not confirm that'."""
    if any(c.dep_ == "neg" for c in head.children):
        return True
    if head.lemma_.lower() in DENIAL_VERBS and head.lemma_.lower() != "rule":
        return True
    if head.lemma_.lower() == "rule" and any(c.lower_ == "out" for c in head.children):
        return True
    for child in head.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "expl") or child.dep_ == "pobj":
            if child.lower_ in NEGATIVE_PRONOUNS:
                return True
            if any(d.dep_ == "det" and d.lower_ in NEGATIVE_DETERMINERS for d in child.children):
                return True
    cur = head
    for _ in range(3):
        if cur.head.i == cur.i or cur.dep_ not in ("ccomp", "xcomp", "acl", "relcl", "dobj", "pcomp"):
            return False
        parent = cur.head
        lemma = parent.lemma_.lower()
        if lemma in DENIAL_VERBS:
            return True
        if lemma in REPORTING_VERBS and any(c.dep_ == "neg" for c in parent.children):
            return True  # 'did not confirm that he was aboard'
        if parent.pos_ in ("VERB", "AUX") and lemma not in ("report", "claim", "allegation", "suggestion"):
            return False
        cur = parent
    return False


def find_hedge(text: str) -> str:
    return ", ".join(dict.fromkeys(m.group(0) for m in HEDGES.finditer(text)))


def find_attribution(sent, head) -> str:
    m = ATTRIBUTION.search(sent.text)
    if m:
        return m.group(0).strip().rstrip(",")
    cur = head
    while cur.head.i != cur.i:
        if cur.dep_ in ("ccomp", "parataxis") and cur.head.lemma_.lower() in REPORTING_VERBS:
            speaker = [c for c in cur.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if speaker:
                return " ".join(t.text for t in speaker[0].subtree) + " " + cur.head.text
        cur = cur.head
    if head.head.i == head.i:
        for child in head.children:
            if child.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in REPORTING_VERBS:
                return ""
    return ""


# --- numbers --------------------------------------------------------------------------------------------


def is_number_token(tok) -> bool:
    text = tok.lower_
    return bool(re.fullmatch(r"\d[\d,]*(?:\.\d+)?|[½¼¾]|\d+/\d+", text)) or text in quantities.ONES \
        or text in quantities.TENS or text in ("dozen", "hundred", "thousand", "million", "billion", "lakh",
                                               "crore") or bool(re.fullmatch(r"[a-z]+-[a-z]+", text)
                                                                and all(p in quantities.ONES or p in quantities.TENS
                                                                        for p in text.split("-")))


def numeral_tokens(sent, start_tok) -> list:
    """The run of tokens that writes one number: '2 1/2', '20,534', 'two million', 'ninety - five'."""
    toks = [start_tok]
    doc = sent.doc
    i = start_tok.i + 1
    while i < sent.end:
        tok = doc[i]
        low = tok.lower_
        if is_number_token(tok) and (low in quantities.SCALES or re.fullmatch(r"\d+/\d+|[½¼¾]", low)
                                     or (toks[-1].lower_ in quantities.TENS and low in quantities.ONES)):
            toks.append(tok)
        elif low in quantities.SCALES or (low in ("mln", "bln", "bn", "m", "k", "tn") and toks[-1].like_num
                                          and tok.idx == toks[-1].idx + len(toks[-1].text)):
            if low == "m" and i + 1 < sent.end and doc[i + 1].is_alpha:
                break  # '3,800 m deep' is metres
            if low == "m" and not any(t.text.startswith(("$", "€", "£")) or t.lower_ in quantities.CURRENCY_SYMBOLS
                                      for t in doc[max(sent.start, start_tok.i - 2):start_tok.i]):
                break
            toks.append(tok)
        else:
            break
        i += 1
    return toks


def bound_words(sent, first) -> tuple[str, int]:
    """Wording before a number that bounds it ('at least', 'more than', 'nearly', 'about'), and where it starts."""
    doc = sent.doc
    start = first.i
    for back in range(1, 4):
        i = first.i - back
        if i < sent.start:
            break
        tok = doc[i]
        if tok.dep_ in ("quantmod", "advmod", "amod", "det", "prep") or tok.lower_ in (
                "at", "least", "more", "than", "over", "about", "around", "nearly", "almost", "some", "up", "to",
                "less", "fewer", "under", "approximately", "roughly", "close", "just", "estimated", "an",
                "no", "as", "many", "exceeding", "exceeded", "surpassed", "above", "below", "upwards", "of") \
                and tok.dep_ != "cc" and tok.lower_ not in ("and", "or", "but"):
            candidate = doc[i:first.i].text
            if quantities.bound_of(candidate + " 1"):
                start = i
        else:
            break
    return doc[start:first.i].text, start


def unit_after(sent, last) -> tuple[quantities.Unit | None, list]:
    """A unit written after a number: '985-foot', '6.7 metres', '128 kmph', 'square kilometres'."""
    doc = sent.doc
    i = last.i + 1
    if i < sent.end and doc[i].text in ("-", "‑"):
        i += 1
    # '100 km/h' may be tokenised 'km', '/', 'h'
    if i + 3 <= sent.end and doc[i + 1].text == "/":
        unit = quantities.unit_of(doc[i:i + 3].text.replace(" ", ""))
        if unit is not None:
            return unit, list(doc[i:i + 3])
    for width in (2, 1):
        if i + width > sent.end:
            continue
        words = doc[i:i + width]
        if any(t.is_punct and t.text != "/" for t in words):
            continue
        unit = quantities.unit_of(words.text)
        if unit is not None:
            return unit, list(words)
    return None, []


def money_of(sent, first, last) -> tuple[str, list]:
    """Currency written before ('$', 'US$', 'Rs') or after ('rupees', 'dollars') a number."""
    doc = sent.doc
    before = doc[max(sent.start, first.i - 2):first.i]
    for tok in reversed(list(before)):
        cur = quantities.currency_of(tok.text + "1") if not tok.is_alpha or tok.lower_ in ("rs", "usd", "eur") \
            else quantities.CURRENCY_WORDS.get(tok.lower_, "")
        if cur:
            return cur, [tok]
    glued = re.match(r"^([^\d\s]{1,4})\d", first.text)
    if glued:
        cur = quantities.currency_of(glued.group(1) + "1")
        if cur:
            return cur, []
    if last.i + 1 < sent.end:
        nxt = doc[last.i + 1]
        if nxt.lower_ in quantities.CURRENCY_WORDS:
            return quantities.CURRENCY_WORDS[nxt.lower_], [nxt]
    return "", []


def measured_head(anchor, value_ids: set[int]):
    """What a number (or its unit) measures or counts: see `_measured_head`; a figure noun
    ('the number of those killed') gives way to what it is a figure of."""
    head = _measured_head(anchor, value_ids)
    if head is not None and not isinstance(head, list) and head.lemma_.lower() in FIGURE_NOUNS:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [g for g in child.children if g.dep_ == "pobj" and g.i not in value_ids]
                if objs:
                    return [t for t in objs[0].subtree if not t.is_punct and t.i not in value_ids][:6]
    if head is None:
        # '₹2 lakh for grievous injuries', '5,000 in compensation': the phrase the figure is for.
        for child in anchor.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "to", "towards", "per", "in", "of", "on"):
                phrase = [t for t in child.subtree if not t.is_punct and t.i not in value_ids]
                if len(phrase) > 1:
                    return phrase[:6]
    return head


def _measured_head(anchor, value_ids: set[int]):
    """The noun a number (or its unit) measures or counts, climbing modifiers:
    '40-metre ferry' → ferry, 'a depth of 10 km' → depth, 'death toll rose to 179' → toll."""
    cur = anchor
    for _ in range(4):
        head = cur.head
        if head.i == cur.i:
            break
        if cur.dep_ in ("nummod", "compound", "amod", "nmod", "npadvmod", "quantmod", "appos", "advmod") \
                and head.pos_ in ("NOUN", "PROPN", "ADJ") and head.i not in value_ids:
            if head.pos_ == "ADJ" and head.lower_ in MEASURE_ADJECTIVES:
                cur = head
                continue
            if head.pos_ == "ADJ" and head.dep_ in ("amod", "acomp") and head.head.pos_ in ("NOUN", "PROPN"):
                return head.head
            if quantities.unit_of(head.text) is not None or MAGNITUDE_RE.fullmatch(head.text):
                cur = head
                continue
            return head
        if cur.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "PROPN"):
            return head.head  # 'a depth of 10 km', 'a toll of 50'
        break
    verb = governing_verb(anchor)
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in value_ids
                and c.pos_ in ("NOUN", "PROPN")]
    objects = [c for c in verb.children if c.dep_ in ("dobj",) and c.i not in value_ids and c.pos_ == "NOUN"
               and c.i != anchor.i]
    if anchor.dep_ in ("pobj", "attr", "acomp", "conj", "appos", "npadvmod") or anchor.head.dep_ == "prep":
        # 'the toll rose to 179', 'put the magnitude at 7.4': the subject or object names the measure.
        for noun in objects + subjects:
            return noun
    return None


def distance_reference(sent, unit_tok) -> list | None:
    """'40 miles north of Lyon', '65 km from Lyon', '290 kilometres (180 miles) northwest of X':
    a distance is measured from a reference; that phrase says what the distance is."""
    doc = sent.doc
    i = unit_tok.i + 1
    depth = 0
    while i < sent.end:  # skip a parenthetical conversion
        tok = doc[i]
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif depth == 0:
            break
        i += 1
    if i + 2 < sent.end + 1 and i < sent.end:
        tok = doc[i]
        if tok.lower_ == "away" and i + 1 < sent.end and doc[i + 1].lower_ == "from":
            i += 1
            tok = doc[i]
        if (tok.lower_ in COMPASS and i + 2 < sent.end and doc[i + 1].lower_ == "of") or tok.lower_ in REFERENCE_PREPS:
            start = i
            end = i + (2 if tok.lower_ in COMPASS else 1)
            objs = [t for t in doc[end - 1].children if t.dep_ == "pobj"]
            last = max((t.i for t in objs[0].subtree), default=end) if objs else min(end, sent.end - 1)
            return [t for t in doc[start:last + 1] if not t.is_punct]
    return None


REFERENCE_PREPS = {"from", "off", "below", "beneath", "under", "above", "beyond", "outside"}


def reference_of(phrase: list) -> str:
    """The reference place of a distance phrase: 'north of Lyon' → 'lyon'."""
    names = [t for t in phrase if t.pos_ == "PROPN" or t.ent_type_ in PLACE_LABELS]
    return fold(" ".join(t.text for t in names)) if names else fold(" ".join(
        t.text for t in phrase if t.pos_ == "NOUN"))


def unit_head_of(unit_tokens, value_ids: set[int]):
    """'8,200 hours of flying experience': what the unit phrase is of."""
    for tok in unit_tokens:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [g for g in child.children if g.dep_ == "pobj" and g.i not in value_ids]
                if objs:
                    return objs[0]
    return None


# --- the extraction -------------------------------------------------------------------------------------


@dataclass
class RawValue:
    """A value found in a sentence, before its clause context is attached."""

    kind: str
    tokens: list
    norm: str
    anchor: object  # the token linking the value to the sentence
    amount: Amount | None = None
    date: DateValue | None = None
    weekday: int = -1
    role: str = ""
    head: object = None
    relative: str = ""
    negated: bool = False
    parts: int = 1
    increment: bool = False
    coordinated: bool = False


BACKGROUND_DAYS = 180  # a date this long before publication is background, not the news


def is_background(value: DateValue | None, published: date | None) -> bool:
    return value is not None and published is not None and (published - value.end).days > BACKGROUND_DAYS


def weekday_in(text: str) -> int:
    m = re.search(r"\b(" + "|".join(dates_mod.WEEKDAYS) + r")\b", text.lower())
    return dates_mod.WEEKDAYS[m.group(1)] if m else -1


def clock_value(text: str) -> tuple[int, int, str] | None:
    """(low, high) minutes after midnight and the zone of a clock time or part of the day, else None."""
    lowered = text.lower()
    zone = ""
    for word in re.findall(r"[a-z]+", lowered):
        if word in TIME_ZONES and word not in ("z", "ast", "cat", "est") or (word in ("est",) and "est" in lowered):
            zone = word
    if "local time" in lowered:
        zone = zone or "local"
    m = CLOCK.search(text)
    if m and (m.group("hm") or m.group("m") or m.group("ampm")):
        if m.group("hm"):
            hour, minute = int(m.group("hm")[:2]), int(m.group("hm")[2:])
        else:
            hour, minute = int(m.group("h")), int(m.group("m") or 0)
        ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
        if hour > 24 or minute > 59 or (ampm and hour > 12):
            return None
        if ampm == "pm" and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        minutes = hour * 60 + minute
        if quantities.ABOUT.search(text) or re.search(r"\b(?:shortly|just) (?:before|after)\b", lowered):
            return minutes - 10, minutes + 10, zone
        return minutes, minutes, zone
    for word, (lo, hi) in PART_OF_DAY.items():
        if re.search(r"\b" + word + r"\b", lowered) and word not in ("late", "early"):
            if re.search(r"\blate\b", lowered):
                lo = (lo + hi) // 2
            if re.search(r"\bearly\b", lowered):
                hi = (lo + hi) // 2
            return lo, hi, zone
    if re.search(r"\blate\b", lowered) and weekday_in(text) >= 0:
        lo, hi = PART_OF_DAY["late"]
        return lo, hi, zone
    return None


def analyze_sentence(sent, published: date | None = None) -> list[ClaimDraft]:
    """The claims (clauses) of one parsed sentence with their typed values (sentence-relative offsets)."""
    doc = sent.doc
    s0 = sent.start_char
    used: set[int] = set()
    raw: list[RawValue] = []

    # Dates, clock times and durations written as DATE/TIME entities.
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        tokens = list(ent)
        # 'January 12, hours after...': NER overreach past a comma.
        for k, tok in enumerate(tokens[1:], 1):
            if tok.text == "," and not any(t.like_num for t in tokens[k + 1:]):
                tokens = tokens[:k]
                break
        text = sent.doc[tokens[0].i:tokens[-1].i + 1].text
        parsed = dates_mod.parse_date(text, published)
        clock = clock_value(text) if ent.label_ == "TIME" or re.search(r"\d[:.]\d\d|[ap]\.?m\b", text, re.I) \
            else None
        if clock is None and ent.label_ == "DATE" and re.search(r"\b(?:morning|evening|afternoon|night)\b", text, re.I):
            clock = clock_value(text)
        if clock is not None:
            lo, hi, zone = clock
            mid = (lo + hi) // 2
            label = f"{mid // 60:02d}:{mid % 60:02d}" + (f" {zone.upper()}" if zone else "")
            span = Amount(lo, hi, (lo + hi) / 2, "clock", zone, "about" if lo != hi else "")
            raw.append(RawValue("time", tokens, label, tokens[-1], span, weekday=weekday_in(text), role=zone))
            used.update(t.i for t in tokens)
            if parsed is not None and (parsed.value is not None or parsed.relative) and re.search(
                    r"[A-Za-z]{3,}", re.sub(r"\b(?:morning|evening|afternoon|night|[ap]\.?m\.?)\b", "", text)):
                raw.append(RawValue("date", tokens, dates_mod.describe(parsed.value) if parsed.value else text,
                                    tokens[-1], date=parsed.value, weekday=weekday_in(text), relative=parsed.relative))
            continue
        if parsed is not None and (parsed.value is not None or parsed.relative):
            if re.fullmatch(r"\d{1,4}", text.strip()) and not re.fullmatch(r"(?:1[89]|20)\d\d", text.strip()):
                continue  # '33' or '40871' tagged DATE: a number, typed below
            raw.append(RawValue("date", tokens, dates_mod.describe(parsed.value) if parsed.value else text, tokens[-1],
                                date=parsed.value, weekday=weekday_in(text), relative=parsed.relative))
            used.update(t.i for t in tokens)
        elif weekday_in(text) >= 0 and published is None:
            raw.append(RawValue("date", tokens, text, tokens[-1], weekday=weekday_in(text), relative=text))
            used.update(t.i for t in tokens)

    raw.extend(identifier_values(sent, used))
    raw.extend(coordinated_totals(share_conversion_heads(number_values(sent, used))))
    raw.extend(direction_values(sent, used))
    raw.extend(place_values(sent, used))
    raw.extend(law_values(sent, used))
    raw.extend(name_values(sent, used))

    all_value_ids = {t.i for v in raw if v.parts == 1 for t in v.tokens}
    # Numbers, dates and times are left out of the question a value answers (phrasing.py): the other
    # side may state them otherwise. An identifier names the thing a clause affirms or denies.
    figure_ids = {t.i for v in raw if v.kind in ("quantity", "date", "time", "identifier") for t in v.tokens}
    identifier_ids = {t.i for v in raw if v.kind == "identifier" for t in v.tokens}
    heads = clause_heads(sent)
    owned = clause_tokens(sent, heads)
    head_of = {t.i: h for h in heads for t in owned[h.i]}
    hedge_all = find_hedge(sent.text)
    ordinal_tokens = [t for t in sent if t.lower_ in ORDINAL_WORDS or ORDINAL_RE.match(t.text)
                      or t.ent_type_ == "ORDINAL"]
    drafts = []
    for head in heads:
        tokens = owned[head.i]
        if not tokens:
            continue
        ids = {t.i for t in tokens}
        context_tokens = list(tokens)
        # A short clause ('..., killing 80') borrows its parent clause's words; a short relative clause
        # ('the bridge, which was built in 1987, ...') only the noun phrase it describes: the rest of the
        # parent clause tells another event.
        if sum(1 for t in tokens if not t.is_punct and not t.is_stop) < 4 and head.head.i != head.i:
            parent = head_of.get(head.head.i)
            if head.dep_ in ("relcl", "acl") and head.head.pos_ in ("NOUN", "PROPN"):
                noun = head.head
                context_tokens += [t for t in sent[noun.left_edge.i - sent.start:noun.i - sent.start + 1]
                                   if t.i not in ids]
            elif parent is not None:
                context_tokens += owned[parent.i]
        context_ids = {t.i for t in context_tokens}
        clause_ordinals = [t for t in ordinal_tokens if t.i in context_ids]
        clause_entities = [e for e in sent.ents if e.label_ in NAME_LABELS | PLACE_LABELS and e.start >= sent.start
                           and any(t.i in context_ids for t in e)]
        mine = [v for v in raw if head_of.get(v.anchor.i, heads[0]).i == head.i]
        negated = negation_of(head, tokens)
        values = []
        clause_dates = [v.date for v in raw if v.kind == "date" and v.date is not None
                        and head_of.get(v.anchor.i, heads[0]).i == head.i]
        clause_places = [v.norm for v in raw if v.kind == "place" and head_of.get(v.anchor.i, heads[0]).i == head.i]
        for v in mine:
            vids = {t.i for t in v.tokens}
            head_tok = v.head
            if isinstance(head_tok, list):  # a phrase already: 'north of Lyon'
                head_phrase = head_tok
            elif head_tok is not None and head_tok.pos_ in ("NOUN", "PROPN"):
                head_phrase = noun_phrase(head_tok, all_value_ids)
            else:
                head_phrase = [head_tok] if head_tok is not None else []
            head_phrase = [t for t in head_phrase if t.i not in vids]
            verb = governing_verb(v.anchor)
            ctx_ids = vids
            ordinals = frozenset(
                (t.lower_ if t.lower_ in ORDINAL_WORDS else str(int(ORDINAL_RE.match(t.text).group(1)))
                 if ORDINAL_RE.match(t.text) else t.lower_)
                for t in clause_ordinals if t.i not in vids)
            entities = frozenset(fold(e.text) for e in clause_entities
                                 if not any(i in vids for i in range(e.start, e.end)))
            values.append(Value(
                kind=v.kind, text=doc[v.tokens[0].i:v.tokens[-1].i + 1].text,
                start=v.tokens[0].idx - s0, end=v.tokens[-1].idx + len(v.tokens[-1].text) - s0,
                norm=v.norm, amount=v.amount, date=v.date, weekday=v.weekday, role=v.role,
                head=" ".join(token_key(t) for t in head_phrase if not t.is_stop and not t.is_punct),
                head_span=(char_span(head_phrase)[0] - s0, char_span(head_phrase)[1] - s0) if head_phrase
                else (-1, -1),
                verb=verb.lemma_.lower() if verb is not None else "",
                verb_span=(verb.idx - s0, verb.idx + len(verb.text) - s0) if verb is not None and verb.i not in vids
                else (-1, -1),
                context=ranges(context_tokens, s0, ctx_ids),
                entities=entities, keys=content_keys(context_tokens, vids), ordinals=ordinals,
                scope=tuple(d for d in clause_dates if d is not v.date),
                places=frozenset(p for p in clause_places if p != v.norm),
                relative=v.relative, negated=negated, parts=v.parts, increment=v.increment,
                coordinated=v.coordinated, background=v.kind == "date" and is_background(v.date, published),
                question=question(v.kind, v.tokens, verb, figure_ids, v.role,
                                  v.amount.dimension if v.amount is not None else ""),
            ))
        # The clause itself: affirmed or denied.
        neg_ids = {t.i for t in tokens if t.lower_ in NEGATORS or t.dep_ == "neg"
                   or (t.lemma_.lower() in DENIAL_VERBS and t.i == head.i)}
        content = [t for t in tokens if not t.is_punct and not t.is_stop and t.pos_ in ("NOUN", "PROPN", "VERB",
                                                                                      "ADJ", "NUM")]
        reporting = head.lemma_.lower() in REPORTING_VERBS | DENIAL_VERBS and any(
            c.dep_ in ("ccomp", "parataxis") for c in head.children)
        bare = head.lemma_.lower() in ("be", "have", "do", "get") and not any(
            (c.dep_ in ("acomp", "attr", "dobj") and c.pos_ in ("NOUN", "PROPN", "ADJ"))
            or c.dep_ in ("prep", "advmod") and c.lower_ not in ("also", "still", "now", "then") for c in head.children)
        if len(content) >= (1 if negated else 2) and not reporting and not bare:
            # What is affirmed or denied: the object before the subject ('rescuers did not find the box').
            obj = sorted((c for c in head.children if c.dep_ in POLARITY_ROLES and c.pos_ in ("NOUN", "PROPN")),
                         key=lambda c: POLARITY_ROLES.index(c.dep_))
            head_phrase = noun_phrase(obj[0]) if obj else []
            values.append(Value(
                kind="polarity", text=head.text, start=head.idx - s0, end=head.idx + len(head.text) - s0,
                norm="denied" if negated else "affirmed",
                head=" ".join(token_key(t) for t in head_phrase),
                head_span=(char_span(head_phrase)[0] - s0, char_span(head_phrase)[1] - s0) if head_phrase
                else (-1, -1),
                verb=head.lemma_.lower(), verb_span=(head.idx - s0, head.idx + len(head.text) - s0),
                context=ranges(tokens, s0, neg_ids),
                entities=frozenset(fold(e.text) for e in sent.ents if e.label_ in NAME_LABELS | PLACE_LABELS
                                   and any(t.i in ids for t in e)),
                keys=content_keys(tokens, neg_ids), negated=negated,
                scope=tuple(clause_dates), places=frozenset(clause_places),
                question=question("polarity", [head], head, figure_ids - identifier_ids),
            ))
        span_tokens = sorted(tokens, key=lambda t: t.i)
        drafts.append(ClaimDraft(
            start=span_tokens[0].idx - s0, end=span_tokens[-1].idx + len(span_tokens[-1].text) - s0,
            negated=negated, hedge=find_hedge(doc[span_tokens[0].i:span_tokens[-1].i + 1].text) or hedge_all,
            attribution=find_attribution(sent, head), values=tuple(values), verb=head.lemma_.lower(),
            keys=content_keys(tokens, set()),
        ))
    return drafts


def number_values(sent, used: set[int]) -> list[RawValue]:
    """Quantities: counts, measures with units, money, percentages, magnitudes, ages, durations."""
    doc = sent.doc
    out: list[RawValue] = []
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if tok.i in used or not is_number_token(tok) or tok.lower_ in quantities.SCALES:
            i += 1
            continue
        if tok.lower_ == "one" and tok.dep_ not in ("nummod",) and not (i + 1 < sent.end
                                                                          and quantities.unit_of(doc[i + 1].text)):
            i += 1
            continue  # 'one of the', 'one said': not a count
        if tok.like_num and re.fullmatch(r"(?:1[89]|20)\d\d", tok.text) and not (
                i + 1 < sent.end and quantities.unit_of(doc[i + 1].text)):
            i += 1
            continue  # a year outside a date entity
        if tok.i > sent.start and re.fullmatch(r"[A-Z]{1,4}|[A-Z0-9]{2,3}", doc[i - 1].text) \
                and any(ch.isupper() for ch in doc[i - 1].text) \
                and doc[i - 1].lower_ not in quantities.CURRENCY_SYMBOLS \
                and (doc[i - 1].pos_ == "PROPN" or any(ch.isdigit() for ch in doc[i - 1].text)):
            i += 1
            continue  # 'KF 482': an identifier, typed apart
        nxt_word = doc[i + 1].lower_ if i + 1 < sent.end else ""
        if re.fullmatch(r"[012]\d[0-5]\d", tok.text) and int(tok.text[:2]) < 24 and (
                nxt_word in TIME_ZONES or nxt_word in ("hrs", "hours", "h", "gmt", "utc")):
            # '1452 IST', '0915 UTC': a clock time written without a colon.
            zone = nxt_word if nxt_word in TIME_ZONES else ""
            minutes = int(tok.text[:2]) * 60 + int(tok.text[2:])
            time_tokens = [tok] + ([doc[i + 1]] if zone or nxt_word in ("hrs", "hours", "h") else [])
            out.append(RawValue("time", time_tokens, f"{tok.text[:2]}:{tok.text[2:]}" + (f" {zone.upper()}" if zone
                                                                                        else ""),
                                tok, Amount(minutes, minutes, minutes, "clock", zone), role=zone))
            used.update(t.i for t in time_tokens)
            i += len(time_tokens)
            continue
        toks = numeral_tokens(sent, tok)
        last = toks[-1]
        text = doc[toks[0].i:last.i + 1].text
        # An increment ('another 20,534', 'four more bodies') is not a total.
        prev = doc[toks[0].i - 1] if toks[0].i > sent.start else None
        nxt = doc[last.i + 1] if last.i + 1 < sent.end else None
        increment = (prev is not None and prev.lower_ in ("another", "additional", "further", "extra")) or \
            (nxt is not None and nxt.lower_ in ("more", "additional", "further", "new", "extra"))
        bound_text, bound_start = bound_words(sent, toks[0])
        value_tokens = list(doc[bound_start:last.i + 1])
        currency, currency_tokens = money_of(sent, toks[0], last)
        unit, unit_tokens = (None, []) if currency else unit_after(sent, last)
        numeral = quantities.parse_numeral(text)
        if numeral is None:
            i = last.i + 1
            continue
        dimension, unit_name, factor, offset = "count", "", 1.0, 0.0
        following = doc[last.i + 1:min(sent.end, last.i + 4)].text.lower()
        preceding = doc[max(sent.start, toks[0].i - 3):toks[0].i].text.lower()
        if currency:
            dimension, unit_name = "money:" + currency, currency
            value_tokens = sorted(set(value_tokens) | set(currency_tokens), key=lambda t: t.i)
        elif re.match(r"\s*(?:%|percent\b|per cent\b|pct\b)", doc[last.i:min(sent.end, last.i + 3)].text[
                len(last.text):] or "") or re.match(r"^(?:%|percent|per cent)", following):
            dimension, unit_name = "percent", "%"
            pct = [t for t in doc[last.i + 1:min(sent.end, last.i + 3)] if t.lower_ in ("%", "percent", "per", "cent")]
            value_tokens += pct
        elif unit is not None:
            after_unit = doc[unit_tokens[-1].i + 1:min(sent.end, unit_tokens[-1].i + 3)]
            old = any(t.lower_ == "old" for t in after_unit)
            if unit.dimension == "duration" and (old or re.match(r"^(?:aged)\b", preceding.split()[-1]
                                                                 if preceding.split() else "")):
                dimension, unit_name = "age", "years"
            else:
                dimension, unit_name, factor, offset = unit.dimension, unit.name, unit.factor, unit.offset
            value_tokens += unit_tokens
        elif MAGNITUDE_RE.search(preceding + " " + following) and numeral.value < 11 and numeral.value > 0:
            dimension, unit_name = "magnitude", ""
        elif re.search(r"\b(?:aged|age of)\s*$", preceding):
            dimension, unit_name = "age", "years"
        elif tok.dep_ == "appos" and tok.head.ent_type_ == "PERSON" and 0 < numeral.value < 120 \
                and "." not in tok.text:
            dimension, unit_name = "age", "years"  # 'Lee, 33, was rescued'
        if dimension == "count" and nxt is not None and nxt.lower_ in ("ordinal",):
            i = last.i + 1
            continue
        # A compound duration: 'one hour and 45 minutes'.
        if dimension == "duration" and unit_tokens:
            j = unit_tokens[-1].i + 1
            if j + 2 < sent.end and doc[j].lower_ == "and" and is_number_token(doc[j + 1]):
                more_unit, more_tokens = unit_after(sent, doc[j + 1])
                more = quantities.parse_numeral(doc[j + 1].text)
                if more_unit is not None and more_unit.dimension == "duration" and more is not None:
                    numeral = quantities.Numeral(numeral.value + more.value * more_unit.factor / factor,
                                                 more.step * more_unit.factor / factor, 0.0, 0, 0)
                    value_tokens += list(doc[j:more_tokens[-1].i + 1])
        # '(an) hour and 45 minutes': a larger unit written before, with an article or a number.
        if dimension == "duration" and toks[0].i - 3 >= sent.start and doc[toks[0].i - 1].lower_ == "and":
            bigger = quantities.unit_of(doc[toks[0].i - 2].text)
            count_tok = doc[toks[0].i - 3]
            count = 1.0 if count_tok.lower_ in ("a", "an") else (
                quantities.parse_numeral(count_tok.text).value if is_number_token(count_tok)
                and quantities.parse_numeral(count_tok.text) else None)
            if bigger is not None and bigger.dimension == "duration" and count is not None and bigger.factor > factor:
                numeral = quantities.Numeral(numeral.value + count * bigger.factor / factor, numeral.step, 0.0, 0, 0)
                bound_text, bound_start = bound_words(sent, count_tok)
                value_tokens = list(doc[bound_start:count_tok.i]) + list(doc[count_tok.i:toks[0].i]) + value_tokens
        amount = quantities.make_amount(numeral, dimension, unit_name, factor, offset,
                                        quantities.bound_of(bound_text + " " + text),
                                        _range_upper(sent, last))
        if amount.bound == "range":
            upper_toks = _range_tokens(sent, last)
            value_tokens += upper_toks
        value_ids = {t.i for t in value_tokens}
        anchor = unit_tokens[-1] if unit_tokens and dimension not in ("age",) else last
        head = None
        if unit_tokens and dimension == "length":
            head = distance_reference(sent, unit_tokens[-1])
        if unit_tokens and head is None:
            head = unit_head_of(unit_tokens, value_ids)
        if head is None:
            head = measured_head(anchor, value_ids)
        used.update(value_ids)
        i = max(t.i for t in value_tokens) + 1
        value_tokens = sorted(set(value_tokens), key=lambda t: t.i)
        window = doc[max(sent.start, value_tokens[0].i - 4):min(sent.end, value_tokens[-1].i + 5)]
        aggregate = any(t.lower_ in AGGREGATE_WORDS for t in window)
        out.append(RawValue("quantity", value_tokens, quantities.describe(amount), anchor, amount=amount,
                            head=head, increment=increment, parts=2 if aggregate else 1,
                            role=reference_of(head) if dimension == "length" and isinstance(head, list) else ""))
    return out


def share_conversion_heads(values: list[RawValue]) -> list[RawValue]:
    """'80 kilometres (50 miles) northwest of Lyon': the converted figure measures what the first does."""
    by_end = {v.tokens[-1].i: v for v in values if v.kind == "quantity"}
    for v in values:
        first = v.tokens[0]
        if v.kind != "quantity" or first.i < 2:
            continue
        doc = first.doc
        if doc[first.i - 1].text == "(":
            outer = by_end.get(first.i - 2)
            if outer is not None and outer.amount and v.amount and outer.amount.dimension == v.amount.dimension:
                v.head = outer.head
    return values


def coordinated_totals(values: list[RawValue]) -> list[RawValue]:
    """'7 passengers and three crew members', '20 Kenyans and a Ugandan': counts listed together
    are a breakdown; each is marked, and their total becomes a value of its own."""
    counts = [v for v in values if v.kind == "quantity" and v.amount is not None and v.amount.dimension == "count"
              and v.head is not None and not isinstance(v.head, list)]
    by_head = {v.head.i: v for v in counts}
    # Figures listed without a noun each ('1,604 in Arden, 976 in Belmont and one in Corley') are a
    # breakdown too: mark them, no total (what they add up to is not said).
    numbers = {v.anchor.i: v for v in values if v.kind == "quantity" and v.amount is not None}
    for v in numbers.values():
        linked = [c for c in v.anchor.children if c.dep_ == "conj" and c.i in numbers] + \
            ([v.anchor.head] if v.anchor.dep_ == "conj" and v.anchor.head.i in numbers else [])
        for other in linked:
            if numbers[other.i].amount.dimension == v.amount.dimension:
                v.coordinated = numbers[other.i].coordinated = True
    seen: set[int] = set()
    totals = []
    for v in counts:
        if v.head.i in seen:
            continue
        chain = [v]
        node = v.head
        while True:
            nxt = [c for c in node.children if c.dep_ == "conj" and c.i in by_head]
            if not nxt:
                break
            node = nxt[0]
            chain.append(by_head[node.i])
        if len(chain) < 2:
            continue
        doc = chain[0].tokens[0].doc
        if any(re.search(r"\b(?:including|includes|among them|of whom|of them)\b",
                         doc[max(0, x.tokens[0].i - 3):x.tokens[0].i].text.lower()) for x in chain):
            continue  # 'including 15 foreign nationals': a part, not a breakdown
        seen.update(x.head.i for x in chain)
        for x in chain:
            x.coordinated = True
        tokens = sorted({t for x in chain for t in x.tokens} | {x.head for x in chain}, key=lambda t: t.i)
        span = list(tokens[0].doc[tokens[0].i:tokens[-1].i + 1])
        amount = quantities.add_amounts([x.amount for x in chain])
        totals.append(RawValue("quantity", span, quantities.describe(amount), chain[0].anchor, amount=amount,
                               head=None, parts=len(chain)))
    return values + totals


def _range_tokens(sent, last) -> list:
    doc = sent.doc
    j = last.i + 1
    if j + 1 < sent.end and doc[j].lower_ in ("-", "–", "to", "and", "or") and is_number_token(doc[j + 1]):
        return [doc[j], doc[j + 1]]
    return []


def _range_upper(sent, last):
    toks = _range_tokens(sent, last)
    return quantities.parse_numeral(toks[1].text) if toks else None


IDENT_NOUNS_BEFORE = {"number", "no", "no.", "#", "nos", "code"}


def identifier_values(sent, used: set[int]) -> list[RawValue]:
    """Codes and numbers that name a thing: 'KF482', 'KF 482', 'train number 40871', 'Flight 4410', 'S-400'."""
    doc = sent.doc
    out = []
    for tok in sent:
        if tok.i in used:
            continue
        tokens = None
        head = None
        if quantities.is_identifier(tok.text) and not re.fullmatch(r"\d+(?:st|nd|rd|th)", tok.text, re.I):
            tokens = [tok]
            j = tok.i + 1
            # '9K 4410', '7Q-BRX': a code written in parts
            while j < sent.end and len(tokens) < 4 and (
                    (doc[j].text in ("-", "‑") and doc[j - 1].whitespace_ == "" and j + 1 < sent.end
                     and re.fullmatch(r"[A-Z0-9]{1,6}", doc[j + 1].text))
                    or (re.fullmatch(r"\d{2,5}", doc[j].text) and len(tokens) == 1 and len(tok.text) <= 3)):
                tokens.extend(doc[j:j + 2] if doc[j].text in ("-", "‑") else [doc[j]])
                j = tokens[-1].i + 1
            head = tok.head if tok.head.i != tok.i and tok.head.pos_ in ("NOUN", "PROPN") else None
        elif tok.like_num and re.fullmatch(r"\d+", tok.text) and tok.i > sent.start \
                and doc[tok.i - 1].pos_ == "PROPN" and doc[tok.i - 1].text[:1].isupper() \
                and doc[tok.i - 1].ent_type_ not in ("DATE", "TIME", "MONEY") \
                and doc[tok.i - 1].lower_ not in dates_mod.MONTHS \
                and tok.i + 2 < sent.end and doc[tok.i + 1].text in ("-", "‑") and doc[tok.i + 1].whitespace_ == "" \
                and re.fullmatch(r"\d+[A-Za-z]*", doc[tok.i + 2].text):
            tokens = [doc[tok.i - 1], tok, doc[tok.i + 1], doc[tok.i + 2]]  # 'Boeing 787-8'
            head = None
        elif tok.like_num and re.fullmatch(r"\d+", tok.text) and tok.i > sent.start:
            prev = doc[tok.i - 1]
            if re.fullmatch(r"[A-Z]{1,4}|[A-Z0-9]{2,3}", prev.text) and any(ch.isupper() for ch in prev.text) \
                    and (prev.pos_ == "PROPN" or any(ch.isdigit() for ch in prev.text)):
                tokens = [prev, tok]  # 'KF 482'
                head = prev.head if prev.head.pos_ in ("NOUN", "PROPN") and prev.head.i not in (prev.i, tok.i) \
                    else None
            elif prev.lower_ in IDENT_NOUNS_BEFORE or (prev.pos_ in ("NOUN", "PROPN") and prev.tag_ in ("NN", "NNP")
                                                       and quantities.unit_of(prev.text) is None
                                                       and prev.ent_type_ not in ("DATE", "TIME")
                                                       and (tok.head.i == prev.i or prev.head.i == tok.i)
                                                       and tok.i + 1 < sent.end
                                                       and doc[tok.i + 1].pos_ != "NOUN"):
                tokens = [tok]
                head = prev if prev.lower_ not in IDENT_NOUNS_BEFORE else (doc[tok.i - 2] if tok.i - 2 >= sent.start
                                                                           else None)
        if tokens is None:
            continue
        if any(t.i in used for t in tokens):
            continue
        used.update(t.i for t in tokens)
        text = doc[tokens[0].i:tokens[-1].i + 1].text
        norm = re.sub(r"[\s\-‑]", "", text).upper()
        out.append(RawValue("identifier", tokens, norm, tokens[-1], head=head))
    return out


def ent_root(ent):
    outside = [t for t in ent if t.dep_ not in ("det", "punct", "case") and not (ent.start <= t.head.i < ent.end)]
    return outside[-1] if outside else ent.root


def place_role(root) -> str | None:
    """at / from / to for a place by the preposition or verb that links it; None when it is no location
    ('Ankara said', 'Turkey's decision')."""
    cur = root
    for _ in range(3):
        if cur.dep_ in ("appos", "conj", "compound") and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    if cur.dep_ == "pobj":
        prep = cur.head.lower_
        governor = cur.head.head
        if quantities.unit_of(governor.text) is not None or governor.lower_ in ("away", "distance"):
            return None  # '65 km from Lyon': the reference of a distance
        if prep in FROM_PREPS:
            return "from"
        if prep in TO_PREPS:
            return "to"
        if prep in AT_PREPS:
            if prep == "of" and (cur.head.head.lower_ in COMPASS or cur.head.head.lower_ not in PLACE_HEAD_NOUNS
                                 | {"tip", "shore", "outskirts", "centre", "center", "part", "heart"}):
                return None  # 'southwest of Lyon', 'the pressure of the USA': not where something is
            return "at"
        return "at"
    if cur.dep_ == "dobj" and cur.head.pos_ == "VERB":
        return "to" if cur.head.lemma_.lower() in ("reach", "enter", "approach", "visit") else (
            "from" if cur.head.lemma_.lower() in ("leave", "flee", "quit") else "at")
    if cur.dep_ in ("npadvmod",):
        return "at"
    return None


LOCATIVE_PREPS = {"in", "near", "off", "outside", "at", "inside", "around", "across"}
# Common nouns that make a named phrase a place: 'the Anamur-Mersin military base', 'Eastfield district'.
PLACE_HEAD_NOUNS = PLACE_TYPE_NOUNS | {"base", "airbase", "airport", "port", "harbour", "harbor", "coast", "camp",
                                       "station", "capital", "valley", "river", "lake", "bay", "cape", "peninsula",
                                       "strait", "gulf", "sea", "mountain", "mountains", "border", "quay", "estate",
                                       "suburb", "neighbourhood", "neighborhood", "square", "street", "road",
                                       "avenue", "boulevard", "bridge", "plant", "site", "facility", "field"}


def looks_like_place(ent, role: str | None) -> bool:
    """The small NER model often calls a town a person or an organisation. A name one travels from
    or to, a name followed by a place noun ('Eastfield district'), or a person-labelled name in a
    locative phrase ('off the coast of Andros') is a place."""
    if ent.label_ in PLACE_LABELS:
        return True
    root = ent_root(ent)
    if role in ("from", "to") and root.dep_ == "pobj" and root.head.head.pos_ == "VERB" \
            and root.head.head.lemma_.lower() not in ("accord", "belong") and len(ent) == 1:
        return True  # 'running from Lyon to Paris', not 'a victory to Sabine Hartmann'
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if nxt is not None and nxt.lower_ in PLACE_HEAD_NOUNS:
        return True
    prep = root.head if root.dep_ == "pobj" else None
    if prep is None or prep.lower_ not in LOCATIVE_PREPS | {"of"}:
        return False
    if prep.lower_ == "of":
        return prep.head.lower_ in PLACE_HEAD_NOUNS or prep.head.lower_ in ("tip", "shore", "outskirts", "centre",
                                                                           "center", "north", "south", "east",
                                                                           "west")
    return ent.label_ == "PERSON" or (ent.label_ == "ORG" and len(ent) == 1)


def place_values(sent, used: set[int]) -> list[RawValue]:
    out = []
    spans = [(ent, ent_root(ent)) for ent in sent.ents if ent.label_ in PLACE_LABELS | {"ORG", "PERSON", "NORP", "FAC"}]
    # A named place no entity covers: a proper-noun phrase headed by a place noun ('the Anamur-Mersin military base').
    covered = {t.i for ent in sent.ents for t in ent}
    for tok in sent:
        if tok.lower_ in PLACE_HEAD_NOUNS and tok.pos_ == "NOUN" and tok.dep_ == "pobj" \
                and tok.head.lower_ in LOCATIVE_PREPS and tok.i not in used:
            names = [c for c in tok.subtree if c.i < tok.i and c.pos_ == "PROPN" and c.i not in covered]
            if names:
                from spacy.tokens import Span

                start = min(t.i for t in names)
                spans.append((Span(sent.doc, start, tok.i + 1, label="FAC"), tok))
    for ent, root in spans:
        if any(t.i in used for t in ent) or ent.text.lower() in TIME_ZONES:
            continue
        tokens = [t for t in ent if not (t.dep_ == "det" and t.i == ent.start)]
        if not tokens:
            continue
        # 'the Anamur-Mersin military base', 'the Jura region': the name modifies a place noun.
        if root.dep_ in ("compound", "nmod") and root.head.lower_ in PLACE_HEAD_NOUNS and root.head.i >= ent.end \
                and root.head.i - ent.end <= 2 and root.head.i not in used:
            tokens = tokens + [t for t in sent.doc[ent.end:root.head.i + 1] if not t.is_punct]
            root = root.head
        role = place_role(root)
        if role is None or (not looks_like_place(ent, role) and root.lower_ not in PLACE_HEAD_NOUNS):
            continue
        nxt = sent.doc[tokens[-1].i + 1] if tokens[-1].i + 1 < sent.end else None
        if nxt is not None and nxt.lower_ in PLACE_HEAD_NOUNS and nxt.i not in used:
            tokens.append(nxt)  # 'the Jura region'
        used.update(t.i for t in tokens)
        head = governing_verb(root)
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")] if head is not None else []
        text = " ".join(t.text for t in tokens)
        out.append(RawValue("place", tokens, fold(text), root, role=role,
                            head=subj[0] if subj and subj[0].pos_ in ("NOUN", "PROPN") else None))
    return out


def direction_values(sent, used: set[int]) -> list[RawValue]:
    """A bearing from a reference place: 'southwest of Lyon', '72 km south of X'."""
    out = []
    for tok in sent:
        if tok.i in used or tok.lower_ not in COMPASS:
            continue
        ref = None
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs:
                    ref = objs[0]
        if ref is None:
            nxt = tok.doc[tok.i + 1] if tok.i + 1 < sent.end else None
            if nxt is not None and nxt.lower_ == "of" and tok.i + 2 < sent.end:
                ref = tok.doc[tok.i + 2]
        if ref is None:
            continue
        ref_phrase = [t for t in ref.subtree if not t.is_punct and t.dep_ != "det"]
        used.add(tok.i)
        used.update(t.i for t in ref_phrase)
        verb = governing_verb(tok)
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        out.append(RawValue("direction", [tok], COMPASS[tok.lower_], tok,
                            role=fold(" ".join(t.text for t in ref_phrase)),
                            head=subj[0] if subj and subj[0].pos_ in ("NOUN", "PROPN") else None))
    return out


def office_of(tokens) -> str:
    """The office a name is given with: 'Captain Ada Quist' → 'captain', 'Transport Minister X' →
    'minister railway'."""
    words = []
    for tok in tokens:
        low = tok.lower_.strip(".")
        if low in OFFICE_WORDS:
            words.append(low)
        elif tok.dep_ in ("compound", "amod", "nmod", "pobj", "poss") and tok.pos_ in ("PROPN", "NOUN", "ADJ") \
                and any(t.lower_ in OFFICE_WORDS for t in tokens):
            words.append(fold(tok.text))
    return " ".join(sorted(set(words)))


# Titles of laws and agreements: capitalised words ending in a closed class of instrument nouns.
LAW_NAME = re.compile(
    r"\b([A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|the|and|for|on|to|through)){0,9}?"
    r"\s+(?:Act|Law|Bill|Treaty|Accord|Convention|Agreement|Code|Directive|Resolution|Protocol))\b"
)


def law_values(sent, used: set[int]) -> list[RawValue]:
    """'the Countering America's Adversaries Through Sanctions Act': the name of a law, whatever NER made of it."""
    out = []
    for m in LAW_NAME.finditer(sent.text):
        span = sent.doc.char_span(sent.start_char + m.start(1), sent.start_char + m.end(1), alignment_mode="expand")
        if span is None or any(t.i in used for t in span):
            continue
        tokens = list(span)
        used.update(t.i for t in tokens)
        out.append(RawValue("name", tokens, fold(span.text), span.root, role="law",
                            head=span.root.head if span.root.head.i != span.root.i else None))
    return out


def name_values(sent, used: set[int]) -> list[RawValue]:
    out = []
    for ent in sent.ents:
        if ent.label_ not in NAME_LABELS or any(t.i in used for t in ent):
            continue
        if ent.label_ == "NORP" and not any(c.dep_ == "nummod" for c in ent.root.children):
            continue  # 'Turkish' as an adjective is not a name in its own right
        tokens = [t for t in ent if not (t.dep_ == "det" and t.i == ent.start)]
        tokens = [t for t in tokens
                  if t.lower_.strip(".") not in OFFICE_WORDS or (t.pos_ == "PROPN" and t.i != tokens[0].i)]
        if ent.label_ == "PERSON" and tokens:
            # 'Izmir Governor Mehmet Aydın': NER may keep only the surname; the first name stands before it.
            j = tokens[0].i - 1
            while j >= sent.start and sent.doc[j].pos_ == "PROPN" \
                    and sent.doc[j].lower_.strip(".") not in OFFICE_WORDS \
                    and sent.doc[j].ent_type_ not in ("GPE", "LOC", "NORP", "ORG") and sent.doc[j].i not in used:
                tokens.insert(0, sent.doc[j])
                j -= 1
        if not tokens or len(fold(" ".join(t.text for t in tokens))) < 3:
            continue
        root = ent_root(ent)
        near = []
        for t in ent:
            for c in t.children:
                if (c.i < ent.start or c.i >= ent.end) and c.dep_ in ("compound", "appos", "amod", "nmod"):
                    near.extend(c.subtree)
        if root.dep_ in ("appos", "compound") and root.head.i != root.i:
            near.extend(noun_phrase(root.head))
        near += [t for t in ent if t.lower_.strip(".") in OFFICE_WORDS]
        role = office_of(near) if ent.label_ == "PERSON" else ""
        used.update(t.i for t in tokens)
        text = " ".join(t.text for t in tokens)
        out.append(RawValue("name", tokens, fold(text), root, role=f"{ent.label_.lower()}:{role}" if role
                            else ent.label_.lower(),
                            head=root.head if root.dep_ in ("compound", "appos", "poss") else None))
    return out
