"""The one tidy-CSV writer (and the one atomic file writer), used by the command line and the notebooks' export buttons.

Rows come from :meth:`model.results.Results.tidy`, limited to the years a scenario shows. The file is
written in full to a temporary name next to the target and moved into place only when complete, with
LF line endings and the permissions of any file the user creates (``0o666`` minus the umask, so 644
under the usual umask 022).

Examples
--------
>>> import tempfile, pathlib
>>> from model import simulate
>>> from model.scenarios import load_preset
>>> history = load_preset("history")
>>> rows = scenario_rows(simulate(history.params), history)
>>> sorted({row["year"] for row in rows}) == list(range(history.first_year, history.last_year + 1))
True
>>> path = write_csv(pathlib.Path(tempfile.mkdtemp()) / "history.csv", rows)
>>> path.read_bytes().count(bytes([13]))  # no carriage returns
0
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

#: Quantile columns of a batch of draws: ``run --draws`` and the notebooks' exports.
RUN_QUANTILES = (0.05, 0.5, 0.95)
#: Quantile columns of ``ensemble``: the edges of a fan chart's 50% and 90% bands too.
ENSEMBLE_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def scenario_rows(results: Any, scenario: Any = None, quantiles: Sequence[float] = RUN_QUANTILES) -> list[dict]:
    """Tidy rows of ``results`` in the years ``scenario`` shows.

    Parameters
    ----------
    results : model.results.Results
        Output of :func:`model.simulate` (one draw or a batch).
    scenario : model.scenarios.Scenario, optional
        Its ``first_year`` and ``last_year`` bound the rows; without it every year is kept.
    quantiles : sequence of float
        Quantile columns for a batch of draws (ignored for one draw).

    Returns
    -------
    list of dict
        One row per year, channel, partner and measure (see :meth:`~model.results.Results.tidy`).
    """
    rows = results.tidy(quantiles=tuple(quantiles))
    if scenario is None:
        return rows
    years = range(scenario.first_year, scenario.last_year + 1)
    return [row for row in rows if row["year"] in years]


def _user_mode() -> int:
    """The mode a newly created file gets: ``0o666`` minus the process's umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_csv(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    """Write rows as CSV atomically: complete or not at all, LF line endings, user file permissions.

    Floats are written with ``repr`` (every digit kept, so a file read back gives the same numbers).

    Parameters
    ----------
    path : str or Path
        Target file; its folder must exist. An existing file is replaced only once the new one is complete.
    rows : iterable of mapping
        Rows with the same keys, in column order (at least one row).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ValueError
        When there are no rows.
    OSError
        When the folder does not exist or cannot be written; nothing is left behind.
    """
    rows = list(rows)
    if not rows:
        raise ValueError("no rows to write")
    path = Path(path)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (repr(v) if isinstance(v, float) else v) for k, v in row.items()})
    return write_text(path, buffer.getvalue())


def write_text(path: str | Path, text: str) -> Path:
    """Write text atomically (complete or not at all) with LF line endings and user file permissions.

    The one way the suite writes a text file (CSV tables, scenario files): see :func:`write_bytes`.

    Parameters
    ----------
    path : str or Path
        Target file; its folder must exist.
    text : str
        Content, with LF line endings (written as they are on every platform), encoded as UTF-8.

    Returns
    -------
    Path
    """
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write bytes atomically (complete or not at all) with user file permissions (PDF handouts, PNG).

    Written to a temporary name in the target's folder, then moved into place.

    Parameters
    ----------
    path : str or Path
        Target file; its folder must exist.
    data : bytes
        Content.

    Returns
    -------
    Path
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _user_mode())  # mkstemp creates 0o600: others could not read the file
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return path
