"""Scoring: a logistic-regression slot scorer fitted on labeled pairs.

`SlotScorer` turns a pair's slot-matching features (`slots.FEATURES`) into the
probability that the two values answer the same question, so that different
values are a conflict. It is a scikit-learn estimator underneath (standardised
features, L2-regularised logistic regression), fitted deterministically, and
persisted as a small JSON file: the feature names, means, scales, weights and the
decision threshold. The package ships one (`discrepancy/models/slot_scorer.json`);
`discrepancy tune` refits it from a user's labels and review decisions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from .errors import DiscrepancyError
from .slots import FEATURES

MODEL_FORMAT = 1
DEFAULT_MODEL_FILE = "slot_scorer.json"
DEFAULT_C = 0.5


@dataclass
class SlotScorer:
    """Standardised logistic regression over `features`, with the threshold a flag needs."""

    features: tuple[str, ...] = FEATURES
    mean: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES)))
    scale: np.ndarray = field(default_factory=lambda: np.ones(len(FEATURES)))
    weights: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES)))
    intercept: float = 0.0
    threshold: float = 0.5
    c: float = DEFAULT_C
    trained_on: dict = field(default_factory=dict)

    def fit(self, x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> SlotScorer:
        """Fit on feature rows `x` and 0/1 targets `y` (deterministic: lbfgs, no randomness)."""
        from sklearn.linear_model import LogisticRegression

        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.int64)
        if len(set(y.tolist())) < 2:
            raise DiscrepancyError("cannot fit the slot scorer: the labels give no conflicting and no "
                                   "non-conflicting pair (need both)")
        self.mean = x.mean(axis=0)
        scale = x.std(axis=0)
        self.scale = np.where(scale > 1e-9, scale, 1.0)
        model = LogisticRegression(C=self.c, class_weight="balanced", max_iter=5000, solver="lbfgs")
        model.fit((x - self.mean) / self.scale, y, sample_weight=sample_weight)
        self.weights = model.coef_[0].astype(np.float64)
        self.intercept = float(model.intercept_[0])
        return self

    def decision(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.shape[1] != len(self.features):
            raise DiscrepancyError(f"slot scorer expects {len(self.features)} features, got {x.shape[1]}")
        return ((x - self.mean) / self.scale) @ self.weights + self.intercept

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Probability that each pair answers one question (rounded: same input, same bytes out)."""
        if len(x) == 0:
            return np.zeros(0)
        return np.round(1.0 / (1.0 + np.exp(-self.decision(x))), 6)

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each feature's share of one pair's decision value (for the reason line)."""
        z = (np.asarray(row, dtype=np.float64) - self.mean) / self.scale * self.weights
        return dict(zip(self.features, z.tolist(), strict=True))

    def to_json(self) -> dict:
        return {
            "format": MODEL_FORMAT, "kind": "discrepancy slot scorer", "estimator": "logistic regression",
            "features": list(self.features), "mean": _rounded(self.mean), "scale": _rounded(self.scale),
            "weights": _rounded(self.weights), "intercept": round(self.intercept, 8),
            "threshold": round(self.threshold, 6), "c": self.c, "trained_on": self.trained_on,
        }

    def save(self, path: str | Path) -> None:
        """Write the model as JSON (atomically: an interrupted save keeps the old file)."""
        from .outputs import write_atomic

        write_atomic(path, json.dumps(self.to_json(), indent=1, sort_keys=True, ensure_ascii=False) + "\n")

    @classmethod
    def from_json(cls, data: dict, source: str = "model") -> SlotScorer:
        try:
            if data.get("format") != MODEL_FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {MODEL_FORMAT}")
            features = tuple(data["features"])
            if features != FEATURES:
                raise ValueError("its features differ from this version's; refit it with `discrepancy tune`")
            arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")]
            if any(a.shape != (len(features),) for a in arrays):
                raise ValueError("arrays of the wrong length")
            return cls(features, arrays[0], arrays[1], arrays[2], float(data["intercept"]),
                       float(data["threshold"]), float(data.get("c", DEFAULT_C)), dict(data.get("trained_on", {})))
        except (KeyError, TypeError, ValueError) as err:
            raise DiscrepancyError(f"not a usable slot scorer: {source}: {err}") from err

    @classmethod
    def load(cls, path: str | Path) -> SlotScorer:
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise DiscrepancyError(f"cannot read slot scorer {p}: {err}") from err
        if not isinstance(data, dict):
            raise DiscrepancyError(f"not a usable slot scorer: {p}: not a JSON object")
        return cls.from_json(data, str(p))


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 8) for v in values]


def default_scorer() -> SlotScorer:
    """The scorer shipped with the package."""
    text = resources.files("discrepancy.models").joinpath(DEFAULT_MODEL_FILE).read_text(encoding="utf-8")
    return SlotScorer.from_json(json.loads(text), f"discrepancy/models/{DEFAULT_MODEL_FILE}")


def load_scorer(path: str | Path | None = None) -> SlotScorer:
    """The scorer in `path` (a file `discrepancy tune` wrote), or the packaged one when empty."""
    return SlotScorer.load(path) if path else default_scorer()
