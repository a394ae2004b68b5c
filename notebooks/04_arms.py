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
# # 04 · Arms: munitions, missiles and troops for Russia
#
# The UN has banned all arms exports from North Korea since 2009 (resolution 1874). Since the autumn of
# 2023 Russia has bought them anyway. Seoul counted about 5,000 containers of munitions shipped by December
# 2023 (Pledge Times/EFE, 2023-12-29); more than 10,000 containers, up to 4.8 m shells, by June 2024
# (Euromaidan Press, 2024-06-14); and more than 13,000, over 6 m 152 mm shells, by August 2024 (Kyiv
# Independent, 2024-08-27). The 11-state Multilateral Sanctions Monitoring Team (MSMT) counted more than 20,000
# containers by May 2025 (KBS World, 2025-05-23). Western intelligence put North Korean shells at about half of
# what Russia fired (Kyiv Independent, 2024-10-05). About 11,000 North Korean soldiers went to Kursk from
# October 2024 (NIS, via mingooland.com, 2024-12), reportedly paid USD 2,000 a month each (online.ua, 2024-11).
#
# Nobody knows the price. One study valued the deliveries at USD 1.7–5.5 bn since 2022 (A News/dpa, 2024-10-28);
# the Institute for National Security Strategy put 2023's arms exports to Russia at USD 540 m (Cambodia
# Tribune/Yonhap, 2024). Russia pays partly in kind: it sent about 30% more containers back than it received,
# mainly food (Politico Europe, 2024-02-27), refined oil above the UN cap (notebook 02) and military technology
# such as air defence (KBS World, 2025-05-23). **No source splits the payment**, so the split is a set of
# weights you choose.

# %% [markdown]
# ## The mechanism
#
# With $W$ Russia's war demand relative to 2024, $e_R$ how far Russia honours the arms ban and $s$ the
# post-war restocking share:
#
# $$w_t = W \times \begin{cases} s & \text{from the ceasefire year} \\ 1 & \text{before} \end{cases}$$
#
# $$\text{containers} = w_t\,C\,(1 - e_R), \qquad \text{rounds} = \text{containers} \times r, \qquad
#   \text{missiles} = w_t\,M\,(1 - e_R)$$
#
# $$\text{troops} = W \times T\,(1 - e_R) \quad \text{(none after a ceasefire)}$$
#
# $$\text{payment} = \text{rounds} \times p_\text{round} + \text{missiles} \times p_\text{missile}
#   + \text{troops} \times 12 \times \text{monthly pay}$$
#
# The payment is split by the weights $w_\text{cash}, w_\text{oil}, w_\text{food}, w_\text{tech}$, normalised
# to shares. Only the **cash** share is hard currency; the **oil** share arrives as refined oil above the cap
# (notebook 02); food and technology are lifeline flows but not money.

# %%
# %matplotlib widget
import numpy as np
from IPython.display import HTML, display

from model import Params, registry, simulate, ui
from model.plots import channels
from model.scenarios import load_preset

YEAR = 2030  # the scenario year that the numbers below describe
BASELINE = load_preset("baseline")
baseline = channels.arms_series(simulate(BASELINE.params), BASELINE.params)
OBSERVED = {
    "troops": [channels.observed_points("troops_deployed", "russia", "troops", basis="ROK_NIS", label="NIS, late 2024")]
}

# %% [markdown]
# ## The baseline

# %%
fig_base, axes_base = channels.new_figure(2, 2, height=5.0)
ui.prepare_figure(fig_base)
channels.ArmsQuantitiesChart(axes_base, baseline.years, baseline.quantities, None, observed=OBSERVED)
fig_pay, ax_pay = channels.new_figure(height=3.5)
ui.prepare_figure(fig_pay)
channels.payment_chart(ax_pay, baseline.years, baseline.payment)
fig_pay.canvas.draw_idle()

# %% [markdown]
# **Figure 1.** *Top:* what North Korea ships to Russia per year in the baseline (the war goes on at its 2024
# intensity, no ceasefire before 2036): munition containers, artillery rounds, ballistic missiles and troops.
# The marker is the NIS count of about 11,000 soldiers (mingooland.com, 2024-12). *Bottom:* what Russia pays
# for them, split by form with the payment weights. Only the green cash band counts as hard currency.
# Container counts, rounds per container and prices are assumptions within the ranges in the sources above.

# %% [markdown]
# ## What moves it
#
# * **Russia's war demand** scales everything; a **ceasefire** drops munitions to the restocking share and
#   sends the troops home from the ceasefire year on.
# * **Russia honouring the arms ban** stops purchases, munitions and troops alike.
# * **The payment weights** do not change how much Russia pays, only in what form: moving weight from cash
#   to technology cuts North Korea's hard currency but not the value it receives.

# %% [markdown]
# ## Try it
#
# The controls and the figures live in the object `app` (`app.panel`, `app.figure`, `app.readout`).
# If all four payment weights are set to 0 the model cannot split the payment; the message above the
# figure says so and the figure keeps its last valid state.

# %%
LEVERS = [
    "war_demand_level",
    "ceasefire_year",
    "russia_arms_enforcement",
    "russia_payment_cash_weight",
    "russia_payment_oil_weight",
    "russia_payment_food_weight",
    "russia_payment_technology_weight",
]
ASSUMPTIONS = [
    "munition_containers_per_year",
    "rounds_per_container",
    "price_per_round_usd",
    "missiles_per_year",
    "missile_price_usd",
    "troops_deployed",
    "troop_monthly_pay_usd",
    "post_war_demand_share",
]


