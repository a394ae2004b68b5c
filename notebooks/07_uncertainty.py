# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 · Uncertainty: how sure are the answers?
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
#   Centre/BBC via YTN, 2024-11-22), with most near 6.5–8.5 m (Nautilus Institute, 2017).
#
# Each of these is an **uncertainty** in the parameter registry (`model/parameters.toml`), with a range,
# a distribution (uniform, triangular or log-normal) and a note that says why. This notebook draws thousands
# of *plausible worlds* from those ranges, runs the model in each, and asks four questions:
#
# 1. **How wide is the fan?** Median, 50% and 90% bands over time, scenario against baseline.
# 2. **How likely is an outcome?** "In 80% of plausible worlds Russia supplies more of North Korea's hard
#    currency than China in 2027."
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
# distribution, and hold $\ell$ fixed. The fan chart shows the quantiles of $f_t(\ell, \theta^{(i)})$ over
# $i$ for every year: the median and the bands between the 25th and 75th, and the 5th and 95th percentiles.
# A probability is a share of draws:
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
# \operatorname{Var}(y)$ adds every interaction it takes part in. They are estimated with SALib (Saltelli
# design, Jansen estimators) with bootstrap confidence intervals.

# %%
# %matplotlib widget
import ipywidgets as widgets
import numpy as np
from IPython.display import HTML, Markdown, display

from model import registry, ui
from model import uncertainty as u
from model.plots import channels
from model.plots import uncertainty as pu

SEED = 20240328  # every number below is reproducible: same seed, same worlds
DRAWS = 20_000  # plausible worlds per ensemble; 100,000 also update in under a second
YEAR = 2030
baseline = u.run_ensemble("baseline", DRAWS, np.random.default_rng(SEED))

# %% [markdown]
# The uncertainties and their distributions, straight from the registry:

# %%
rows = ["| assumption | range | distribution | why this shape |", "|---|---|---|---|"]
for name in registry.names("uncertainty"):
    p = registry.get(name)
    note = p.distribution_note.replace("$", r"\$")  # a literal dollar, not MathJax
    rows.append(f"| {p.title} | {p.allowed()} | {p.distribution} | {note} |")
display(Markdown("\n".join(rows)))

# %% [markdown]
# ## The baseline, with its uncertainty

# %%
fig_base, axes_base = channels.new_figure(1, 2, height=3.8)
ui.prepare_figure(fig_base)
for ax, key in zip(axes_base, ("hard_currency_russia", "lifeline_share_russia"), strict=True):
    pu.FanChart(ax, u.fan(baseline, key), label="baseline", legend=key == "hard_currency_russia")
channels.redraw(fig_base)

# %% [markdown]
# **Figure 1.** Baseline (status quo after 2024) over 20,000 plausible worlds. *Left:* hard-currency
# earnings that pass through Russia (cash for munitions, missiles, troops and workers). *Right:* Russia's
# share of all of North Korea's external flows. The line is the median; the dark band holds the middle half
# of the worlds, the light band the middle 90%. The grey years are history, where the model follows the
# recorded episodes; the band there shows how uncertain the model's reconstruction is, not what happened.
# Figure 2 shows which assumptions open the fan.

# %%
display(Markdown(u.statement_greater(baseline, "hard_currency_russia", "hard_currency_china", 2027)))
display(Markdown(u.statement(baseline, "lifeline_share_russia", YEAR, 0.3).replace("$", r"\$")))

# %% [markdown]
# ## What moves it
#
# The tornado chart varies one assumption at a time between its registry bounds. The Sobol' indices vary
# all of them together (1,024 × (K + 2) model runs, a few seconds) and also count interactions: when the
# total index is much larger than the first-order one, that assumption matters *through* others.

