"""Extracting facts: parsed sentence → claims with typed facts.

Each claim carries its predicate (normalised verb class), polarity, hedging and
attribution, and typed facts: locations (a place governed by a locative
preposition, not a capital standing for its government), dates (intervals with
granularity), numbers (intervals with unit and head noun) and names (with the
role or slot they fill). Each fact records its frame — predicate, attribute,
subject and anchor words — so comparison can tell whether two values answer the
same question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from . import dates as dates_mod
from . import quantities
from .names import TITLES, fold
from .records import Fact
from .segmenting import claim_heads, claim_tokens

# Verb classes: synonyms news writers alternate between.
PREDICATE_CLASSES = {
    "locate": {"locate", "base", "station", "situate", "headquarter", "house", "position", "install", "place", "keep"},
    "deploy": {"deploy", "deployment"},
    "kill": {"kill", "die", "dead", "death", "fatality", "perish", "toll", "bodies", "body", "drown"},
    "injure": {"injure", "wound", "hurt", "injury", "injured", "wounded"},
    "missing": {"missing", "unaccounted"},
    "rescue": {"rescue", "save", "survive", "survivor", "pull", "evacuate", "airlift"},
    "arrest": {"arrest", "detain", "custody", "apprehend"},
    "remove": {"exclude", "bar", "remove", "expel", "kick", "oust", "suspend", "ban", "eject"},
    "deliver": {"deliver", "delivery", "receive", "supply", "transfer", "arrive"},
    "sign": {"sign", "signing", "conclude", "seal", "ink"},
    "buy": {"buy", "purchase", "acquire", "acquisition"},
    "cost": {"cost", "pay", "worth", "price", "value", "spend"},
    "operational": {"operational", "operate", "activate", "ready", "readiness", "commission", "operation"},
    "test": {"test", "testing", "trial"},
    "sanction": {"sanction", "impose", "levy", "penalize", "penalise"},
    "elect": {"elect", "election", "win", "vote", "victory", "ballot"},
    "rule": {"rule", "ruling", "verdict", "decide", "decision", "sentence", "convict"},
    "begin": {"begin", "start", "launch", "commence"},
    "end": {"end", "finish", "conclude", "close", "halt", "stop"},
    "leave": {"leave", "depart", "sail"},
    "strike": {"strike", "hit", "jolt", "shake", "rock", "quake", "earthquake", "tremor", "epicentre", "epicenter"},
    "capsize": {"capsize", "sink", "aground", "overturn", "founder"},
    "request": {"request", "ask", "demand", "proposal", "propose"},
    "investigate": {"investigate", "investigation", "probe", "inquiry", "inquest"},
    "recount": {"recount", "recounting", "retally"},
    "approve": {"approve", "pass", "adopt", "enact", "ratify", "endorse"},
    "explode": {"explode", "explosion", "blast", "detonate", "detonation"},
    "clash": {"clash", "violence", "riot", "unrest", "scuffle", "skirmish"},
}
# Nouns naming an event: 'the explosion happened at 4:40', 'the violence began outside X'.
EVENT_NOUNS = {
    "explosion": "explode", "blast": "explode", "fire": "blaze", "blaze": "blaze", "inferno": "blaze",
    "attack": "attack", "shooting": "shooting", "clash": "clash", "violence": "clash", "riot": "clash",
    "protest": "protest", "demonstration": "protest", "rally": "protest", "march": "protest",
    "crash": "crash", "collision": "crash", "derailment": "crash", "accident": "crash",
    "quake": "strike", "earthquake": "strike", "tremor": "strike", "flood": "flood", "storm": "storm",
    "stampede": "stampede", "collapse": "collapse", "eruption": "erupt", "leak": "leak", "spill": "leak",
}
# Verbs that only say an event happened: the event noun is the predicate.
HAPPEN_VERBS = {"happen", "occur", "take", "come", "break", "erupt", "begin", "start", "rip", "tear", "hit",
                "strike", "spread", "unfold", "be", "go"}
PREDICATE_OF = {word: cls for cls, words in PREDICATE_CLASSES.items() for word in words}
# Counts of people whose figures are revised as news develops (possible updates).
COUNT_CLASSES = {"kill", "injure", "missing", "rescue", "arrest"}
LOCATIVE_PREDICATES = {"locate", "deploy", "strike", "capsize", "hold", "occur", "happen", "take", "place"}
LOCATIVE_PREPS = {"in", "at", "near", "off", "outside", "inside", "on", "around", "within"}
REPORTING_VERBS = {
    "say", "tell", "report", "announce", "state", "claim", "add", "note", "declare", "confirm",
    "quote", "write", "insist", "warn", "explain", "reveal", "argue", "stress", "emphasize", "believe",
    "cite", "reaffirm", "suggest", "allege", "estimate",
}
HEDGES = re.compile(
    r"\b(?:it is (?:believed|thought|understood|said|reported|alleged|claimed|rumou?red)|"
    r"(?:is|are|was|were) (?:believed|thought|said|reported|alleged|claimed|rumou?red) to|"
    r"reportedly|allegedly|apparently|purportedly|supposedly|presumably|possibly|probably|"
    r"unconfirmed|according to (?:unconfirmed|some|open data|rumou?rs|claims)|may have|might have|"
    r"could have|it is possible|it appears|seems to|appears to|unverified)\b",
    re.IGNORECASE,
)
ATTRIBUTION = re.compile(
    r"\b(?:according to|citing|as reported by|quoted by|told)\s+((?:[\w.’'-]+\s?){1,6}?)"
    r"(?=[,.;]|\s+(?:that|said|the|is|was|on|in)\b|$)",
    re.IGNORECASE,
)
GENERIC_ANCHORS = {
    "year", "month", "day", "time", "week", "people", "person", "thing", "way", "part", "number",
    "official", "source", "report", "media", "news", "statement", "country", "also", "now",
}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
DENIAL_VERBS = {"deny", "refute", "dismiss"}
DENIED_NOUNS = {"report", "claim", "allegation", "suggestion", "rumour", "rumor", "speculation", "account"}
NAME_LABELS = {"PERSON", "ORG", "LAW", "PRODUCT", "WORK_OF_ART", "EVENT"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
NUMBER_LABELS = {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
LAW_NAME = re.compile(
    r"\b([A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|the|and|for|on|to|through)){0,9}?"
    r"\s+(?:Act|Law|Bill|Treaty|Accord|Convention|Agreement|Code|Directive|Resolution|Protocol))\b"
)


@dataclass(frozen=True)
class ClaimDraft:
    """A claim inside one block, before it gets document ids and resolved dates."""

    start: int  # offsets within the block
    end: int
    predicate: str
    negated: bool
    hedge: str
    attribution: str
    facts: tuple[Fact, ...]
    keys: frozenset[str] = frozenset()
    object: str = ""
    participants: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SentenceDraft:
    start: int
    end: int
    claims: tuple[ClaimDraft, ...]


def predicate_class(lemma: str) -> str:
    lemma = lemma.lower()
    return PREDICATE_OF.get(lemma, lemma)


def token_key(tok) -> str:
    return fold(tok.text) if tok.pos_ == "PROPN" else tok.lemma_.lower()


def claim_predicate(head) -> str:
    """The asserted relation: the verb, or for 'is operational' / 'is ready' the complement."""
    if head.lemma_ in ("be", "become", "remain") or head.pos_ == "AUX":
        for child in head.children:
            if child.dep_ in ("acomp", "attr") and child.pos_ in ("ADJ", "NOUN") \
                    and not any(g.like_num for g in child.subtree) and child.lower_ not in UNIT_WORDS:
                return predicate_class(child.lemma_)
    if head.lemma_ in ("reach", "achieve", "attain", "gain"):
        for child in head.children:
            if child.dep_ == "dobj" and predicate_class(child.lemma_) != child.lemma_:
                return predicate_class(child.lemma_)
    if head.lemma_ in ("run", "go") and any(c.lower_ == "aground" for c in head.children):
        return "capsize"
    # 'The court ordered a recount', 'the court declined to order...': what a court decides is its ruling.
    if head.lemma_ in ("order", "decline", "uphold", "annul", "overturn", "reject", "dismiss", "find") and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lemma_ in ("court", "judge", "tribunal", "panel", "jury")
            for c in head.children):
        return "rule"
    # 'Police fired tear gas' / 'denied that tear gas had been used': firing a weapon is using it.
    if head.lemma_ in ("fire", "spray", "lob", "shoot") and any(
            c.dep_ == "dobj" and c.lemma_ in ("gas", "cannon", "bullet", "grenade", "round", "shell", "pellet")
            for c in head.children):
        return "use"
    # 'striking rocks off Evia' is where a ship ran aground, not an earthquake.
    if head.lemma_ in ("strike", "hit") and any(c.dep_ == "dobj" and c.lemma_ in ("rock", "reef", "shoal", "sandbank")
                                                for c in head.children):
        return "capsize"
    if head.lemma_ == "set" and any(c.lower_ == "sail" for c in head.children):
        return "leave"
    return predicate_class(head.lemma_)


def event_predicate(verb, predicate: str) -> str:
    """'The explosion happened at 4:40', 'the violence began outside X': when and where of the event."""
    if verb.lemma_.lower() not in HAPPEN_VERBS:
        return predicate
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in EVENT_NOUNS:
            return EVENT_NOUNS[child.lemma_.lower()]
    return predicate


def claim_object(head) -> str:
    """What the predicate acts on (the direct object, or the subject of a passive),
    as space-separated content keys: 'tsunami warning'."""
    for dep in ("dobj", "nsubjpass", "attr"):
        for child in head.children:
            if child.dep_ == dep and child.pos_ in ("NOUN", "PROPN"):
                keys = [token_key(t) for t in core_phrase(child) if t.pos_ in ("NOUN", "PROPN")]
                return " ".join(dict.fromkeys(keys))
    return ""


def governing_verb(tok):
    """The nearest verb (or the sentence root) above `tok`."""
    cur = tok
    while cur.head.i != cur.i:
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return cur


def core_phrase(tok) -> list:
    """A noun phrase without its relative clauses, appositions and prepositional tails:
    'The 128-metre Kalliste Star, which left Piraeus on Monday,' → 'The 128-metre Kalliste Star'."""
    keep = [tok]
    for child in tok.children:
        if child.dep_ in ("det", "amod", "compound", "nummod", "poss", "nmod", "case", "quantmod", "advmod") \
                or (child.pos_ == "PROPN" and child.dep_ not in ("prep", "relcl", "acl", "conj", "cc", "punct")):
            # a name next to its noun: 'the ferry Kalliste Star'
            keep.extend(core_phrase(child))
    return sorted(keep, key=lambda t: t.i)


def subject_of(head) -> tuple[list, bool]:
    """Subject tokens of a claim head (inherited from the first conjunct when it has none)
    and whether the clause is passive."""
    cur = head
    for _ in range(4):
        subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
        if subj and subj[0].dep_ != "expl":
            if subj[0].lower_ in ("which", "who", "that") and cur.dep_ == "relcl":
                return core_phrase(cur.head), subj[0].dep_ == "nsubjpass"  # 'the ferry, which left...'
            # A mis-parse can give a verb two subjects ('the passenger ferry | Kalliste Star'): keep both.
            tokens = sorted({t for c in subj if c.dep_ != "expl" for t in core_phrase(c)}, key=lambda t: t.i)
            return tokens, subj[0].dep_ == "nsubjpass"
        if cur.dep_ in ("conj", "xcomp", "advcl") and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    return [], False


PERSONAL_PRONOUNS = {"it", "he", "she", "they"}
PRONOUN_MARK = "@pronoun"


def local_participants(tok, fallback: frozenset[str]) -> frozenset[str]:
    """Participants of the clause a fact sits in ('the cargo ship ... ran aground off Evia; its crew
    were rescued': the place belongs to the ship's clause), or the claim's when that clause has none."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else governing_verb(tok)
    if verb.pos_ not in ("VERB", "AUX"):
        return fallback
    keys = participant_keys(verb)
    return keys if any(not k.startswith("~") for k in keys) else (keys | fallback if keys else fallback)


