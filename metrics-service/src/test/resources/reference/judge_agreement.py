#!/usr/bin/env python3
"""Reference values for SpearmanTest, KendallTauTest and JudgeAgreementTest.

1. Spearman's rho and its p-value (scipy.stats.spearmanr) and Kendall's tau-b (scipy.stats.kendalltau, variant 'b')
   on small samples with ties.
2. The judge-human agreement of JudgeAgreementTest's study (its ratings are the table RATINGS below, the same as the
   test's): per judge and metric, the items both rated, Krippendorff's alpha of the humans and of the humans with the
   judge (ordinal and interval; written out here from Krippendorff (2011) in exact fractions, independently of the
   Java code), Spearman between the judge's score and the humans' mean per item, and Kendall's tau-b between the
   responders' means by the judge and by the humans (the fans pooled per (character, scenario) pair, as the
   leaderboard does). Once with the quality policy (the TOO_FAST rating and the gold rating left out) and once
   without it (?quality=off: only the gold rating left out).

Run: python3 judge_agreement.py   (SciPy 1.17.1, numpy 2.4.6)
"""
from collections import defaultdict
from fractions import Fraction

from scipy import stats


def scipy_samples():
    print("# Spearman (scipy.stats.spearmanr) and Kendall tau-b (scipy.stats.kendalltau)")
    samples = {
        "ties": ([1, 2, 2, 3, 4, 4, 4, 5, 6, 7], [2, 1, 3, 3, 5, 4, 6, 6, 6, 9]),
        "tiesNegative": ([3.5, 1, 2, 2, 5, 5, 0.5, 4], [1, 4, 3, 3, 1, 0, 5, 2]),
        "threeUntied": ([1, 2, 3], [1, 3, 2]),
        "perfectWithTies": ([1, 1, 2, 3], [10, 10, 20, 30]),
    }
    for name, (x, y) in samples.items():
        s = stats.spearmanr(x, y)
        k = stats.kendalltau(x, y)
        print(f"{name}: spearman rho={s.statistic!r} p={s.pvalue!r}; kendall tau_b={k.statistic!r}")


# ---------------------------------------------------------------------------------------------------- the study
# responder, kind and scenario of each dialogue (one character); the fans F1 and F2 are the HUMAN responders
DIALOGUES = [
    ("A", 0), ("A", 1), ("A", 2), ("A", 3),
    ("B", 0), ("B", 1), ("B", 2), ("B", 3),
    ("C", 0), ("C", 1),
    ("F1", 0), ("F1", 1), ("F2", 1), ("F2", 2),
    ("C", 2),
]
FANS = {"F1", "F2"}
# dialogue, rater, fluency, every other metric, flag (T: TOO_FAST, G: gold); h* are humans, J1 and J2 LLM judges
RATINGS = """
0 h1 4 4; 0 h2 5 4; 0 J1 5 4; 0 J2 3 3
1 h1 3 3; 1 h2 3 4; 1 h3 2 3; 1 J1 3 3; 1 J2 4 4
2 h1 5 5; 2 h3 4 5; 2 J1 5 5; 2 J2 3 3
3 h2 2 2; 3 h3 3 2; 3 h1 5 5 G; 3 J1 2 2
4 h1 2 3; 4 h2 2 2; 4 J1 2 3; 4 J2 5 5
5 h1 4 3; 5 h3 4 4; 5 J1 4 4; 5 J2 3 3
6 h2 3 3; 6 h3 1 2 T; 6 J1 2 3; 6 J2 4 4
7 h1 1 1; 7 h2 2 1; 7 J1 1 2
8 h1 3 4; 8 h2 4 4; 8 J1 4 4; 8 J2 4 4
9 h3 5 4; 9 J1 5 5
10 h1 4 5; 10 h3 4 4; 10 J1 4 4
11 h2 3 3; 11 h3 4 3; 11 J1 3 3; 11 J2 3 3
12 h1 2 2; 12 h3 3 3; 12 J1 3 2; 12 J2 4 4
13 h3 5 5; 13 h2 4 5; 13 J1 5 5
14 J2 3 3
"""


