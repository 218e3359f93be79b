"""Name normalisation and matching (people, organisations, laws, products, places).

Spelling variants, diacritics and transliterations must match
(Mevlüt/Mevlut Cavusoglu, Erdogan/Erdoğan, Triumf/Triumph, Zelensky/Zelenskyy);
rapidfuzz does the fuzzy part on a folded form.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "sir", "gen", "lt", "col", "capt", "sgt", "president",
    "minister", "prime", "secretary", "senator", "sen", "rep", "gov", "governor", "mayor",
    "judge", "justice", "chief", "spokesman", "spokeswoman", "spokesperson", "captain", "general",
}
STOP = {"the", "of", "a", "an", "and", "s", "for", "on", "in", "at", "to", "de", "la", "al", "el"}
# Transliteration folds applied after anyascii: Triumph→triumf, Zelenskyy→zelenski, Muhammad→muhamad.
FOLDS = [
    (r"ph", "f"), (r"kh", "h"), (r"ck", "k"), (r"q", "k"), (r"w", "v"), (r"y", "i"),
    (r"ou", "u"), (r"oo", "u"), (r"ee", "i"), (r"(\w)\1", r"\1"), (r"j", "i"),
]


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """ASCII, lower case, punctuation as spaces: 'Mevlüt Çavuşoğlu' → 'mevlut cavusoglu'."""
    text = re.sub(r"(?<![A-Za-z])([A-Za-z])\.(?=[A-Za-z]\b\.?)", r"\1", text)  # 'U.S.' → 'US.'
    text = anyascii(text).lower().replace("’", "'").replace("'s", "")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@lru_cache(maxsize=65536)
def phonetic(text: str) -> str:
    folded = fold(text)
    for pattern, repl in FOLDS:
        folded = re.sub(pattern, repl, folded)
    return folded


def name_tokens(text: str) -> list[str]:
    return [t for t in fold(text).split() if t not in STOP and t not in TITLES]


def core_name(text: str) -> str:
    """A name without titles and articles: 'Mr. Mevlüt Cavusoglu' → 'mevlut cavusoglu'."""
    return " ".join(name_tokens(text))


def same_name(a: str, b: str, threshold: float = 88.0) -> bool:
    """True when `a` and `b` name the same thing, allowing variants and a dropped first name."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    ca, cb = " ".join(ta), " ".join(tb)
    if ca == cb:
        return True
    pa, pb = phonetic(ca), phonetic(cb)
    if pa == pb or fuzz.ratio(pa, pb) >= threshold:
        return True
    # 'w' is written for 'v' in some transliterations and for 'u' in others ('Dawra' / 'Daoura').
    ua, ub = pa.replace("v", "u").replace("uu", "u"), pb.replace("v", "u").replace("uu", "u")
    if ua == ub or fuzz.ratio(ua, ub) >= threshold:
        return True
    # 'Cavusoglu' vs 'Mevlut Cavusoglu', 'Erdogan' vs 'Recep Tayyip Erdoğan'.
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    long_ph = [phonetic(t) for t in long_]
    return all(any(fuzz.ratio(phonetic(t), lp) >= threshold for lp in long_ph) for t in short)



def same_place(a: str, b: str) -> bool:
    """Places match when equal up to variants, or one contains the other
    ('Mersin' / 'Anamur-Mersin military base', 'Izmir' / 'Izmir province'). A place
    given in parts ('Gavrio, Andros') matches when any part does."""
    if ", " in a or ", " in b:
        return any(_same_place(x, y) for x in a.split(", ") for y in b.split(", "))
    return _same_place(a, b)


def _same_place(a: str, b: str) -> bool:
    if same_name(a, b):
        return True
    ta, tb = set(name_tokens(a)), set(name_tokens(b))
    generic = {"province", "city", "region", "district", "county", "state", "area", "town", "village",
               "base", "military", "air", "port", "coast", "near", "capital", "airport", "center", "centre"}
    ka, kb = ta - generic, tb - generic
    if not ka or not kb:
        return False
    pa = {phonetic(t) for t in ka}
    pb = {phonetic(t) for t in kb}
    return pa <= pb or pb <= pa
