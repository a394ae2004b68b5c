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
# # 02 · Oil: pipeline, cap, smuggling and Russia's tankers
#
# **Level:** intermediate · **Time:** 15 min
#
# North Korea imports almost all of its oil, and oil is the one lifeline the UN capped by volume.
# Four routes bring it in, and each answers to a different decision maker:
#
# 1. **Pipeline crude from China.** The Dandong–Sinuiju pipeline carries about 525,000 t a year, about
#    4 m barrels. Chinese customs have recorded no crude exports since 2014; the deliveries go on as aid
#    (Global Energy Monitor wiki, *Dandong-Sinuiju Oil Pipeline*). The 2017 sanctions did not ban crude but
#    capped it at 4 m bbl a year (resolution 2397), about what the pipeline carries. Whether it flows is
#    **Beijing's political choice, not leakage**. Customs data (KOTRA) count the pipeline crude and the
#    reported refined products inside North Korea's imports: crude and oil products were USD 520 m, 36.4% of
#    imports, in 2022 (The Sun Daily, 2023-07-20). In the model every barrel is counted once.
# 2. **Reported refined products.** Resolution 2397 (December 2017) capped refined deliveries at
#    **500,000 barrels a year** and crude at 4 m barrels (US Mission to the UN, fact sheet, 2017-12-22).
#    China and Russia reported about 418,000 bbl in 2019, 83% of the cap (Korea Herald/Yonhap, 2020-02-21).
# 3. **Ship-to-ship smuggling.** The US counted about 1.37 m bbl delivered illicitly in January–May 2018
#    alone (Straits Times/Reuters, 2018-07-14); the UN Panel of Experts reported 4.4 m bbl in January–September
#    2020 (UPI, 2021-02-15).
# 4. **Russian deliveries from 2024.** The US said Russia sent more than 165,000 bbl in March 2024 alone
#    (Babel, 2024-05-03); the Open Source Centre counted 43 tanker visits and more than 1 m bbl from March to
#    November 2024 (Ukrainska Pravda, 2024-11-22). In the model this oil is part of Russia's payment for
#    munitions and troops (notebook 04).
#
# Estimates of how much oil North Korea *needs* range from about 6.5 m bbl a year (Nautilus Institute, via
# John Menadue, 2017-09-14) and 8.5 m bbl (the US's pre-2017 import estimate, via the Guardian copy on
# nhub.news, 2017-09) to 9 m bbl (BBC/Open Source Centre, via YTN, 2024-11-22); the model takes
# 7 m bbl as its central value (the project's calibration dossier, section 8). That central value is an
# estimate of use; the estimates of supply imply more: about 8.5 m bbl in 2016 (4.5 m bbl of refined
# products and about 4 m of pipeline crude, both US estimates) and at least 8.5 m bbl in 2020 (the Panel's
# 4.4 m bbl smuggled in January–September alone, UPI 2021-02-15, plus the pipeline and reported deliveries).
# The model never uses more oil than the need, so in those years it draws less than these markers: either
# the need is higher (its range reaches 9 m bbl) or the rest was stocked or re-sold, which the model does
# not hold. Every parameter and its source is listed at the end of this notebook.

# %% [markdown]
# ## The mechanism
#
# For each year (all quantities in barrels per year):
#
# $$\text{sent} = P\,(1 - \text{cut}_\text{China}), \qquad
#   \text{pipeline} = \text{sent} - c_\text{China} \times \max(\text{sent} - \text{crude cap},\ 0)$$
#
# where $c_\text{China}$ is how far China keeps the pipeline within the crude cap (its own choice).
#
# $$\text{gap} = \max(\text{need} - \text{pipeline},\ 0), \qquad
#   \text{reported} = \min(\text{gap},\ R,\ \text{refined cap})$$
#
# where $R$ is the level suppliers choose to sell openly and report; the cap limits it but does not scale it.
#
# $$\text{Russian oil} = \min\Big(\text{oil share of Russia's payment} \times
#   \frac{\text{payment for arms and troops (USD)}}{\text{refined price (USD/bbl)}},\
#   \text{gap} - \text{reported},\ \text{Russian route capacity}\Big) \times (1 - e_R)$$
#
# What Russia cannot or will not deliver is paid in its other forms (cash, food, technology: notebook 04).
#
# $$\text{STS} = \min\big(\text{gap} - \text{reported} - \text{Russian oil},\ \text{STS capacity}\big)$$
#
# Smuggled barrels are bought: North Korea pays the refined price times a smuggling premium for each, and a
# scarcity price on top when the ship-to-ship network is full. Reported deliveries cost the refined price;
# pipeline crude (China's aid) and Russia's oil (payment in kind) cost no hard currency. **Net hard currency**
# is hard currency less these oil purchases.
#
# Smuggled oil then meets enforcement. For each partner $p$ the share blocked is $b_p = e_p \times d$,
# where $e_p$ is that partner's enforcement and $d$ is the chance that monitoring detects a covert delivery:
#
# $$\text{flow}_p = \text{potential}_p\,(1 - b_p) + \text{what is diverted into } p$$
#
# A share of what China and other states block is re-routed through the Russian ports, up to their spare
# capacity. Every barrel is counted once: pipeline crude and reported refined products are inside recorded
# imports (as customs data count them); in the all-flows measure every barrel is valued alike, at the refined
# price, and only up to need: $\min(1, \text{need}/\text{supply})$.

