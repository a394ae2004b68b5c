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
# # 00 · Start here
#
# **Level:** introductory · **Time:** 5 min
#
# These notebooks simulate **North Korea's economic dependence on China and on Russia under UN
# sanctions**. They follow five lifelines (oil, workers abroad, arms exports, recorded trade and cyber theft)
# from 2013 to 2035 and let you change who enforces what.
#
# The puzzle they are built around: by recorded trade, China has carried about 90% of North Korea's trade
# for a decade (89.1% in 2013, Yonhap, 2014-05-22), and Russia only 1–2% (USD 34 m in 2024, NK News,
# 2025-06-11). Yet since 2023 Russia has bought North Korean munitions by the thousands of containers (more
# than 20,000 by May 2025, MSMT via KBS World, 2025-05-23), paid partly in oil above the UN cap, and vetoed
# the UN panel that monitored sanctions (UN press release SC/15648, 2024-03-28). **Who is the lifeline depends
# on what you count.** The model counts everything it can, says where each number comes from, and shows what
# changes when China or Russia enforces more or less.
#
# Every figure in the model has a source or is marked as an assumption. Press the **i** beside a slider to
# see it; the full list is in `model/parameters.toml` and `model/sources.toml`.

# %% [markdown]
# ## Before you start
#
# * **Run the notebook first.** The notebooks are shipped without outputs (so that their changes stay
#   readable): a freshly opened one shows text and code but no figures or sliders. Choose
#   *Run → Run All Cells* (in Voilà and `./suite app` this happens by itself).
# * **Students on other machines** install nothing. On the teacher's laptop, `./suite class --lan` serves
#   every notebook as a code-free app and prints the address (with a class code) and a QR code for the
#   students to open; allow incoming connections to TCP port 8870. For a large class use the university's
#   JupyterHub (`./suite hub-link …`). The README's *Serving a class* has the details.

# %% [markdown]
# ## The notebooks
#
# | notebook | what it asks | time |
# |---|---|---|
# | **01_lifelines** | Who is the lifeline? Recorded trade against all flows, history with observations | 15 min |
# | **02_oil** | Pipeline crude, the 500,000-barrel cap, ship-to-ship smuggling, Russian tankers | 15 min |
# | **03_labour** | Workers abroad by host, pay and the state's take; the 2019 deadline; IT workers | 15 min |
# | **04_arms** | Containers, shells, missiles and troops for Russia; how Russia pays; what a ceasefire does | 15 min |
# | **05_scenario_lab** | Every lever and the presets, baseline against scenario (also a web app with Voilà) | 20 min |
# | **06_exercises** | A problem set whose answers need the sliders; worked solutions hidden until opened | 25 min |
# | **07_uncertainty** | Fan charts, tornado, Sobol, scenario discovery: how sure are the answers? | 15 min |
# | **08_roleplay** | A role-play: five teams, rounds of model years, event cards and a scoreboard | 50 min |
#
# ## Running a seminar
#
# The **facilitator guide** (`seminar/facilitator_guide.md` in the suite's folder) is the lesson plan: learning
# goals, a minute-by-minute script for 60 and for 90 minutes, a set-up checklist (how students open the apps,
# what to do when the network or a laptop fails), the role cards, the results that surprise, a debrief question
# bank and the answer key to every exercise. In outline:
#
# | phase | 60 minutes | 90 minutes |
# |---|---|---|
# | Hook: "Is China North Korea's lifeline?" | 5 min | 5 min |
# | Explore: **01_lifelines** and **05_scenario_lab** (90: a jigsaw of **02**, **03**, **04**) | 10 min | 20 min |
# | Briefing: five teams, role cards | 5 min | 5 min |
# | Role-play rounds in **08_roleplay**, with event cards between rounds | 2 rounds, 24 min | 3 rounds, 36 min |
# | Robustness check: **07_uncertainty** | — | 10 min |
# | Debrief and exit ticket | 16 min | 14 min |
#
# Without the role-play, **06_exercises** is a problem set for pairs (25 minutes) with worked solutions
# hidden until opened.
#
# ## Sliders, presets and exports
#
# * **Sliders** are the model's levers: policy choices such as how strictly China enforces the export ban.
#   Each has the range, step and unit of its entry in the parameter registry. Changes apply from 2025; the
#   years 2013–2024 follow history. **Assumptions** (uncertain facts, not choices) are in a collapsed
#   section under the levers.
# * **Presets** load a whole scenario (for example *Russia defects from every cap*); **Reset** returns to the
#   baseline, the status quo at the end of 2024.
# * **Exports** save the scenario as a TOML file (which loads back into any notebook), the figure as PNG and
#   PDF with its sources printed underneath, and the results as a CSV table, in the `exports/` folder.
# * If a value cannot be used (for example all four payment weights at 0), a red message says why, and the
#   figure keeps its last valid state.
#
# ## The model in one line
#
# For every channel (recorded trade, smuggling, workers, oil, arms, troops) and every partner $p$
# (China, Russia, others), each year:
#
# $$\text{flow}_p = \text{potential}_p \,(1 - e_p\, d) + \text{re-routed into } p$$
#
# where $e_p$ is that partner's enforcement (a slider) and $d$ the chance that a covert flow is detected
# (set by the monitoring regime). Part of what one partner blocks goes through the other, as far as the
# narrow Russian border allows. Adding the flows up gives the measures the notebooks compare.
#
# ## The baseline

# %%
# %matplotlib widget
from IPython.display import display

from dprk_apps.lab import DemoApp
from dprk_apps.lifelines import dependence_figure
from dprk_teaching import solutions

display(dependence_figure().canvas)


# %% [markdown]
# *Figure 1. Who carries North Korea's flows.* Solid: each partner's share of all flows (recorded trade,
# off-book oil, workers, arms and troops); dotted: China's share of recorded trade alone. History to 2024,
# the baseline projection after it (shaded). On customs figures China stays above 90%; on all flows Russia
# rises to more than a third once it starts buying munitions in 2023.
#
# ## Try it
#
# Two levers and the headline numbers for 2030. Move *Russia stops buying North Korean arms* and watch
# hard currency through Russia fall.


# %%
app = DemoApp()
display(app.widget)

# %% [markdown]
# ## Exercise
#
# Russia stops buying arms altogether (its lever at 1). By how much does North Korea's hard currency
# through Russia fall in 2030, and does its hard currency through China change?

# %%
solutions.start_here()

# %% [markdown]
# ## Installing (for the teacher)
#
# From a copy of the project, two commands do everything (they create the Python environment on first
# use): `./suite lab` opens these notebooks in JupyterLab, `./suite test` runs every test. `./suite app`
# serves the scenario lab as a web page (Voilà, code hidden) that students can use without installing
# anything. Conda and Binder users can use `environment.yml`.
#
# ## What this model cannot tell you
#
# It is a teaching model: a transparent set of assumptions, not a forecast. It has no politics (enforcement
# is what you set), no prices inside North Korea, and the numbers for covert flows rest on a few estimates
# each. Every notebook ends with the limits of its own channel.
