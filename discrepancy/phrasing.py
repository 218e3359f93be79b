"""Phrasing: the question a value answers, in its own clause's words.

Reasons and headings name what two values are about with words taken from the parse
of the claim, never from a table of phrases:

- 'Seven people were killed in the bridge collapse' → 'how many people were killed in
  the bridge collapse';
- 'Rescuers found 12 bodies' → 'how many bodies rescuers found';
- 'The bridge was built in 1978' → 'when the bridge was built';
- 'The ferry sank off Kestrel Point' → 'where the ferry sank';
- 'Inspectors did not examine the bridge' → 'whether inspectors did examine the bridge'.

The clause is the value's verb with its subject, auxiliaries, particle and object, and a
prepositional phrase that holds no value; negators are left out (the question is asked
affirmatively) and 'no' before a noun reads 'any'. Word lists here are closed classes of
English: question words, negators, measure adjectives.
"""

from __future__ import annotations

# What a quantity asks by what it measures; others ask 'what'.
QUESTION_WORDS = {"count": "how many", "duration": "how long", "age": "how old", "speed": "how fast",
                  "percent": "what share", "temperature": "what temperature"}
MONEY_QUESTION = "how much"
NEGATOR_WORDS = {"not", "n't", "never", "no", "neither", "nor", "nowhere"}
SUBJECT_DEPS = ("nsubj", "nsubjpass", "expl", "csubj")
OBJECT_DEPS = ("dobj", "attr", "oprd", "acomp")
AUX_DEPS = ("aux", "auxpass")
# Parts of a noun phrase left out of a question: they make it long and carry other claims.
DROPPED_NP_DEPS = {"relcl", "acl", "appos", "advcl", "cc", "conj", "parataxis", "preconj"}
HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "madam", "mx"}  # forms of address, not offices
# Adjectives a measure stands before: 'how long the bridge is', 'how deep the wreck lies'.
MEASURE_ADJECTIVES = {"long", "tall", "high", "wide", "deep", "thick", "old", "far", "heavy", "large", "big"}
MAX_ARGUMENT = 7  # tokens of one argument kept in a question
MAX_WORDS = 14


def _argument(tok, skip: set[int], with_preps: bool = True) -> list:
    """The tokens of an argument phrase (a subject, an object), without clauses inside it, other
    values (`skip`) or negators; cut to its core when long."""
    out = []

    def walk(t, top: bool) -> None:
        if not top and (t.dep_ in DROPPED_NP_DEPS or (not with_preps and t.dep_ == "prep" and t.head.i == tok.i)):
            return
        out.append(t)
        for child in t.children:
            walk(child, False)

    walk(tok, True)
    # A phrase inside that holds a left-out value goes whole: 'decision in [2019]' is 'decision'.
    gone = {x.i for t in out if t.dep_ == "prep" and t.i != tok.i and any(x.i in skip for x in t.subtree)
            for x in t.subtree}
    out = [t for t in out if t.i not in skip and t.i not in gone and (not t.is_punct or _joiner(t))
           and not (t.lower_ in ("both", "either") and t.dep_ in ("det", "preconj"))]  # its 'and' is left out
    if all(t.dep_ in ("det", "poss", "predet", "case") for t in out):
        return []
    if len(out) > MAX_ARGUMENT:
        core = {tok.i} | {c.i for c in tok.children if c.dep_ in ("det", "compound", "amod", "poss", "nummod")}
        out = [t for t in out if t.i in core and t.i not in skip]
    return sorted(out, key=lambda t: t.i)


def _joiner(tok) -> bool:
    """A hyphen or slash inside a word ('fighter-bombers'), kept with it."""
    return tok.text in ("-", "–", "/") and not tok.whitespace_ and tok.i > 0 and not tok.doc[tok.i - 1].whitespace_


