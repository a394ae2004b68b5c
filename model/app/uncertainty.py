"""Notebook 07's app: levers, an outcome chooser, a fan chart over the baseline's fan, a tornado and sentences.

A :class:`SliderApp` whose ``evaluate`` re-runs the *same* plausible worlds under the panel's levers
(:meth:`model.uncertainty.Ensemble.with_levers`) instead of one model run.
"""

from __future__ import annotations

import weakref

import ipywidgets as widgets
import numpy as np

from model import registry
from model import uncertainty as u
from model.app.base import SliderApp
from model.app.upload import ScenarioUpload
from model.plots import uncertainty as pu
from model.plots.style import display_scale, new_figure
from model.timeline import FIRST_PROJECTION_YEAR, FOCUS_YEAR, NEAR_YEAR

#: The presets compared side by side with the baseline.
COMPARED = ["max-pressure", "russia-defects", "china-crackdown", "ukraine-ceasefire"]
#: Refined oil above this many times the UN cap is the "bad outcome" of the scenario-discovery example.
LEAK_THRESHOLD = 8.0


def _no_math(text: str) -> str:
    """Dollar signs as literal dollars in Markdown, not MathJax."""
    return text.replace("$", r"\$")


def assumptions_markdown() -> str:
    """A Markdown table of every uncertainty: title, range, distribution and why it has that shape."""
    rows = ["| assumption | range | distribution | why this shape |", "|---|---|---|---|"]
    for name in registry.names("uncertainty"):
        p = registry.get(name)
        rows.append(f"| {p.title} | {p.allowed()} | {p.distribution} | {_no_math(p.distribution_note)} |")
    return "\n".join(rows)


def fans(baseline: u.Ensemble, keys=("hard_currency_russia", "lifeline_share_russia")):
    """Fan charts of the baseline's worlds, one panel per headline key.

    Returns
    -------
    matplotlib.figure.Figure
    """
    figure, axes = new_figure(1, len(keys), height=4.8, show=False, label="07 fans")
    for ax, key in zip(np.ravel(axes), keys, strict=True):
        pu.FanChart(ax, u.fan(baseline, key), label="baseline", legend="outside" if key == keys[-1] else False)
    return figure


def statements(baseline: u.Ensemble, year: int = FOCUS_YEAR) -> str:
    """Two plain-language probabilities about the baseline's worlds, as Markdown."""
    first = u.statement_greater(baseline, "hard_currency_russia", "hard_currency_china", NEAR_YEAR)
    second = u.statement(baseline, "lifeline_share_russia", year, 0.3)
    return _no_math(f"{first}\n\n{second}")


def sensitivity(seed: int, key: str = "hard_currency_russia", year: int = FOCUS_YEAR):
    """Tornado (one at a time) and Sobol' indices (all together) of one headline in one year.

    Returns
    -------
    figure : matplotlib.figure.Figure
    indices : model.uncertainty.SobolIndices
    """
    figure, (ax_tornado, ax_sobol) = new_figure(2, 1, height=9.0, show=False, label="07 sensitivity")
    pu.TornadoChart(ax_tornado, u.tornado("baseline", key, year), bars=6)
    indices = u.sobol("baseline", key, year, np.random.default_rng(seed), n_base=1024)
    pu.sobol_bars(ax_sobol, indices, top=6)
    return figure, indices


def discovery(baseline: u.Ensemble, key: str = "oil_cap_leakage", threshold: float = LEAK_THRESHOLD):
    """PRIM's rule for where a bad outcome concentrates, and the worlds drawn against it.

    Returns
    -------
    rule : str
        Markdown.
    figure : matplotlib.figure.Figure
    """
    found = u.discover(baseline, key, FOCUS_YEAR, threshold)
    rule = _no_math(found.describe().replace("\n  - ", "\n* "))
    figure, ax = new_figure(1, 1, width=7, height=5, show=False, label="07 discovery")
    hits = baseline.at(key, FOCUS_YEAR) > threshold
    pu.discovery_scatter(ax, baseline.draws, baseline.names, hits, found.box)
    return rule, figure


