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
# # 06 · Exercises: a seminar problem set
#
# Each question below needs the sliders. Work in pairs: one person moves the levers, the other writes down
# the numbers from the table. Then open the worked solution, which asks the model the same question with a
# small search over the lever's slider positions. The solutions are computed when the notebook runs, so they
# stay right if the model's parameters are revised.
#
# The figures the questions refer to come from the model's history and parameter registry; their sources
# are listed with each parameter (press the **i** beside a slider) and in `model/sources.toml`.
#
# **Hard-currency earnings** are the cash the North Korean state earns abroad: recorded exports, smuggled
# exports, workers' and IT workers' pay, arms and troops paid in cash, and cyber theft
# (`model.results.HARD_CURRENCY_CHANNELS`). Payment in kind (oil, food, technology) is not hard currency.

# %% [markdown]
# ## The mechanism in one line
#
# Every channel follows the same rule (see `model/core.py`): what a partner blocks is its enforcement times
# the chance of detection, and a share of what one partner blocks is re-routed through the other:
#
# $$\text{flow}_p = \text{potential}_p\,(1 - e_p\,d) + \text{diverted into } p$$

# %%
# %matplotlib widget
import numpy as np
from IPython.display import HTML, display

from model import Params, registry, simulate, ui
from model.plots import channels
from model.plots.lab import LabFigure
from model.results import HARD_CURRENCY_CHANNELS
from model.scenarios import load_preset

YEAR = 2030  # the scenario year the questions ask about
BASELINE = load_preset("baseline")
baseline_results = simulate(BASELINE.params)
T = baseline_results.year_index(YEAR)
T_2019 = baseline_results.year_index(2019)


def hard_currency(results):
    """Hard-currency earnings per draw in YEAR (USD/yr)."""
    return results.hard_currency_total_usd[:, T]


# %% [markdown]
# ## The workbench
#
# All levers, the presets and a baseline-versus-scenario figure. The table shows the focus year. The
# controls live in the object `app` (`app.panel`, `app.figure`, `app.table`).


# %%
class ExerciseApp(ui.SliderApp):
    """All levers with a headline table and the scenario-lab figure, updated in place."""

    def __init__(self):
        figure = channels.new_figure(width=10, height=6.5, show=False)[0]
        figure.clear()
        figure.set_layout_engine("none")  # the lab figure places its own panels
        self.lab = LabFigure(figure, baseline_results.years, baseline_results, baseline_results, YEAR)
        super().__init__(ui.parameter_names("lever"), figure, title="Exercise scenario", panel_title="All levers")

    @property
    def table(self):
        """The headline table (the app's readout)."""
        return self.readout

    def redraw(self, results):
        """Move the lab figure and the headline table to the new results."""
        self.lab.update(results)
        self.readout.value = ui.headline_table(baseline_results.headline(YEAR), results.headline(YEAR), YEAR)

    def draw(self):
        """Render over the lab figure's cached background (see LabFigure.render)."""
        self.lab.render()


app = ExerciseApp()
display(app.widget)

# %% [markdown]
# ## Question 1 · Can China make up for Russia?
#
# Load the preset **Russia defects from every cap**. Now raise China's four enforcement levers together
# (exports, imports, smuggling, labour). How strictly must China enforce to keep North Korea's hard-currency
# earnings in 2030 at their 2019 level? What if cyber theft is left out (switch off *Count cyber theft*)?

# %% jupyter={"source_hidden": true}
CHINA_LEVERS = [
    "china_export_ban_enforcement",
    "china_import_ban_enforcement",
    "china_smuggling_enforcement",
    "china_labour_enforcement",
]
level_2019 = float(baseline_results.hard_currency_total_usd[0, T_2019])
levels = registry.get("china_smuggling_enforcement").positions()
defects = load_preset("russia-defects").params


def china_search(include_cyber):
    """Hard currency in YEAR for every common level of China's four levers, Russia defecting."""
    overrides = dict.fromkeys(CHINA_LEVERS, levels) | {"include_cyber": include_cyber}
    return hard_currency(simulate(Params.from_overrides(overrides, base=defects)))


def first_level(earnings, target):
    hits = np.flatnonzero(earnings <= target)
    return None if hits.size == 0 else float(levels[hits[0]])


parts = []
for cyber in (True, False):
    earnings = china_search(cyber)
    cyber_2019 = float(baseline_results.hard_currency_usd[0, T_2019, HARD_CURRENCY_CHANNELS.index("cyber")].sum())
    target = level_2019 if cyber else level_2019 - cyber_2019
    found = first_level(earnings, target)
    label = "with cyber theft" if cyber else "without cyber theft"
    parts.append(
        f"<li>{label}: 2019 level {channels.format_usd(target)}; "
        + (
            f"China must enforce at {found:.2f} on all four levers."
            if found is not None
            else f"not reachable: even full enforcement leaves {channels.format_usd(earnings[-1])} "
            f"(at zero enforcement {channels.format_usd(earnings[0])})."
        )
        + "</li>"
    )
display(
    HTML(
        channels.solution_html(
            "<ul>" + "".join(parts) + "</ul>Russia's cash for arms and troops and the cyber haul lie outside "
            "China's reach: China's enforcement can remove only what passes through China, and part of that is "
            "re-routed through Russia.",
            "Solution 1",
        )
    )
)

# %% [markdown]
# ## Question 2 · Which single lever matters most?
#
# Starting from the baseline, move one lever at a time to its strictest position (most enforcement, lowest
# war demand, earliest ceasefire, best monitoring). Which one cuts hard-currency earnings in 2030 the most?