def _prep_phrase(prep, skip: set[int]) -> list:
    """A prepositional phrase without the phrases inside it that hold a value ('in the collapse' of
    'in the collapse in 1978'); none when the value is its own object."""
    tokens = []

    def walk(t) -> bool:
        inner = list(t.subtree)
        if t.i != prep.i and t.dep_ in ("prep", "relcl", "acl", "appos") and any(x.i in skip for x in inner):
            return True
        tokens.append(t)
        for child in t.children:
            walk(child)
        return True

    walk(prep)
    tokens = sorted((t for t in tokens if not t.is_punct), key=lambda t: t.i)
    if len(tokens) > 6:  # 'in the collapse of the old bridge at the river': its first phrase only
        inner = [t for t in tokens if t.i != prep.i and t.dep_ == "prep"]
        if inner:
            cut = min(t.i for t in inner)
            tokens = [t for t in tokens if t.i < cut]
    if any(t.i in skip for t in tokens) or len(tokens) > 6 or len(tokens) < 2:
        return []
    return tokens


def _words(tokens) -> str:
    """Tokens as written, in sentence order and with their own spacing ('Turkey's'); 'no' before a
    noun reads 'any', 'no longer' reads 'still', other negators go."""
    out = ""
    kept = []
    for t in tokens:
        lower = t.lower_
        if lower == "longer" and t.i > 0 and t.doc[t.i - 1].lower_ == "no":
            continue
        if lower == "no" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "longer":
            kept.append((t, "still"))
            continue
        if t.dep_ == "neg" or (lower in NEGATOR_WORDS and t.dep_ != "det"):
            continue
        kept.append((t, "any" if lower == "no" else t.text))
    for k, (t, text) in enumerate(kept):
        starts = t.i == t.sent.start or (t.i > 0 and t.doc[t.i - 1].is_punct)
        if starts and text[:1].isupper() and not text.isupper() and text != "I" and (
                t.pos_ in ("DET", "PRON") or (t.pos_ != "PROPN" and not t.ent_type_)):
            text = text[0].lower() + text[1:]  # 'The bridge', 'It' starting the sentence; not 'Turkish'
        if k and not (kept[k - 1][0].i + 1 == t.i and not kept[k - 1][0].whitespace_):
            out += " "
        out += text
    return out


def _clause(verb, skip: set[int], leave_out=None, with_object: bool = True, with_prep: bool = True) -> list:
    """The verb with its subject, auxiliaries, particle, object and one value-free prepositional phrase."""
    tokens = [verb]
    prep_added = False
    for child in verb.children:
        if leave_out is not None and child.i == leave_out.i:
            continue
        if child.dep_ in SUBJECT_DEPS:
            tokens += _subject(verb, child, skip)
        elif child.dep_ in AUX_DEPS and child.lower_ not in NEGATOR_WORDS or child.dep_ == "prt":
            tokens.append(child)
        elif child.dep_ in OBJECT_DEPS and with_object and child.i not in skip:
            tokens += _argument(child, skip)
            if child.dep_ == "acomp":  # 'able to close the bridge'
                tokens += [t for c in child.children if c.dep_ == "xcomp" and c.i not in skip
                           for t in _complement(c, skip)]
        elif child.dep_ == "xcomp" and child.i not in skip:
            tokens += _complement(child, skip)
        elif child.dep_ in ("prep", "agent") and with_prep and not prep_added and child.i > verb.i:
            phrase = _prep_phrase(child, skip)
            if phrase:
                tokens += phrase
                prep_added = True
    if verb.dep_ == "xcomp" and not any(c.dep_ in SUBJECT_DEPS for c in verb.children) and verb.head.i != verb.i:
        # 'decided to close the bridge [on Monday]': the subject is the governing verb's.
        head = verb.head
        tokens += [head] + [t for c in head.children if c.dep_ in SUBJECT_DEPS for t in _subject(head, c, skip)]
        tokens += [c for c in head.children if c.dep_ in AUX_DEPS and c.lower_ not in NEGATOR_WORDS]
        tokens += [c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"]
    tokens = [t for t in tokens if t.i not in skip]
    return sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)


