"""Plot helpers (matplotlib). Each takes an ``ax`` and explicit data, so one helper serves the static
figure, the slider callback and a test. The model itself never imports this package."""
