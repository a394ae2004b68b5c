"""The apps of the channel notebooks: oil (02), labour (03) and arms (04), each a :class:`SliderApp`.

Each app draws its charts (:mod:`dprk_figures.channels`) from the baseline's data view
(:mod:`dprk_figures.views`), then moves them and its readout table to every new result. The notebooks
make one call: ``app = OilApp()`` and ``display(app.widget)``.
"""

from __future__ import annotations

from dprk_apps.base import SliderApp
from dprk_figures import channels, views
from dprk_figures.style import APP_DPI, new_figure
from dprk_teaching.tables import comparison_table
from model.core import simulate
from model.formatting import format_bbl, format_count, format_usd
from model.outcomes import PARTNERS, PAYMENT_FORMS
from model.scenarios import BASELINE, load_preset
from model.timeline import FOCUS_YEAR


def _compare(labels, now, then, formatter):
    """Rows ``(key, label, baseline, scenario, formatter)`` for keys of two ``.at(year)`` dicts."""
    return [(key, label, then[key], now[key], formatter) for key, label in labels.items()]


# ---------------------------------------------------------------------------------------------- oil
OIL_LEVERS = [
    "china_pipeline_cut",
    "china_smuggling_enforcement",
    "russia_oil_cap_enforcement",
    "maritime_interdiction",
    "monitoring_regime",
    "refined_oil_cap_bbl",
    "crude_oil_cap_bbl",
    "russia_payment_oil_weight",
    "war_demand_level",
]
OIL_ASSUMPTIONS = [
    "oil_need_bbl",
    "sts_capacity_bbl",
    "sts_china_share",
    "reported_refined_bbl",
    "diversion_share",
]
OIL_ROWS = {
    "supply_bbl": "All oil supplied",
    "need_bbl": "Need",
    "pipeline_bbl": "Pipeline crude (China)",
    "reported_bbl": "Reported refined",
    "illicit_china_bbl": "Smuggled through Chinese waters",
    "illicit_russia_bbl": "Above the cap via Russia",
    "illicit_other_bbl": "Smuggled elsewhere",
}


def oil_observations() -> tuple[list, list]:
    """Observed pipeline volumes and refined deliveries, as ``(label, years, values)`` lists."""
    pipeline = [views.observed_points("oil_supply_bbl", "china", "oil", "pipeline_crude", label="pipeline, reported")]
    refined = [
        views.observed_points(
            "oil_supply_bbl", "total", "oil", "reported_refined", basis="1718_Committee", label="reported to the UN"
        ),
        views.observed_points("oil_supply_bbl", "total", "oil", "refined_total", label="all refined (US estimate)"),
    ]
    return pipeline, refined


def oil_figure(series: views.OilSeries, year: int = FOCUS_YEAR, show: bool = True, dpi: float | None = None):
    """The oil figure: supply against need (top), refined oil against the cap (bottom).

    Parameters
    ----------
    series : dprk_figures.views.OilSeries
    year : int
        Year of the leakage label.
    show : bool
        Display where made (a static figure) or not (inside an app).

    Returns
    -------
    figure, supply_chart, cap_chart
    """
    pipeline, refined = oil_observations()
    figure, (ax_supply, ax_cap) = new_figure(2, 1, height=7.5, show=show, dpi=dpi)
    supply = channels.OilSupplyChart(ax_supply, series.years, series.layers, series.need, observed=pipeline)
    cap = channels.RefinedCapChart(
        ax_cap, series.years, series.reported, series.illicit, series.refined_cap, year, refined
    )
    return figure, supply, cap


