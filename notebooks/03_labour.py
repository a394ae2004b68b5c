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
# # 03 · Labour: workers abroad, their pay and the state's take
#
# North Korea sends workers abroad, mostly to China and Russia, and the state keeps most of what they earn.
# Before the 2017 sanctions there were about 100,000 of them, some 50,000 in China and 30,000 in Russia,
# bringing the state more than USD 500 m a year (US official, *South China Morning Post*, 2019-12).
# Workers in China earned USD 300–400 a month, of which 70–80% was taken (Korea Herald/RFA, 2016-05-25);
# construction workers in Russia earned USD 800–1,000 a month (Daily NK, about 2015).
#
# Resolution 2397 ordered every North Korean earning income abroad to be sent home within 24 months, by
# **22 December 2019** (US Mission to the UN, fact sheet, 2017-12-22). Russia's ambassador said the number in
# Russia fell from 34,000 to 11,000 during 2018 (Sputnik, 2019-02-05). China did not send its workers home by
# the deadline (SCMP, 2019-12). The UN Panel of Experts still counted about 100,000 abroad in 2023, earning
# about USD 500 m, most of them in China and Russia (Radio Free Asia, 2024-03-21). Since the war, the flow to
# Russia has grown again: about 15,000 by 2025, plus 5,000 military builders and 1,000 deminers announced for
# Kursk (NK News, 2025-06-17).
#
# **IT workers** are a separate channel: up to 10,000 abroad under false identities (NK News, 2023-11),
# earning about USD 5,000 a month each, of which about USD 1,700 reached the state in the network the Panel studied
# (UPI, 2020-04-21); the UN estimated USD 250–600 m a year in 2025 (The Financial District, 2025-05).

# %% [markdown]
# ## The mechanism
#
# For each host $p$ (China, Russia, other countries) and year:
#
# $$b_\text{China} = e_\text{China} \times d, \qquad b_\text{Russia} = e_\text{Russia}, \qquad
#   b_\text{other} = e_\text{repatriation} \times d$$
#
# where $e$ is how strictly a host sends workers home and $d$ the chance that monitoring finds a worker who
# is disguised as a student or tourist (Russia's enforcement is its own decision about workers it knows of).
#
# $$\text{workers}_p = W_p\,(1 - b_p) + \text{diverted into } p, \qquad
#   \text{into Russia} \le \text{capacity} - \text{workers Russia keeps}$$
#
# $$\text{state revenue}_p = \text{workers}_p \times \text{monthly pay}_p \times 12 \times \text{state take}$$
#
# $$\text{IT revenue} = \text{IT workers} \times (1 - e_\text{repatriation} \times d)
#   \times \text{monthly IT pay} \times 12 \times \text{IT state take}$$
#
# A share of the workers China sends home is re-routed to Russia, up to what Russia can absorb.

# %%
# %matplotlib widget
import numpy as np
from IPython.display import HTML, display

from model import Params, registry, simulate, ui
from model.plots import channels
from model.scenarios import load_preset

YEAR = 2030  # the scenario year that the numbers below describe
BASELINE = load_preset("baseline")
baseline = channels.labour_series(simulate(BASELINE.params))

OBSERVED_WORKERS = [
    channels.observed_points("workers_abroad", "total", "labour", basis="US_estimate", label="all hosts (US estimate)"),
    channels.observed_points("workers_abroad", "total", "labour", basis="UN_PoE", label="all hosts (UN panel)"),
    channels.observed_points("workers_abroad", "russia", "labour", basis="RU_ambassador", label="in Russia (Russia)"),
    channels.observed_points("workers_abroad", "russia", "labour", basis="ROK_intel", label="in Russia (Seoul)"),
]

# %% [markdown]
# ## The baseline

# %%
fig_base, (ax_workers, ax_revenue) = channels.new_figure(2, 1, height=7.5)
ui.prepare_figure(fig_base)
channels.WorkersChart(ax_workers, baseline.years, baseline.workers, baseline.it_workers, observed=OBSERVED_WORKERS)
channels.labour_revenue_chart(ax_revenue, baseline.years, baseline.revenue)
fig_base.canvas.draw_idle()

# %% [markdown]
# **Figure 1.** *Top:* North Korean workers abroad by host (stacked) and IT workers (line). Markers are
# observed head counts: the US pre-sanctions estimate (SCMP, 2019-12), the UN panel's 2023 count (RFA,
# 2024-03-21), Russia's own figures (Sputnik, 2019-02-05) and South Korean intelligence for 2025 (WSJ
# summary). *Bottom:* what the state keeps from their pay. Russia's workers are fewer than China's but
# earn almost three times as much each, so they bring in about as much; IT workers, a few thousand people,
# earn the most of all.

# %% [markdown]
# ## What moves it
#
# * **China's and Russia's repatriation** remove workers from each host; part of those China sends home
#   go to Russia instead, up to Russia's capacity to absorb them.
# * **Third countries' repatriation** removes workers elsewhere and IT workers; like China's enforcement it
#   only reaches those that monitoring finds, so the **monitoring regime** matters.
# * **Pay and the state's take** (assumptions) scale the revenue without changing the head counts.

# %% [markdown]
# ## Try it
#
# The controls and the figure live in the object `app` (`app.panel`, `app.figure`, `app.readout`).

# %%
LEVERS = ["china_labour_enforcement", "russia_labour_enforcement", "worker_repatriation", "monitoring_regime"]
ASSUMPTIONS = [
    "workers_potential_china",
    "workers_potential_russia",
    "workers_potential_other",
    "monthly_pay_china_usd",
    "monthly_pay_russia_usd",
    "state_take",
    "it_workers",
    "it_monthly_pay_usd",
    "it_state_take",
    "russia_route_worker_capacity",
    "diversion_share",
]


