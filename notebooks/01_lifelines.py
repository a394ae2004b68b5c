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
# # Who is North Korea's lifeline: China or Russia?
#
# The usual answer is China. On customs figures China's share of North Korea's recorded trade was
# 89.1% in 2013 (KOTRA, reported by Yonhap, 2014-05-22) and 95.8% in 2018 (KOTRA; Yonhap copy in the
# Times of Manitoba, 2019-07-19), while Russia's was 1.3% in 2015 (KOTRA, Korea Herald, 2016-06-15).
# Recorded trade itself fell from USD 7.34 bn in 2013 to USD 2.84 bn in 2018, when China enforced the UN
# export bans (KOTRA; Yonhap and Japan Times/Kyodo, 2019-07-20).
#
# Customs statistics do not show what matters most since 2023: munitions and troops sold to Russia,
# paid in cash, oil and food. The MSMT reported more than 20,000 containers of munitions shipped
# (KBS World, 2025-05-23); Russian refined oil passed the UN annual cap in March 2024 alone, according
# to the US (Babel, 2024-05-03). Russia's own figure for its 2024 recorded trade with North Korea is a
# "record" USD 34 m (NK News, 2025-06-11).
#
# This notebook compares two measures of dependence: each partner's share of **recorded trade** and
# its share of **all flows** (recorded trade plus off-book oil, workers, arms, troops and smuggling),
# first over the history 2013–2024 with the observations beside the model, then projected to 2035.
#
# *Names for tests and reuse:* `panel`, `errors`, `readout`, `lines` (scenario lines of Figure 2),
# `fig2`, `refresh`.

# %% [markdown]
# ## The mechanism in a few equations
#
# For each channel $c$ and partner $p$, the model computes a flow after enforcement $e_p$, detection
# $d$ and re-routing (diversion share $\delta$) of what is blocked:
#
# $$\text{flow}_{c,p} = \text{potential}_{c,p}\,(1 - e_{c,p}\,d) + \text{diverted into } p$$
#
# The two measures of dependence are ratios of those flows (in USD/yr):
#
# $$\text{recorded share}_p = \frac{\text{exports}_p + \text{imports}_p}{\sum_q (\text{exports}_q +
# \text{imports}_q)} \qquad
# \text{lifeline share}_p = \frac{\sum_c \text{flow}_{c,p}}{\sum_{c,q} \text{flow}_{c,q}}$$
#
# Russia's purchases are paid partly in oil and food, valued as flows; cyber theft is not a partner
# flow and is left out of both.

# %%
# %matplotlib widget
import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import HTML, display

from model import observations, simulate, ui
from model.episodes import FIRST_PROJECTION_YEAR, history
from model.plots import lifelines as lp
from model.scenarios import load_preset

plt.ioff()  # figures are shown where the notebook places them
baseline = simulate(load_preset("baseline").params)
years, last_year = baseline.years, int(baseline.years[-1])

# %% [markdown]
# ## History and the baseline projection
#
# Observations are drawn as markers, one marker shape per statistical basis; a dotted line joins only
# consecutive years of one basis, so years without data stay gaps. KOTRA, KITA, ITC and the Bank of
# Korea (BOK) publish different series and are never joined.

# %%
fig1, axes1 = plt.subplots(1, 3, figsize=(12, 3.8), layout="constrained")
ui.prepare_figure(fig1)
ax_total, ax_recorded, ax_all = axes1
cited = []


def draw_observed(ax, measure, partner, color, bases):
    """Draw each basis of one observed measure as its own marker series; collect the citations."""
    for basis in bases:
        obs_years, values, rows = observations.series(measure, partner=partner, flow="total", basis=basis)
        if len(rows):
            lp.observation_line(
                ax,
                obs_years,
                values,
                years,
                color=color,
                marker=lp.BASIS_MARKERS.get(basis, "o"),
                label=f"{lp.PARTNER_LABELS[partner]}, observed ({basis})",
            )
            cited.extend(f"{r.publisher} ({r.source_date}): {r.source_title}, {r.url}" for r in rows)


