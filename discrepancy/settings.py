"""Thresholds and options in force for a run.

Defaults live here; `config.py` layers a TOML file and command-line flags on top.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

DEFAULT_MODEL = "all-MiniLM-L6-v2"


@dataclass(frozen=True)
class Settings:
    # Candidate values kept per value and other article when a value type is common (recall knob).
    top_k: int = 5
    # Conflicts whose slot probability is below this are not reported (None: the scorer's fitted threshold).
    min_score: float | None = None
    # Corroborations below this slot probability are not reported.
    min_agreement_score: float = 0.5
    # The slot scorer: a JSON file `discrepancy tune` wrote ("" = the one shipped in the package).
    scorer: str = ""
    # Articles whose word-shingle overlap reaches this are treated as one source.
    duplicate_threshold: float = 0.6
    # How many single-source claims to list.
    single_source_limit: int = 10
    model: str = DEFAULT_MODEL
    max_file_mb: float = 20.0  # files larger than this are skipped; 0: no limit

    def with_overrides(self, **overrides) -> Settings:
        known = {f.name for f in fields(self)}
        clean = {k: v for k, v in overrides.items() if v is not None and k in known}
        return replace(self, **clean)

    def as_dict(self) -> dict:
        return asdict(self)
