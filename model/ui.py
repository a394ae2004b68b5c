"""Former home of the notebook controls, kept so that ``import model.ui`` in branches in flight still works.

Everything lives in the app layer, :mod:`model.app`; new code imports from there. This module only
re-exports those names under their old spelling and holds no logic.
"""

from model.app import (
    ASSUMPTION_SECTIONS,
    LEVER_SECTIONS,
    NO_MATH,
    ControlPanel,
    ErrorBox,
    ExportBar,
    ParameterControl,
    PresetChooser,
    SliderApp,
    citations_html,
    export_folder,
    format_quantity,
    headline_table,
    parameter_names,
    save_figure,
    save_results_csv,
    sources_for,
    unique_path,
)
from model.scenarios import BASELINE


def prepare_figure(fig):
    """Hide ipympl's toolbar (now :func:`model.plots.style.prepare_canvas`)."""
    from model.plots.style import prepare_canvas

    return prepare_canvas(fig)


__all__ = [
    "ASSUMPTION_SECTIONS",
    "BASELINE",
    "LEVER_SECTIONS",
    "NO_MATH",
    "ControlPanel",
    "ErrorBox",
    "ExportBar",
    "ParameterControl",
    "PresetChooser",
    "SliderApp",
    "citations_html",
    "export_folder",
    "format_quantity",
    "headline_table",
    "parameter_names",
    "prepare_figure",
    "save_figure",
    "save_results_csv",
    "sources_for",
    "unique_path",
]
