"""Reference values for MomentsTest: the 95% t-interval of the mean of 1, 2, 3, 4 and 2/3 (scipy).

Run: python3 metrics-service/src/test/resources/reference/moments.py
"""
from fractions import Fraction

import numpy as np
import scipy.stats as st

values = [Fraction(1), Fraction(2), Fraction(3), Fraction(4), Fraction(2, 3)]
mean = sum(values) / len(values)
print("exact mean", mean)
x = np.array([float(v) for v in values])
low, high = st.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=np.sqrt(x.var(ddof=1) / len(x)))
print("interval", repr(float(low)), repr(float(high)))
