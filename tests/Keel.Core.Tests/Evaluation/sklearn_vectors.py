#!/usr/bin/python3
"""Writes Fixtures/sklearn-vectors.json: reference values for Keel's evaluation metrics, computed by scikit-learn.

Run with Debian's Python (python3-sklearn): /usr/bin/python3 tests/Keel.Core.Tests/Evaluation/sklearn_vectors.py
Generated cases come from a fixed seed; the real cases take labels from examples/flights (U.S. DOT/BTS data via
vega-datasets) with made-up model outputs. Fairness follows fairlearn's definitions (fairlearn is not packaged in
Debian), McNemar's test statsmodels' (likewise), both written out here over scikit-learn and SciPy.
"""
import csv
import json
import pathlib

import numpy as np
import sklearn
from scipy import stats
from sklearn import metrics
from sklearn.calibration import calibration_curve

rng = np.random.default_rng(20261125)
here = pathlib.Path(__file__).parent
flights = here.parent.parent.parent / "examples" / "flights" / "flights-2001-01.csv"


def floats(values):
    return [float(v) for v in values]


def binary_case(name, y, p, threshold=0.5):
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    pred = (p >= threshold).astype(int)
    case = {"name": name, "actual": y.tolist(), "probability": floats(p), "predicted": pred.tolist()}
    m = {
        "accuracy": metrics.accuracy_score(y, pred),
        "precision": metrics.precision_score(y, pred, zero_division=0),
        "recall": metrics.recall_score(y, pred, zero_division=0),
        "f1": metrics.f1_score(y, pred, zero_division=0),
        "log_loss": metrics.log_loss(y, p, labels=[0, 1]),
        "brier_score": metrics.brier_score_loss(y, p),
    }
    if len(np.unique(y)) == 2:
        m["roc_auc"] = metrics.roc_auc_score(y, p)
    case["metrics"] = {k: float(v) for k, v in m.items()}
    case["absent"] = [k for k in ["roc_auc"] if k not in m]
    case["confusion_matrix"] = metrics.confusion_matrix(y, pred, labels=[0, 1]).tolist()
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy="uniform")
    case["reliability_true"] = floats(prob_true)
    case["reliability_pred"] = floats(prob_pred)
    return case


def regression_case(name, y, pred):
    y = np.asarray(y, dtype=float)
    pred = np.asarray(pred, dtype=float)
    residuals = y - pred
    m = {
        "mae": metrics.mean_absolute_error(y, pred),
        "rmse": float(np.sqrt(metrics.mean_squared_error(y, pred))),
        "r2": metrics.r2_score(y, pred),
    }
    return {
        "name": name, "actual": floats(y), "predicted": floats(pred),
        "metrics": {k: float(v) for k, v in m.items()},
        "quantiles": {f"p{round(q * 100)}": float(np.quantile(residuals, q)) for q in [0.05, 0.25, 0.5, 0.75, 0.95]},
        "histogram": np.histogram(residuals, bins=10)[0].tolist(),
    }


def multiclass_case(name, y, pred, classes):
    m = {"accuracy": metrics.accuracy_score(y, pred)}
    for average, suffix in [("macro", ""), ("weighted", "_weighted")]:
        m["precision" + suffix] = metrics.precision_score(y, pred, average=average, zero_division=0)
        m["recall" + suffix] = metrics.recall_score(y, pred, average=average, zero_division=0)
        m["f1" + suffix] = metrics.f1_score(y, pred, average=average, zero_division=0)
    return {"name": name, "actual": [int(v) for v in y], "predicted": [int(v) for v in pred], "classes": classes,
            "metrics": {k: float(v) for k, v in m.items()},
            "confusion_matrix": metrics.confusion_matrix(y, pred, labels=list(range(classes))).tolist()}


def fairness_case(name, y, pred, groups):
    y, pred, groups = np.asarray(y), np.asarray(pred), np.asarray(groups)
    rates, tprs = [], []
    for g in np.unique(groups):
        mask = groups == g
        rates.append(pred[mask].mean())
        tprs.append(metrics.recall_score(y[mask], pred[mask], zero_division=0))
    return {"name": name, "actual": y.tolist(), "predicted": pred.tolist(), "groups": groups.tolist(),
            "demographic_parity_difference": float(max(rates) - min(rates)),
            "equal_opportunity_difference": float(max(tprs) - min(tprs)),
            "disparate_impact_ratio": float(min(rates) / max(rates)) if max(rates) > 0 else None}