for ax in axes1:
    lp.projection_marker(ax, FIRST_PROJECTION_YEAR, last_year)
lp.series_lines(ax_total, years, {"total": baseline.recorded_trade_usd[0].sum(axis=(1, 2))}, label_suffix=", model")
draw_observed(ax_total, "recorded_trade_usd", "total", lp.PARTNER_COLORS["total"], ("KOTRA", "KITA", "ITC", "BOK"))
lp.usd_axis(ax_total)
ax_total.set_ylim(bottom=0)
ax_total.set_title("Recorded trade (USD/yr)", fontsize=10)

model_recorded = {p: baseline.recorded_trade_share[0, :, i] for i, p in enumerate(("china", "russia"))}
lp.series_lines(ax_recorded, years, model_recorded, label_suffix=", model")
for partner in ("china", "russia"):
    draw_observed(ax_recorded, "recorded_trade_share", partner, lp.PARTNER_COLORS[partner], ("KOTRA", "KITA", "ITC"))
lp.share_axis(ax_recorded)
ax_recorded.set_title("Share of recorded trade (fraction)", fontsize=10)

model_all = {p: baseline.lifeline_share[0, :, i] for i, p in enumerate(("china", "russia"))}
lp.series_lines(ax_all, years, model_all, label_suffix=", model")
lp.share_axis(ax_all)
ax_all.set_title("Share of all flows (fraction)", fontsize=10)
for ax in axes1:
    ax.legend(fontsize=6.5, frameon=False, loc="center left")
    ax.tick_params(labelsize=8)
display(fig1.canvas)

# %% [markdown]
# *Figure 1. Two measures of dependence, 2013–2035.* Left: recorded trade of North Korea with all
# partners, model and observations (KOTRA; KITA for 2019; ITC mirror data for 2016; the BOK estimate
# for 2024). Middle: China's and Russia's shares of recorded trade. Right: their shares of all flows,
# for which no observed series exists. The shaded years are the baseline projection (every lever at
# its status-quo value). The episodes that shape the history:

# %%
display(
    HTML(
        f'<ul class="{ui.NO_MATH}">'
        + "".join(
            f"<li><b>{e.first_year}–{e.last_year}: {e.title}.</b> "
            f"{e.description} <i>Sources: {'; '.join(s.citation() for s in e.sources) or 'see episodes.toml'}.</i></li>"
            for e in history().episodes
        )
        + "</ul>"
    )
)

# %% [markdown]
# ## What moves it
#
# On recorded trade China stays above 90% whatever happens to the totals: the export bans shrink
# trade with every partner, so the ratio moves by a few points only. On all flows Russia's
# share jumps from a few per cent to more than a third when the arms trade starts in 2023–2024. The
# levers that move the all-flows share are therefore Russia's purchases (arms enforcement, the war's
# demand, a ceasefire) and China's tolerance of workers and smuggling, not the customs bans.

# %% [markdown]
# ## Try it
#
# Move the levers; the solid lines show the scenario, the dashed ones the baseline. The readout gives
# the 2030 values.

# %%
LEVERS = [
    "china_export_ban_enforcement",
    "china_labour_enforcement",
    "china_smuggling_enforcement",
    "russia_arms_enforcement",
    "russia_oil_cap_enforcement",
    "war_demand_level",
    "ceasefire_year",
]
SHARE_KEYS = ("recorded_trade_share_china", "lifeline_share_china", "lifeline_share_russia")
READOUT_YEAR = 2030
base_headline = {k: baseline.headline(READOUT_YEAR)[k] for k in SHARE_KEYS}

panel = ui.ControlPanel(LEVERS)
errors = ui.ErrorBox()
readout = widgets.HTML(ui.headline_table(base_headline, base_headline, READOUT_YEAR))
readout.add_class("lifelines-readout")

fig2, (ax_r, ax_a) = plt.subplots(1, 2, figsize=(10, 3.4), layout="constrained")
ui.prepare_figure(fig2)
dashed = {"ls": "--", "lw": 1.2, "alpha": 0.7}
for ax, data, title in (
    (ax_r, model_recorded, "Share of recorded trade"),
    (ax_a, model_all, "Share of all flows"),
):
    lp.projection_marker(ax, FIRST_PROJECTION_YEAR, last_year)
    lp.series_lines(ax, years, data, label_suffix=", baseline", **dashed)
    lp.share_axis(ax)
    ax.set_title(title, fontsize=10)
