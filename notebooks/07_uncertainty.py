# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 · Uncertainty: how sure are the answers?
#
# **Level:** methods · **Time:** 15 min
#
# Every other notebook draws one line per scenario. That line rests on numbers nobody knows exactly:
#
# * **How many shells a container holds.** South Korean statements imply 450–480 rounds per container
#   (3 m shells in 6,700 containers, Politico Europe, 2024-02-27; 4.8 m in 10,000, Euromaidan Press, 2024-06-14);
#   the model allows 300–600.
# * **What Russia pays per round.** No source states a price; the registry marks USD 300–1,000 as an
#   assumption, skewed upwards because the high estimates of total arms value (up to USD 5.5 bn, dpa via
#   A News, 2024-10-28) imply higher prices.
# * **How much oil North Korea needs.** Estimates run from 5.5 m bbl a year (EIA) to 9 m bbl (Open Source
#   Centre/BBC via YTN, 2024-11-22), with 6.5 m from the Nautilus Institute (2017) and 8.5 m from the US's
#   pre-2017 import estimate.
#
# Each of these is an **uncertainty** in the parameter registry (`model/parameters.toml`), with a range,
# a distribution (uniform, triangular or log-normal) and a note that says why. This notebook draws thousands
# of *plausible worlds* from those ranges, runs the model in each, and asks four questions:
#
# 1. **How wide is the fan?** Median, 50% and 90% bands over time, scenario against baseline.
# 2. **How likely is an outcome?** A sentence such as "in N% of plausible worlds Russia supplies more of
#    North Korea's hard currency than China", with N computed from the ensemble below.
# 3. **Which assumption matters most?** A tornado chart (one at a time) and Sobol' indices (all together).
# 4. **Which combinations lead to a bad outcome?** Scenario discovery with PRIM boxes, read as rules.
#
# A probability here means *a share of the worlds the registry ranges allow*. It is only as good as those
# ranges: it is not a forecast.

# %% [markdown]
# ## The mechanism in a few equations
#
# Write the model as $y_t = f_t(\ell, \theta)$: an outcome $y$ in year $t$ from the policy levers $\ell$
# (sliders) and the uncertain facts $\theta = (\theta_1, \dots, \theta_K)$.
#
# **Ensemble.** Draw $\theta^{(1)}, \dots, \theta^{(N)}$ independently, each $\theta_k$ from its registry
# distribution, and hold $\ell$ fixed. The one exception: the three detection levels (no monitoring, the MSMT,
# the Panel of Experts) share one draw of *monitoring quality*, so that their order holds in every world;
# the tornado and the Sobol' indices treat them as that one input. The fan chart shows the quantiles of
# $f_t(\ell, \theta^{(i)})$ over $i$ for every year: the median and the bands between the 25th and 75th,
# and the 5th and 95th percentiles. A probability is a share of draws:
#
# $$P(y_t > c) \approx \frac{1}{N} \sum_{i=1}^{N} \mathbf{1}\left[f_t(\ell, \theta^{(i)}) > c\right].$$
#
# Scenarios are compared on the **same** draws, so a difference is the policy's effect in the same world.
#
# **Tornado.** Each $\theta_k$ alone goes to its lower and upper bound, the others stay at their central
# values; the bar is $f(\dots, \theta_k^{\max}, \dots) - f(\dots, \theta_k^{\min}, \dots)$.
#
# **Sobol' indices.** Split the variance of $y$ among the inputs. The first-order index
# $S_k = \operatorname{Var}\big(E[y \mid \theta_k]\big) / \operatorname{Var}(y)$ is the share $\theta_k$
# explains alone; the total index $S_{T,k} = 1 - \operatorname{Var}\big(E[y \mid \theta_{-k}]\big) /
# \operatorname{Var}(y)$ adds every interaction it takes part in. They are estimated from two random
# samples of the inputs and their column swaps (Saltelli's design; Saltelli 2010 and Jansen estimators), with
# bootstrap confidence intervals.

# %%
# %matplotlib widget
import numpy as np
from IPython.display import Markdown, display

from dprk_apps import uncertainty as ua
from dprk_teaching import exercises
from model import uncertainty as u

SEED = exercises.UNCERTAINTY_SEED  # 20240328: every number below is reproducible, same seed, same worlds
DRAWS = exercises.UNCERTAINTY_DRAWS  # 5,000 worlds: enough for these answers, see docs/uncertainty.md
baseline = u.run_ensemble("baseline", DRAWS, np.random.default_rng(SEED), keep="headlines")

# %% [markdown]
# The uncertainties and their distributions, straight from the registry:

# %%
display(Markdown(ua.assumptions_markdown()))

# %% [markdown]
# ## The baseline, with its uncertainty

# %%
display(ua.fans(baseline).canvas)

# %% [markdown]
# **Figure 1.** Baseline (status quo after 2024) over 5,000 plausible worlds. *Left:* hard-currency
# earnings that pass through Russia (cash for munitions, missiles, troops and workers). *Right:* Russia's
# share of all of North Korea's external flows. The line is the median; the dark band holds the middle half
# of the worlds, the light band the middle 90%. The shaded years are the projection; before them is history,
# where the model follows the recorded episodes; the band there shows how uncertain the model's
# reconstruction is, not what happened.
# Figure 2 shows which assumptions open the fan.

# %%
display(Markdown(ua.statements(baseline)))