class OilApp(SliderApp):
    """Oil levers, the oil figure and a table for the focus year, updated in place on every change."""

    def __init__(self, year: int = FOCUS_YEAR):
        self.year = year
        self.baseline = self.series = views.oil_series(simulate(load_preset(BASELINE).params))
        figure, self.supply_chart, self.cap_chart = oil_figure(self.baseline, year, show=False, dpi=APP_DPI)
        super().__init__(OIL_LEVERS + OIL_ASSUMPTIONS, figure, title="Oil reaching North Korea", panel_title="Oil")

    def readout_rows(self) -> list:
        """Numbers shown for the focus year: (key, label, baseline, scenario, formatter)."""
        now, then = self.series.at(self.year), self.baseline.at(self.year)
        rows = _compare(OIL_ROWS, now, then, format_bbl)
        rows.append(
            ("leakage_x_cap", "Refined oil ÷ cap", then["leakage_x_cap"], now["leakage_x_cap"], "{:.1f}×".format)
        )
        return rows

    def redraw(self, results):
        """Move the charts and the table to the new results."""
        s = self.series = views.oil_series(results)
        self.supply_chart.update(s.layers, s.need)
        self.cap_chart.update(s.reported, s.illicit, s.refined_cap)
        self.readout.value = comparison_table(self.readout_rows(), self.year, "channel-readout")


# ---------------------------------------------------------------------------------------------- labour
LABOUR_LEVERS = ["china_labour_enforcement", "russia_labour_enforcement", "worker_repatriation", "monitoring_regime"]
LABOUR_ASSUMPTIONS = [
    "workers_potential_china",
    "workers_potential_russia",
    "workers_potential_other",
    "monthly_pay_china_usd",
    "monthly_pay_russia_usd",
    "state_take",
    "it_workers",
    "it_monthly_pay_usd",
    "it_state_take",
    "russia_route_worker_capacity",
    "diversion_share",
]
LABOUR_REVENUE_ROWS = {
    "revenue_china_usd": "State revenue from China",
    "revenue_russia_usd": "State revenue from Russia",
    "revenue_other_usd": "State revenue from elsewhere",
    "revenue_it_usd": "State revenue from IT workers",
    "revenue_total_usd": "State revenue, total",
}


def labour_observations() -> list:
    """Observed head counts of workers abroad, as ``(label, years, values)``."""
    return [
        views.observed_points("workers_abroad", "total", "labour", basis="US_estimate", label="all hosts (US)"),
        views.observed_points("workers_abroad", "total", "labour", basis="UN_PoE", label="all hosts (UN panel)"),
        views.observed_points("workers_abroad", "russia", "labour", basis="RU_official", label="in Russia (Russia)"),
        views.observed_points("workers_abroad", "russia", "labour", basis="ROK_intel", label="in Russia (Seoul)"),
    ]


def labour_figure(series: views.LabourSeries, show: bool = True, dpi: float | None = None):
    """The labour figure: workers by host (top), the state's revenue from them (bottom).

    Returns
    -------
    figure, workers_chart, revenue_chart
    """
    figure, (ax_workers, ax_revenue) = new_figure(2, 1, height=7.5, show=show, dpi=dpi)
    workers = channels.WorkersChart(
        ax_workers, series.years, series.workers, series.it_workers, observed=labour_observations()
    )
    revenue = channels.labour_revenue_chart(ax_revenue, series.years, series.revenue)
    return figure, workers, revenue


class LabourApp(SliderApp):
    """Labour levers, the labour figure and a table for the focus year, updated in place on every change."""

    def __init__(self, year: int = FOCUS_YEAR):
        self.year = year
        self.baseline = self.series = views.labour_series(simulate(load_preset(BASELINE).params))
        figure, self.workers_chart, self.revenue_chart = labour_figure(self.baseline, show=False, dpi=APP_DPI)
        super().__init__(LABOUR_LEVERS + LABOUR_ASSUMPTIONS, figure, "North Korean workers abroad", "Labour")

    def readout_rows(self) -> list:
        """Numbers shown for the focus year: (key, label, baseline, scenario, formatter)."""
        now, then = self.series.at(self.year), self.baseline.at(self.year)
        workers = {f"workers_{p}": f"Workers {views.HOST_PHRASES[p]}" for p in PARTNERS}
        rows = _compare({**workers, "it_workers": "IT workers"}, now, then, format_count)
        return rows + _compare(LABOUR_REVENUE_ROWS, now, then, format_usd)

    def redraw(self, results):
        """Move the charts and the table to the new results."""
        self.series = views.labour_series(results)
        self.workers_chart.update(self.series.workers, self.series.it_workers)
        self.revenue_chart.update(self.series.revenue)
        self.readout.value = comparison_table(self.readout_rows(), self.year, "channel-readout")