def participant_keys(head) -> frozenset[str]:
    """Who acts and what is acted on, as keys: the agent plain, the theme prefixed '~'.

    Active and passive voice put the theme in different places ('Washington kicked
    the country out' / 'Turkey was excluded'), so comparison matches agent with
    agent and theme with theme.
    """
    subject, passive = subject_of(head)
    subject_keys = content_keys(subject, set(), mark_names=True)
    if len(subject) == 1 and subject[0].lower_ in PERSONAL_PRONOUNS:
        subject_keys = frozenset({PRONOUN_MARK})  # resolved to an earlier subject by the pipeline
    if passive:
        return frozenset("~" + k for k in subject_keys)
    objects = [t for c in head.children if c.dep_ == "dobj" for t in core_phrase(c)]
    return subject_keys | frozenset("~" + k for k in content_keys(objects, set(), mark_names=True))


def content_keys(tokens, exclude: set[int], mark_names: bool = False) -> frozenset[str]:
    """Content words (nouns, names, predicative adjectives) as comparable keys.

    With `mark_names`, proper names and codes get a leading '^' so a generic
    subject ('the system') can be told from a specific one ('the S-400').
    """
    keys = set()
    for tok in tokens:
        if tok.i in exclude or tok.is_stop or tok.is_punct or tok.like_num:
            continue
        if tok.pos_ in ("NOUN", "PROPN") or (tok.pos_ == "ADJ" and tok.dep_ != "amod"):
            key = token_key(tok)
            if len(key) > 1 and key not in GENERIC_ANCHORS and tok.lemma_.lower() not in REPORTING_VERBS:
                # Names and codes (S-400) are specific; measures ('5.9-magnitude', '128-metre') are not.
                specific = tok.pos_ == "PROPN" or bool(re.match(r"[A-Za-z]+-?\d", tok.text))
                if tok.text[:1].isdigit():
                    continue
                keys.add("^" + key if (mark_names and specific) else key)
    return frozenset(keys)


