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
# # Who is North Korea's lifeline: China or Russia?
#
# **Level:** introductory · **Time:** 15 min
#
# The usual answer is China. On customs figures China's share of North Korea's recorded trade was
# 89.1% in 2013 (KOTRA, reported by Yonhap, 2014-05-22) and 95.8% in 2018 (KOTRA; Yonhap copy in the
# Times of Manitoba, 2019-07-19), while Russia's was 1.3% in 2015 (KOTRA, Korea Herald, 2016-06-15).
# Recorded trade itself fell from USD 7.34 bn in 2013 to USD 2.84 bn in 2018, when China enforced the UN
# export bans (KOTRA; Yonhap and Japan Times/Kyodo, 2019-07-20).
#
# Customs statistics do not show what matters most since 2023: munitions and troops sold to Russia,
# paid in cash, oil and food. The MSMT reported more than 20,000 containers of munitions shipped
# (KBS World, 2025-05-23); the US said Russia delivered more than 165,000 bbl of refined oil in March 2024
# alone, about a third of the UN's annual cap (Babel, 2024-05-03), and the Open Source Centre counted more
# than 1 m bbl from March to November 2024 (Ukrainska Pravda, 2024-11-22). Russia's own figure for its 2024
# recorded trade with North Korea is a "record" USD 34 m (NK News, 2025-06-11).
#
# This notebook compares two measures of dependence: each partner's share of **recorded trade** and
# its share of **all flows** (recorded trade plus off-book oil, workers, arms, troops and smuggling),
# first over the history 2013–2024 with the observations beside the model, then projected to 2035.

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
from IPython.display import HTML, display

from dprk_apps.lifelines import LEVERS, LifelinesApp, episodes_html, history_figure
from dprk_teaching import solutions
from dprk_teaching.tables import citations_html, sources_for

figure, cited = history_figure()
display(figure.canvas)

# %% [markdown]
# *Figure 1. Two measures of dependence, 2013–2035.* Left: recorded trade of North Korea with all
# partners, model and observations (KOTRA; KITA for 2019; ITC mirror data for 2016; the BOK estimate
# for 2024). Middle: China's and Russia's shares of recorded trade. Right: their shares of all flows,
# for which no observed series exists. The shaded years are the baseline projection (every lever at
# its status-quo value). The episodes that shape the history:

# %%
display(HTML(episodes_html()))

# %% [markdown]
# ## What moves it
#
# On recorded trade China stays above 90% whatever happens to the totals: the export bans shrink
# trade with every partner, so the ratio moves by a few points only. On all flows Russia's
# share jumps from a few per cent to more than a third when the arms trade starts in 2023–2024. The
# levers that move the all-flows share most are therefore the arms trade's (Russia's arms enforcement, the
# war's demand, a ceasefire, North Korea's offer) and, next, China's customs bans: China's ban on North
# Korean exports moves China's all-flows share more than any other Chinese lever, several times more than
# its tolerance of workers or smuggling (`docs/levers.md`). The bans barely move the recorded share, because
# they shrink trade with every partner, but they take recorded exports out of the all-flows total.

# %% [markdown]
# ## Try it
#
# Move the levers; the solid lines show the scenario, the dashed ones the baseline. The readout gives
# the 2030 values.

# %%
app = LifelinesApp()  # its parts, for tests and reuse: app.panel, app.readout, app.lines, app.figure
display(app.widget)

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

# %%
solutions.lifelines(1)

# %%
solutions.lifelines(2)

# %%
solutions.lifelines(3)

# %% [markdown]
# ## What this model cannot tell you
#
# * **Who would win a tug of war.** Shares describe flows, not political influence; a 40% share of
#   flows paid for with munitions is not the same lever as customs access.
# * **The missing years.** KOTRA's totals and China's shares for 2020–2023 are drawn with the other
#   observations, but 2019 has no KOTRA total and 2024 no KOTRA China share; the closure years are
#   calibrated to those figures through the episodes, so matching them shows the calibration, not a
#   prediction (see `model/data/OBSERVATIONS.md` and the history table in `docs/validation.md`).
# * **Hidden flows.** Smuggling, ship-to-ship oil and worker earnings are estimated from partial
#   reports; their uncertainty carries into the all-flows share.
# * **Reactions.** Levers are fixed from 2025; nobody in the model responds to anyone else.

# %% [markdown]
# ## Sources
#
# Observations drawn in Figure 1, then the sources of the levers:

# %%
display(HTML(citations_html(dict.fromkeys(cited))))
display(HTML(citations_html(sources_for(LEVERS))))