lines = {
    "recorded": lp.series_lines(ax_r, years, model_recorded, label_suffix=", scenario"),
    "all": lp.series_lines(ax_a, years, model_all, label_suffix=", scenario"),
}
for ax in (ax_r, ax_a):
    ax.legend(fontsize=7, frameon=False, loc="center left")


def refresh(panel: ui.ControlPanel) -> None:
    """Run the model for the panel's values; move the scenario lines and the readout."""
    results = simulate(panel.params())
    lp.update_lines(
        lines["recorded"],
        years,
        {"china": results.recorded_trade_share[0, :, 0], "russia": results.recorded_trade_share[0, :, 1]},
    )
    lp.update_lines(
        lines["all"], years, {"china": results.lifeline_share[0, :, 0], "russia": results.lifeline_share[0, :, 1]}
    )
    headline = results.headline(READOUT_YEAR)
    readout.value = ui.headline_table(base_headline, {k: headline[k] for k in SHARE_KEYS}, READOUT_YEAR)
    fig2.canvas.draw_idle()


panel.observe(errors.guard(refresh))
reset = widgets.Button(description="Reset to baseline", icon="undo")
reset.on_click(errors.guard(lambda _button: panel.reset()))
exports = ui.ExportBar(
    panel,
    figure=fig2,
    title="Who is North Korea's lifeline? Recorded trade vs all flows",
    errors=errors,
)
display(widgets.VBox([widgets.HBox([readout, reset]), errors.widget, fig2.canvas, panel.widget, exports.widget]))

# %% [markdown]
# *Figure 2. Scenario against baseline.* Left: shares of recorded trade; right: shares of all flows.
# Dashed: baseline; solid: the scenario set with the levers.

# %% [markdown]
# ## Exercises
#
# 1. Set *China enforces the ban on North Korean exports* to 0, then to 1. How far does China's share
#    of recorded trade move, and its share of all flows?
# 2. Set *Russia stops buying North Korean arms* to 1. Which measure changes, and to roughly what
#    level does Russia's share of all flows return?
# 3. The observed China shares in Figure 1 come from KOTRA, KITA and ITC. Why is it wrong to draw one
#    line through all of them?

# %% [markdown]
# <details><summary><b>Solutions (click to open)</b></summary>
#
# 1. Recorded share: by a few percentage points, staying above 90%, because the bans cut trade with
#    all partners. All-flows share: by much more, because the exports China lets through add to
#    China's flows while Russia's arms flows stay as they are.
# 2. Only the all-flows measure: Russia's share falls back towards its level before 2023 (a few per
#    cent), and China's rises although China did nothing. Recorded trade does not record arms sales.
# 3. The bases differ in coverage and method (KOTRA uses partner mirror data and excludes inter-Korean
#    trade; KITA and ITC compile their own series), so a change from one basis to another is not a
#    change in the economy. Compare within one basis.
#
# </details>

# %% [markdown]
# ## What this model cannot tell you
#
# * **Who would win a tug of war.** Shares describe flows, not political influence; a 40% share of
#   flows paid for with munitions is not the same lever as customs access.
# * **The missing years.** There are no sourced totals for 2020–2023 and no China share after 2019;
#   the model fills those years from episodes, not data (see `model/data/OBSERVATIONS.md`).
# * **Hidden flows.** Smuggling, ship-to-ship oil and worker earnings are estimated from partial
#   reports; their uncertainty carries into the all-flows share.
# * **Reactions.** Levers are fixed from 2025; nobody in the model responds to anyone else.

# %% [markdown]
# ## Sources
#
# Observations drawn in Figure 1, then the sources of the levers:

# %%
display(HTML(ui.citations_html(dict.fromkeys(cited))))
display(HTML(ui.citations_html(ui.sources_for(panel.names))))