def subject_text(tokens) -> str:
    return " ".join(t.text for t in tokens).replace(" ’s", "’s").replace(" 's", "'s")


def is_negated(head) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in ("never",) for c in head.children):
        return True
    for child in head.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
            d.dep_ == "det" and d.lower_ in ("no", "neither") for d in child.children
        ):
            return True
    # 'denied (reports) that an investigation had been launched'
    cur = head
    for _ in range(3):
        if cur.head.i == cur.i or cur.dep_ not in ("ccomp", "xcomp", "acl", "relcl", "dobj"):
            return False
        cur = cur.head
        if cur.lemma_.lower() in DENIAL_VERBS:
            return True
        if cur.pos_ in ("VERB", "AUX") and cur.lemma_.lower() not in DENIED_NOUNS:
            return False
    return False


def noun_phrase(tok) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by `tok`, without a leading determiner."""
    left = [t for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "poss", "case", "predet")
            and t.dep_ not in ("prep", "relcl", "acl", "punct", "cc") or t.i == tok.i]
    start = min((t.i for t in left), default=tok.i)
    # keep the run contiguous up to the head
    run_start = tok.i
    for i in range(tok.i - 1, start - 1, -1):
        if i in {t.i for t in left}:
            run_start = i
        else:
            break
    return run_start, tok.i + 1


def np_head(tok):
    """Climb from a modifier to the noun it modifies: 'Mersin' → 'base'."""
    cur = tok
    while cur.dep_ in ("compound", "nmod", "amod", "appos", "poss") and cur.head.i != cur.i \
            and cur.head.pos_ in ("NOUN", "PROPN") and cur.head.i > cur.i:
        cur = cur.head
    if cur.dep_ == "appos" and cur.head.pos_ in ("NOUN", "PROPN"):
        cur = cur.head
    return cur


def ent_root(ent):
    """The token that links an entity to the sentence; spaCy may pick a leading 'the'."""
    outside = [t for t in ent if t.dep_ not in ("det", "punct", "case") and not (ent.start <= t.head.i < ent.end)]
    return outside[-1] if outside else ent.root


PLACE_NOUNS = {
    "town", "city", "village", "port", "island", "province", "region", "district", "county", "state", "capital",
    "coast", "shore", "tip", "outskirts", "area", "municipality", "suburb", "neighbourhood", "neighborhood",
    "harbour", "harbor", "bay", "peninsula", "airport", "base", "border", "prefecture", "valley", "river", "sea",
    "gulf", "strait", "resort", "settlement", "commune", "borough", "quarter",
}
# Verbs whose direct object is a place: 'left Piraeus' (origin), 'hit the town of X'.
PLACE_OBJECT_VERBS = {"leave": "from", "strike": "at", "reach": "to", "enter": "to", "evacuate": "at"}


STRONG_LOCATIVE = {"locate", "leave", "strike", "capsize", "base", "occur", "happen", "hold", "deploy"} \
    | set(EVENT_NOUNS.values())
# Common-noun places an event happens at: 'the violence began outside the parliament building'.
LANDMARK_NOUNS = {
    "building", "square", "street", "boulevard", "avenue", "road", "ministry", "parliament", "station",
    "hospital", "school", "airport", "hall", "palace", "embassy", "bridge", "market", "plant", "factory",
    "warehouse", "mine", "stadium", "church", "mosque", "cathedral", "headquarters", "park", "port", "terminal",
    "depot", "site", "facility", "office", "campus", "prison", "courthouse", "complex",
}


def location_fact(ent, doc, sentence_tokens, head, subject_keys, subject_str, anchors_for,
                  strong_only: bool = False) -> Fact | None:
    """A place as the location of something ('located in X', 'struck near the town of X', 'left X').

    Not a location: a capital standing for its government ('Ankara said'), a place
    used as a modifier ('Ankara's decision'), or a place qualifying another place
    ('Bergama in Izmir province' says where Bergama is, not a second location).
    """
    root = ent_root(ent)
    head_tok = np_head(root)
    # "the capital, Ankara": the place is an apposition of the preposition's object.
    if root.dep_ == "appos":
        head_tok = root.head
    promoted = False
    # 'the town of Bergama', 'the island of Andros', 'the port of Rafina'
    if head_tok.dep_ == "pobj" and head_tok.head.lower_ == "of" and head_tok.head.head.lemma_.lower() in PLACE_NOUNS:
        head_tok = np_head(head_tok.head.head)
        promoted = True
    # 'commented on US proposals', 'sanctions on Turkey's defense industry': the place only
    # modifies a thing; the phrase is not a location.
    if head_tok.i != root.i and head_tok.pos_ == "NOUN" and head_tok.lemma_.lower() not in PLACE_NOUNS \
            and not promoted:
        return None
    if head_tok.dep_ == "pobj" and head_tok.head.lower_ in LOCATIVE_PREPS:
        prep = head_tok.head
        governor, role = prep.head, prep.lower_
    elif head_tok.dep_ == "dobj" and predicate_class(head_tok.head.lemma_) in PLACE_OBJECT_VERBS:
        governor = head_tok.head
        role = PLACE_OBJECT_VERBS[predicate_class(governor.lemma_)]
    else:
        return None
    # 'near Gavrio on Andros': a place attached to a name or a place noun qualifies it.
    if governor.pos_ == "PROPN" or (governor.pos_ == "NOUN" and (governor.ent_type_ in PLACE_LABELS
                                                                 or governor.lemma_.lower() in PLACE_NOUNS
                                                                 or governor.lemma_.lower() in LANDMARK_NOUNS)):
        return None
    if governor.pos_ in ("NOUN", "PROPN"):
        # 'the court in Hohenstein': the place says where a thing is, if it is one thing.
        definite = any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "some", "any")
                       for c in governor.children)
        if governor.tag_ in ("NNS", "NNPS") or not definite:
            return None
        predicate = "at:" + predicate_class(governor.lemma_)
    else:
        verb = governor if governor.pos_ in ("VERB", "AUX", "ADJ") else governing_verb(governor)
        predicate = claim_predicate(verb) if verb.pos_ in ("VERB", "AUX") else predicate_class(verb.lemma_)
        predicate = event_predicate(verb, predicate)
        if predicate in ("be", "remain", "lie", "sit"):
            # 'its epicentre was near Dikili': the subject says what is located.
            subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and subj[0].pos_ == "NOUN":
                predicate = predicate_class(subj[0].lemma_)
    if strong_only and predicate not in STRONG_LOCATIVE and not predicate.startswith("at:"):
        return None
    if promoted:
        span_text = ent.text
        start, end = ent.start, ent.end
    else:
        start, end = noun_phrase(head_tok)
        start = min(start, ent.start)
        span_text = doc[start:end].text if head_tok.i >= ent.end - 1 else ent.text
    span_text = re.sub(r"^(?:the|a|an)\s+", "", span_text, flags=re.IGNORECASE)
    exclude = set(range(min(start, ent.start), max(end, ent.end)))
    return Fact(
        type="location", text=span_text, norm=fold(span_text), predicate=predicate,
        attribute="", role=role, subject=subject_str, subject_keys=local_participants(governor, subject_keys),
        anchors=anchors_for(exclude),
    )


GENERIC_COUNT_NOUNS = {"people", "person", "member", "individual", "one", "other", "figure", "number", "total"}
POPULATION_NOUNS = {
    "passenger", "civilian", "soldier", "child", "resident", "crew", "worker", "student", "migrant", "victim",
    "tourist", "fisherman", "police", "officer", "firefighter", "patient", "pilgrim", "voter", "adult", "woman",
    "man", "survivor", "refugee", "troop", "rescuer", "miner", "employee", "protester", "journalist",
}
MEASURE_NOUNS = {
    "depth", "height", "length", "distance", "magnitude", "speed", "rate", "turnout", "margin", "toll",
    "temperature", "width", "altitude", "range", "area", "capacity", "share", "majority", "weight", "price",
    "value", "size", "duration", "budget", "deficit", "wage", "fine", "bail", "sentence", "age",
}
UNIT_WORDS = {"magnitude", "percent", "kilometres", "kilometers", "km", "metres", "meters", "miles", "feet",
              "tonnes", "tons", "knots", "degrees", "hectares", "acres"}


def nearby_unit(ent) -> str:
    """A unit written next to the number rather than inside the entity: 'magnitude 6.4', '10 kilometres'."""
    unit = quantities.unit_of(ent.text)
    if unit:
        return unit
    doc = ent.doc
    for i in (ent.start - 1, ent.end):
        if 0 <= i < len(doc) and doc[i].lower_ in UNIT_WORDS:
            return quantities.unit_of(doc[i].text) or doc[i].lower_
    return ""


def population(noun) -> str:
    """Who is counted, when the text says: 'crew', 'passengers'; '' for 'people'."""
    lemma = noun.lemma_.lower()
    if lemma in POPULATION_NOUNS:
        return lemma
    if lemma in GENERIC_COUNT_NOUNS:
        for child in noun.children:
            if child.dep_ in ("compound", "amod") and child.lemma_.lower() in POPULATION_NOUNS:
                return child.lemma_.lower()
    return ""


def verb_class_of(tok) -> str:
    verb = governing_verb(tok)
    vcls = claim_predicate(verb) if verb.pos_ in ("VERB", "AUX") else predicate_class(verb.lemma_)
    # 'brought 351 people to safety' is a rescue.
    if any(c.dep_ == "prep" and any(g.lower_ == "safety" for g in c.children) for c in verb.children):
        return "rescue"
    return vcls


def quantity_attribute(ent, doc) -> tuple[str, str]:
    """(attribute, predicate) for a number: what it measures or counts, and the verb class.

    Counts of people become a count class ('kill', 'injure', 'rescue'...) with the
    population after a '|' when the text names one ('kill|crew'); measures become the
    measure noun ('depth', 'turnout'); other numbers the noun they count ('system').
    """
    root = ent_root(ent)
    head = root.head
    # 'a depth of 10 kilometres', 'a margin of 978 votes'
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in MEASURE_NOUNS:
        return head.head.lemma_.lower(), verb_class_of(head.head)
    if root.dep_ in ("nummod", "compound", "amod", "quantmod", "nmod", "npadvmod") and head.pos_ in ("NOUN", "PROPN") \
            and head.i >= ent.end:
        noun = head
        lemma = noun.lemma_.lower()
        if lemma in MEASURE_NOUNS:
            return lemma, verb_class_of(noun)
        # 'a majority of just two seats'
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in MEASURE_NOUNS:
            return noun.head.head.lemma_.lower(), verb_class_of(noun.head.head)
        # 'won by 978 votes', 'finished ahead by 5 points': a winning margin
        if noun.dep_ == "pobj" and noun.head.lower_ == "by" and noun.head.dep_ == "prep" \
                and noun.head.head.pos_ in ("VERB", "ADV", "ADJ"):
            return "margin", verb_class_of(noun.head.head)
        pop = population(noun)
        if pop or lemma in GENERIC_COUNT_NOUNS:
            vcls = verb_class_of(noun)
            for child in noun.children:
                if child.dep_ in ("amod", "acl", "relcl") and predicate_class(child.lemma_) in COUNT_CLASSES:
                    vcls = predicate_class(child.lemma_)
            if vcls in COUNT_CLASSES:
                return (f"{vcls}|{pop}" if pop else vcls), vcls
            return (pop or lemma), vcls
        return predicate_class(lemma), verb_class_of(noun)
    vcls = verb_class_of(root)
    verb = governing_verb(root)
    # 'the death toll rose to 15', 'turnout was 61.4 percent': measure the subject noun.
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subj and subj[0].i not in range(ent.start, ent.end):
        noun = subj[0]
        mods = {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod")}
        if noun.lemma_.lower() == "toll" or "death" in mods:
            return "kill", vcls
        if noun.lemma_.lower() == "number":
            # 'the number of people killed rose to 41'
            for t in noun.subtree:
                if predicate_class(t.lemma_) in COUNT_CLASSES:
                    return predicate_class(t.lemma_), vcls
        if predicate_class(noun.lemma_) in COUNT_CLASSES:
            return predicate_class(noun.lemma_), vcls
        if vcls in ("cost", "be", "reach", "stand", "rise", "climb", "increase", "fall", "drop", "total") \
                or verb.lemma_ in ("be", "reach", "stand", "total", "hit", "top", "exceed"):
            return predicate_class(noun.lemma_), vcls
    if vcls in COUNT_CLASSES:
        return vcls, vcls
    return "", vcls


def is_year_like(ent) -> bool:
    return bool(re.fullmatch(r"(?:1[89]|20)\d\d", ent.text.strip()))


def clause_of_date(verb, date_ent) -> bool:
    """True when `verb` sits in a clause hanging on the date ('October 2020, when X struck')."""
    cur = verb
    for _ in range(3):
        if cur.head.i == cur.i:
            return False
        if cur.dep_ not in ("relcl", "advcl", "acl", "xcomp", "conj"):
            return False
        cur = cur.head
        if date_ent.start <= cur.i < date_ent.end:
            return True
        if cur.dep_ == "pobj" and date_ent.start <= cur.head.i < date_ent.end:
            return True
    return False


def scope_dates(ent, date_ents, published: date | None) -> tuple:
    """Dates that say when a number holds: in the number's own phrase ('58.9 percent at the
    election in 2020') or on the verb it hangs on ('rose to 11 on Wednesday')."""
    root = ent_root(ent)
    own = {t.i for t in root.subtree} | ({t.i for t in root.head.subtree} if root.dep_ == "nummod" else set())
    verb = governing_verb(root)
    # A participle clause ('..., killing 80 people') happens when its main verb does.
    verbs = {verb.i}
    if verb.dep_ in ("advcl", "xcomp", "conj") and verb.tag_ in ("VBG", "VBN"):
        verbs.add(verb.head.i)
    scope = []
    for d in date_ents:
        d_root = ent_root(d)
        attached = d_root.head.i in verbs or (d_root.head.dep_ == "prep" and d_root.head.head.i in verbs) \
            or clause_of_date(verb, d)  # 'in 2000, when the Express Samina sank, killing 80 people'

        if d_root.i in own or attached:
            parsed = dates_mod.parse_date(d.text, published)
            if parsed is not None and parsed.value is not None:
                scope.append(parsed.value)
    return tuple(scope)


def number_fact(ent, doc, subject_keys, subject_str, anchors_for, date_ents=(),
                published: date | None = None) -> Fact | None:
    text = ent.text
    if is_year_like(ent) or quantities.is_identifier(text):
        return None
    # Part of a model name or code: 'S-400', 'F-16 Block 70', 'Su-27'.
    if any(t.text != ent.text and re.search(r"[A-Za-z]-?\d", t.text) for t in ent):
        return None
    if ent.root.lower_ == "one" and ent.root.dep_ not in ("nummod",):
        return None
    prev = doc[ent.start - 1] if ent.start > 0 else None
    if prev is not None and prev.text in ("-", "‑") and ent.start > 1 and doc[ent.start - 2].is_alpha:
        return None
    # 'including nine police officers', 'among them three children': a part of a total.
    before = doc[max(0, ent.start - 2):ent.start].text.lower()
    if re.search(r"\b(?:including|includes|among them|of whom|of them)$", before):
        return None
    # 'four more bodies', 'another 12 injured': an increment, not a total.
    nxt = doc[ent.end] if ent.end < len(doc) else None
    if (nxt is not None and nxt.lower_ in ("more", "additional", "further", "new", "extra")) or \
            (prev is not None and prev.lower_ in ("another", "additional", "further")):
        return None
    qty = quantities.parse_quantity(text)
    if qty is None:
        return None
    unit = nearby_unit(ent)
    attribute, predicate = quantity_attribute(ent, doc)
    if ent.label_ == "MONEY" and not unit:
        unit = "money"
    if unit in quantities.CURRENCIES.values() or unit == "money":
        attribute = "money"  # amounts compare by currency and by who pays for what (the anchors)
    if ent.label_ == "PERCENT":
        unit = "%"
    if not attribute and not unit:
        return None
    # 'a 12-day battle', '32 years': durations and ages are not compared as counts.
    if unit == "" and attribute in ("year", "month", "day", "hour", "week", "decade", "time", "minute"):
        return None
    # Partitive '12 of the dead' counts a part, not the whole.
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in ent.root.children):
        return None
    exclude = set(range(ent.start, ent.end))
    return Fact(
        type="number", text=text, norm=quantities.describe(qty, unit), predicate=predicate,
        attribute=attribute, role=unit, subject=subject_str, subject_keys=subject_keys,
        anchors=anchors_for(exclude), quantity=qty, scope=scope_dates(ent, date_ents, published),
    )