def comparison(seed: int, draws: int = 5000, keys=("hard_currency_total", "lifeline_share_russia")):
    """Every compared preset on the same worlds: a Markdown table and small multiples of the first key.

    Returns
    -------
    table : str
        Markdown.
    figure : matplotlib.figure.Figure
    """
    compared = u.compare(COMPARED, draws, np.random.default_rng(seed), keep="headlines")
    table = _no_math(compared.markdown(FOCUS_YEAR, list(keys)))
    figure = new_figure(0, 0, height=7.0, show=False, label="07 comparison")[0]
    titles = dict(zip(compared.names, compared.titles, strict=True))
    pu.small_multiples(figure, compared.fans(keys[0]), titles, "baseline")
    return table, figure


LEVERS = [
    "china_export_ban_enforcement",
    "china_smuggling_enforcement",
    "china_labour_enforcement",
    "russia_arms_enforcement",
    "russia_oil_cap_enforcement",
    "russia_labour_enforcement",
    "monitoring_regime",
    "war_demand_level",
    "ceasefire_year",
]


class UncertaintyApp(SliderApp):
    """Levers, outcome chooser, fan chart and tornado for one ensemble of plausible worlds.

    Building one closes the previous app (:meth:`close`): a second Run All does not keep the old app's
    ensembles and figure alive. Each lever move holds one scenario ensemble at a time, of the kind ``base``
    is; a compact ``base`` (``run_ensemble(..., keep="headlines")``) keeps the app at a few tens of MB.

    Parameters
    ----------
    base : model.uncertainty.Ensemble
        The baseline's worlds; every scenario reuses them.
    year : int
        Initial year of the readout and tornado.

    Attributes
    ----------
    outcome, year, threshold : ipywidgets.Widget
        What is shown: the headline outcome, the year, and the threshold of the probability sentence.
    fan_chart, tornado_chart
        The figure's two charts.
    upload : model.app.upload.ScenarioUpload
        Loads a saved scenario file into the levers.
    """

    #: The latest app built (a weak reference: one slot, never a growing list).
    _latest: weakref.ref | None = None

    def __init__(self, base: u.Ensemble, year: int = FOCUS_YEAR):
        previous = UncertaintyApp._latest() if UncertaintyApp._latest is not None else None
        if previous is not None:
            previous.close()
        UncertaintyApp._latest = weakref.ref(self)
        self.base = self.scenario = base
        self._base_fans: dict[str, u.Fan] = {}  # at most one per headline: the baseline never changes
        options = [(q.label, key) for key, q in u.HEADLINES.items()]
        self.outcome = widgets.Dropdown(options=options, value="hard_currency_russia", description="Outcome")
        last = int(base.years[-1])
        self.year = widgets.IntSlider(value=year, min=FIRST_PROJECTION_YEAR, max=last, description="Year")
        self.threshold = widgets.FloatText(description="Threshold")
        self.unit = widgets.HTML()
        figure, (ax_fan, ax_tornado) = new_figure(2, 1, height=9.0, show=False, label="07 app")
        first = self.base_fan(self.outcome.value)
        self.fan_chart = pu.FanChart(ax_fan, first, first, legend="outside")
        self.tornado_chart = pu.TornadoChart(ax_tornado, u.tornado(None, self.outcome.value, year), bars=6)
        self._reset_threshold()
        choosers = [self.outcome, self.year, widgets.HBox([self.threshold, self.unit])]
        super().__init__(LEVERS, figure, "Plausible worlds", panel_title="Levers", choosers=choosers, exports=False)
        self.upload = ScenarioUpload(self.panel)  # a scenario saved from any app sets these levers
        first, *rest = self.widget.children
        self.widget.children = (first, self.upload.widget, *rest)
        self.watch(self.outcome, self.update_outcome)
        self.watch(self.year, self.update_view)
        self.watch(self.threshold, self.update_readout)

    def base_fan(self, key: str) -> u.Fan:
        """The baseline's fan of one headline, computed once."""
        if key not in self._base_fans:
            self._base_fans[key] = u.fan(self.base, key)
        return self._base_fans[key]

    def nbytes(self) -> int:
        """Bytes of the arrays the app holds: the baseline's and the scenario's worlds and outputs, and fans."""
        ensembles = {id(e): e for e in (self.base, self.scenario) if e is not None}
        fans = sum(f.values.nbytes for f in self._base_fans.values())
        return sum(e.nbytes for e in ensembles.values()) + fans

    def close(self) -> None:
        """Let go of the ensembles, close the figure and the widgets (the app no longer responds)."""
        import matplotlib.pyplot as plt

        self.base = self.scenario = self.results = None
        self._base_fans.clear()
        plt.close(self.figure)
        stack = [self.widget]
        while stack:
            widget = stack.pop()
            stack.extend(getattr(widget, "children", ()))
            widget.close()

    @property
    def quantity(self) -> u.Quantity:
        """The outcome shown."""
        return u.HEADLINES[self.outcome.value]

    def _reset_threshold(self) -> None:
        """Start the threshold at the baseline median of the chosen outcome and year (in display units)."""
        scale, label = display_scale(self.quantity.unit)
        median = float(np.median(self.base.at(self.quantity, self.year.value)))
        self.threshold.value = round(median / scale, 2)
        self.unit.value = f"<span style='color:#555'>{label}</span>"

    def shown(self) -> tuple[str, ...]:
        """The headline keys the view reads from the scenario: the outcome and the two of the comparison."""
        return tuple(dict.fromkeys((self.outcome.value, "hard_currency_russia", "hard_currency_china")))

    def evaluate(self, panel):
        """Same worlds, the panel's levers: the scenario's ensemble (of a compact baseline, only what is shown)."""
        return self.base.with_levers(panel.overrides(), keep=self.shown())

    def exported_results(self):
        """The scenario's results over every world."""
        return self.results.results

    def redraw(self, ensemble):
        """Keep the scenario's worlds and move fan, tornado and sentences (``update`` then draws once)."""
        self.scenario = ensemble
        self._move_artists()

    def update_outcome(self) -> None:
        """A new outcome: restart the threshold at its baseline median, then redraw."""
        kept = self.scenario.keep
        if kept is not None and u.headline(self.outcome.value) not in kept:
            self.scenario = self.results = self.evaluate(self.panel)  # same levers, now keeping the new outcome
        self._reset_threshold()
        self.update_view()

    def update_view(self) -> None:
        """Fan, tornado and readout for the current scenario, outcome and year (artists move in place)."""
        self._move_artists()
        self.draw()

    def _move_artists(self) -> None:
        key = self.outcome.value
        self.fan_chart.update(u.fan(self.scenario, key), self.base_fan(key))
        self.fan_chart.set_year(self.year.value)
        self.tornado_chart.update(u.tornado(self.panel.overrides(), key, self.year.value))
        self.update_readout()

    def update_readout(self) -> None:
        """The probability sentences for the current threshold."""
        scale, _ = display_scale(self.quantity.unit)
        threshold = float(self.threshold.value) * scale
        year = self.year.value
        lines = [
            u.statement(self.scenario, self.quantity, year, threshold),
            u.statement(self.base, self.quantity, year, threshold).replace("worlds,", "worlds under the baseline,", 1),
            u.statement_greater(self.scenario, "hard_currency_russia", "hard_currency_china", year),
        ]
        self.readout.value = "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


__all__ = [
    "LEVERS",
    "UncertaintyApp",
    "assumptions_markdown",
    "comparison",
    "discovery",
    "fans",
    "sensitivity",
    "statements",
]