def readout_rows(series, base):
    """Numbers shown for YEAR: (key, label, baseline, scenario, formatter)."""
    now, then = series.at(YEAR), base.at(YEAR)
    rows = [
        (f"workers_{p}", f"Workers {channels.HOST_LABELS[p].lower()}", then[f"workers_{p}"], now[f"workers_{p}"])
        for p in ("china", "russia", "other")
    ]
    rows = [(*row, channels.format_count) for row in rows]
    rows.append(("it_workers", "IT workers", then["it_workers"], now["it_workers"], channels.format_count))
    for key, label in (
        ("revenue_china_usd", "State revenue from China"),
        ("revenue_russia_usd", "State revenue from Russia"),
        ("revenue_other_usd", "State revenue from elsewhere"),
        ("revenue_it_usd", "State revenue from IT workers"),
        ("revenue_total_usd", "State revenue, total"),
    ):
        rows.append((key, label, then[key], now[key], channels.format_usd))
    return rows


class LabourApp(ui.SliderApp):
    """The interactive labour figure: controls, figure and readout, updated in place on every change."""

    def __init__(self):
        figure, (ax_workers, ax_revenue) = channels.new_figure(2, 1, height=7.5, show=False)
        self.series = baseline
        self.workers_chart = channels.WorkersChart(
            ax_workers, baseline.years, baseline.workers, baseline.it_workers, observed=OBSERVED_WORKERS
        )
        self.revenue_chart = channels.labour_revenue_chart(ax_revenue, baseline.years, baseline.revenue)
        super().__init__(LEVERS + ASSUMPTIONS, figure, title="North Korean workers abroad", panel_title="Labour levers")

    def redraw(self, results):
        """Move the charts and the table to the new results."""
        self.series = channels.labour_series(results)
        self.workers_chart.update(self.series.workers, self.series.it_workers)
        self.revenue_chart.update(self.series.revenue)
        self.readout.value = channels.readout_html(readout_rows(self.series, baseline), YEAR)


app = LabourApp()
display(app.widget)

# %% [markdown]
# ## Exercises
#
# 1. China sends every worker home (its lever at 1). How much revenue does the state lose from China in
#    2030, and how much of it comes back through Russia?
# 2. How strictly must Russia enforce to bring the number of workers in Russia back to 11,000, the level its
#    ambassador reported for December 2018 (Sputnik, 2019-02-05)?
# 3. Restore the UN Panel of Experts (monitoring). Which channel loses more: ordinary workers or IT workers?

# %% jupyter={"source_hidden": true}
base_year = baseline.at(YEAR)
strict = channels.labour_series(simulate(Params.from_overrides({"china_labour_enforcement": 1.0}))).at(YEAR)
lost = base_year["revenue_china_usd"] - strict["revenue_china_usd"]
regained = strict["revenue_russia_usd"] - base_year["revenue_russia_usd"]
display(
    HTML(
        channels.solution_html(
            f"Revenue from workers in China falls by {channels.format_usd(lost)} in {YEAR}; revenue from Russia "
            f"rises by {channels.format_usd(regained)} because part of the workers sent home go to Russia. "
            "Only the workers that monitoring finds can be sent home, so China's count does not fall to zero.",
            "Solution 1",
        )
    )
)

# %% jupyter={"source_hidden": true}
lever = registry.get("russia_labour_enforcement")
levels = lever.positions()  # every slider position
grid = simulate(Params.from_overrides({"russia_labour_enforcement": levels}))
in_russia = grid.workers_abroad[:, int(np.flatnonzero(grid.years == YEAR)[0]), 1]
enough = np.flatnonzero(in_russia <= 11_000)
answer = (
    f"Russia's enforcement must reach {levels[enough[0]]:.2f} ({channels.format_count(in_russia[enough[0]])} "
    f"workers in {YEAR}; baseline {channels.format_count(base_year['workers_russia'])})."
    if enough.size
    else f"Not reachable: even full enforcement leaves {channels.format_count(in_russia[-1])} workers, because "
    "workers China sends home are diverted to Russia."
)
display(HTML(channels.solution_html(answer, "Solution 2")))

# %% jupyter={"source_hidden": true}
panel_back = channels.labour_series(simulate(Params.from_overrides({"monitoring_regime": "panel_of_experts"}))).at(YEAR)
workers_loss = sum(base_year[f"revenue_{p}_usd"] - panel_back[f"revenue_{p}_usd"] for p in ("china", "russia", "other"))
it_loss = base_year["revenue_it_usd"] - panel_back["revenue_it_usd"]
display(
    HTML(
        channels.solution_html(
            f"With the panel back, revenue from ordinary workers falls by {channels.format_usd(workers_loss)} and "
            f"from IT workers by {channels.format_usd(it_loss)} in {YEAR}. Better detection only helps where a "
            "host acts on it: Russia's enforcement does not depend on monitoring in this model.",
            "Solution 3",
        )
    )
)

# %% [markdown]
# ## What this model cannot tell you
#
# * **Head counts are uncertain by tens of thousands.** Estimates for China alone run from 50,000 to over
#   100,000 (SCMP, 2019-12; RFA, 2024-03-21); the potential numbers are assumptions within that range.
# * **Workers are not a market.** The model does not let pay rise when workers are scarce, nor North Korea
#   send workers to new hosts beyond the diversion share.
# * **Military builders and deminers** sent to Russia in 2025 are counted only through the Russian worker
#   figures, not as a separate channel.
# * **History is fixed.** Sliders change 2025 onwards only.
#
# ### Sources of the parameters used here

# %%
display(HTML(ui.citations_html(ui.sources_for(LEVERS + ASSUMPTIONS))))