TIME_OF_DAY = {"morning", "afternoon", "evening", "night", "midday", "noon", "midnight", "dawn", "dusk", "hour",
               "day", "week", "weekend", "overnight", "time"}


TIME_RE = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?", re.I)


def time_fact(ent, subject_keys, subject_str, anchors_for) -> Fact | None:
    """Clock times: '3:17 a.m. local time', '22:30', '00:17 GMT' as minutes after midnight and a zone."""
    m = TIME_RE.search(ent.text)
    if not m or (m.group(2) is None and m.group(3) is None):
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    ampm = (m.group(3) or "").lower().replace(".", "")
    if hour > 24 or minute > 59 or (ampm and hour > 12):
        return None
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    doc = ent.doc
    after = doc[ent.end:min(len(doc), ent.end + 2)].text.lower() + " " + ent.text.lower()
    zone = "utc" if re.search(r"\b(?:gmt|utc)\b", after) else "local"
    minutes = hour * 60 + minute
    root = ent_root(ent)
    verb = governing_verb(root)
    predicate = claim_predicate(verb) if verb.pos_ in ("VERB", "AUX") else predicate_class(verb.lemma_)
    predicate = event_predicate(verb, predicate)
    return Fact(
        type="time", text=ent.text, norm=f"{hour:02d}:{minute:02d} {zone}", predicate=predicate, role=zone,
        subject=subject_str, subject_keys=local_participants(root, subject_keys),
        anchors=anchors_for(set(range(ent.start, ent.end))),
        quantity=quantities.Quantity(minutes, minutes, minutes),
    )