def mcnemar_case(b, c):
    # statsmodels.stats.contingency_tables.mcnemar: exact below 25 discordant pairs (Keel's choice), else corrected chi-square.
    if b + c < 25:
        statistic = min(b, c)
        p = min(1.0, 2 * stats.binom.cdf(statistic, b + c, 0.5))
        return {"b": b, "c": c, "statistic": float(statistic), "p_value": float(p), "exact": True}
    statistic = (abs(b - c) - 1) ** 2 / (b + c)
    return {"b": b, "c": c, "statistic": float(statistic), "p_value": float(stats.chi2.sf(statistic, 1)), "exact": False}


binary = []
y = rng.integers(0, 2, 500)
binary.append(binary_case("generated", y, np.clip(0.3 * y + rng.uniform(0, 0.7, 500), 0, 1)))
y = rng.integers(0, 2, 300)
binary.append(binary_case("ties and bin edges", y, np.round(rng.uniform(0, 1, 300), 1)))
binary.append(binary_case("certain and wrong", [0, 1, 1, 0], [1.0, 0.0, 1.0, 0.0]))
binary.append(binary_case("one class present", [1] * 20, rng.uniform(0, 1, 20)))
binary.append(binary_case("only negatives", [0] * 20, rng.uniform(0, 0.4, 20)))
binary.append(binary_case("all predictions equal", rng.integers(0, 2, 50), [0.3] * 50))

rows = list(csv.DictReader(open(flights)))[:3000]
delay = np.array([float(r["delay"]) for r in rows])
distance = np.array([float(r["distance"]) for r in rows])
hour = np.array([int(r["date"][11:13]) for r in rows])
late = (delay > 15).astype(int)
score = 1 / (1 + np.exp(-(hour - 14) / 4 - distance / 3000 + 1))
binary.append(binary_case("flights late", late, np.round(score, 6)))

regression = [
    regression_case("generated", *(lambda x: (x * 3 + rng.normal(0, 1, 400), x * 3))(rng.normal(0, 2, 400))),
    regression_case("constant target", [2.0] * 10, rng.normal(2, 1, 10)),
    regression_case("perfect fit on constant", [5.0] * 8, [5.0] * 8),
    regression_case("flights delay", delay, np.round(distance / 100 + hour - 10, 3)),
]

multiclass = [
    multiclass_case("generated", rng.integers(0, 4, 300), rng.integers(0, 4, 300), 4),
    multiclass_case("a class never predicted", [0, 1, 2, 2, 1, 0, 2], [0, 0, 2, 2, 0, 0, 2], 3),
    multiclass_case("a class only predicted", [0, 0, 1, 1], [0, 2, 1, 1], 3),
]

groups = rng.integers(0, 3, 400)
y = rng.integers(0, 2, 400)
fairness = [
    fairness_case("generated", y, (rng.uniform(0, 1, 400) < 0.3 + 0.2 * groups).astype(int), groups),
    fairness_case("a group without positives", [0, 0, 1, 1, 0, 1], [1, 0, 1, 0, 0, 1], [0, 0, 1, 1, 2, 2]),
    fairness_case("nothing selected", [0, 1, 1, 0], [0, 0, 0, 0], [0, 0, 1, 1]),
    fairness_case("flights by origin", late[:1000], (score[:1000] >= 0.5).astype(int),
                  [["LAS", "PHX", "ORD"].index(r["origin"]) if r["origin"] in ("LAS", "PHX", "ORD") else 3 for r in rows[:1000]]),
]

mcnemar = [mcnemar_case(b, c) for b, c in [(0, 0), (3, 9), (12, 12), (30, 12), (200, 170), (24, 0)]]

out = {"sklearn": sklearn.__version__, "binary": binary, "regression": regression, "multiclass": multiclass,
       "fairness": fairness, "mcnemar": mcnemar}
(here / "Fixtures" / "sklearn-vectors.json").write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")
