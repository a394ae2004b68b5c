"""Plot helpers (matplotlib), never imported by the model itself.

Each helper takes an ``ax`` and explicit data, so one helper serves the static figure, the slider callback
and a test. :mod:`model.plots.style` is the one style; :mod:`model.plots.views` picks the data.
"""