def trim_date(ent):
    """'January 12, hours' (an NER overreach) → 'January 12'."""
    from spacy.tokens import Span

    for tok in ent:
        if tok.text == "," and tok.i > ent.start:
            rest = ent.doc[tok.i + 1:ent.end].text
            if not re.search(r"\d", rest):
                return Span(ent.doc, ent.start, tok.i, label=ent.label_)
    return ent


def date_fact(ent, published: date | None, subject_keys, subject_str, anchors_for) -> Fact | None:
    ent = trim_date(ent)
    parsed = dates_mod.parse_date(ent.text, published)
    if parsed is None:
        return None
    root = ent_root(ent)
    # 'on Monday evening', 'in the early hours of Sunday': the time-of-day noun is part of the date.
    while True:
        if root.dep_ in ("compound", "nmod", "amod", "npadvmod") and root.head.lemma_.lower() in TIME_OF_DAY:
            root = root.head
        elif root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in TIME_OF_DAY:
            root = root.head.head
        else:
            break
    verb = governing_verb(root)
    predicate = claim_predicate(verb) if verb.pos_ in ("VERB", "AUX") else predicate_class(verb.lemma_)
    predicate = event_predicate(verb, predicate)
    # 'deliveries began on 12 July 2019': the event is the subject noun of an aspect verb.
    if predicate in ("begin", "end", "be", "take", "come"):
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj and subj[0].pos_ == "NOUN":
            predicate = predicate_class(subj[0].lemma_)
    # "Tuesday's earthquake", 'the ruling of 4 March': the date belongs to the noun, not the verb.
    noun = None
    if root.dep_ in ("poss", "compound", "nmod", "amod") and root.head.pos_ == "NOUN":
        noun = root.head
    elif root.dep_ == "pobj" and root.head.lower_ in ("of", "from") and root.head.head.pos_ == "NOUN":
        noun = root.head.head
    if noun is not None:
        predicate = EVENT_NOUNS.get(noun.lemma_.lower(), predicate_class(noun.lemma_))
    value = parsed.value
    exclude = set(range(ent.start, ent.end))
    return Fact(
        type="date", text=ent.text, norm=dates_mod.describe(value) if value else ent.text,
        predicate=predicate, subject=subject_str, subject_keys=local_participants(root, subject_keys),
        anchors=anchors_for(exclude), date=value, relative=parsed.relative,
    )