# %%
# %matplotlib widget
from IPython.display import HTML, display

from dprk_apps.channels import OIL_ASSUMPTIONS, OIL_LEVERS, OilApp, oil_figure
from dprk_figures.views import oil_series
from dprk_teaching import solutions
from dprk_teaching.tables import citations_html, sources_for
from model.core import simulate
from model.scenarios import BASELINE, load_preset

# %% [markdown]
# ## The baseline
#
# The figure below shows the baseline: history 2013–2024 as it happened (the model's episodes), then the
# status quo carried forward.

# %%
baseline_figure = oil_figure(oil_series(simulate(load_preset(BASELINE).params)))

# %% [markdown]
# **Figure 1.** *Top:* oil reaching North Korea by route, against its need (dashed). The pipeline is the
# largest single route and never stops. *Bottom:* refined oil against the UN cap of 500,000 bbl
# (orange, from 2018). Reported deliveries stay under the cap; smuggled and Russian oil take the total to
# several times the cap. Black markers are observed figures: the pipeline volume (US official via
# nhub.news, 2017; GEM wiki), reported deliveries (Korea Herald/Yonhap, 2020-02-21) and the US estimate of
# 4.5 m bbl of refined imports in 2016 (US Mission to the UN, 2017-12-22).

# %% [markdown]
# ## What moves it
#
# * **China's pipeline cut** removes crude directly; the gap is then refilled by smuggling up to the
#   ship-to-ship capacity, so the fall in supply is smaller than the cut.
# * **China's smuggling enforcement** and **maritime interdiction by other states** block ship-to-ship
#   transfers, but only those that monitoring detects: the monitoring regime multiplies both.
# * **Russia respecting the cap** stops the oil it pays North Korea with; part of the need it leaves is then
#   filled by ship, and North Korea pays for those barrels (Russia pays more in cash instead, but net hard
#   currency falls). **Russia's oil weight** and **war demand** set how much oil Russia owes in the first place.
# * **The refined cap** itself matters little, for a different reason than it seems: reported deliveries sit
#   at their own level (about 170,000 bbl a year, what suppliers choose to declare), well below the cap of
#   500,000 bbl, so a higher cap changes nothing. A lower cap removes reported barrels, and smuggled and
#   Russian oil fill the gap, so even a cap of 100,000 bbl moves oil supply and net hard currency by less
#   than 1% (see `docs/levers.md`): the barrels come back, but not for free.

# %% [markdown]
# ## Try it
#
# Move a slider and the figure, the table and the leakage ratio update. Presets load whole scenarios;
# *Reset* goes back to the baseline; the export buttons save the scenario (TOML), the figure (PNG and PDF
# with sources) and the results (CSV) in the `exports/` folder.

# %%
app = OilApp()  # its parts, for tests and reuse: app.panel, app.readout, app.figure, app.supply_chart, app.cap_chart
display(app.widget)

# %% [markdown]
# ## Exercises
#
# Answer with the sliders first; then open the worked solution, which asks the model the same question.
#
# 1. Set **China polices smuggling in its waters** to its maximum. How much does smuggling through
#    Chinese waters fall in 2030, and how much of it reappears elsewhere?
# 2. Russia fully respects the refined cap. What share of North Korea's need is still met in 2030?
# 3. How far must China cut the pipeline before total supply falls below 80% of need (other levers at
#    baseline)?

# %%
solutions.oil(1)

# %%
solutions.oil(2)

# %%
solutions.oil(3)

# %% [markdown]
# ## What this model cannot tell you
#
# * **Need is fixed.** The model does not let North Korea cut its oil use when supply falls, although the
#   Nautilus Institute estimated it could quickly cut civilian use by about 40% (2017-09-05). Shortages show
#   up only as supply below need.
# * **No tanker-by-tanker data.** Ship-to-ship volumes come from a handful of US and UN estimates for
#   2018–2020; their split between Chinese and other waters is an assumption.
# * **No prices inside North Korea**, no stocks and no military priority in who gets the oil.
# * **History is fixed.** Sliders change 2025 onwards only; the years 2013–2024 follow the episodes in
#   `model/data/episodes.toml`.
#
# ### Sources of the parameters used here

# %%
display(HTML(citations_html(sources_for(OIL_LEVERS + OIL_ASSUMPTIONS))))
