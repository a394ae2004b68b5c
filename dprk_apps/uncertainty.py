"""Notebook 07's app: levers, an outcome chooser, a fan chart over the baseline's fan, a tornado and sentences.

A :class:`SliderApp` whose ``evaluate`` re-runs the *same* plausible worlds under the panel's levers
(:meth:`model.uncertainty.Ensemble.with_levers`) instead of one model run.
"""

from __future__ import annotations

import gc
import html
import re
import weakref

import ipywidgets as widgets
import numpy as np

from dprk_apps.base import SliderApp
from dprk_apps.controls import ASSUMPTION_SECTIONS
from dprk_apps.feedback import ErrorBox
from dprk_apps.typed import parse_typed
from dprk_apps.upload import ScenarioUpload
from dprk_figures import uncertainty as pu
from dprk_figures.blit import BlitManager
from dprk_figures.style import APP_DPI, app_rc, display_scale, keep_text_sizes, new_figure
from dprk_teaching.exercises import possible_indices, sensitivity_indices
from model import registry
from model import uncertainty as u
from model.errors import ParameterError
from model.formatting import format_quantity
from model.params import PAYMENT_WEIGHTS
from model.timeline import FIRST_PROJECTION_YEAR, FOCUS_YEAR, NEAR_YEAR
from model.uncertainty.ensemble import release_freed_memory

#: The presets compared side by side with the baseline.
COMPARED = ["max-pressure", "russia-defects", "china-crackdown", "ukraine-ceasefire"]
#: Refined oil above this many times the UN cap is the "bad outcome" of the scenario-discovery example.
LEAK_THRESHOLD = 8.0
#: Height of the app's figure (inches at :data:`dprk_figures.style.APP_DPI`: 540 CSS px).
FIGURE_HEIGHT_IN = 7.5


def _no_math(text: str) -> str:
    r"""Dollar amounts written as ``USD 800``: no dollar sign reaches MathJax in rendered Markdown.

    Escaping (``\$``) is not enough: the Markdown renderer turns ``\$`` into ``$`` before MathJax
    reads the page, so two amounts in one output were typeset as mathematics ("construction 800−1,000;the…").
    """
    text = re.sub(r"(?:US)?\$\s?(?=[0-9])", "USD ", text)
    return text.replace("$", "USD")


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
    indices = sensitivity_indices(seed, key, year)
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


def sobol_table(indices: u.SobolIndices) -> str:
    """Every input's Sobol' indices as a Markdown table, largest total first: what Figure 2's bars show, in numbers.

    The true indices lie between 0 and 1 and first order never exceeds total; an estimate outside that
    (sampling error, at small N) is shown clipped, marked with *, and the note under the table says why.
    Each index has its bootstrap interval. The gap (total minus first-order) is what the input does through
    interactions; it counts as clear when it exceeds twice the half-width of the total index's interval.
    """
    level = f"{indices.conf_level:.0%}"
    rows = [
        f"| assumption | first order (alone) | total (with interactions) | gap | ± {level} interval: first, total |",
        "|---|---|---|---|---|",
    ]
    first, total, clipped = possible_indices(indices)
    clipped_any = bool(clipped.any())
    for k in indices.ranked():
        gap = total[k] - first[k]
        clear = " (clear)" if gap > 2 * indices.total_conf[k] else ""
        mark = " (clipped*)" if clipped[k] else ""
        rows.append(
            f"| {registry.factor_title(indices.names[k])} | {first[k]:.2f} | {total[k]:.2f} | {gap:.2f}{clear} | "
            f"± {indices.first_conf[k]:.2f}, ± {indices.total_conf[k]:.2f}{mark} |"
        )
    note = (
        f"\n\nEstimated from N = {indices.n_base:,} base samples: each index is uncertain by about its interval, "
        "so differences smaller than the interval are noise."
    )
    if clipped_any:
        note += (
            " \\* The estimate fell outside what is possible (below 0, or first order above total): sampling error, "
            "shown clipped to the nearest possible value. A larger N narrows the intervals."
        )
    return _no_math("\n".join(rows) + note)