TITLE_HEADS = {"head", "chief", "executive", "director", "ceo", "chairman", "commander", "leader", "spokesman",
               "spokeswoman", "captain", "minister", "secretary", "president", "premier", "mayor", "governor",
               "judge", "prosecutor", "ambassador", "general"}


def title_role(tokens) -> str:
    """'Turkish Foreign Minister' → 'foreign minister turkish': the office, with its country when given."""
    words = []
    if not any(t.lower_ in TITLES or t.lower_ in TITLE_HEADS for t in tokens):
        return ""
    for tok in tokens:
        if tok.ent_type_ in ("NORP", "GPE", "ORG") and tok.dep_ in ("amod", "compound", "pobj", "poss"):
            words.append(fold(tok.text))
            continue
        low = tok.lower_
        if low in TITLE_HEADS or (low in TITLES and low not in ("mr", "mrs", "ms", "dr", "sir")):
            words.append(low)
        elif tok.dep_ in ("compound", "amod", "pobj", "nmod") and tok.pos_ in ("PROPN", "NOUN", "ADJ") \
                and low in ("foreign", "defense", "defence", "interior", "finance", "health", "state",
                            "deputy", "assistant", "national", "prime", "police", "fire", "coast", "guard"):
            words.append("defense" if low == "defence" else low)
    return " ".join(sorted(set(words)))