# %%
fig_sens, (ax_tornado, ax_sobol) = channels.new_figure(1, 2, width=11, height=4.2)
ui.prepare_figure(fig_sens)
pu.TornadoChart(ax_tornado, u.tornado("baseline", "hard_currency_russia", YEAR), bars=8)
indices = u.sobol("baseline", "hard_currency_russia", YEAR, np.random.default_rng(SEED), n_base=1024)
pu.sobol_bars(ax_sobol, indices, top=8)
channels.redraw(fig_sens)

# %% [markdown]
# **Figure 2.** Hard currency via Russia in 2030, baseline. *Left:* tornado, each bar one assumption alone
# at its low (blue) and high (orange) bound. *Right:* Sobol' indices with 95% bootstrap intervals. Look for
# the price per round: it is not a sourced figure (see the registry), so wherever it ranks high, better
# evidence on it would change the answer most.

# %% [markdown]
# ### Scenario discovery: when does the oil cap leak most?
#
# PRIM looks for a box of assumptions in which a chosen bad outcome is concentrated. Here: refined oil
# above eight times the UN cap of 500,000 bbl (resolution 2397; US Mission to the UN, 2017-12-22) in 2030.

# %%
leak = u.discover(baseline, "oil_cap_leakage", YEAR, 8.0)
display(Markdown(leak.describe().replace("\n  - ", "\n* ").replace("$", r"\$")))
fig_disc, ax_disc = channels.new_figure(1, 1, width=6, height=4)
ui.prepare_figure(fig_disc)
pu.discovery_scatter(ax_disc, baseline.draws, baseline.names, baseline.at("oil_cap_leakage", YEAR) > 8.0, leak.box)
channels.redraw(fig_disc)

# %% [markdown]
# **Figure 3.** Each dot is one plausible world (a sample of them), red where refined oil exceeds eight times
# the cap in 2030. The box is PRIM's rule. *Density* is the share of worlds in the box where the outcome
# happens; *coverage* the share of all such worlds that the box catches.

# %% [markdown]
# ### Scenarios side by side
#
# All presets on the same worlds, with the median, the 90% range, the median paired difference from the
# baseline, and the share of worlds in which the scenario does better for the sanctions' aims.

# %%
comparison = u.compare(
    ["max-pressure", "russia-defects", "china-crackdown", "ukraine-ceasefire"], 5000, np.random.default_rng(SEED)
)
display(Markdown(comparison.markdown(YEAR, ["hard_currency_total", "lifeline_share_russia"]).replace("$", r"\$")))
fig_multi = channels.new_figure(width=11, height=5.5, show=False)[0]
fig_multi.clear()
ui.prepare_figure(fig_multi)
pu.small_multiples(
    fig_multi,
    comparison.fans("hard_currency_total"),
    dict(zip(comparison.names, comparison.titles, strict=True)),
    "baseline",
)
display(fig_multi.canvas)

# %% [markdown]
# **Figure 4.** Total hard-currency earnings under each preset (blue fan) against the baseline's median
# (dashed) and 90% band (dotted).

# %% [markdown]
# ## Try it
#
# Move a lever, pick a preset, or choose another outcome, year or threshold. The fan chart (scenario in blue
# over the baseline in grey), the tornado and the probability sentence update in place. The app lives in the
# object `app` (`app.panel`, `app.outcome`, `app.year`, `app.threshold`, `app.figure`, `app.readout`).

# %%
LEVERS = [
    "china_export_ban_enforcement",
    "china_smuggling_enforcement",
    "china_labour_enforcement",
    "russia_arms_enforcement",
    "russia_oil_cap_enforcement",
    "russia_labour_enforcement",
    "monitoring_regime",
    "war_demand_level",
    "ceasefire_year",
]


