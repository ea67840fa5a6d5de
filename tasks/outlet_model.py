"""Which of a page's names for itself is its outlet: a linear ranking over the candidate names.

The rules of `tasks.extract.resolve_outlet` pick one name by a fixed order of signals.  On
outlets nobody had studied they picked the labelled name 75-84% of the time, while that name was
among the page's own names for itself (site-name tags, title parts, logo and home links,
copyright lines, the domain) 93-97% of the time (bench/devset, hold-outs 1-5).  This model
scores every candidate the page gives; the rules' choice is one of its features, so it departs
from the rules only where the labelled pages say another candidate wins.

The weights are data, like the registries: `outlet_ranker.json` beside this file, written by
`bench/devset/train_outlet_ranker.py` from the labelled sets.  A candidate's score is the sum
of the weights of its features (`tasks.extract.outlet_candidates` says what each one means);
the candidate with the highest score is the outlet.  A linear model rather than a library's
learner: ~40 features and a few hundred labelled pages need no more, and scoring stays a dict
lookup per feature (no numpy or scikit-learn at run time).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from collections.abc import Callable
from typing import Any

WEIGHTS_FILE = Path(__file__).with_name("outlet_ranker.json")
# A path to other weights (training, experiments), or "off" for the rules alone.
RANKER_ENV = "WIREDESK_OUTLET_RANKER"


def weights() -> dict[str, float] | None:
    """The model's weights by feature name (with `margin`, see `best`), or None when the ranker is switched off."""
    return _load(os.environ.get(RANKER_ENV) or str(WEIGHTS_FILE))


@lru_cache(maxsize=4)
def _load(where: str) -> dict[str, float] | None:
    if where == "off":
        return None
    data: dict[str, Any] = json.loads(Path(where).read_text(encoding="utf-8"))
    return {**{name: float(w) for name, w in data["weights"].items()}, MARGIN: float(data.get("margin", 0.0))}


MARGIN = "margin"  # not a feature: how much more than the rules' choice another candidate must score


def score(features: dict[str, float], model: dict[str, float]) -> float:
    return sum(model.get(name, 0.0) * value for name, value in features.items())


def best(candidates: dict[str, dict[str, float]], model: dict[str, float], rule: str | None = None, brand_key: Callable[[str], str] | None = None) -> str | None:
    """The candidate with the highest score (on a tie, the first collected), or the rules' choice
    unless another beats it by the model's margin.  With `brand_key`, the model picks the brand and
    the rules its spelling: where the top candidate is the rules' brand written otherwise
    ("finanztreff" for "finanztreff.de"), the rules' spelling stays.  Labellers split on spellings
    (the dev set and the hold-outs disagree on 5 of 117 pages), not on brands."""
    top, top_score = None, float("-inf")
    for name, features in candidates.items():
        s = score(features, model)
        if s > top_score:
            top, top_score = name, s
    if rule in candidates:
        if top_score - score(candidates[rule], model) <= model.get(MARGIN, 0.0):
            return rule
        if brand_key and top is not None and brand_key(top) == brand_key(rule):
            return rule
    return top