def name_fact(span_tokens, doc, label: str, subject_keys, subject_str, anchors_for) -> Fact | None:
    text = " ".join(t.text for t in span_tokens).replace(" ’s", "’s").replace(" 's", "'s")
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    if len(fold(text)) < 3:
        return None
    root = max(span_tokens, key=lambda t: (t.head.i < span_tokens[0].i or t.head.i > span_tokens[-1].i, t.i))
    if root.dep_ == "compound" and (root.head.lower_ in TITLE_HEADS or root.head.lower_ in TITLES):
        return None  # 'Izmir Governor Mehmet Aydın': 'Izmir' qualifies the office, it is not the person
    role = ""
    if label == "PERSON":
        context = [c for t in span_tokens for c in t.children
                   if c.i < span_tokens[0].i or c.i > span_tokens[-1].i]
        near = []
        for c in context:
            if c.dep_ in ("compound", "appos", "amod"):
                near.extend(c.subtree)
        if root.dep_ == "appos" or root.dep_ == "compound":
            near.extend(root.head.subtree)
        # 'The captain, named by local media as Nikos K.,': the office is the noun being named.
        if root.dep_ == "pobj" and root.head.lower_ == "as" and root.head.head.lemma_ in (
                "name", "identify", "call", "describe", "list") and root.head.head.head.pos_ == "NOUN":
            near.extend(core_phrase(root.head.head.head))
        role = title_role([t for t in near if t.i < span_tokens[0].i or t.i > span_tokens[-1].i])
    slots = []
    head = root.head
    if root.dep_ == "pobj" and head.dep_ == "prep":
        governor = head.head
        if governor.lower_ in TITLE_HEADS or governor.lower_ in TITLES or governor.lower_ in ("ministry", "department"):
            return None  # 'Secretary of State', 'Minister of Foreign Affairs': part of a title
        slots.append(f"{predicate_class(governor.lemma_)}:{head.lower_}")
        # 'risks sanctions under X' and 'levied sanctions under X' share the slot 'sanction:under'.
        for child in governor.children:
            if child.dep_ == "dobj":
                slots.append(f"{predicate_class(child.lemma_)}:{head.lower_}")
        if governor.dep_ == "dobj":
            slots.append(f"{predicate_class(governor.head.lemma_)}:{head.lower_}")
    elif root.dep_ in ("dobj", "nsubj", "nsubjpass", "attr"):
        slots.append(f"{predicate_class(head.lemma_)}:{root.dep_}")
    slot = "|".join(dict.fromkeys(slots))
    exclude = {t.i for t in span_tokens}
    return Fact(
        type="name", text=text, norm=fold(text), predicate=slot, attribute=label.lower(), role=role,
        subject=subject_str, subject_keys=subject_keys, anchors=anchors_for(exclude),
    )


def find_hedge(text: str) -> str:
    """Every hedge cue in `text`, joined: "it is believed", "reportedly"..."""
    return ", ".join(dict.fromkeys(m.group(0) for m in HEDGES.finditer(text)))


def find_attribution(sent, head) -> str:
    m = ATTRIBUTION.search(sent.text)
    if m:
        return m.group(0).strip().rstrip(",")
    root = sent.root
    if root.i != head.i and root.lemma_.lower() in REPORTING_VERBS:
        subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return " ".join(t.text for t in subj[0].subtree) + " " + root.text
    return ""


def law_spans(sent, doc) -> list[list]:
    spans = []
    for m in LAW_NAME.finditer(sent.text):
        span = doc.char_span(sent.start_char + m.start(1), sent.start_char + m.end(1), alignment_mode="expand")
        if span is not None:
            spans.append(list(span))
    return spans


