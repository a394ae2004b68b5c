"""The shipped presets: small TOML scenario files (see :mod:`model.scenarios`)."""
