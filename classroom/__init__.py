"""Serving the suite to a class.

The classroom server (Voilà with a pool, a class code, a landing page and kernels that end with their
page), the JupyterHub link, and their command line (``python -m classroom``, behind ``./suite class``).
"""
