"""The trained intent model as plain arrays: feature → row, summed, softmaxed.

Scoring is done directly with numpy instead of calling scikit-learn's
`predict_proba` per message: its input validation alone costs more than the
whole parse budget.  The maths matches `LogisticRegression` on binary TF-IDF
features with L2 normalisation: rows are pre-multiplied by each feature's idf.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MODEL_VERSION = "siyu-nlu-6"


@dataclass
class IntentModel:
    intents: tuple[str, ...]
    feature_index: dict[str, int]
    weights: np.ndarray  # (n_features, n_intents), already multiplied by idf
    idf: np.ndarray  # (n_features,)
    bias: np.ndarray  # (n_intents,)
    version: str = MODEL_VERSION
    meta: dict[str, object] = field(default_factory=dict)

    def probabilities(self, features: list[str]) -> np.ndarray:
        index = self.feature_index
        rows = [index[f] for f in features if f in index]
        if not rows:
            logits = self.bias.copy()
        else:
            norm = float(np.sqrt(np.square(self.idf[rows]).sum()))
            logits = self.weights[rows].sum(axis=0) / norm + self.bias
        logits = logits - logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()

    def known_fraction(self, features: list[str]) -> float:
        """Share of the message's features the model has seen (0 for gibberish)."""
        if not features:
            return 0.0
        return sum(1 for f in features if f in self.feature_index) / len(features)