def readout_rows(series, base):
    """Numbers shown for YEAR: (key, label, baseline, scenario, formatter)."""
    now, then = series.at(YEAR), base.at(YEAR)
    rows = [(key, title, then[key], now[key], channels.format_count) for key, title, _unit in channels.ARMS_QUANTITIES]
    for form in channels.PAYMENT_FORMS:
        key = f"payment_{form}_usd"
        rows.append((key, f"Russia pays in {form}", then[key], now[key], channels.format_usd))
    rows.append(
        (
            "payment_total_usd",
            "Russia pays, total",
            then["payment_total_usd"],
            now["payment_total_usd"],
            channels.format_usd,
        )
    )
    return rows


class ArmsApp(ui.SliderApp):
    """The interactive arms figure: controls, figure and readout, updated in place on every change."""

    def __init__(self):
        figure = channels.new_figure(height=8.0, show=False)[0]
        figure.clear()
        grid = figure.add_gridspec(3, 2)
        quantity_axes = [figure.add_subplot(grid[i // 2, i % 2]) for i in range(4)]
        ax_pay = figure.add_subplot(grid[2, :])
        self.series = baseline
        self.quantities_chart = channels.ArmsQuantitiesChart(
            quantity_axes, baseline.years, baseline.quantities, None, observed=OBSERVED
        )
        self.payment_chart = channels.payment_chart(ax_pay, baseline.years, baseline.payment)
        super().__init__(LEVERS + ASSUMPTIONS, figure, title="Arms for Russia", panel_title="Arms levers")

    def redraw(self, results):
        """Move the charts and the table to the new results."""
        self.series = channels.arms_series(results, self.params)
        ceasefire = int(self.params.scalar("ceasefire_year"))
        self.quantities_chart.update(self.series.quantities, ceasefire)
        self.payment_chart.update(channels.payment_layers(self.series.payment), ceasefire)
        self.readout.value = channels.readout_html(readout_rows(self.series, baseline), YEAR)


app = ArmsApp()
display(app.widget)

# %% [markdown]
# ## Exercises
#
# 1. A ceasefire in 2026 (the *Ukraine ceasefire* preset). What happens to Russia's cash payment in 2030?
# 2. How low must Russia's war demand fall for its cash payment to drop to USD 540 m a year, the INSS estimate of
#    North Korea's 2023 arms exports to Russia (Cambodia Tribune/Yonhap, 2024)?
# 3. Russia moves all its payment from cash to technology. What happens to the value it pays, and to North
#    Korea's hard currency?

# %% jupyter={"source_hidden": true}
base_year = baseline.at(YEAR)
ceasefire = load_preset("ukraine-ceasefire").params
after = channels.arms_series(simulate(ceasefire), ceasefire).at(YEAR)
display(
    HTML(
        channels.solution_html(
            f"Russia's cash payment in {YEAR} falls from {channels.format_usd(base_year['payment_cash_usd'])} to "
            f"{channels.format_usd(after['payment_cash_usd'])}: munitions drop to the restocking share and the "
            "troops come home. Oil paid in kind falls too, which lowers the oil above the cap (notebook 02).",
            "Solution 1",
        )
    )
)

# %% jupyter={"source_hidden": true}
demand = registry.get("war_demand_level")
levels = demand.positions()  # every slider position
batch = Params.from_overrides({"war_demand_level": levels})
grid = simulate(batch)
cash = np.array([channels.arms_series(grid, batch, draw=i).at(YEAR)["payment_cash_usd"] for i in range(levels.size)])
fits = np.flatnonzero(cash <= 540e6)
answer = (
    f"War demand must fall to {levels[fits[-1]]:.2f} × the 2024 level (cash payment "
    f"{channels.format_usd(cash[fits[-1]])} a year)."
    if fits.size
    else "Not reachable within the slider range."
)
display(HTML(channels.solution_html(answer, "Solution 2")))

# %% jupyter={"source_hidden": true}
tech = Params.from_overrides({"russia_payment_cash_weight": 0.0, "russia_payment_technology_weight": 0.74})
swapped = channels.arms_series(simulate(tech), tech).at(YEAR)
display(
    HTML(
        channels.solution_html(
            f"The total Russia pays stays {channels.format_usd(swapped['payment_total_usd'])} (baseline "
            f"{channels.format_usd(base_year['payment_total_usd'])}), but the cash part falls from "
            f"{channels.format_usd(base_year['payment_cash_usd'])} to "
            f"{channels.format_usd(swapped['payment_cash_usd'])}. "
            "Payment in kind is invisible to measures of hard currency, yet it still strengthens North Korea.",
            "Solution 3",
        )
    )
)

# %% [markdown]
# ## What this model cannot tell you
#
# * **Prices are not sourced.** The price per round is derived from value estimates divided by round counts
#   (USD 300–1,000; project dossier, section 5); the missile price reads "several million dollars" from a
#   mirror of uncertain provenance.
# * **The payment split is a choice**, not a finding: no source reports it.
# * **No battlefield.** Demand is a lever; the model does not know why Russia wants shells, nor what losses
#   the troops suffer.
# * **History is fixed.** Sliders change 2025 onwards only.
#
# ### Sources of the parameters used here

# %%
display(HTML(ui.citations_html(ui.sources_for(LEVERS + ASSUMPTIONS))))
