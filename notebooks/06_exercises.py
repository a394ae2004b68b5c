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
# # 06 · Exercises: a seminar problem set
#
# **Level:** intermediate · **Time:** 25 min
#
# Each question below needs the sliders. Work in pairs: one person moves the levers, the other writes down
# the numbers from the tables. Then open the worked solution, which asks the model the same question with a
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
# Every channel follows the same rule (see `model/mechanism.py`): what a partner blocks is its enforcement times
# the chance of detection, and a share of what one partner blocks is re-routed through the other:
#
# $$\text{flow}_p = \text{potential}_p\,(1 - e_p\,d) + \text{diverted into } p$$

# %%
# %matplotlib widget
from IPython.display import display

from dprk_apps import parameter_names
from dprk_apps.exercises import ExerciseApp
from dprk_teaching import exercises

# %% [markdown]
# ## The workbench
#
# All levers, the presets and a baseline-versus-scenario figure. The first table sums hard currency via
# Russia over the projection, 2025–2035; the second shows the headline numbers in the year chosen with
# *Table year* (2030 to start with; the figure's dotted line stays at 2030). *Load scenario* reads a
# scenario file saved from any of the apps.


# %%
app = ExerciseApp(parameter_names("lever"))  # parts: app.panel, app.table, app.table_year, app.totals
display(app.widget)

# %% [markdown]
# ## Question 1 · Can China make up for Russia?
#
# Load the preset **Russia defects from every cap**. Now raise China's four enforcement levers together
# (exports, imports, smuggling, labour). How strictly must China enforce to keep North Korea's hard-currency
# earnings in 2030 at their 2019 level? (Set *Table year* to 2019 to read that level, then back to 2030.)
# What if cyber theft is left out (switch off *Count cyber theft*, and read the 2019 level again)?

# %%
exercises.china_makes_up()

# %% [markdown]
# ## Question 2 · Which single lever matters most?
#
# Starting from the baseline, move one lever at a time to its strictest position (most enforcement, lowest
# war demand, earliest ceasefire, best monitoring: the Panel of Experts) and back. Which one cuts
# hard-currency earnings in 2030 the most (the *Difference* column of the headline table)?

# %%
exercises.single_lever()

# %% [markdown]
# ## Question 3 · Who is the lifeline?
#
# Set *Table year* to 2024, the last year of history, and read the baseline column. By recorded trade,
# China's share is above 90%. What is China's share of *all* flows, and Russia's? Which partner would cost
# North Korea more if it refused every flow (leverage)?

# %%
exercises.who_is_the_lifeline()

# %% [markdown]
# ## Question 4 · What is a year of war worth?
#
# Move the ceasefire year from 2036 (no ceasefire) back to 2025 and read the 2025–2035 sums. How much hard
# currency does North Korea earn over 2025–2035 through Russia for each ceasefire year, and how much of it is
# cash for arms and troops? How much does each year of delay add?

# %%
exercises.year_of_war()

# %% [markdown]
# ## Question 5 · Does monitoring matter without enforcement?
#
# Compare the three monitoring regimes (none, the UN Panel of Experts, the MSMT) at baseline enforcement,
# then again with the *China cracks down* preset: read hard-currency earnings in 2030 for each. When does
# better monitoring change the result more?

# %%
exercises.monitoring()

# %% [markdown]
# ## What this model cannot tell you
#
# * The model has no politics: enforcement levels are set by you, not by how Beijing or Moscow would react.
# * Hard currency is not welfare: the model does not say how earnings reach the weapons programme or the
#   population.
# * Several key numbers are assumptions (the payment split, the price per round, detection rates). Notebook
#   07 shows how much the answers above move when they change.
