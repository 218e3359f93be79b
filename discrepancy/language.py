"""Language: which articles the checker can analyse (English only: its spaCy pipeline,
value patterns and embedding model are English).

Detection uses py3langid (langid.py's model, shipped inside the package: offline and
deterministic). A short text gives the model little to go on ("Rain fell." scores Welsh
higher than English), so an article is set aside only when the model is sure: a long
text's language needs `MIN_CONFIDENCE`, a short one's `MIN_CONFIDENCE_SHORT`; anything
less is analysed as English, as before.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

SUPPORTED = frozenset({"en"})
SHORT_WORDS = 40  # below this many words a text is short
MIN_CONFIDENCE = 0.6
MIN_CONFIDENCE_SHORT = 0.95
MAX_CHARS = 20_000  # the opening of a long article says its language as well as the whole


@dataclass(frozen=True)
class LanguageGuess:
    """The detected language: ISO 639 code, English name, the model's probability, and
    whether the checker analyses the text (a supported language, or no sure guess)."""

    code: str
    name: str
    confidence: float
    analysed: bool


_LOCK = threading.Lock()
_MODEL: list = []


def _identifier():
    """py3langid's model, loaded once (decompressing it takes seconds: `preload` starts it early)."""
    with _LOCK:
        if not _MODEL:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _MODEL.append(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
        return _MODEL[0]


def preload() -> threading.Thread:
    """Load the model in a background thread (while files are read and cleaned); returns the thread."""
    thread = threading.Thread(target=_identifier, name="language-model", daemon=True)
    thread.start()
    return thread


@lru_cache(maxsize=256)
def language_name(code: str) -> str:
    """'Spanish' for 'es', 'Nigerian Pidgin' for 'pcm'; the code itself when pycountry does not know it."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    return getattr(found, "name", code) if found else code


def detect_language(text: str) -> LanguageGuess:
    """The language of an article's text and whether the checker can analyse it. Pure and deterministic."""
    sample = text[:MAX_CHARS]
    if not sample.strip():
        return LanguageGuess("", "unknown", 0.0, True)
    code, confidence = _identifier().classify(sample)
    confidence = round(float(confidence), 4)
    needed = MIN_CONFIDENCE_SHORT if len(sample.split()) < SHORT_WORDS else MIN_CONFIDENCE
    analysed = code in SUPPORTED or confidence < needed
    return LanguageGuess(code, language_name(code), confidence, analysed)


def not_analysed_reason(guess: LanguageGuess) -> str:
    return f"not analysed: {guess.name}; only English articles are analysed"
