"""Monte Carlo error of notebook 07's answers for a number of worlds (not a test: it takes about a minute).

Run ``python bench/uncertainty_draws_error.py [--seeds S]``. A 200,000-world baseline ensemble is the
reference; for each ensemble size N (2,000, 5,000 and 20,000) ``S`` ensembles with other seeds (default
10) give the notebook's answers again, and the script reports, over those seeds, the largest and the
root-mean-square difference from the reference of:

* two probabilities the notebook states: the share of worlds in which Russia supplies more hard currency
  than China in 2027, and the share in which Russia's share of all flows exceeds 30% in 2030 (percentage
  points);
* the median and the 5th and 95th percentiles (the fan's 90% band) of hard currency via Russia in 2030,
  relative to the reference value (percent).

The last line printed is one JSON object with those figures per N, and the binomial bound on a share's
standard error, ``50 / sqrt(N)`` points, for comparison.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from results import save

from model import uncertainty as u
from model.timeline import FOCUS_YEAR, NEAR_YEAR

SIZES = (2_000, 5_000, 20_000)
REFERENCE_DRAWS = 200_000


def answers(ensemble: u.Ensemble) -> dict[str, float]:
    """The compared answers of one ensemble: two shares (fractions) and three quantiles (USD/yr)."""
    russia = ensemble.at("hard_currency_russia", NEAR_YEAR)
    china = ensemble.at("hard_currency_china", NEAR_YEAR)
    later = ensemble.at("hard_currency_russia", FOCUS_YEAR)
    low, median, high = np.quantile(later, [0.05, 0.5, 0.95])
    return {
        "share_russia_above_china": float(np.mean(russia > china)),
        "share_lifeline_russia_above_30": float(np.mean(ensemble.at("lifeline_share_russia", FOCUS_YEAR) > 0.3)),
        "p05": float(low),
        "median": float(median),
        "p95": float(high),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    reference = answers(u.run_ensemble("baseline", REFERENCE_DRAWS, np.random.default_rng(1), keep="headlines"))
    report = {"reference_draws": REFERENCE_DRAWS, "seeds": args.seeds}
    for size in SIZES:
        errors: dict[str, list[float]] = {key: [] for key in reference}
        for seed in range(100, 100 + args.seeds):
            got = answers(u.run_ensemble("baseline", size, np.random.default_rng(seed), keep="headlines"))
            for key, value in got.items():
                if key.startswith("share"):
                    errors[key].append(100 * (value - reference[key]))  # percentage points
                else:
                    errors[key].append(100 * (value / reference[key] - 1))  # percent of the reference
        report[str(size)] = {
            key: {"max_abs": round(max(map(abs, e)), 2), "rms": round(math.sqrt(np.mean(np.square(e))), 2)}
            for key, e in errors.items()
        }
        report[str(size)]["binomial_se_bound_points"] = round(50 / math.sqrt(size), 2)
        print(size, report[str(size)], flush=True)
    save("uncertainty_draws_error", report)


if __name__ == "__main__":
    main()