def _has_subject(verb, clause: list) -> bool:
    """Does the phrased clause say who or what (its own subject, or the governing verb's for 'decided
    to close'), with some of its words left after the values are taken out?"""
    own = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if not own and verb.dep_ == "xcomp" and verb.head.i != verb.i:
        own = [c for c in verb.head.children if c.dep_ in SUBJECT_DEPS]
    if not own:
        return False
    words = {t.i for t in clause}
    return any(t.i in words for s in own for t in ([s] if s.tag_ not in ("WDT", "WP") else [s.head.head])) \
        or any(t.i in words for s in own for t in s.subtree)


def _subject(verb, subject, skip: set[int]) -> list:
    """The subject's words; a relative pronoun stands for its antecedent ('the office, which runs the
    port': the office runs it)."""
    if subject.tag_ in ("WDT", "WP") and verb.dep_ == "relcl" and verb.head.i != verb.i:
        return _argument(verb.head, skip)
    return _argument(subject, skip)


def _complement(verb, skip: set[int]) -> list:
    """'to have the ferries' of 'would be able to have the ferries': what the clause is about."""
    tokens = [t for t in verb.children if t.dep_ == "aux" and t.lower_ == "to"] + [verb]
    return tokens + [t for c in verb.children if c.dep_ in ("dobj", "attr") and c.i not in skip
                     for t in _argument(c, skip)]