class UncertaintyApp:
    """Levers, outcome chooser, fan chart and tornado for one ensemble of plausible worlds."""

    def __init__(self, base):
        self.base = base
        self.panel = ui.ControlPanel(LEVERS, title="Levers")
        self.errors = ui.ErrorBox()
        self.presets = ui.PresetChooser(self.panel, errors=self.errors)
        options = [(q.label, key) for key, q in u.HEADLINES.items()]
        self.outcome = widgets.Dropdown(options=options, value="hard_currency_russia", description="Outcome")
        self.year = widgets.IntSlider(value=YEAR, min=2025, max=int(base.years[-1]), description="Year")
        self.threshold = widgets.FloatText(description="Threshold")
        self.unit = widgets.HTML()
        self.readout = widgets.HTML()
        self.figure, (ax_fan, ax_tornado) = channels.new_figure(1, 2, width=11, height=4.2, show=False)
        ui.prepare_figure(self.figure)
        self.scenario = base
        first = u.fan(base, self.outcome.value)
        self.fan_chart = pu.FanChart(ax_fan, first, first)
        self.tornado_chart = pu.TornadoChart(ax_tornado, u.tornado(None, self.outcome.value, YEAR), bars=8)
        self._reset_threshold()
        self.panel.observe(self.errors.guard(self.update_levers))
        self.outcome.observe(self.errors.guard(self.update_outcome), names="value")
        self.year.observe(self.errors.guard(self.update_view), names="value")
        self.threshold.observe(self.errors.guard(self.update_readout), names="value")
        self.update_view()
        chooser = widgets.HBox([self.outcome, self.year, widgets.HBox([self.threshold, self.unit])])
        self.widget = widgets.VBox(
            [self.presets.widget, self.panel.widget, self.errors.widget, chooser, self.readout, self.figure.canvas]
        )

    @property
    def quantity(self):
        return u.HEADLINES[self.outcome.value]

    def _reset_threshold(self):
        """Start the threshold at the baseline median of the chosen outcome and year (in display units)."""
        scale, label = pu.axis_scale(self.quantity.unit)
        median = float(np.median(self.base.at(self.quantity, self.year.value)))
        self.threshold.value = round(median / scale, 2)
        self.unit.value = f"<span style='color:#555'>{label}</span>"

    def update_levers(self, panel):
        """Same worlds, new lever values: re-run the ensemble and move the fan."""
        self.scenario = self.base.with_levers(panel.overrides())
        self.update_view()

    def update_outcome(self, _change=None):
        self._reset_threshold()
        self.update_view()

    def update_view(self, _change=None):
        """Fan, tornado and readout for the current scenario, outcome and year (artists move in place)."""
        key = self.outcome.value
        self.fan_chart.update(u.fan(self.scenario, key), u.fan(self.base, key))
        self.fan_chart.set_year(self.year.value)
        self.tornado_chart.update(u.tornado(self.panel.overrides(), key, self.year.value))
        self.update_readout()
        channels.redraw(self.figure)

    def update_readout(self, _change=None):
        scale, _ = pu.axis_scale(self.quantity.unit)
        threshold = float(self.threshold.value) * scale
        year = self.year.value
        lines = [
            u.statement(self.scenario, self.quantity, year, threshold),
            u.statement(self.base, self.quantity, year, threshold).replace("worlds,", "worlds under the baseline,", 1),
            u.statement_greater(self.scenario, "hard_currency_russia", "hard_currency_china", year),
        ]
        self.readout.value = "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


app = UncertaintyApp(baseline)
display(app.widget)

# %% [markdown]
# ## Exercises
#
# 1. Under the baseline, in what share of plausible worlds does Russia supply more of North Korea's hard
#    currency than China in 2027? Does *Maximum pressure* change the answer, and by how much?
# 2. Hold every arms assumption fixed (containers, rounds per container, price per round, missiles, missile
#    price, troops, troop pay). How much narrower is the 90% band of hard currency via Russia in 2030?
# 3. The tornado and the Sobol' indices can disagree. Find an assumption whose total Sobol' index is much
#    larger than its first-order index, and explain why one-at-a-time bars would miss it.
# 4. Which assumptions does PRIM name when the outcome is *Russia's share of all flows above 50% in 2030*?
#    Is that a question the seminar could settle with better evidence, or a policy choice?

