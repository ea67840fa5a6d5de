"""Train the outlet ranker (tasks/outlet_model.py) on the labelled sets and say how it does on sets it did not see.

    python bench/devset/train_outlet_ranker.py [--sets dev 1 2 3 4 5] [--l2 10] [--margin 0] [--write]

For every labelled page whose domain the outlet registry does not know (the pages the model
decides; the dev set is read without its `devset = true` registry entries), the page is
extracted with the ranker off and its candidate names (`tasks.extract.outlet_candidates`) are
kept with the label.  The model is a conditional logit: the probability of a candidate is the
softmax of its score over the page's candidates; training maximises the log of the labelled
candidates' probability (all spellings the registry takes as the label), with an L2 penalty.
Pages whose label no candidate gives teach nothing and count as misses.

Printed: leave-one-set-out accuracy (train on the other sets, score the left-out one) against
the rules alone on the same pages, for each L2 strength of --l2, then the weights trained on all
the sets.  --write stores those in tasks/outlet_ranker.json.  Hold-out 6 stays out by default:
it is the set the rules and the model are judged on blind.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent.parent)]
import numpy as np  # noqa: E402  (numpy and scipy come with great-expectations; only training needs them)
from scipy.optimize import minimize  # noqa: E402

import provenance  # noqa: E402


def collect(which: str) -> list[dict]:
    """The pages of one labelled set the model decides: candidates, the rules' choice, the label."""
    import tasks.extract as extract
    from tasks import registry

    path = provenance.LABELS if which == "dev" else provenance.HOLDOUTS[which]
    labels = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    seen: dict = {}
    rules = extract.choose_outlet

    def spy(domain, jsonld, meta, sitename, page_title, headline, holders, home_names, page_text, markup=""):
        rule = rules(domain, jsonld, meta, sitename, page_title, headline, holders, home_names, page_text, markup)
        if not registry.outlets().by_domain(domain):
            seen["candidates"] = extract.outlet_candidates(domain, jsonld, meta, sitename, page_title, headline, holders, home_names, page_text, rule, markup)
        return rule

    extract.choose_outlet = spy
    pages = []
    try:
        for label in labels:
            if not label.get("outlet"):
                continue
            seen.clear()
            article = provenance.predict(label)
            if "candidates" not in seen:
                continue  # the registry names this outlet: not the model's call
            wanted = [name for name in seen["candidates"] if provenance.same_outlet(registry.outlets().by_name(name) or name, label["outlet"])]
            fair = (label["outlet"], *label.get("also", ()))
            brand = [name for name in seen["candidates"] if any(provenance.same_brand(registry.outlets().by_name(name) or name, w) for w in fair)]
            pages.append({"set": which, "file": label["file"], "want": label["outlet"], "rule_right": provenance.same_outlet(article.outlet, label["outlet"]), "rule_brand": any(provenance.same_brand(article.outlet, w) for w in fair), "candidates": seen["candidates"], "wanted": wanted, "brand": brand})
    finally:
        extract.choose_outlet = rules
    return pages


def design(pages: list[dict], vocabulary: list[str]):
    index = {name: i for i, name in enumerate(vocabulary)}
    matrices, targets = [], []
    for page in pages:
        names = list(page["candidates"])
        x = np.zeros((len(names), len(vocabulary)))
        for row, name in enumerate(names):
            for feature, value in page["candidates"][name].items():
                if feature in index:
                    x[row, index[feature]] = value
        matrices.append(x)
        targets.append(np.array([name in page["wanted"] for name in names]))
    return matrices, targets


