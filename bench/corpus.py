"""A deterministic synthetic news corpus for the benchmark.

`build_corpus(folder, n, seed)` writes `n` articles about one invented event
(a ferry disaster, an earthquake, a factory fire, an arms deal...). Every article
has 20-40 sentences: fact sentences drawn from a shared pool of fact slots
(place, date, death toll, injured, money, names, ...) rendered with varied
wording, and context sentences assembled from many interchangeable parts so
that nearly every sentence text is unique. Most articles state a fact's
canonical value; some contradict it with another value, so the checker has real
agreements and conflicts to find. A few articles are syndicated copies of
another one. The same (n, seed) always gives byte-identical files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

FIRST = ["Elena", "Marco", "Sofia", "Daniel", "Amira", "Jonas", "Leila", "Tomas", "Hana", "Viktor", "Nadia",
         "Omar", "Ingrid", "Pavel", "Clara", "Yusuf", "Mei", "Andrei", "Lucia", "Kemal", "Greta", "Rafael",
         "Irena", "Samuel", "Dilara", "Matteo", "Zofia", "Nikos", "Aisha", "Henrik"]
LAST = ["Petrova", "Rossi", "Haddad", "Novak", "Kaya", "Lindqvist", "Moreau", "Demir", "Kowalski", "Santos",
        "Papadakis", "Weber", "Horvat", "Ibrahim", "Nakamura", "Costa", "Jansen", "Yilmaz", "Dubois", "Marin",
        "Kovacs", "Berger", "Alvarez", "Farah", "Olsen", "Ricci", "Stavrou", "Mendes", "Larsen", "Okafor"]
OUTLETS = ["Meridian Wire", "Continental Press", "Harbour Gazette", "Northern Ledger", "Evening Courier",
           "Capital Observer", "Coastal Times", "Daily Tribune", "Global Dispatch", "Valley Herald",
           "Republic Post", "Morning Star Review", "Atlas News", "Frontier Journal", "City Chronicle"]
TOWNS = ["Porto Lindos", "Kastelia", "Marvik", "Belgrano", "Oskara", "Tirenza", "Valmora", "Druskin",
         "Aldenport", "Saint Aubert", "Corvina", "Haldenburg", "Nerissa", "Zemlany", "Ostrava Nova",
         "Rivadel", "Montebruno", "Kaltern", "Lysander Bay", "Pelagos", "Serravalle", "Vintra"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine",
                10: "ten", 11: "eleven", 12: "twelve"}


@dataclass(frozen=True)
class Event:
    kind: str
    name: str  # "the ferry Aegean Star", "the earthquake"
    short: str  # "the ferry"
    place: str
    alt_places: tuple[str, ...]
    day: date
    company: str
    official: str
    official_title: str
    suspect: str
    suspect_title: str


def fmt_date(d: date, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == 1:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}"


def fmt_count(n: int, rng: random.Random) -> str:
    if n in NUMBER_WORDS and rng.random() < 0.5:
        return NUMBER_WORDS[n]
    return f"{n:,}" if n >= 1000 else str(n)


def fmt_money(millions: float, rng: random.Random) -> str:
    currency = rng.choice(["$", "€"]) if rng.random() < 0.3 else "$"
    if millions >= 1000:
        value = millions / 1000
        return f"{currency}{value:.1f} billion" if rng.random() < 0.7 else f"{value:.1f} billion dollars"
    return f"{currency}{millions:g} million" if rng.random() < 0.8 else f"{millions:g} million dollars"


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


EVENT_KINDS = {
    "ferry": ("the ferry {n}", "the ferry", ["capsized", "sank", "ran aground"], "Star", "shipping company"),
    "quake": ("the earthquake", "the quake", ["struck", "hit", "shook"], "", "construction firm"),
    "fire": ("the fire at the {n} plant", "the fire", ["broke out", "started", "erupted"], "Chemicals",
             "plant operator"),
    "train": ("the derailment of the {n} express", "the derailment", ["derailed", "came off the tracks",
                                                                      "left the rails"], "Express",
              "rail operator"),
}


def make_event(rng: random.Random) -> Event:
    kind = rng.choice(sorted(EVENT_KINDS))
    name_t, short, _, suffix, _ = EVENT_KINDS[kind]
    base = rng.choice(["Aegean", "Northern", "Coral", "Silver", "Baltic", "Adriatic", "Amber", "Crescent"])
    place, *alts = rng.sample(TOWNS, 4)
    return Event(
        kind=kind,
        name=name_t.format(n=f"{base} {suffix}".strip()),
        short=short,
        place=place,
        alt_places=tuple(alts),
        day=date(2024, 1, 1) + timedelta(days=rng.randrange(330)),
        company=f"{rng.choice(['Helix', 'Orion', 'Vesta', 'Boreal', 'Talos'])} "
                f"{rng.choice(['Lines', 'Group', 'Holdings', 'Industries', 'Transport'])}",
        official=person(rng),
        official_title=rng.choice(["Interior Minister", "Transport Minister", "regional governor", "mayor"]),
        suspect=person(rng),
        suspect_title=rng.choice(["captain", "site manager", "chief engineer", "shift supervisor"]),
    )


@dataclass(frozen=True)
class Slot:
    """One fact about the event: its canonical value, contradicting values and phrasings."""

    name: str
    values: tuple  # values[0] is canonical
    templates: tuple[str, ...]


def make_slots(ev: Event, rng: random.Random) -> list[Slot]:
    verbs = EVENT_KINDS[ev.kind][2]
    dead = rng.randrange(7, 60)
    injured = rng.randrange(40, 300)
    missing = rng.randrange(3, 25)
    rescued = rng.randrange(100, 600)
    cost = rng.choice([35, 48, 120, 250, 1200, 2500])
    fine = rng.choice([2, 4.5, 8, 15])
    aid = rng.choice([10, 20, 75])
    slots = [
        Slot("place", (ev.place, *ev.alt_places[:2]), (
            "{E} " + verbs[0] + " near {v} early in the morning, officials said.",
            "The disaster happened in {v}, according to the regional authorities.",
            "Rescue teams were sent to {v}, where {e} " + verbs[1] + " before dawn.",
            "Witnesses in {v} described hearing a loud bang moments before {e} " + verbs[2] + ".",
        )),
        Slot("date", (ev.day, ev.day + timedelta(days=1), ev.day - timedelta(days=2)), (
            "{E} " + verbs[0] + " on {v}.",
            "The accident took place on {v}, the ministry confirmed.",
            "It was on {v} that {e} " + verbs[1] + ", police said.",
        )),
        Slot("dead", (dead, dead + rng.randrange(3, 12), max(2, dead - rng.randrange(2, 6))), (
            "At least {v} people were killed, the health ministry said.",
            "The death toll rose to {v} on Wednesday, officials said.",
            "{V} people died in {e}, according to the coroner.",
            "Authorities confirmed that {v} people had been killed.",
        )),
        Slot("injured", (injured, injured + rng.randrange(20, 80)), (
            "{V} people were injured and taken to hospitals in the region.",
            "Hospitals treated {v} injured people overnight, a spokeswoman said.",
            "Officials said {v} people were wounded.",
        )),
        Slot("missing", (missing, missing + rng.randrange(4, 15)), (
            "{V} people are still missing, the coastguard said.",
            "Search teams are looking for {v} missing people.",
        )),
        Slot("rescued", (rescued, rescued - rng.randrange(30, 90)), (
            "Emergency crews rescued {v} people during the night.",
            "More than {v} people were rescued, the fire brigade said.",
        )),
        Slot("cost", (cost, cost * 2, round(cost * 0.6)), (
            "The damage is estimated to cost {m}, insurers said.",
            "Insurers put the cost of the damage at {m}.",
            "Repairs will cost about {m}, the {o} said.",
        )),
        Slot("fine", (fine, fine * 3), (
            "Regulators fined {c} {m} last year for safety breaches.",
            "{c} paid a fine of {m} in 2022 after an earlier inspection.",
        )),
        Slot("aid", (aid, aid + 15), (
            "The government pledged {m} in emergency aid to the families.",
            "An emergency fund of {m} was announced for the victims.",
        )),
        Slot("official", (ev.official, person(rng)), (
            "{T} {v} visited the site and promised a full investigation.",
            "\"We will find out what went wrong,\" {T} {v} told reporters.",
            "{T} {v} said the government would review safety rules.",
        )),
        Slot("arrest", (ev.suspect, person(rng)), (
            "Police arrested the {S}, {v}, on suspicion of negligence.",
            "The {S}, {v}, was detained for questioning, prosecutors said.",
            "Prosecutors said {v}, the {S}, had been taken into custody.",
        )),
        Slot("built", (rng.choice([1994, 1998, 2003]), rng.choice([2007, 2011])), (
            "The facility involved was built in {v} and refurbished several times since.",
            "Records show the equipment dated from {v}.",
        )),
        Slot("investigation", (rng.choice(["Tuesday", "Wednesday"]), "Friday"), (
            "An official investigation was opened on {v}, the prosecutor's office said.",
            "Prosecutors began an investigation on {v}.",
        )),
    ]
    return slots


SUBJECTS = ["Local residents", "A spokesman for the regional council", "Emergency workers", "Analysts",
            "Opposition lawmakers", "Union representatives", "Relatives of the victims", "A senior engineer",
            "The company's chief executive", "Volunteers from nearby villages", "Safety experts",
            "A retired inspector", "Church leaders", "Shop owners near the site", "Hospital staff",
            "An independent investigator", "Several eyewitnesses", "A police source", "The harbour master",
            "Firefighters", "Neighbouring governments", "A European Commission spokeswoman"]
VERBS = ["said", "warned", "argued", "told reporters", "complained", "insisted", "noted", "recalled",
         "suggested", "acknowledged"]
CLAUSES = ["the warning signs had been ignored for months", "the response had been slow and badly organised",
           "the site had not been inspected since the spring", "more resources were needed for the search",
           "the weather had made the rescue far more difficult", "communication between agencies had broken down",
           "the community would need years to recover", "questions about maintenance remained unanswered",
           "the evacuation had been chaotic in the first hours", "earlier complaints had been filed and ignored",
           "they had heard alarms but saw no staff", "the roads to the area were blocked by debris",
           "the families deserved a transparent inquiry", "similar incidents had occurred in the past decade",
           "funding cuts had weakened the emergency services", "the operator had cut training budgets",
           "temporary shelters were running out of blankets", "the power cut lasted well into the evening",
           "schools in the district would remain closed", "volunteers had worked through the night"]
TAILS = ["", " on Wednesday", " in a statement", " at a press conference", " in an interview",
         " late on Tuesday", " on local television", " in a post on social media", " during a vigil",
         " outside the town hall", " after meeting the families", " in a written reply"]
CONTEXT = ["Television footage from {town} showed {detail} {when}.",
           "Photographs published online {when} showed {detail} in {town}.",
           "By the afternoon, {detail2} in {town}.", "In {town}, {detail2} {when}.",
           "Later in the day, {detail2} in {town}.", "Meanwhile in {town}, {detail2} {when}."]
WHEN = ["on Tuesday", "on Wednesday", "on Thursday morning", "overnight", "before dawn", "late in the evening",
        "around noon", "over the weekend", "for hours", "into the night"]
OPENERS = ["On Wednesday, ", "According to {outlet}, ", "Officials in {town} said ", "Reports from {town} said ",
           "In a briefing, ", "By late afternoon, "]
DETAILS = ["smoke rising above the rooftops", "crowds gathering behind police tape",
           "rescuers carrying stretchers through the rain", "damaged vehicles lining the road",
           "ambulances queuing at the entrance", "families waiting outside the hospital",
           "helicopters circling over the area", "debris scattered across a wide area"]
DETAILS2 = ["shops had reopened but the streets stayed quiet", "the red cross set up a field kitchen",
            "a hotline for relatives was overwhelmed with calls", "schools were turned into shelters",
            "flags flew at half mast on public buildings", "local radio read out the names of the missing",
            "engineers began checking nearby buildings", "the army sent trucks with drinking water",
            "blood donation centres reported long queues", "the regional parliament held a minute of silence"]


ROLES = ["teacher", "fisherman", "nurse", "shopkeeper", "student", "taxi driver", "retired engineer",
         "volunteer", "pharmacist", "farmer", "priest", "baker"]


def context_sentence(ev: Event, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        subject = rng.choice(SUBJECTS)
        if rng.random() < 0.5:
            subject += f" in {rng.choice(TOWNS)}"
        clause = rng.choice(CLAUSES)
        verb = rng.choice(VERBS)
        tail = rng.choice(TAILS)
        if rng.random() < 0.5:
            return f"{subject} {verb}{tail} that {clause}."
        return f"\"{clause[0].upper()}{clause[1:]},\" {subject[0].lower() + subject[1:]} {verb}{tail}."
    if roll < 0.8:
        who = f"{person(rng)}, a {rng.choice(ROLES)} from {rng.choice(TOWNS)}"
        return f"{who}, said {rng.choice(['she', 'he'])} had seen {rng.choice(DETAILS)}."
    template = rng.choice(CONTEXT)
    return template.format(detail=rng.choice(DETAILS), detail2=rng.choice(DETAILS2), town=rng.choice(TOWNS),
                           when=rng.choice(WHEN))


def render(slot: Slot, value, ev: Event, rng: random.Random) -> str:
    template = rng.choice(slot.templates)
    text = value
    if isinstance(value, date):
        text = fmt_date(value, rng)
    elif isinstance(value, int) and slot.name not in ("built",):
        text = fmt_count(value, rng)
    money = fmt_money(value, rng) if isinstance(value, (int, float)) else ""
    e = ev.name
    sentence = template.format(
        v=text, V=str(text)[0].upper() + str(text)[1:], m=money, e=e, E=e[0].upper() + e[1:],
        c=ev.company, o=EVENT_KINDS[ev.kind][4], T=ev.official_title[0].upper() + ev.official_title[1:],
        S=ev.suspect_title,
    )
    if rng.random() < 0.5 and template[0].isalpha() and template.split()[0] not in ("It",):
        opener = rng.choice(OPENERS).format(outlet=rng.choice(OUTLETS), town=rng.choice(TOWNS))
        sentence = opener + sentence[0].lower() + sentence[1:]
    return sentence


def article(ev: Event, slots: list[Slot], n: int, rng: random.Random, contradict: float,
            short: bool = False) -> tuple[dict, str]:
    outlet = OUTLETS[n % len(OUTLETS)]
    published = ev.day + timedelta(days=rng.randrange(0, 4))
    n_sentences = rng.randrange(2, 5) if short else rng.randrange(20, 41)
    chosen = rng.sample(slots, k=min(len(slots), rng.randrange(1, 3) if short else rng.randrange(6, 12)))
    fact_sentences = []
    for slot in chosen:
        value = slot.values[0]
        if len(slot.values) > 1 and rng.random() < contradict:
            value = rng.choice(slot.values[1:])
        fact_sentences.append(render(slot, value, ev, rng))
    sentences = fact_sentences + [context_sentence(ev, rng) for _ in range(n_sentences - len(fact_sentences))]
    lead, rest = sentences[0], sentences[1:]
    rng.shuffle(rest)
    sentences = [lead, *rest]
    angle = rng.choice(["latest", "what we know", "live updates", "questions mount", "families wait"])
    title = f"{ev.short[0].upper() + ev.short[1:]} in {ev.place}: {angle}"
    paragraphs = []
    i = 0
    while i < len(sentences):
        k = rng.randrange(1, 5)
        paragraphs.append(" ".join(sentences[i:i + k]))
        i += k
    byline = f"By {person(rng)}"
    body = "\n\n".join([title, byline, *paragraphs])
    front = {"title": title, "source": outlet, "published": published.isoformat(),
             "url": f"https://news.example/{outlet.lower().replace(' ', '-')}/{n:05d}"}
    return front, body


def build_corpus(folder: str | Path, n: int, seed: int = 7, contradict: float = 0.15,
                 syndicated: float = 0.04, short: bool = False) -> list[Path]:
    """Write `n` articles into `folder` (created if needed); returns their paths. `short`: 2-4
    sentences each (a monitoring feed of thousands of brief items) instead of 20-40."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}:{n}")
    ev = make_event(rng)
    slots = make_slots(ev, rng)
    paths = []
    bodies: list[str] = []
    for i in range(n):
        art_rng = random.Random(f"{seed}:{n}:{i}")
        if bodies and art_rng.random() < syndicated:
            # A syndicated copy: another outlet reprints an earlier article with its own byline.
            original = bodies[art_rng.randrange(len(bodies))]
            lines = original.split("\n\n")
            lines[1] = f"By {person(art_rng)} (with wire services)"
            body = "\n\n".join(lines)
            front = {"title": lines[0], "source": OUTLETS[(i * 7) % len(OUTLETS)],
                     "published": (ev.day + timedelta(days=art_rng.randrange(0, 4))).isoformat(),
                     "url": f"https://news.example/syndicated/{i:05d}"}
        else:
            front, body = article(ev, slots, i, art_rng, contradict, short)
        bodies.append(body)
        path = root / f"{i:05d}_{front['source'].lower().replace(' ', '_')}.txt"
        header = "---\n" + "".join(f"{k}: {v}\n" for k, v in front.items()) + "---\n"
        path.write_text(header + body + "\n", encoding="utf-8")
        paths.append(path)
    return paths
