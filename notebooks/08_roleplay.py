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
# # Role-play: five teams, one North Korea
#
# **Level:** intermediate · **Time:** 50 min
#
# *A core app of the seminar: the rounds of the 60- or 90-minute plan (below), then a debrief.*
#
# The room splits into five teams: **China**, **Russia**, **the United States, South Korea and Japan**,
# **the UN** (the Secretariat, the 1718 Committee and the monitoring coalition) and **North Korea**. Each
# team holds the levers a government really holds (China its customs and its pipeline, Russia its arms
# purchases and how it pays, North Korea how hard it evades and how many workers it sends) and has an
# objective of its own. The facilitator holds what no team decides, the war in Ukraine and the border,
# and plays event cards between rounds.
#
# Each round covers a few model years. The teams agree their moves, the facilitator enters them, presses
# **Play round** and shows the projector view: what the round did to every team's objective, against the
# baseline. A round can be taken back, and the whole game saved to a file and continued next week.

# %% [markdown]
# ## How a round is computed and scored
#
# Round $r$ covers the model years $Y_r$ (from 2025, consecutive blocks of the chosen length). Every lever
# starts at the baseline and keeps its value until a team moves it; an event card changes levers from the
# first year of the round it is played in, and a card that lasts $N$ rounds ends by itself unless someone
# moved its lever meanwhile. With the round's lever settings $\theta_r$ the model runs once, and each term
# $k$ of a team's objective reads its measure $m_k$ (for example China's share of all flows) averaged over
# the round's years, against the baseline $\theta_0$ over the same years:
#
# $$\bar m_k = \frac{1}{|Y_r|} \sum_{t \in Y_r} m_k(t;\, \theta_r) \qquad
# \bar b_k = \frac{1}{|Y_r|} \sum_{t \in Y_r} m_k(t;\, \theta_0)$$
#
# The term earns points up to its weight $w_k$ times ten, in proportion to the change against the
# baseline in units of its scale $s_k$ (the change that earns the full points), with the sign $\sigma_k = +1$
# when higher is better and $-1$ when lower is:
#
# $$\text{points}_k = 10\, w_k\, \sigma_k\, \operatorname{clip}\!\left(\frac{\bar m_k - \bar b_k}{s_k}, -1, 1\right)
# \qquad \text{score}_r = \sum_k \text{points}_k \in [-10, 10]$$
#
# The weights of a team sum to one; the total is the sum of the round scores. The model carries nothing
# from one year to the next, so one run per round gives exactly the years a path of levers changing
# from round to round would give. Objectives, weights and scales are data (`dprk_roleplay/roles.toml`,
# each scale with its reasoning), so a teacher can change them without touching code.

# %%
# %matplotlib widget
from IPython.display import Markdown, display

from dprk_apps.lab import baseline_figure
from dprk_apps.roleplay import RoleplayApp
from dprk_teaching import roleplay_text

# %% [markdown]
# ## The baseline every round is scored against
#
# The baseline continues the situation at the end of 2024 (every lever at its registry default). A round
# in which nobody moves scores zero for every team.

# %%
display(baseline_figure().canvas)

# %% [markdown]
# *Figure 1. The baseline.* Left: hard currency earned through China and Russia and in total. Right:
# China's and Russia's shares of all flows (solid) against China's share of recorded trade (dashed). The
# shaded years are the projection, where the game is played. Model output, not observations.

# %% [markdown]
# ## What moves it: the cards
#
# Each team holds the levers on its card, and its objective is a weighted sum of terms. A term that
# another team's move changes scores too: the teams share one world.

# %%
display(Markdown(roleplay_text.cards_markdown()))

# %% [markdown]
# ## The game
#
# 1. **Setup.** Tick the teams present, choose the number of rounds and the model years per round, and
#    press *Start a new game* (the app starts with the seminar plan shown below).
# 2. **Each round.** Open a team's tab, read its briefing with the team, and set the levers it agrees on
#    (a value can be typed into the box beside a slider). In the facilitator's tab, move the world's
#    levers if the story calls for it and choose any event cards. Press **Play round**.
# 3. **Projector.** The table shows each team's objective, its measures in the round against the
#    baseline, the points of each term, the round's score and the total; the figure shows the rounds
#    so far. *Undo last round* takes the last round back exactly; *Undo one team's entry* takes back one
#    team's mistyped move and keeps all the others.
# 4. **Save and load.** The game saves itself on the server; *Save game* writes a JSON file to `exports/`
#    and *Load game* reads one back, replays every round and continues where the class stopped.
# 5. **To the uncertainty notebook.** *Export end state as scenario* writes the levers as the game left
#    them, for *07 Uncertainty*.
#
# The plans, the veto, undo, the game saving itself and the export, in the seminar's own words (the
# facilitator guide and the facilitator's card say the same):

# %%
display(Markdown(roleplay_text.controls_markdown()))

# %%
app = RoleplayApp()  # parts: app.panels, app.event_chooser, app.play_button, app.scoreboard, app.figure
display(app.widget)

# %% [markdown]
# *Figure 2. The rounds so far.* Top left: every team's score in each round (−10 to +10). Top right:
# the totals. Bottom: one team's objective measures against the baseline, as the change divided by the
# term's scale; inside the grey band points grow with the change, outside it a term earns (or loses)
# its full points.

# %% [markdown]
# ## Exercises
#
# 1. In the first round, only Russia moves: it stops buying North Korean arms. Before playing it, ask
#    each team to predict the sign of its score. Which team that did nothing gains most, and why?
# 2. Play a round in which nobody moves, then undo it and play the crypto-theft card alone. What does
#    the first round score, and which terms does the card move?
# 3. Play the border-incident card in round 1 and nothing in round 2. Where is China's smuggling
#    enforcement in round 2? What if the China team had moved it in round 2?

# %%
roleplay_text.exercise(1)

# %%
roleplay_text.exercise(2)

# %%
roleplay_text.exercise(3)

# %% [markdown]
# ## What this model cannot tell you
#
# * **The objectives are the game's, not the governments'.** Interests, red lines, weights and scales
#   were written for a seminar; no government has published a scoring rule.
# * **No one reacts inside the model.** The model has no feedbacks: when China tightens, Russia does
#   not respond unless its team does. The reactions are what the room supplies, and what the debrief
#   should question.
# * **Rounds are blocks of constant levers.** Real policy moves within a year and is announced before
#   it acts; here a move holds for the whole round, from its first year.
# * **The scores inherit every assumption of the model.** Many inputs are uncertain (see the
#   uncertainty notebook); a different plausible world can change who wins a round. The game shows
#   the direction of the trade-offs, not their exact size.