def ratings(quality):
    rows = []
    for part in RATINGS.replace("\n", ";").split(";"):
        fields = part.split()
        if not fields:
            continue
        flag = fields[4] if len(fields) > 4 else ""
        if flag == "G" or (flag == "T" and quality):
            continue
        rows.append((int(fields[0]), fields[1], {"fluency": int(fields[2]), "other": int(fields[3])}))
    return rows


def alpha(units, level):
    """Krippendorff's alpha, exact: D_o over pairs of values within units (each weighted 1/(m_u - 1)), D_e over all
    pairs of pairable values; ordinal delta^2 = (sum of n_g from c to k - (n_c + n_k)/2)^2, interval (c - k)^2."""
    units = [u for u in units if len(u) >= 2]
    values = [v for u in units for v in u]
    n = len(values)
    if n == 0:
        return None
    counts = defaultdict(int)
    for v in values:
        counts[v] += 1
    cats = sorted(counts)

    def d2(c, k):
        if level == "interval":
            return Fraction((c - k) ** 2)
        lo, hi = min(c, k), max(c, k)
        span = sum(counts[g] for g in cats if lo <= g <= hi) - Fraction(counts[c] + counts[k], 2)
        return span * span

    observed = sum(Fraction(1, len(u) - 1) * sum(d2(u[i], u[j]) for i in range(len(u)) for j in range(len(u)) if i != j)
                   for u in units) / n
    expected = sum(d2(c, k) for c in values for k in values) / (n * (n - 1))
    if expected == 0:
        return None
    return float(1 - observed / expected)


def responder_means(scores_by_dialogue):
    """The leaderboard's responder means: a responder's dialogue scores averaged, the fans' first averaged per pair."""
    units = defaultdict(lambda: defaultdict(list))
    for d, score in scores_by_dialogue.items():
        responder, scenario = DIALOGUES[d]
        if responder in FANS:
            units["human fans"][scenario].append(score)
        else:
            units[responder][d].append(score)
    return {r: sum(sum(s) / len(s) for s in u.values()) / len(u) for r, u in units.items()}


def study(quality):
    rows = ratings(quality)
    print(f"# judge agreement, quality={'policy' if quality else 'off'}")
    for judge in ["J1", "J2"]:
        for metric in ["fluency", "other"]:
            humans = defaultdict(list)
            judged = defaultdict(list)
            for d, rater, scores in rows:
                (humans if rater.startswith("h") else judged if rater == judge else defaultdict(list))[d].append(scores[metric])
            items = sorted(d for d in judged if d in humans)
            human_units = [humans[d] for d in items]
            judge_units = [humans[d] + judged[d] for d in items]
            x = [Fraction(sum(judged[d]), len(judged[d])) for d in items]
            y = [Fraction(sum(humans[d]), len(humans[d])) for d in items]
            # ranks of exact fractions; scipy ranks the floats, which are distinct exactly when the fractions are here
            assert len({float(v) for v in x + y}) == len(set(x + y))
            s = stats.spearmanr([float(v) for v in x], [float(v) for v in y])
            jm = responder_means({d: Fraction(sum(v), len(v)) for d, v in judged.items()})
            hm = responder_means({d: Fraction(sum(v), len(v)) for d, v in humans.items()})
            both = sorted(r for r in jm if r in hm)
            k = stats.kendalltau([float(jm[r]) for r in both], [float(hm[r]) for r in both])
            print(f"{judge} {metric}: items={len(items)} alphaHumansOrdinal={alpha(human_units, 'ordinal')!r} "
                  f"alphaWithJudgeOrdinal={alpha(judge_units, 'ordinal')!r} alphaHumansInterval={alpha(human_units, 'interval')!r} "
                  f"alphaWithJudgeInterval={alpha(judge_units, 'interval')!r} spearman={s.statistic!r} spearmanP={s.pvalue!r} "
                  f"responders={len(both)} kendallTau={k.statistic!r}")
            print(f"    judge means {dict((r, str(jm[r])) for r in both)}; human means {dict((r, str(hm[r])) for r in both)}")


if __name__ == "__main__":
    scipy_samples()
    study(True)
    study(False)