# %% jupyter={"source_hidden": true}
STRICT = {
    "china_export_ban_enforcement": 1.0,
    "china_import_ban_enforcement": 1.0,
    "china_smuggling_enforcement": 1.0,
    "china_labour_enforcement": 1.0,
    "china_pipeline_cut": 1.0,
    "russia_arms_enforcement": 1.0,
    "russia_oil_cap_enforcement": 1.0,
    "russia_labour_enforcement": 1.0,
    "russia_trade_enforcement": 1.0,
    "maritime_interdiction": 1.0,
    "worker_repatriation": 1.0,
    "monitoring_regime": "panel_of_experts",
    "war_demand_level": 0.0,
    "ceasefire_year": 2025,
}
base_value = float(hard_currency(baseline_results)[0])
effects = {
    name: base_value - float(hard_currency(simulate(Params.from_overrides({name: value})))[0])
    for name, value in STRICT.items()
}
ranked = sorted(effects.items(), key=lambda item: -item[1])
rows = "".join(
    f"<tr><td>{registry.get(name).title}</td><td>{channels.format_usd(cut)}</td></tr>" for name, cut in ranked
)
display(
    HTML(
        channels.solution_html(
            f"Baseline hard currency in {YEAR}: {channels.format_usd(base_value)}. Cut from each lever alone:"
            f"<table>{rows}</table>The largest single cut comes from <b>{registry.get(ranked[0][0]).title}</b>.",
            "Solution 2",
        )
    )
)

# %% [markdown]
# ## Question 3 · Who is the lifeline?
#
# Look at 2024 in the table (load the *History* preset, or read the baseline columns). By recorded trade,
# China's share is above 90%. What is China's share of *all* flows, and Russia's? Which partner would cost
# North Korea more if it refused every flow (leverage)?

# %% jupyter={"source_hidden": true}
h = baseline_results.headline(2024)
display(
    HTML(
        channels.solution_html(
            f"In 2024 China's share of recorded trade is {h['recorded_trade_share_china']:.0%}, but its share of "
            f"all flows is {h['lifeline_share_china']:.0%}, against {h['lifeline_share_russia']:.0%} for Russia. "
            f"Leverage: China {channels.format_usd(h['leverage_china_usd'])}, Russia "
            f"{channels.format_usd(h['leverage_russia_usd'])} a year. Recorded trade hides Russia's arms-for-oil "
            "barter and cash, so it overstates China's weight.",
            "Solution 3",
        )
    )
)

# %% [markdown]
# ## Question 4 · What is a year of war worth?
#
# Move the ceasefire year from 2036 (no ceasefire) back to 2025. How much hard currency does North Korea earn
# over 2025–2035 through Russia for each ceasefire year? How much does each year of delay add?

# %% jupyter={"source_hidden": true}
years_of_peace = registry.get("ceasefire_year").positions().astype(int)
batch = simulate(Params.from_overrides({"ceasefire_year": years_of_peace}))
projection = batch.years >= 2025
russia_index = 1
arms = [HARD_CURRENCY_CHANNELS.index("arms"), HARD_CURRENCY_CHANNELS.index("troops")]
through_russia = batch.hard_currency_usd[:, projection][:, :, arms, russia_index].sum(axis=(1, 2))
per_year = np.diff(through_russia)
rows = "".join(
    f"<tr><td>{year}</td><td>{channels.format_usd(total)}</td></tr>"
    for year, total in zip(years_of_peace, through_russia, strict=True)
)
display(
    HTML(
        channels.solution_html(
            f"Cash from arms and troops through Russia, summed over 2025–2035:<table>{rows}</table>"
            f"Each year of delay adds about {channels.format_usd(float(np.median(per_year)))}.",
            "Solution 4",
        )
    )
)

# %% [markdown]
# ## Question 5 · Does monitoring matter without enforcement?
#
# Compare the three monitoring regimes (none, the UN Panel of Experts, the MSMT) at baseline enforcement,
# then again with the *China cracks down* preset. When does better monitoring change the result more?

# %% jupyter={"source_hidden": true}
regimes = list(registry.get("monitoring_regime").choices)
lines, spreads = [], {}
for preset in ("baseline", "china-crackdown"):
    base = load_preset(preset).params
    values = hard_currency(simulate(Params.from_overrides({"monitoring_regime": regimes}, base=base)))
    spread = spreads[preset] = values.max() - values.min()
    cells = ", ".join(f"{r}: {channels.format_usd(v)}" for r, v in zip(regimes, values, strict=True))
    lines.append(f"<li><b>{preset}</b>: {cells} (spread {channels.format_usd(spread)})</li>")
display(
    HTML(
        channels.solution_html(
            "<ul>" + "".join(lines) + "</ul>Monitoring multiplies enforcement: detection only stops a flow where "
            "a partner acts on it, so the regimes differ "
            + ("more" if spreads["china-crackdown"] > spreads["baseline"] else "less")
            + " when China enforces strictly.",
            "Solution 5",
        )
    )
)

# %% [markdown]
# ## What this model cannot tell you
#
# * The model has no politics: enforcement levels are set by you, not by how Beijing or Moscow would react.
# * Hard currency is not welfare: the model does not say how earnings reach the weapons programme or the
#   population.
# * Several key numbers are assumptions (the payment split, the price per round, detection rates). Notebook
#   07 shows how much the answers above move when they change.
