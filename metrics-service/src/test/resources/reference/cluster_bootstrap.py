#!/usr/bin/env python3
"""Reference values for ClusterBootstrapTest: the two-way cluster (pigeonhole) bootstrap of Owen (2007), written
independently with numpy, with many more resamples than the test draws. Characters and scenarios are resampled
independently with replacement; a value on (c, s) gets weight (times c drawn) x (times s drawn). Percentile ends are
numpy's default ('linear', Hyndman-Fan type 7); a rank is 1 + the number of defined means strictly above.

Run: python3 cluster_bootstrap.py > cluster_bootstrap.json   (numpy 2.4.6, a few seconds)
     python3 cluster_bootstrap.py 20000 SEED   the spread of 20,000 resamples, as the test draws
"""
import json

import numpy as np

C, S, R = 8, 12, 3
import sys
B = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 7


def value(c, s, r):
    # the same formula as ClusterBootstrapTest.value: responder, character and scenario effects plus an interaction
    return 3 + 0.5 * r + ((c * 37) % 11 - 5) / 5 + ((s * 17) % 7 - 3) / 4 + (((c * 13 + s * 7 + r * 3) % 9) - 4) / 8


def cells(r):
    # responder 2 was rated only on characters 0-2 x scenarios 0-3
    return [(c, s) for c in range(C) for s in range(S) if r < 2 or (c < 3 and s < 4)]


rng = np.random.default_rng(SEED)
wc = rng.multinomial(C, [1 / C] * C, size=B)  # B x C: times each character was drawn
ws = rng.multinomial(S, [1 / S] * S, size=B)
means = np.full((R, B), np.nan)
for r in range(R):
    cs = cells(r)
    w = np.stack([wc[:, c] * ws[:, s] for c, s in cs], axis=1).astype(float)
    v = np.array([value(c, s, r) for c, s in cs])
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means[r] = np.where(total > 0, (w * v).sum(axis=1) / total, np.nan)
ranks = np.full((R, B), np.nan)
for r in range(R):
    defined = ~np.isnan(means[r])
    above = np.sum(np.nan_to_num(means, nan=-np.inf) > means[r], axis=0)
    ranks[r] = np.where(defined, 1 + above, np.nan)
# the pair (0, 1): differences on every cell (both have all); (0, 2) on the twelve cells responder 2 has
diffs = {}
for a, b in [(0, 1), (0, 2)]:
    cs = cells(b)
    w = np.stack([wc[:, c] * ws[:, s] for c, s in cs], axis=1).astype(float)
    d = np.array([value(c, s, a) - value(c, s, b) for c, s in cs])
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        diffs[f"{a}-{b}"] = np.where(total > 0, (w * d).sum(axis=1) / total, np.nan)


def ends(x):
    x = x[~np.isnan(x)]
    return {"low": float(np.quantile(x, 0.025)), "high": float(np.quantile(x, 0.975)), "sd": float(np.std(x)),
            "defined": float(len(x) / B)}


print(json.dumps({
    "resamples": B,
    "means": [ends(means[r]) for r in range(R)],
    "ranks": [ends(ranks[r]) for r in range(R)],
    "differences": {k: ends(v) for k, v in diffs.items()},
}, indent=2))