# %% [markdown]
# ## What moves it
#
# The tornado chart varies one assumption at a time between its registry bounds. The Sobol' indices vary
# all of them together (1,024 × (K + 2) model runs, a few seconds) and also count interactions: when the
# total index is much larger than the first-order one, that assumption matters *through* others.

# %%
figure, indices = ua.sensitivity(SEED)
display(figure.canvas, Markdown(ua.sobol_table(indices)))

# %% [markdown]
# **Figure 2.** Hard currency via Russia in 2030, baseline. *Top:* tornado, each bar one assumption alone
# at its low (blue) and high (orange) bound. *Bottom:* Sobol' indices with 95% bootstrap intervals. Look for
# the price per round: it is not a sourced figure (see the registry), so wherever it ranks high, better
# evidence on it would change the answer most. The table gives every assumption's indices in numbers; a gap
# (total minus first order) marked *clear* is larger than twice the total's interval.

# %% [markdown]
# ### Scenario discovery: when does the oil cap leak most?
#
# PRIM looks for a box of assumptions in which a chosen bad outcome is concentrated. Here: refined oil
# above eight times the UN cap of 500,000 bbl (resolution 2397; US Mission to the UN, 2017-12-22) in 2030.

# %%
rule, figure = ua.discovery(baseline)
display(Markdown(rule), figure.canvas)

# %% [markdown]
# **Figure 3.** Each dot is one plausible world (a sample of them), red where refined oil exceeds eight times
# the cap in 2030. The box is PRIM's rule. *Density* is the share of worlds in the box where the outcome
# happens; *coverage* the share of all such worlds that the box catches.

# %% [markdown]
# **Try another outcome.** Choose an outcome, a year and a threshold (in the units shown beside it), then
# press *Find the box*: PRIM searches the same 5,000 worlds and writes its rule.

# %%
finder = ua.DiscoveryPanel(baseline)  # parts: finder.outcome, finder.year, finder.threshold, finder.readout
display(finder.widget)

# %% [markdown]
# ### Scenarios side by side
#
# All presets on the same worlds, with the median, the 90% range, the median paired difference from the
# baseline, and the share of worlds in which the scenario does better for the sanctions' aims.

# %%
table, figure = ua.comparison(SEED)
display(Markdown(table), figure.canvas)

# %% [markdown]
# **Figure 4.** Total hard-currency earnings under each preset (blue fan) against the baseline's median
# (dashed) and 90% band (dotted).

# %% [markdown]
# ## Try it
#
# Move a lever, pick a preset, load a saved scenario file, or choose another outcome, year or threshold.
# *Hold fixed* holds every assumption of the chosen groups at its central value (hold Ctrl or Shift to pick
# several). *Payment mix* decides Russia's cash/food/technology mix: nothing measures it, so by default it is
# *sampled* in every world; *Fixed at the defaults* holds it at the registry's weights (a scenario that sets
# the weights also fixes it). The last sentence under the choosers says which mix is in effect. The fan chart
# (scenario in blue over the baseline in grey), the tornado and the sentences under the choosers
# (probabilities and the width of the 90% band) update in place.

# %%
app = ua.UncertaintyApp(baseline)  # parts: app.panel, app.outcome, app.year, app.threshold, app.figure, app.readout
display(app.widget)

# %% [markdown]
# ## Exercises
#
# Each question is answered from what *Try it* and the figures above show.
#
# 1. Under the baseline, in what share of plausible worlds does Russia supply more of North Korea's hard
#    currency than China in 2027 (set *Year* to 2027 in *Try it*)? Does *Maximum pressure* change the
#    answer, and by how much?
# 2. Hold every arms assumption fixed (*Hold fixed*: Arms, which holds containers, rounds per container,
#    price per round, missiles, missile price, troops, troop pay and the other arms figures), with the
#    outcome *hard-currency earnings via Russia* in 2030 under the baseline. How much narrower is the 90%
#    band?
# 3. The tornado and the Sobol' indices can disagree. In the table under Figure 2, find the assumption whose
#    total Sobol' index is furthest above its first-order index, and explain why one-at-a-time bars would
#    miss it (is the gap clear of the interval?).
# 4. Which assumptions does PRIM name when the outcome is *Russia's share of all flows above 50% in 2030*
#    (*Try another outcome* under Figure 3)? Is that a question the seminar could settle with better
#    evidence, or a policy choice?

# %%
exercises.uncertainty(1, baseline)

# %%
exercises.uncertainty(2, baseline)

# %%
exercises.uncertainty(3, baseline, indices)

# %%
exercises.uncertainty(4, baseline)

# %% [markdown]
# ## What this model cannot tell you
#
# * **Probabilities are conditional on the ranges.** "N% of plausible worlds" means N% of the worlds the
#   registry's ranges and distribution shapes allow. Several ranges are assumptions (the price per round,
#   the diversion share); change them and the probabilities change.
# * **The draws are independent, but for one group.** Only the three detection levels are tied together
#   (`model/dependence.toml`). In reality other facts may move together too (more containers may mean a lower
#   price per round); the model draws them on their own, which can make bands too wide or too narrow.
# * **Levers are not uncertain here.** Whether Russia keeps buying or China enforces is a choice you set,
#   not a probability; the fan shows only what we do not know about facts.
# * **History is a reconstruction.** Bands in 2013–2024 show how uncertain the model's reconstruction is,
#   not uncertainty about what happened; compare with the observations in notebook 01.
# * **Sobol' indices and PRIM boxes are estimates.** Their intervals and densities come from a finite number
#   of model runs; rerun with another seed before you lean on a small difference.
