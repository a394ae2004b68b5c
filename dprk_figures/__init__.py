"""Plot helpers (matplotlib), never imported by the model itself.

Each helper takes an ``ax`` and explicit data, so one helper serves the static figure, the slider callback
and a test. :mod:`dprk_figures.style` is the one style; :mod:`dprk_figures.views` picks the data.
"""