def landmark_facts(tokens, doc, subject_keys, subject_str, anchors_for, entity_tokens: set[int]) -> list[Fact]:
    """Where an event happened when the place has no name: 'began outside the parliament building'."""
    out = []
    for tok in tokens:
        if tok.i in entity_tokens or tok.pos_ != "NOUN" or tok.lemma_.lower() not in LANDMARK_NOUNS:
            continue
        if tok.dep_ != "pobj" or tok.head.lower_ not in LOCATIVE_PREPS or tok.tag_ == "NNS":
            continue
        governor = tok.head.head
        if governor.pos_ not in ("VERB", "AUX"):
            continue
        predicate = event_predicate(governor, claim_predicate(governor))
        if predicate not in EVENT_NOUNS.values():
            continue
        phrase = [t for t in core_phrase(tok) if t.dep_ not in ("det", "poss", "case")]
        text = " ".join(t.text for t in phrase)
        # '... building on Dorin Boulevard': keep the named street or district that pins it down.
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("on", "in", "at", "of"):
                objects = [c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
                if objects:
                    named = [t for t in core_phrase(objects[0]) if t.dep_ != "det"]
                    text += f" {prep.text} " + " ".join(t.text for t in named)
                    phrase += [prep, *named]
                    break
        out.append(Fact(type="location", text=text, norm=fold(text), predicate=predicate, role=tok.head.lower_,
                        subject=subject_str, subject_keys=local_participants(governor, subject_keys),
                        anchors=anchors_for({t.i for t in phrase})))
    return out


def merge_places(facts: list[Fact]) -> list[Fact]:
    """'ran aground near Gavrio on Andros': places given together for one predicate describe
    one location, ever more precisely, so they become one fact ('Gavrio, Andros')."""
    out: list[Fact] = []
    for fact in facts:
        same = next((i for i, f in enumerate(out) if f.type == "location" and fact.type == "location"
                     and f.predicate == fact.predicate and f.role not in ("from", "to")
                     and fact.role not in ("from", "to")), None)
        if same is None:
            out.append(fact)
        else:
            first = out[same]
            if fact.norm in first.norm:
                continue  # 'Eastfield district' already said within "Kessington's Eastfield district"
            text = f"{first.text}, {fact.text}"
            out[same] = replace(first, text=text, norm=fold(text), anchors=first.anchors & fact.anchors)
    return out


def sentence_entities(sent) -> list:
    """spaCy's entities plus numerals its NER missed ('Eleven people were killed')."""
    from spacy.tokens import Span

    ents = []
    for ent in sent.ents:
        # 'force 8 to 9': NER sometimes keeps only the upper end of a range.
        if ent.label_ in NUMBER_LABELS and ent.start - 2 >= sent.start \
                and sent.doc[ent.start - 1].lower_ in ("to", "-", "–", "or") and sent.doc[ent.start - 2].like_num:
            ent = Span(sent.doc, ent.start - 2, ent.end, label=ent.label_)
        ents.append(ent)
    covered = {t.i for e in ents for t in e}
    for tok in sent:
        if tok.i in covered or not tok.like_num or (tok.pos_ != "NUM" and tok.dep_ != "nummod"):
            continue
        start = tok.i
        # Keep 'at least', 'about', 'nearly' with the number.
        while start > sent.start and sent.doc[start - 1].dep_ in ("quantmod", "advmod") \
                and sent.doc[start - 1].head.i in (tok.i, start) and sent.doc[start - 1].i not in covered:
            start -= 1
        ents.append(Span(sent.doc, start, tok.i + 1, label="CARDINAL"))
        covered.update(range(start, tok.i + 1))
    return sorted(ents, key=lambda e: e.start)


def analyze_sentence(sent, published: date | None = None) -> list[ClaimDraft]:
    """Claims and facts of one parsed sentence (offsets relative to its spaCy doc)."""
    doc = sent.doc
    entities = sentence_entities(sent)
    heads = claim_heads(sent)
    groups = claim_tokens(sent, heads)
    fronted_dates = [e for e in sent.ents if e.label_ == "DATE" and e.end <= sent.root.i
                     and e.root.head.i <= sent.root.i]
    laws = law_spans(sent, doc)
    law_tokens = {t.i for span in laws for t in span}
    hedge_all = find_hedge(sent.text)
    drafts = []
    for head, tokens in zip(heads, groups, strict=True):
        if not tokens:
            continue
        ids = {t.i for t in tokens}
        subject, _ = subject_of(head)
        subject_keys = participant_keys(head)
        subject_str = subject_text(subject)

        def anchors_for(exclude: set[int], _tokens=tokens) -> frozenset[str]:
            return content_keys(_tokens, exclude)

        facts: list[Fact] = []
        for ent in entities:
            if ent_root(ent).i not in ids:
                continue
            if ent.label_ in PLACE_LABELS:
                fact = location_fact(ent, doc, tokens, head, subject_keys, subject_str, anchors_for)
            elif ent.label_ == "DATE":
                fact = date_fact(ent, published, subject_keys, subject_str, anchors_for)
            elif ent.label_ == "TIME":
                fact = time_fact(ent, subject_keys, subject_str, anchors_for)
            elif ent.label_ in NUMBER_LABELS:
                fact = number_fact(ent, doc, subject_keys, subject_str, anchors_for,
                                   [e for e in entities if e.label_ == "DATE"], published)
            elif ent.label_ in NAME_LABELS and not (set(range(ent.start, ent.end)) & law_tokens):
                # The small NER model often calls a port or an island a PERSON or ORG;
                # in an unmistakable place position ('left Piraeus', 'ran aground off Evia') it is a place.
                fact = location_fact(ent, doc, tokens, head, subject_keys, subject_str, anchors_for,
                                     strong_only=True) if ent.label_ != "LAW" else None
                if fact is None:
                    fact = name_fact(list(ent), doc, ent.label_, subject_keys, subject_str, anchors_for)
            else:
                fact = None
            if fact is not None:
                facts.append(fact)
        for span in laws:
            if span[0].i in ids:
                fact = name_fact(span, doc, "LAW", subject_keys, subject_str, anchors_for)
                if fact is not None:
                    facts.append(fact)
        facts.extend(landmark_facts(tokens, doc, subject_keys, subject_str, anchors_for,
                                    {t.i for e in entities for t in e}))
        facts = merge_places(facts)
        # A fronted date ('Back in 2020, X did A and B') applies to every conjunct.
        if head.i != heads[0].i and not any(f.type == "date" for f in facts):
            for ent in fronted_dates:
                fact = date_fact(ent, published, subject_keys, subject_str, anchors_for)
                if fact is not None:
                    facts.append(replace(fact, predicate=claim_predicate(head)))
        text_tokens = sorted(tokens, key=lambda t: t.i)
        start = text_tokens[0].idx - sent.start_char
        end = text_tokens[-1].idx + len(text_tokens[-1].text) - sent.start_char
        drafts.append(ClaimDraft(
            start=start, end=end, predicate=claim_predicate(head), negated=is_negated(head),
            hedge=find_hedge(doc[text_tokens[0].i:text_tokens[-1].i + 1].text) or hedge_all,
            attribution=find_attribution(sent, head), facts=tuple(facts),
            keys=content_keys(tokens, set()), object=claim_object(head),
            participants=subject_keys,
        ))
    return drafts