def fit(pages: list[dict], l2: float, dev_weight: float = 1.0) -> dict[str, float]:
    """Weights maximising the labelled candidates' log-probability, minus l2 * |w|^2 / 2; a dev-set page counts dev_weight times."""
    learnable = [p for p in pages if p["wanted"] and len(p["candidates"]) > 1]
    vocabulary = sorted({f for p in learnable for c in p["candidates"].values() for f in c})
    matrices, targets = design(learnable, vocabulary)
    counts = [dev_weight if p["set"] == "dev" else 1.0 for p in learnable]

    def loss(w):
        total, grad = 0.5 * l2 * w @ w, l2 * w
        for x, y, c in zip(matrices, targets, counts):
            s = x @ w
            s -= s.max()
            p = np.exp(s)
            z = p.sum()
            zy = p[y].sum()
            total -= c * (math.log(zy) - math.log(z))
            grad = grad - c * ((p[y] @ x[y]) / zy - (p @ x) / z)
        return total, grad

    result = minimize(loss, np.zeros(len(vocabulary)), jac=True, method="L-BFGS-B")
    return {name: round(float(w), 4) for name, w in zip(vocabulary, result.x) if abs(w) > 1e-4}


def accuracy(pages: list[dict], model: dict[str, float] | None, margin: float = 0.0) -> int:
    """Pages whose labelled outlet the model (None: the rules) picks, the rules' choice kept unless beaten by `margin`."""
    from tasks import outlet_model
    from tasks.extract import _brand_key

    if model is None:
        return sum(page["rule_right"] for page in pages)
    model = {**model, outlet_model.MARGIN: margin}
    return sum(outlet_model.best(page["candidates"], model, rule_of(page), _brand_key) in page["wanted"] for page in pages)


def rule_of(page: dict) -> str | None:
    return next((name for name, features in page["candidates"].items() if "rule" in features), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["dev", "1", "2", "3", "4", "5"])
    parser.add_argument("--l2", nargs="+", type=float, default=[3.0, 10.0, 30.0])
    parser.add_argument("--margin", nargs="+", type=float, default=[0.0, 0.5, 1.0, 2.0], help="how much more than the rules' choice another candidate must score")
    parser.add_argument("--dev-weight", type=float, default=1.0, help="how many hold-out pages a dev-set page counts as in training")
    parser.add_argument("--target", choices=("exact", "brand"), default="exact", help="train towards the labelled name (exact) or any spelling of its brand")
    parser.add_argument("--write", action="store_true", help="store the weights trained on all the sets in tasks/outlet_ranker.json")
    args = parser.parse_args()
    os.environ["WIREDESK_OUTLET_RANKER"] = "off"  # the candidates beside the rules' own choice
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if "dev" in args.sets:
        provenance.without_devset_outlets()
    pages = [page for which in args.sets for page in collect(which)]
    if args.target == "brand":
        pages = [{**page, "wanted": page["brand"]} for page in pages]
    print(f"{len(pages)} pages the model decides; the label among the candidates on {sum(1 for p in pages if p['wanted'])}, the rules right on {accuracy(pages, None)}")
    for l2 in args.l2:
        models = {held: fit([p for p in pages if p["set"] != held], l2, args.dev_weight) for held in args.sets}
        for margin in args.margin:
            cells, right, base = [], 0, 0
            for held in args.sets:
                test = [p for p in pages if p["set"] == held]
                r, b = accuracy(test, models[held], margin), accuracy(test, None)
                right, base = right + r, base + b
                cells.append(f"{held} {b}->{r}/{len(test)}")
            print(f"l2 {l2} margin {margin}: leave-one-set-out {base / len(pages):.3f} (rules) -> {right / len(pages):.3f} (model)   " + "  ".join(cells))
    l2 = args.l2[0] if len(args.l2) == 1 else None
    margin = args.margin[0] if len(args.margin) == 1 else None
    if args.write:
        if l2 is None or margin is None:
            parser.error("--write needs one --l2 and one --margin")
        model = fit(pages, l2, args.dev_weight)
        out = {
            "about": "Outlet ranker weights (tasks/outlet_model.py), written by bench/devset/train_outlet_ranker.py; do not edit by hand.",
            "trained": {"on": args.sets, "pages": len(pages), "l2": l2, "dev_weight": args.dev_weight, "date": date.today().isoformat()},
            "margin": margin,
            "weights": dict(sorted(model.items(), key=lambda kv: -abs(kv[1]))),
        }
        target = HERE.parent.parent / "tasks" / "outlet_ranker.json"
        target.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {target} ({len(model)} weights)")


if __name__ == "__main__":
    main()