def _argument_holding(verb, value_ids: set[int]):
    """The subject or object of `verb` whose phrase holds the value ('Seven people' holds 'Seven')."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS + ("dobj", "nsubjpass") and any(t.i in value_ids for t in child.subtree) \
                and child.i not in value_ids:
            return child
    return None


def office_phrase(value_tokens: list, office_words: list[str]) -> str:
    """The office a name is given with, as written: 'Turkish Foreign Minister' of 'Turkish Foreign
    Minister Ann Weller', 'fire chief' of 'the fire chief, Tom Hale'. `office_words` are the folded
    words values.py found for the office."""
    if not office_words or not value_tokens:
        return ""
    words = set(office_words)
    doc = value_tokens[0].doc
    run = []
    k = value_tokens[0].i - 1
    while k >= value_tokens[0].sent.start and doc[k].pos_ in ("PROPN", "NOUN", "ADJ") \
            and doc[k].lower_.strip(".") in words | {w.capitalize().lower() for w in words}:
        run.insert(0, doc[k])
        k -= 1
    if not run:
        root = value_tokens[-1]
        while root.head.i in {t.i for t in value_tokens} and root.head.i != root.i:
            root = root.head
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            run = [t for t in root.head.subtree if t.i < root.head.i + 1 and t.dep_ in ("compound", "amod")
                   and t.i >= root.head.i - 3] + [root.head]
    if not run or not any(t.lower_.strip(".") in words - HONORIFICS for t in run):
        return ""
    return _words(run)


def bare_copula(verb, clause: list) -> bool:
    """'whether the ferries are': 'be' with nothing said of its subject asks nothing."""
    return verb.lemma_ == "be" and not any(t.head.i == verb.i and t.dep_ in OBJECT_DEPS + ("prep", "agent")
                                           for t in clause)


def _fits(tokens) -> bool:
    return 0 < len(tokens) <= MAX_WORDS


def question(kind: str, value_tokens: list, verb, figure_ids: set[int], role: str = "",
             dimension: str = "") -> str:
    """What the value answers, as an embedded question in the clause's words ('' when the parse gives
    no clause to phrase it with: a fragment, or a value that is the clause's only word).

    `figure_ids` are the tokens of the sentence's numbers, dates and times: left out of every
    question, since the other side may state them differently."""
    if verb is None:
        return ""
    vids = {t.i for t in value_tokens}
    # Words NER takes for dates and times are left out too ('in March' that no date value holds).
    figure_ids = set(figure_ids) | {t.i for t in verb.sent if t.ent_type_ in ("DATE", "TIME")}
    skip = figure_ids | vids
    if kind == "polarity":
        clause = _clause(verb, set(figure_ids) - {verb.i})
        if not _fits(clause) or not _has_subject(verb, clause) or bare_copula(verb, clause):
            return ""
        return "whether " + _words(clause)
    if verb.i in vids:
        return ""
    if kind in ("date", "time", "place"):
        # A place question names no other place: the other side may give another one.
        clause = _clause(verb, skip, with_prep=kind != "place")
        subject = _has_subject(verb, clause)
        if not _fits(clause) or not subject:
            return ""
        words = _words(clause)
        if any(c.dep_ in ("ccomp", "parataxis") for c in verb.children) and not any(
                t.dep_ in OBJECT_DEPS for t in clause):
            words += " it"  # 'when the secretary said it': the statement itself is left out
        if kind == "date":
            return "when " + words
        if kind == "time":
            return "at what time " + words
        return "where " + words + {"from": " from", "to": " to"}.get(role, "")
    if kind == "name":
        office = office_phrase(value_tokens, role.partition(":")[2].split())
        if office:
            return f"name of the {office}"
        holder = _argument_holding(verb, vids)
        if holder is None or holder.dep_ not in SUBJECT_DEPS:
            return ""
        rest = _clause(verb, skip, leave_out=holder)
        return "who " + _words(rest) if _fits(rest) and len(rest) > 1 else ""
    if kind == "quantity":
        holder = _argument_holding(verb, vids)
        asks = MONEY_QUESTION if dimension.startswith("money") else QUESTION_WORDS.get(dimension, "")
        if holder is not None and asks in ("how many", "how much"):
            # The value counts a subject or object: that phrase first, then the rest of the clause.
            counted = _argument(holder, skip, with_preps=holder.dep_ in SUBJECT_DEPS)
            # 'how many bodies', not 'how many the bodies': the counted noun's own determiners go.
            counted = [t for t in counted if not (t.head.i == holder.i and t.dep_ in ("det", "predet"))]
            rest = _clause(verb, skip, leave_out=holder)
            if not counted or not _fits(counted + rest):
                return ""
            if holder.dep_ not in SUBJECT_DEPS and not _has_subject(verb, rest):
                return ""  # 'and carried 40 passengers': who carried them is not in the clause
            return f"{asks} {_words(counted)} {_words(rest)}".strip()
        if holder is None:
            clause = _clause(verb, skip, with_prep=False)
            if not _fits(clause) or not _has_subject(verb, clause):
                return ""
            words = _words(clause)
            # 'rose to 12', 'was put at 7.4': the preposition the value hangs on ends the question.
            anchor = next((t for t in value_tokens if t.head.i not in vids), value_tokens[0])
            if anchor.dep_ != "pobj" and (anchor.head.dep_ == "prep" or anchor.head.pos_ in ("ADP", "ADV", "SCONJ")):
                return ""  # 'two years after the deal', 'three days later': when, not how long
            in_clause = {t.i for t in clause}
            prep = anchor.head if anchor.dep_ == "pobj" and (
                anchor.head.head.i == verb.i or anchor.head.head.i in in_clause) else None
            tail = f" {prep.text}" if prep is not None else ""
            if anchor.dep_ in SUBJECT_DEPS and asks in ("how many", "how much"):
                pass  # '53 of those aboard were British': how many of those aboard were British
            elif dimension == "length" and not tail:
                asks = "how far"  # 'plunged 600 feet'
            elif not asks or asks in ("how many", "how much"):
                asks = "what"
            adjective = next((c for c in verb.children if c.dep_ == "acomp" and c.pos_ == "ADJ"
                              and c.lower_ in MEASURE_ADJECTIVES), None)
            if adjective is not None and any(t.i == adjective.i for t in clause):
                words = _words([t for t in clause if t.i != adjective.i])
                asks = f"how {adjective.lower_}"
            return f"{asks} {words}{tail}"
    return ""