class DiscoveryPanel:
    """Scenario discovery on demand: choose an outcome, a year and a threshold, press the button, read PRIM's rule.

    Parameters
    ----------
    ensemble : model.uncertainty.Ensemble
        The worlds searched (the notebook's baseline).

    Attributes
    ----------
    outcome, year, threshold, direction : ipywidgets.Widget
        The bad outcome: a headline above (or below) the threshold (in display units) in the year.
    button : ipywidgets.Button
    readout : ipywidgets.HTML
        PRIM's rule in words.
    discovery : model.uncertainty.Discovery or None
        The last result.
    """

    def __init__(self, ensemble: u.Ensemble, key: str = "oil_cap_leakage", threshold: float = LEAK_THRESHOLD):
        self.ensemble = ensemble
        self.discovery = None
        options = [(q.label, name) for name, q in u.HEADLINES.items()]
        self.outcome = widgets.Dropdown(options=options, value=key, description="Outcome")
        last = int(ensemble.years[-1])
        self.year = widgets.IntSlider(value=FOCUS_YEAR, min=FIRST_PROJECTION_YEAR, max=last, description="Year")
        self.direction = widgets.ToggleButtons(options=[("above", True), ("below", False)], value=True)
        self.threshold = widgets.FloatText(description="Threshold")
        self.unit = widgets.HTML()
        self.button = widgets.Button(description="Find the box", button_style="info")
        self.readout = widgets.HTML("<i>Choose a bad outcome and press <b>Find the box</b>.</i>")
        self.readout.add_class("discovery-rule")
        self.errors = ErrorBox()
        self._set_threshold(threshold)
        self.outcome.observe(self.errors.guard(lambda _change: self._set_threshold()), names="value")
        self.button.on_click(self.errors.guard(lambda _button: self.find()))
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.outcome, self.year]),
                widgets.HBox([self.direction, self.threshold, self.unit, self.button]),
                self.errors.widget,
                self.readout,
            ]
        )

    def _set_threshold(self, value: float | None = None) -> None:
        """Show ``value`` (default: the chosen outcome's median in the year) in display units."""
        quantity = u.HEADLINES[self.outcome.value]
        scale, label = display_scale(quantity.unit)
        if value is None:
            value = float(np.median(self.ensemble.at(quantity, self.year.value)))
        self.threshold.value = round(value / scale, 2)
        self.unit.value = f"<span style='color:#555'>{label}</span>"

    def find(self) -> u.Discovery:
        """Run PRIM for the chosen bad outcome and show its rule."""
        quantity = u.HEADLINES[self.outcome.value]
        scale, _ = display_scale(quantity.unit)
        threshold = float(self.threshold.value) * scale
        self.discovery = u.discover(self.ensemble, quantity, self.year.value, threshold, above=self.direction.value)
        text = html.escape(self.discovery.describe())
        self.readout.value = f"<pre style='white-space:pre-wrap'>{_no_math(text)}</pre>"
        return self.discovery


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


def _group_members(group: str) -> list[str]:
    """The uncertainties of one registry group (e.g. ``arms``)."""
    return [n for n in registry.names("uncertainty") if registry.get(n).group == group]