# ---------------------------------------------------------------------------------------------- arms
ARMS_LEVERS = [
    "war_demand_level",
    "ceasefire_year",
    "russia_arms_enforcement",
    "russia_payment_cash_weight",
    "russia_payment_oil_weight",
    "russia_payment_food_weight",
    "russia_payment_technology_weight",
]
ARMS_ASSUMPTIONS = [
    "munition_containers_per_year",
    "rounds_per_container",
    "price_per_round_usd",
    "missiles_per_year",
    "missile_price_usd",
    "troops_deployed",
    "troop_monthly_pay_usd",
    "post_war_demand_share",
]


def arms_observations() -> dict:
    """Observed figures per arms panel, as ``{key: [(label, years, values)]}``."""
    return {"troops": [views.observed_points("troops_deployed", "russia", "troops", basis="ROK_NIS", label="NIS")]}


def arms_figure(
    series: views.ArmsSeries, show: bool = True, ceasefire_year: int | None = None, dpi: float | None = None
):
    """The arms figure: four quantity panels and Russia's payment by form below them.

    Returns
    -------
    figure, quantities_chart, payment_chart
    """
    figure = new_figure(0, 0, height=9.0, show=show, dpi=dpi)[0]
    grid = figure.add_gridspec(3, 2)
    quantity_axes = [figure.add_subplot(grid[i // 2, i % 2]) for i in range(4)]
    ax_pay = figure.add_subplot(grid[2, :])
    quantities = channels.ArmsQuantitiesChart(
        quantity_axes, series.years, series.quantities, ceasefire_year, observed=arms_observations()
    )
    payment = channels.payment_chart(ax_pay, series.years, series.payment, ceasefire_year)
    return figure, quantities, payment


class ArmsApp(SliderApp):
    """Arms levers, the arms figure and a table for the focus year, updated in place on every change."""

    def __init__(self, year: int = FOCUS_YEAR):
        self.year = year
        params = load_preset(BASELINE).params
        self.baseline = self.series = views.arms_series(simulate(params))
        figure, self.quantities_chart, self.payment_chart = arms_figure(self.baseline, show=False, dpi=APP_DPI)
        super().__init__(ARMS_LEVERS + ARMS_ASSUMPTIONS, figure, title="Arms for Russia", panel_title="Arms")

    def readout_rows(self) -> list:
        """Numbers shown for the focus year: (key, label, baseline, scenario, formatter)."""
        now, then = self.series.at(self.year), self.baseline.at(self.year)
        rows = _compare({key: title for key, title, _unit in views.ARMS_QUANTITIES}, now, then, format_count)
        payments = {f"payment_{form}_usd": f"Russia pays in {form}" for form in PAYMENT_FORMS}
        return rows + _compare({**payments, "payment_total_usd": "Russia pays, total"}, now, then, format_usd)

    def redraw(self, results):
        """Move the charts and the table to the new results."""
        self.series = views.arms_series(results)
        ceasefire = int(self.params.scalar("ceasefire_year"))
        self.quantities_chart.update(self.series.quantities, ceasefire)
        self.payment_chart.update(views.payment_layers(self.series.payment), ceasefire)
        self.readout.value = comparison_table(self.readout_rows(), self.year, "channel-readout")


__all__ = ["ArmsApp", "LabourApp", "OilApp", "arms_figure", "labour_figure", "oil_figure"]
