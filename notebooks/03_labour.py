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
# # 03 · Labour: workers abroad, their pay and the state's take
#
# **Level:** intermediate · **Time:** 15 min
#
# North Korea sends workers abroad, mostly to China and Russia, and the state keeps most of what they earn.
# Before the 2017 sanctions there were about 100,000 of them, some 50,000 in China and 30,000 in Russia,
# bringing the state more than USD 500 m a year (US official, *South China Morning Post*, 2019-12).
# Workers in China earned USD 300–400 a month, of which 70–80% was taken (Korea Herald/RFA, 2016-05-25);
# construction workers in Russia earned USD 800–1,000 a month (Daily NK, about 2015).
#
# Resolution 2397 ordered every North Korean earning income abroad to be sent home within 24 months, by
# **22 December 2019** (US Mission to the UN, fact sheet, 2017-12-22). Russia told the UN sanctions committee
# that North Koreans with valid work permits fell from 30,023 to 11,490 during 2018 (its report of March 2019,
# unpublished, as reported by Reuters and CNN, 2019-03-26); its ambassador had put the peak at 37,000 (Interfax,
# 2018-02-07). China did not send its workers home by the deadline (SCMP, 2019-12). The UN Panel of Experts
# still counted about 100,000 abroad in 2023, earning about USD 500 m, most of them in China and Russia (final
# report S/2024/215, via Radio Free Asia, 2024-03-21). Since the war, the flow to Russia has grown again: about
# 15,000 by 2025 (South Korean intelligence, via the Wall Street Journal, 2025-05-05), plus 5,000 military
# builders and 1,000 deminers announced for Kursk (NK News, 2025-06-17).
#
# **IT workers** are a separate channel: up to 10,000 abroad under false identities (Panel of Experts,
# S/2023/656, via NK News, 2023-11), earning about USD 5,000 a month each, of which about USD 1,700 reached the
# state in the network the Panel studied (S/2020/151, via UPI, 2020-04-21); the UN estimated USD 250–600 m a
# year in 2025 (The Financial District, 2025-05).

# %% [markdown]
# ## The mechanism
#
# For each host $p$ (China, Russia, other countries) and year:
#
# $$b_\text{China} = e_\text{China}, \qquad b_\text{Russia} = e_\text{Russia}, \qquad
#   b_\text{other} = e_\text{repatriation} \times d$$
#
# where $e$ is how strictly a host sends workers home and $d$ the chance that monitoring finds a worker who
# is disguised as a student or tourist. Hosting workers is China's and Russia's own choice, so their
# enforcement needs no detection: at $e_\text{China} = 1$ China hosts none. Only third countries depend on
# monitoring to find the workers they would send home.
#
# $$\text{workers}_p = W_p\,(1 - b_p) + \text{diverted into } p, \qquad
#   \text{into Russia} \le \text{capacity} - \text{workers Russia keeps}$$
#
# $$\text{state revenue}_p = \text{workers}_p \times \text{monthly pay}_p \times 12 \times \text{state take}$$
#
# $$\text{IT revenue} = \text{IT workers} \times (1 - e_\text{repatriation} \times d)
#   \times \text{monthly IT pay} \times 12 \times \text{IT state take}$$
#
# A share of the workers China sends home is re-routed to Russia, up to what Russia can absorb. A re-routed
# worker is marginal: he earns the lower of the two hosts' wages, so sending workers home never raises the
# state's labour revenue.

# %%
# %matplotlib widget
from IPython.display import HTML, display

from dprk_apps.channels import LABOUR_ASSUMPTIONS, LABOUR_LEVERS, LabourApp, labour_figure
from dprk_figures.views import labour_series
from dprk_teaching import solutions
from dprk_teaching.tables import citations_html, sources_for
from model.core import simulate
from model.scenarios import BASELINE, load_preset

# %% [markdown]
# ## The baseline

# %%
baseline_figure = labour_figure(labour_series(simulate(load_preset(BASELINE).params)))

# %% [markdown]
# **Figure 1.** *Top:* North Korean workers abroad by host (stacked) and IT workers (line). Markers are
# observed head counts: the US pre-sanctions estimate (SCMP, 2019-12), the UN panel's 2023 count (RFA,
# 2024-03-21), Russia's own reports to the UN sanctions committee (March 2019 and March 2020) and South Korean
# intelligence for 2025 (WSJ, 2025-05-05). *Bottom:* what the state keeps from their pay. Russia's workers are
# fewer than China's but earn almost three times as much each, so they bring in about as much; IT workers, a
# few thousand people, earn the most of all.

# %% [markdown]
# ## What moves it
#
# * **China's and Russia's repatriation** remove workers from each host; part of those China sends home
#   go to Russia instead, up to Russia's capacity to absorb them.
# * **Third countries' repatriation** removes workers elsewhere and IT workers; unlike China's and Russia's
#   enforcement it only reaches those that monitoring finds, so the **monitoring regime** matters.
# * **Pay and the state's take** (assumptions) scale the revenue without changing the head counts.

# %% [markdown]
# ## Try it

# %%
app = LabourApp()  # its parts, for tests and reuse: app.panel, app.readout, app.figure, app.workers_chart
display(app.widget)

# %% [markdown]
# ## Exercises
#
# 1. China sends every worker home (its lever at 1). How much revenue does the state lose from China in
#    2030, and how much of it comes back through Russia?
# 2. How strictly must Russia enforce to bring the number of workers in Russia back to 11,490, the level it
#    reported to the UN sanctions committee for the end of 2018 (Reuters and CNN, 2019-03-26)?
# 3. Restore the UN Panel of Experts (monitoring). Which channel loses more: ordinary workers or IT workers?

# %%
solutions.labour(1)

# %%
solutions.labour(2)

# %%
solutions.labour(3)

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
display(HTML(citations_html(sources_for(LABOUR_LEVERS + LABOUR_ASSUMPTIONS))))