# %% jupyter={"source_hidden": true}
pressure = baseline.with_levers("max-pressure")
display(
    HTML(
        channels.solution_html(
            f"{u.statement_greater(baseline, 'hard_currency_russia', 'hard_currency_china', 2027)} "
            f"Under maximum pressure: "
            f"{u.statement_greater(pressure, 'hard_currency_russia', 'hard_currency_china', 2027)} "
            "Because both runs use the same worlds, the change is the policy's effect, not sampling noise.",
            "Solution 1",
        )
    )
)

# %% jupyter={"source_hidden": true}
ARMS = [n for n in registry.names("uncertainty") if registry.get(n).group == "arms"]
held = baseline.with_levers(None, fixed=ARMS)
widths = {}
for label, ensemble in (("all uncertain", baseline), ("arms fixed", held)):
    low, high = u.fan(ensemble, "hard_currency_russia").band(0.9)
    widths[label] = float(high[ensemble.results.year_index(YEAR)] - low[ensemble.results.year_index(YEAR)])
display(
    HTML(
        channels.solution_html(
            f"Holding the {len(ARMS)} arms assumptions ({', '.join(ARMS)}) at their central values changes the "
            f"90% band of hard currency via Russia in {YEAR} from "
            f"{ui.format_quantity(widths['all uncertain'], 'USD/yr')} to "
            f"{ui.format_quantity(widths['arms fixed'], 'USD/yr')} "
            f"({1 - widths['arms fixed'] / widths['all uncertain']:.0%} narrower). That share of the band is what "
            "better evidence on the arms trade alone could remove.",
            "Solution 2",
        )
    )
)

# %% jupyter={"source_hidden": true}
gap = indices.total - indices.first
k = int(np.argmax(gap))
largest = (
    f"For hard currency via Russia in {YEAR} the largest gap is for <b>{registry.get(indices.names[k]).title}</b>: "
    f"total index {indices.total[k]:.2f}, first-order {indices.first[k]:.2f}. "
)
if gap[k] > 2 * indices.total_conf[k]:
    verdict = (
        "Its effect depends on other inputs (revenue is a product: containers × rounds × price), so moving it alone "
        "from the central values shows only part of what it does across all worlds."
    )
else:
    verdict = (
        "The gap is within the confidence interval: for this outcome the interactions are small, and the tornado's "
        "ranking is a fair guide. Try Russia's share of all flows, a ratio, where interactions are more likely."
    )
display(HTML(channels.solution_html(largest + verdict, "Solution 3")))

# %% jupyter={"source_hidden": true}
share = u.discover(baseline, "lifeline_share_russia", YEAR, 0.5)
display(
    HTML(
        channels.solution_html(
            "<pre style='white-space:pre-wrap'>"
            + share.describe()
            + "</pre>Every input PRIM can name is an uncertain fact, not a policy choice: the levers are held at the "
            "baseline. Better evidence on the named facts would show which side of the box the world is on.",
            "Solution 4",
        )
    )
)

# %% [markdown]
# ## What this model cannot tell you
#
# * **Probabilities are conditional on the ranges.** "80% of plausible worlds" means 80% of the worlds the
#   registry's ranges and distribution shapes allow. Several ranges are assumptions (the price per round,
#   the diversion share); change them and the probabilities change.
# * **The draws are independent.** In reality some facts move together (more containers may mean a lower
#   price per round). The model draws each uncertainty on its own, which can make bands too wide or too
#   narrow.
# * **Levers are not uncertain here.** Whether Russia keeps buying or China enforces is a choice you set,
#   not a probability; the fan shows only what we do not know about facts.
# * **History is a reconstruction.** Bands in 2013–2024 show how uncertain the model's reconstruction is,
#   not uncertainty about what happened; compare with the observations in notebook 01.
# * **Sobol' indices and PRIM boxes are estimates.** Their intervals and densities come from a finite number
#   of model runs; rerun with another seed before you lean on a small difference.