#: The *Payment mix* control: Russia's payment mix drawn in every world (the default) or held at the defaults.
MIX_CHOICES = [("Sampled", "sampled"), ("Fixed at the defaults", "fixed")]

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
        What is shown: the headline outcome, the year, and the box of the probability sentence's threshold
        (text, checked by :func:`dprk_apps.typed.parse_typed` against :meth:`threshold_parameter`; a refusal
        is shown in ``threshold_message`` and leaves ``threshold_value``, the value in use, as it was).
    fan_chart, tornado_chart
        The figure's two charts.
    upload : dprk_apps.upload.ScenarioUpload
        Loads a saved scenario file into the levers.
    """

    #: The latest app built (a weak reference: one slot, never a growing list).
    _latest: weakref.ref | None = None

    def __init__(self, base: u.Ensemble, year: int = FOCUS_YEAR):
        previous = UncertaintyApp._latest() if UncertaintyApp._latest is not None else None
        if previous is not None:
            previous.close()
            gc.collect()  # the old app's figure and ensembles are cycles of references: free them now
            release_freed_memory()
        UncertaintyApp._latest = weakref.ref(self)
        self.base = self.scenario = base
        self._base_fans: dict[str, u.Fan] = {}  # at most one per headline: the baseline never changes
        options = [(q.label, key) for key, q in u.HEADLINES.items()]
        self.outcome = widgets.Dropdown(options=options, value="hard_currency_russia", description="Outcome")
        last = int(base.years[-1])
        self.year = widgets.IntSlider(value=year, min=FIRST_PROJECTION_YEAR, max=last, description="Year")
        self.threshold = widgets.Text(description="Threshold", continuous_update=False)  # read on Enter
        self.threshold_message = widgets.HTML()
        self.threshold.observe(self._typed_threshold, names="value")
        self.threshold_value = 0.0
        self.unit = widgets.HTML()
        groups = [(title, g) for g, title in ASSUMPTION_SECTIONS.items() if _group_members(g)]
        self.hold = widgets.SelectMultiple(options=groups, value=(), description="Hold fixed", rows=len(groups))
        self.hold.add_class("hold-fixed")
        # Russia's payment mix: nothing measures it, so the worlds draw it unless the student fixes it here.
        self.mix = widgets.ToggleButtons(options=MIX_CHOICES, value="sampled", description="Payment mix")
        self.mix.add_class("payment-mix")
        figure = new_figure(0, 0, height=FIGURE_HEIGHT_IN, show=False, label="07 app", dpi=APP_DPI)[0]
        self._build_charts(figure, projector=False, year=year)
        self._reset_threshold()
        threshold_row = widgets.HBox([self.threshold, self.unit])
        choosers = [self.outcome, self.year, threshold_row, self.threshold_message]
        super().__init__(LEVERS, figure, "Plausible worlds", panel_title="Levers", choosers=choosers, exports=False)
        self.upload = ScenarioUpload(self.panel)  # a scenario saved from any app sets these levers
        self.add_to_controls(self.upload.widget, 1)
        self.add_to_controls(self.hold, 2)  # an input of the worlds, beside the levers (keeps the figure in view)
        self._add_team_check()
        self.add_to_controls(self.mix, 3)
        self.watch(self.mix)
        self.watch(self.outcome, self.update_outcome)
        self.watch(self.year, self.update_view)
        self.watch(self.hold)  # holding assumptions fixed needs the worlds run again

    def _build_charts(self, figure, projector: bool, year: int) -> None:
        """Fan and tornado on ``figure`` (cleared first); the projector view shows the fan alone, larger.

        The tornado exists in the projector view too (hidden, out of the layout), so every update is the same.
        """
        import matplotlib as mpl

        figure.clear()
        figure.set_layout_engine("constrained")
        with mpl.rc_context(app_rc(projector)):
            if projector:
                ax_fan = figure.add_subplot(1, 1, 1)
                ax_tornado = figure.add_axes((0.0, 0.0, 0.01, 0.01))
                ax_tornado.set_visible(False)
                ax_tornado.set_in_layout(False)
            else:  # each in its own sub-figure: the tornado's long labels do not narrow the fan
                top, bottom = figure.subfigures(2, 1, height_ratios=(1.15, 1))
                ax_fan, ax_tornado = top.subplots(), bottom.subplots()
            first = self.base_fan(self.outcome.value)
            self.fan_chart = pu.FanChart(ax_fan, first, first, legend="below")
            self.tornado_chart = pu.TornadoChart(ax_tornado, u.tornado(None, self.outcome.value, year), bars=6)
            keep_text_sizes(figure)
        self._layout_key = None
        # Frames over cached backgrounds (SliderApp.draw): axes are sticky, so most lever moves only restore
        # the background and draw the bands, lines and bars; the tornado's limits and ranking change far more
        # often than the fan's (its centre moves with the arms levers), and then only its panel is rendered.
        panels = {"fan": ax_fan} if projector else {"fan": ax_fan, "tornado": ax_tornado}
        self._shown_panels = tuple(panels)
        self.blit = BlitManager(figure, panels, self._data_artists, key=self._panel_key)

    def layout_figure(self, projector: bool) -> None:
        """The fan chart alone with larger text (projector view), or fan and tornado."""
        self._build_charts(self.figure, projector, self.year.value)

    def _add_team_check(self) -> None:
        """The role-play's robustness check: each team's objective for these levers in the plausible worlds."""
        self.team_button = widgets.Button(description="Team objectives in these worlds", icon="users")
        self.team_button.add_class("uncertainty-teams")
        self.team_scores = widgets.HTML("")
        self.team_scores.add_class("uncertainty-team-scores")
        self.team_button.on_click(self.errors.guard(lambda _b: self.show_team_objectives()))
        self.add_to_controls(widgets.VBox([self.team_button, self.team_scores]), 3)

    def show_team_objectives(self, draws: int = 2000) -> dict:
        """Score every role-play team for the levers in force in ``draws`` plausible worlds.

        All levers count, also those without a control here (a loaded game's end state fixes all of them);
        the years are the loaded scenario's, within the projection.
        """
        from dprk_roleplay.robustness import objective_uncertainty, uncertainty_html
        from model.timeline import FIRST_PROJECTION_YEAR

        scenario = self.panel.scenario
        years = (max(scenario.first_year, FIRST_PROJECTION_YEAR), max(scenario.last_year, FIRST_PROJECTION_YEAR))
        found = objective_uncertainty(self.panel.params().as_dict(), years, draws=draws)
        self.team_scores.value = uncertainty_html(found, years)
        return found

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
        self.blit.invalidate()
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

    def threshold_parameter(self) -> registry.Parameter:
        """What the threshold box takes, in display units: 0 up to a round number above every world.

        Every headline is non-negative, so the range starts at 0; it ends at the smallest 1, 2 or 5 times
        a power of ten that is at least twice the largest value the baseline's worlds reach in any year
        (a threshold above it is true in no world, of this or any nearby scenario). Step 0.01.
        """
        scale, label = display_scale(self.quantity.unit)
        largest = 2 * float(np.max(self.base.values(self.quantity))) / scale
        power = 10.0 ** np.floor(np.log10(largest)) if largest > 0 else 1.0
        upper = next(m * power for m in (1, 2, 5, 10) if m * power >= largest) if largest > 0 else 1.0
        return registry.Parameter(
            name="threshold",
            title=f"Threshold of {self.quantity.label.lower()}",
            description="The value the probability sentence compares the worlds with.",
            unit=label,
            default=0.0,
            min=0.0,
            max=float(upper),
            step=0.01,
            role="lever",
            group="view",
        )

    def _reset_threshold(self) -> None:
        """Start the threshold at the baseline median of the chosen outcome and year (in display units)."""
        scale, label = display_scale(self.quantity.unit)
        median = float(np.median(self.base.at(self.quantity, self.year.value)))
        self.threshold_value = round(median / scale, 2)
        self._show_threshold()
        self.threshold_message.value = ""
        self.unit.value = f"<span style='color:#555'>{html.escape(label)}</span>"

    def _show_threshold(self) -> None:
        self._syncing_threshold = True
        try:
            self.threshold.value = f"{self.threshold_value:g}"
        finally:
            self._syncing_threshold = False

    def _typed_threshold(self, change) -> None:
        """A typed threshold: checked like a lever's value box (:func:`dprk_apps.typed.parse_typed`)."""
        if getattr(self, "_syncing_threshold", False) or self.base is None:
            return
        typed = str(change["new"])
        try:
            value, note = parse_typed(self.threshold_parameter(), typed)
        except ParameterError as error:
            self._show_threshold()
            self.threshold_message.value = (
                f"<span style='color:#b00020'>{html.escape(str(error), quote=False)} "
                f"The threshold stays {self.threshold_value:g}.</span>"
            )
            return
        self.threshold_value = value
        self._show_threshold()
        self.threshold_message.value = (
            f"<span style='color:#555'>{html.escape(note, quote=False)}</span>" if note else ""
        )
        self.errors.guard(lambda _change: self.update_readout())(change)

    def shown(self) -> tuple[str, ...]:
        """The headline keys the view reads from the scenario: the outcome and the two of the comparison."""
        return tuple(dict.fromkeys((self.outcome.value, "hard_currency_russia", "hard_currency_china")))

    def held(self) -> list[str]:
        """What is held at its central value.

        Every member of the groups ticked under *Hold fixed*, and Russia's payment mix when *Payment mix* is
        set to fixed.
        """
        held = [name for group in self.hold.value for name in _group_members(group)]
        return [*held, u.PAYMENT_MIX] if self.mix.value == "fixed" else held

    def mix_sentence(self) -> str:
        """Which payment mix is in effect in the scenario's worlds, and why."""
        if u.PAYMENT_MIX not in self.scenario.fixed:
            return (
                "Russia's payment mix (cash, food, technology) is <b>sampled</b> in every world: nothing measures it."
            )
        weights = ", ".join(
            f"{registry.get(name).title.removeprefix('Russia pays in ').removesuffix(' (weight)')} "
            f"{self.scenario.levers[name][0]:g}"
            for name in PAYMENT_WEIGHTS
        )
        why = "as chosen under <i>Payment mix</i>" if self.mix.value == "fixed" else "because the scenario sets it"
        return f"Russia's payment mix is <b>fixed</b> in every world at the weights {weights}, {why}."

    def evaluate(self, panel):
        """Same worlds, the panel's levers, the held assumptions fixed: the scenario's ensemble.

        Of a compact baseline only what is shown is kept.
        """
        held = self.held()
        return self.base.with_levers(panel.overrides(), fixed=held or None, keep=self.shown())

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
        self._keep_layout(key, max(len(label) for label in self.tornado_chart.labels))
        self.update_readout()

    def _data_artists(self) -> list:
        """What moves with the levers: bands, medians, the year line, the tornado's bars and centre."""
        fan, tornado = self.fan_chart, self.tornado_chart
        baseline = [a for a in (fan.base_median, fan.base_low, fan.base_high) if a is not None]
        bars = [*tornado.low_bars.patches, *tornado.high_bars.patches, tornado.centre_line]
        if "tornado" not in self._shown_panels:  # the projector view hides the tornado
            bars = []
        return [*fan.bands.values(), fan.median, fan.year_line, *baseline, *bars]

    def _panel_key(self, name: str, _ax) -> tuple:
        """What a panel's rendered background shows: its limits, titles and labels (a change re-renders it)."""
        return self._fan_key() if name == "fan" else self._tornado_key()

    def _fan_key(self) -> tuple:
        """The fan chart's static parts: its limits, title and axis label."""
        fan = self.fan_chart.ax
        return (fan.get_xlim(), fan.get_ylim(), fan.get_title(), fan.get_ylabel())

    def _tornado_key(self) -> tuple:
        """The tornado's static parts: its limits (ticks follow them), axis label and bar labels."""
        tornado = self.tornado_chart.ax
        return (tornado.get_xlim(), tornado.get_ylim(), tornado.get_xlabel(), self.tornado_chart.labels)

    def _keep_layout(self, key: str, label_chars: int) -> None:
        """Lay the figure out (constrained) only when its titles change or a tornado label is longer.

        Laying out measures every text of the figure and was about 45% of a frame's cost; a lever move
        changes data and tick values, and often the tornado's order, but a layout made for the longest
        labels shown so far fits shorter ones (labels are cut at 36 characters, so this settles).
        """
        if self._layout_key is not None and key == self._layout_key[0] and label_chars <= self._layout_key[1]:
            return
        if self._layout_key is not None and key == self._layout_key[0]:
            label_chars = max(label_chars, self._layout_key[1])
        key = (key, label_chars)
        self.figure.set_layout_engine("constrained")
        self.figure.get_layout_engine().execute(self.figure)
        self.figure.set_layout_engine("none")
        self._layout_key = key
        self.blit.invalidate()  # the axes moved: render the backgrounds again

    def band_sentence(self) -> str:
        """The 90% band of the outcome in the year, against the baseline's with every assumption uncertain."""
        key, year, unit = self.outcome.value, self.year.value, self.quantity.unit
        low, high = u.fan(self.scenario, key).band(0.9)
        t = self.scenario.year_index(year)
        width = float(high[t] - low[t])
        base_low, base_high = self.base_fan(key).band(0.9)
        reference = float(base_high[t] - base_low[t])
        held = ", ".join(title for title, group in self.hold.options if group in self.hold.value)
        compared = f"{1 - width / reference:.0%} narrower than" if reference > 0 else "against"
        label = self.quantity.label
        return (
            f"90% band of {label[0].lower() + label[1:]} in {year}: {format_quantity(float(low[t]), unit)} to "
            f"{format_quantity(float(high[t]), unit)}, width <b>{format_quantity(width, unit)}</b>"
            + (f" with {held} held fixed" if held else "")
            + f"; {compared} the baseline's band with every assumption uncertain "
            f"({format_quantity(reference, unit)})."
        )

    def update_readout(self) -> None:
        """The probability sentences for the current threshold."""
        scale, _ = display_scale(self.quantity.unit)
        threshold = float(self.threshold_value) * scale
        year = self.year.value
        lines = [
            u.statement(self.scenario, self.quantity, year, threshold),
            u.statement(self.base, self.quantity, year, threshold).replace("worlds,", "worlds under the baseline,", 1),
            u.statement_greater(self.scenario, "hard_currency_russia", "hard_currency_china", year),
            self.band_sentence(),
            self.mix_sentence(),
        ]
        self.readout.value = "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"


__all__ = [
    "LEVERS",
    "DiscoveryPanel",
    "UncertaintyApp",
    "assumptions_markdown",
    "comparison",
    "discovery",
    "fans",
    "sensitivity",
    "sobol_table",
    "statements",
]
