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
# # Scenario lab: every lever in one place
#
# **Level:** intermediate · **Time:** 20 min
#
# North Korea earns hard currency and receives goods, oil and arms payments through two large
# partners. Customs statistics show China with about nine-tenths of recorded trade (KOTRA figures
# reported by Yonhap, 2014-05-22 and the Korea Herald, 2016-06-15). Since 2023 Russia has bought
# munitions and troops: the Multilateral Sanctions Monitoring Team (MSMT) reported more than 20,000
# containers shipped (KBS World, 2025-05-23), and the US said Russia delivered more than 165,000 bbl of
# refined oil in March 2024 alone, about a third of the UN's annual cap (Babel, 2024-05-03). The UN Panel
# of Experts that watched these flows ended when Russia vetoed its mandate (UN press release SC/15648, 2024-03-28).
#
# This lab puts every policy lever of the model in one place. China's levers, Russia's, the UN's
# monitoring and caps, and the state of the world (the war, the border) are grouped separately. Move
# them, or pick a preset, and compare the scenario with the **baseline** (the status quo after 2024) in
# the headline numbers and the figure. Every lever's description and sources open with its **i**
# button; the full list of sources is at the end of the notebook.

# %% [markdown]
# ## The mechanism in a few equations
#
# For each channel (recorded trade, smuggled exports, workers, oil, arms, troops) and partner
# $p \in \{\text{China}, \text{Russia}, \text{other}\}$, in each year:
#
# $$\text{block}_p = e_p \cdot d \qquad \text{own}_p = \text{potential}_p\,(1-\text{block}_p) \qquad
# \text{blocked}_p = \text{potential}_p\,\text{block}_p$$
#
# where $e_p$ is the partner's enforcement lever and $d$ the chance a covert flow is detected (set by
# the monitoring regime; $d = 1$ for a state's own decisions such as buying arms). Part of what is
# blocked is re-routed through the other partner, with diversion share $\delta$:
#
# $$\text{into Russia} = \min\big(\delta\,(\text{blocked}_\text{China} + \text{blocked}_\text{other})
# (1-\text{block}_\text{Russia}),\ \text{spare Russian capacity}\big)$$
#
# $$\text{flow}_p = \text{own}_p + \text{diverted into } p$$
#
# Summed over channels, the flows give the headline outcomes: hard-currency earnings (cash only), each
# partner's **share of all flows** (the lifeline share), its share of **recorded trade** (what customs
# see), the oil supply against need, and **leverage**: what North Korea would lose in a year if that
# partner refused every flow, after re-routing.

# %%
# %matplotlib widget
from IPython.display import HTML, display

from dprk_apps.lab import LabApp, baseline_figure
from dprk_teaching import solutions
from dprk_teaching.tables import citations_html, sources_for

# %% [markdown]
# ## The baseline
#
# The baseline continues the situation at the end of 2024 (every lever at its registry default). History
# 2013–2024 comes from the model's episodes; the shaded years are the projection.

# %%
display(baseline_figure().canvas)

# %% [markdown]
# *Figure 1. Baseline.* Left: hard currency earned through China and Russia and in total. Right: China's
# and Russia's shares of all flows (solid) against China's share of recorded trade (dashed). Recorded
# trade keeps China above 90% while Russia's arms purchases lift its share of all flows; the two
# measures answer different questions. Model output, not observations (see the *01 lifelines* notebook
# for the observed figures).

# %% [markdown]
# ## What moves it
#
# * **China's levers** act on recorded trade, smuggling in Chinese waters, workers and the pipeline:
#   they move China's share and most of the hard currency earned through China.
# * **Russia's levers** act on the arms trade, troops, oil above the cap and its workers: Russia's
#   share of all flows and the oil-cap leakage follow them.
# * **UN and monitoring** sets who detects covert flows and the caps; detection scales every covert
#   channel at once.
# * **World** holds the war (demand for munitions, a ceasefire year), the border and whether cyber
#   theft is counted.
#
# Blocked flows are partly re-routed, so pressure from one partner alone is weaker than it looks.

# %% [markdown]
# ## Interactive lab
#
# Pick a preset or move the levers; the table and the figure compare the scenario with the baseline
# in 2030. Save buttons write the scenario (TOML, loads back with `load_preset(path)`), the figure
# (PNG and PDF with sources) and the results (CSV) as downloads: they arrive in your browser's downloads
# folder.

# %%
app = LabApp()  # its parts, for tests and reuse: app.panel, app.presets, app.table, app.lab, app.exports
display(app.widget)

# %% [markdown]
# *Figure 2. Scenario against baseline.* Solid lines: the scenario; dashed: the baseline; the dotted
# line marks 2030, the year of the table and of the bars. Bottom right: scenario minus baseline in 2030,
# hard currency (solid) and leverage (hatched) by partner.

# %% [markdown]
# ## Exercises
#
# 1. Load **Russia defects**, then **Max pressure**. Which headline number differs most between them,
#    and through which partner?
# 2. From the baseline, set *China enforces the ban on North Korean exports* to 1. Why does China's
#    share of recorded trade barely move while hard currency through China falls?
# 3. From the baseline, set *Russia stops buying North Korean arms* to 1. Why does the oil supply fall
#    too, and why does China's share of all flows rise although China did nothing?
# 4. Switch monitoring to *none*. Hard currency via China rises; why does hard currency via Russia
#    fall slightly?

# %%
solutions.lab(1)

# %%
solutions.lab(2)

# %%
solutions.lab(3)

# %%
solutions.lab(4)

# %% [markdown]
# ## What this model cannot tell you
#
# * **It is not a forecast.** Levers are held constant from 2025 and there are no feedbacks: no
#   retaliation, no change in North Korea's own behaviour, no prices responding to quantities.
# * **Many inputs are assumptions.** Where no source gives a figure (for example how Russia splits its
#   payment between cash, oil, food and technology), the registry says so; open a lever's **i** to
#   check. Different plausible values change the levels, often more than the levers do; the
#   uncertainty notebook explores that.
# * **Leverage is first-order.** It asks what one partner could withhold with the other channels held
#   as they are; it does not model how the other partner would respond.
# * **Covert flows are not observed.** Smuggling, ship-to-ship transfers and cyber theft are estimated
#   from partial reports; the shares of "all flows" inherit their uncertainty.

# %% [markdown]
# ## Sources
#
# The sources of every lever shown (from the parameter registry):

# %%
display(HTML(citations_html(sources_for(app.panel.names))))
