#!/usr/bin/python3
"""Writes Fixtures/scipy-vectors.json: reference values for Keel's drift statistics, computed by SciPy.

Run with Debian's Python (python3-scipy): /usr/bin/python3 tests/Keel.Core.Tests/Monitoring/scipy_vectors.py
Every sample is generated from a fixed seed, so re-running reproduces the file byte for byte for one SciPy version.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

rng = np.random.default_rng(20261125)
samples = {}


def sample(name, values):
    samples[name] = [float(v) for v in values]
    return name


def normal(name, n, loc=0.0, scale=1.0):
    return sample(name, np.round(rng.normal(loc, scale, n), 4))


def ints(name, n, low, high):
    return sample(name, rng.integers(low, high, n))


# Samples: small and large, continuous and tied, constant.
normal("n1", 1)
normal("n1b", 1, 0.5)
normal("n3", 3)
normal("n5", 5, 0.3)
normal("n50", 50)
normal("n50s", 50, 0.6)
normal("n100", 100)
normal("n130", 130, 0.2)
normal("n800", 800, 0.1)
normal("n1000", 1000)
normal("n1000s", 1000, 0.5)
normal("n10000", 10000)
normal("n150", 150, 0.25)
normal("n400", 400, 0.05)
normal("n12000", 12000)
normal("n12000s", 12000, 0.03)
normal("n11000", 11000, 0.0, 1.1)
ints("t200", 200, 0, 4)
ints("t300", 300, 0, 5)
ints("t12000", 12000, 0, 6)
sample("c20", [5.0] * 20)
sample("c30", [5.0] * 30)
sample("c30b", [6.0] * 30)

ks_pairs = [
    ("n1", "n1b"), ("n3", "n5"), ("n5", "n3"), ("n50", "n50s"), ("n50", "n50"), ("n100", "n130"),
    ("n800", "n1000"), ("n1000", "n1000s"), ("n1000", "n10000"), ("t200", "t300"), ("t300", "t200"),
    ("c20", "c30"), ("c20", "c30b"), ("n12000", "n150"), ("n12000", "n400"), ("n12000", "n12000s"),
    ("n12000", "n11000"), ("n11000", "n1000s"), ("t12000", "t300"), ("n12000", "n1000"),
]
ks = []
for a, b in ks_pairs:
    r = stats.ks_2samp(samples[a], samples[b])
    ks.append({"a": a, "b": b, "statistic": float(r.statistic), "pvalue": float(r.pvalue)})

# The one-sample two-sided distribution directly, across every branch SciPy's kstwo.sf chooses between.
kstwo = []
for n in [1, 2, 5, 20, 100, 140, 141, 300, 1000, 5000, 60000, 100000, 200000]:
    for x in [0.0005, 0.001, 0.003, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 0.99]:
        kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})

chi2_tables = [
    [[10, 20, 30], [12, 18, 33]],
    [[100, 0], [80, 20]],
    [[50, 50], [50, 50]],
    [[7], [9]],
    [[500, 300, 200, 0], [400, 350, 200, 50]],
    [[1, 2], [3, 4]],
    [[12000, 3000, 5, 1], [11800, 3100, 9, 0]],
]
chi2 = []
for table in chi2_tables:
    stat, p, dof, _ = stats.chi2_contingency(np.array(table), correction=False)
    chi2.append({"reference": table[0], "current": table[1], "statistic": float(stat), "pvalue": float(p), "dof": int(dof)})

js = []
for p, q in [([10, 20, 30], [12, 18, 33]), ([1, 0], [0, 1]), ([5, 5], [5, 5]), ([100, 0, 3], [90, 7, 0]), ([4], [9])]:
    js.append({"p": p, "q": q, "distance": float(distance.jensenshannon(p, q))})

wasserstein = []
for a, b in [("n50", "n50s"), ("n100", "n130"), ("t200", "t300"), ("c20", "c30b"), ("c20", "c30"), ("n1", "n3"), ("n12000", "n11000")]:
    raw = float(stats.wasserstein_distance(samples[a], samples[b]))
    wasserstein.append({"a": a, "b": b, "distance": raw, "normalised": raw / max(float(np.std(samples[a])), 0.001)})


def psi(reference, current):
    """Keel's documented bucketing: edges at the reference's deciles (linear), (lo, hi] buckets, 0.0001 for an empty one."""
    reference, current = np.sort(reference), np.sort(current)
    edges = np.unique(np.quantile(reference, np.arange(1, 10) / 10))
    total = 0.0
    r_below = c_below = 0
    for upper in list(edges) + [None]:
        r_up = len(reference) if upper is None else np.searchsorted(reference, upper, side="right")
        c_up = len(current) if upper is None else np.searchsorted(current, upper, side="right")
        r = (r_up - r_below) / len(reference) or 0.0001
        c = (c_up - c_below) / len(current) or 0.0001
        total += (c - r) * np.log(c / r)
        r_below, c_below = r_up, c_up
    return float(total)


psis = [{"a": a, "b": b, "psi": psi(samples[a], samples[b])} for a, b in
        [("n1000", "n1000s"), ("n1000", "n1000"), ("t200", "t300"), ("c20", "c30b"), ("n100", "n130"), ("n12000", "n11000")]]

out = pathlib.Path(__file__).parent / "Fixtures" / "scipy-vectors.json"
out.write_text(json.dumps({
    "scipy": scipy.__version__, "samples": samples, "ks_2samp": ks, "kstwo_sf": kstwo, "chi2_contingency": chi2,
    "jensenshannon": js, "wasserstein": wasserstein, "psi": psis}, separators=(",", ":")) + "\n")
print(f"wrote {out} with SciPy {scipy.__version__}")
