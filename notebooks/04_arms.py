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
# # 04 · Arms: munitions, missiles and troops for Russia
#
# **Level:** intermediate · **Time:** 15 min
#
# The UN has banned all arms exports from North Korea since 2009 (resolution 1874). Since the autumn of
# 2023 Russia has bought them anyway. Seoul counted about 5,000 containers of munitions shipped by December
# 2023 (Pledge Times/EFE, 2023-12-29); more than 10,000 containers, up to 4.8 m shells, by June 2024
# (Euromaidan Press, 2024-06-14); and more than 13,000, over 6 m 152 mm shells, by August 2024 (Kyiv
# Independent, 2024-08-27). The 11-state Multilateral Sanctions Monitoring Team (MSMT) counted more than 20,000
# containers by May 2025 (KBS World, 2025-05-23). Western intelligence put North Korean shells at about half of
# what Russia fired (Kyiv Independent, 2024-10-05). About 11,000 North Korean soldiers went to Kursk from
# October 2024 (NIS, via KBS News, 2025-02-05; the Pentagon also counted about 11,000 there, DOD News,
# 2024-11-18), reportedly paid USD 2,000 a month each (online.ua, 2024-11).
#
# Nobody knows the price. One study valued the deliveries at USD 1.7–5.5 bn since 2022 (A News/dpa, 2024-10-28);
# the Institute for National Security Strategy put 2023's arms exports to Russia at USD 540 m (Cambodia
# Tribune/Yonhap, 2024). Russia pays partly in kind: it sent about 30% more containers back than it received,
# mainly food (Politico Europe, 2024-02-27), refined oil above the UN cap (notebook 02) and military technology
# such as air defence (KBS World, 2025-05-23). **No source splits the payment, and no source values the food
# or the technology**: the default weights (a fifth in food, about a fifth in technology, about USD 1 bn a year
# together at 2024 demand) are assumptions, and every weight's slider runs from 0 to 1 so that you can try the
# alternatives.

# %% [markdown]
# ## The mechanism
#
# With $W$ Russia's war demand relative to 2024, $e_R$ how far Russia honours the arms ban, $o$ the share of
# that demand North Korea chooses to supply and $s$ the post-war restocking share:
#
# $$w_t = W \times \begin{cases} s & \text{from the ceasefire year} \\ 1 & \text{before} \end{cases}$$
#
# $$\text{containers} = w_t\,C\,(1 - e_R)\,o, \qquad \text{rounds} = \text{containers} \times r, \qquad
#   \text{missiles} = w_t\,M\,(1 - e_R)\,o$$
#
# $$\text{troops} = W \times T\,(1 - e_R) \quad \text{(none after a ceasefire)}$$
#
# $$\text{payment} = \text{rounds} \times p_\text{round} + \text{missiles} \times p_\text{missile}
#   + \text{troops} \times 12 \times \text{monthly pay}$$
#
# The payment is split by the weights $w_\text{cash}, w_\text{oil}, w_\text{food}, w_\text{tech}$, normalised
# to shares. Only the **cash** share is hard currency; the **oil** share arrives as refined oil above the cap
# (notebook 02), but no more than North Korea's unmet need and the Russian route can take: what oil cannot pay
# is paid in the other three forms, in proportion to their weights. Food and technology are lifeline flows but
# not money.

# %%
# %matplotlib widget
from IPython.display import HTML, display

from dprk_apps.channels import ARMS_ASSUMPTIONS, ARMS_LEVERS, ArmsApp, arms_figure
from dprk_figures.views import arms_series
from dprk_teaching import solutions
from dprk_teaching.tables import citations_html, sources_for
from model.core import simulate
from model.scenarios import BASELINE, load_preset

# %% [markdown]
# ## The baseline

# %%
params = load_preset(BASELINE).params
baseline_figure = arms_figure(arms_series(simulate(params)))

# %% [markdown]
# **Figure 1.** *Top:* what North Korea ships to Russia per year in the baseline (the war goes on at its 2024
# intensity, no ceasefire before 2036): munition containers, artillery rounds, ballistic missiles and troops.
# The marker is the NIS count of about 11,000 soldiers (KBS News, 2025-02-05). *Bottom:* what Russia pays
# for them, split by form with the payment weights. Only the green cash band counts as hard currency.
# Container counts, rounds per container and prices are assumptions within the ranges in the sources above.

# %% [markdown]
# **The 2023 payment against the one sourced estimate of its value.** The model and INSS disagree; both
# are shown, computed from the model and cited:

# %%
display(HTML(solutions.arms_2023_discrepancy()))

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
# If all four payment weights are set to 0 the model cannot split the payment; the message above the
# figure says so and the figure keeps its last valid state.

# %%
app = ArmsApp()  # its parts, for tests and reuse: app.panel, app.readout, app.figure, app.payment_chart
display(app.widget)

# %% [markdown]
# ## Exercises
#
# 1. A ceasefire in 2026 (the *Ukraine ceasefire* preset). What happens to Russia's cash payment in 2030?
# 2. How low must Russia's war demand fall for its whole payment for munitions and missiles (cash and kind
#    together) to drop to USD 540 m a year, the INSS estimate of North Korea's 2023 arms exports to Russia
#    (Cambodia Tribune/Yonhap, 2024)? How does the model's own 2023 payment compare with it?
# 3. Russia moves all its payment from cash to technology. What happens to the value it pays, and to North
#    Korea's hard currency?

# %%
solutions.arms(1)

# %%
solutions.arms(2)

# %%
solutions.arms(3)

# %% [markdown]
# ## What this model cannot tell you
#
# * **Prices are not sourced.** The price per round is derived from value estimates divided by round counts
#   (USD 300–1,000; project dossier, section 5); the missile price is set near what a short-range missile
#   costs North Korea to make (USD 2–5 m; Dong-A Ilbo, 2022-11-04), since no source states what Russia pays.
# * **The payment split is a choice**, not a finding: no source reports it.
# * **No battlefield.** Demand is a lever; the model does not know why Russia wants shells, nor what losses
#   the troops suffer.
# * **History is fixed.** Sliders change 2025 onwards only.
#
# ### Sources of the parameters used here

# %%
display(HTML(citations_html(sources_for(ARMS_LEVERS + ARMS_ASSUMPTIONS))))
