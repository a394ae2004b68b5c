"""Command line: ``python -m model COMMAND`` (presets, params, run, ensemble, scenario-code, documents, playtest).

Documents: ``handout``, ``cards`` (role cards, the facilitator's card, event cards four to a page), ``sheets``
(a decision sheet per team and the round log), ``slides`` and ``static``.

Bad input prints one clear message on standard error and exits with status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from model import registry
from model.errors import ModelInputError, ParameterError

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        """Print one line naming the problem and where help is, then exit with status 2."""
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m model`` (bad arguments end in one line and status 2)."""
    parser = _Parser(prog="python -m model", description="North Korea lifelines sanctions model.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("presets", help="list the shipped presets (name and title)")
    params = commands.add_parser("params", help="print the parameter registry as a table")
    params.add_argument("--format", choices=("text", "markdown", "csv"), default="text")
    params.add_argument("--role", choices=("lever", "uncertainty", "constant"))
    for name, text in (
        ("run", "run a preset or scenario file and write a tidy CSV"),
        ("ensemble", "sample the uncertainties and write quantiles per year"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument(
            "preset", nargs="?", help="a preset name (see `presets`) or a .toml/.json scenario file (or use --code)"
        )
        command.add_argument("--code", help="a scenario code (as an app's Copy link shows it) instead of a preset")
        command.add_argument(
            "--set",
            dest="overrides",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="override one parameter (repeatable)",
        )
        command.add_argument(
            "--draws",
            type=int,
            default=1 if name == "run" else 10000,
            help="number of uncertainty draws (run: 1 = no sampling)",
        )
        command.add_argument("--seed", type=int, default=20240328, help="random seed for the draws")
        command.add_argument("--csv", required=True, metavar="PATH", help="where to write the CSV (a new file)")
        command.add_argument("--overwrite", action="store_true", help="replace an existing file")
        command.add_argument(
            "--fix",
            action="append",
            default=[],
            metavar="NAME",
            help="hold one uncertainty at its scenario value in every draw (repeatable)",
        )
    code = commands.add_parser(
        "scenario-code", help="print the scenario code of a preset or scenario file (what an app's link carries)"
    )
    code.add_argument("preset", help="a preset name (see `presets`) or a .toml/.json scenario file")
    handout = commands.add_parser(
        "handout", help="write a one-page PDF handout of a preset, a scenario file or a saved role-play game"
    )
    handout.add_argument(
        "preset", help="a preset name (see `presets`), a .toml/.json scenario file or a saved game (.json)"
    )
    handout.add_argument("--pdf", required=True, metavar="PATH", help="where to write the PDF (a new file)")
    _paper_and_overwrite(handout)
    cards = commands.add_parser(
        "cards", help="write the role-play cards (one page per team, the facilitator's, the events) as a PDF"
    )
    cards.add_argument("--pdf", required=True, metavar="PATH", help="where to write the PDF (a new file)")
    _paper_and_overwrite(cards)
    sheets = commands.add_parser(
        "sheets", help="write the role-play's decision sheets (one page per team) and the round log as a PDF"
    )
    sheets.add_argument("--pdf", required=True, metavar="PATH", help="where to write the PDF (a new file)")
    sheets.add_argument(
        "--rounds", type=int, default=None, help="rounds of the game (default: the seminar plan's, in seminar.toml)"
    )
    sheets.add_argument(
        "--years-per-round", type=int, default=None, help="model years a round covers (default: the seminar plan's)"
    )
    _paper_and_overwrite(sheets)
    slides = commands.add_parser(
        "slides", help="write the seminar's slides (16:9) as a PDF, an editable PowerPoint file (.pptx), or both"
    )
    slides.add_argument("--pdf", metavar="PATH", help="where to write the PDF (a new file)")
    slides.add_argument("--pptx", metavar="PATH", help="where to write the PowerPoint file (a new file)")
    for field in ("lecturer", "course", "date"):
        slides.add_argument(f"--{field}", default="", help=f"the title slide's {field} (default: a line to fill in)")
    slides.add_argument("--overwrite", action="store_true", help="replace existing files")
    playtest = commands.add_parser(
        "playtest", help="play the role-play by machine (random, greedy, cooperative, spoiler teams) and report"
    )
    playtest.add_argument("--games", type=int, default=1000, help="games per block (default 1000; at least 10)")
    playtest.add_argument("--seed", type=int, default=20240328, help="random seed (the same seed, the same report)")
    playtest.add_argument(
        "--json", metavar="PATH", default=None, help="also write the full report as JSON (a new file)"
    )
    playtest.add_argument("--overwrite", action="store_true", help="replace an existing JSON file")
    static = commands.add_parser(
        "static", help="write every preset's figures and handouts, the cards and slides, and an index.html"
    )
    static.add_argument("folder", help="the folder to fill (created if missing; must be empty)")
    _paper_and_overwrite(static)
    return parser


def _paper_and_overwrite(command: argparse.ArgumentParser) -> None:
    command.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    command.add_argument("--overwrite", action="store_true", help="replace existing files")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; bad input prints one message on standard error and returns status 2.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: the process's).

    Returns
    -------
    int
        Exit status: 0, or 2 for bad input.
    """
    args = build_parser().parse_args(argv)
    try:
        if args.command == "presets":
            return _presets()
        if args.command == "params":
            return _params(args.format, args.role)
        if args.command in ("handout", "cards", "sheets", "slides", "static"):
            return _documents(args)
        if args.command == "scenario-code":
            return _scenario_code(args.preset)
        if args.command == "playtest":
            return _playtest(args)
        return _run(args)
    except ModelInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"error: {os_message(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT


#: What an operating-system error means to someone who typed a path, by its errno name.
_OS_REASONS = {
    "EACCES": "permission denied (choose a folder you can write to)",
    "EPERM": "not permitted (choose a folder you can write to)",
    "EISDIR": "that is a folder; give a file name",
    "ENOTDIR": "a part of the path is a file, not a folder",
    "ENOENT": "no such file or folder",
    "ENOSPC": "the disk is full",
    "EROFS": "the disk is read-only",
    "ENAMETOOLONG": "the name is too long",
    "EEXIST": "it already exists (add --overwrite to replace it)",
}


def os_message(error: OSError) -> str:
    """One plain line for an operating-system error: the path and what went wrong, no traceback."""
    import errno

    reason = _OS_REASONS.get(errno.errorcode.get(error.errno or 0, ""), error.strerror or str(error))
    where = error.filename if error.filename is not None else "the file"
    return f"cannot use {where}: {reason}."


def _playtest(args: argparse.Namespace) -> int:
    """Play the role-play by machine; print the table, write the JSON report if asked."""
    from dprk_roleplay.playtest import playtest, table, write_json

    if not 10 <= args.games <= 100_000:
        raise ParameterError(f"--games {args.games} must be from 10 to 100,000.", parameter="games", value=args.games)
    if not 0 <= args.seed < 2**63:
        raise ParameterError(
            f"--seed {args.seed} must be a whole number from 0 to 2**63 - 1.", parameter="seed", value=args.seed
        )
    target = Path(args.json) if args.json else None
    if target is not None and (target.suffix.lower() != ".json" or not (target.parent or Path(".")).is_dir()):
        raise ParameterError(
            f"--json {args.json}: give a file ending in .json in a folder that exists.",
            parameter="json",
            value=args.json,
        )
    if target is not None and target.exists() and not args.overwrite:
        raise ParameterError(
            f"--json {args.json} already exists; choose another name or add --overwrite to replace it.",
            parameter="json",
            value=args.json,
        )
    report = playtest(args.games, args.seed)
    print(table(report))
    if target is not None:
        write_json(report, target)
        print(f"wrote {target}", file=sys.stderr)
    return 0


def _presets() -> int:
    from model.scenarios import load_preset, preset_names

    for name in preset_names():
        print(f"{name}\t{load_preset(name).title}")
    return 0


def _params(fmt: str, role: str | None) -> int:
    rows = [row for row in registry.table_rows() if role is None or row["role"] == role]
    columns = ["name", "role", "group", "unit", "default", "range", "distribution", "title", "provenance"]
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    elif fmt == "markdown":
        print("| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
        for row in rows:
            print("| " + " | ".join(row[c].replace("|", "/") for c in columns) + " |")
    else:
        short = ["name", "role", "unit", "default", "range"]
        widths = {c: max(len(c), *(len(r[c]) for r in rows)) for c in short}
        print("  ".join(c.ljust(widths[c]) for c in short))
        for row in rows:
            print("  ".join(row[c].ljust(widths[c]) for c in short))
    return 0


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["a=1", "b=x"]`` -> ``{"a": "1", "b": "x"}``, validating names against the registry."""
    overrides = {}
    for item in items:
        name, separator, value = item.partition("=")
        name = name.strip()
        if not separator or not name:
            raise ParameterError(
                f"--set {item!r}: write NAME=VALUE, e.g. --set ceasefire_year=2027", parameter=name or item, value=None
            )
        registry.get(name)
        overrides[name] = value.strip()
    return overrides


def _check_counts(args: argparse.Namespace) -> None:
    """Refuse a bad draw count or seed with one message (before anything is computed)."""
    if not 1 <= args.draws <= 1_000_000:
        raise ParameterError(f"--draws {args.draws} must be from 1 to 1,000,000.", parameter="draws", value=args.draws)
    if not 0 <= args.seed < 2**63:
        raise ParameterError(
            f"--seed {args.seed} must be a whole number from 0 to 2**63 - 1, e.g. --seed 7.",
            parameter="seed",
            value=args.seed,
        )


def _scenario_code(preset: str) -> int:
    from model.scenario_code import scenario_code
    from model.scenarios import load_preset

    print(scenario_code(load_preset(preset)))
    return 0


def _scenario_of(args: argparse.Namespace):
    """The scenario a run names: a preset or file, or a scenario code (exactly one of them)."""
    from model.scenarios import load_preset

    if (args.preset is None) == (args.code is None):
        raise ParameterError(
            f"{args.command}: name a preset or scenario file, or give --code CODE (one of them, not both).",
            parameter="preset",
            value=args.preset or args.code,
        )
    if args.code is not None:
        from model.scenario_code import load_code

        return load_code(args.code)
    return load_preset(args.preset)


def _run(args: argparse.Namespace) -> int:
    from model.core import simulate
    from model.params import Params
    from model.tidy import ENSEMBLE_QUANTILES, RUN_QUANTILES, scenario_rows, write_csv
    from model.uncertainty.ensemble import check_fixed, run_ensemble

    _check_counts(args)
    target = Path(args.csv)
    if target.parent and not target.parent.is_dir():
        raise ParameterError(
            f"--csv {args.csv}: folder {target.parent} does not exist.", parameter="csv", value=args.csv
        )
    if target.is_dir():
        raise ParameterError(f"--csv {args.csv}: that is a folder; give a file name.", parameter="csv", value=args.csv)
    if target.exists() and not args.overwrite:
        raise ParameterError(
            f"--csv {args.csv} already exists; choose another name or add --overwrite to replace it.",
            parameter="csv",
            value=args.csv,
        )
    scenario = _scenario_of(args)
    overrides = {**scenario.overrides, **parse_assignments(args.overrides)}
    fixed = check_fixed(args.fix)
    if args.command == "ensemble" or args.draws > 1:
        # One sampling path for both commands: uncertainties set in the scenario, with --set or named by
        # --fix stay at that value in every draw; the same seed gives the same worlds in `run` and `ensemble`.
        ensemble = run_ensemble(overrides, args.draws, np.random.default_rng(args.seed), fixed=sorted(fixed))
        params, results = ensemble.params, ensemble.results
    else:
        params = Params.from_overrides(overrides)
        results = simulate(params)
    quantiles = ENSEMBLE_QUANTILES if args.command == "ensemble" else RUN_QUANTILES
    rows = scenario_rows(results, scenario, quantiles)
    write_csv(target, rows)
    print(f"wrote {len(rows)} rows for {scenario.name!r} ({params.n_draws} draw(s)) to {target}", file=sys.stderr)
    return 0


def _documents(args: argparse.Namespace) -> int:
    """Handouts, role cards, slides and the static folder: every check before anything is computed."""
    from dprk_teaching import handout

    if args.command == "static":
        from dprk_teaching.static import write_static

        written = write_static(args.folder, paper=args.paper, overwrite=args.overwrite)
        print(f"wrote {len(written)} files to {args.folder} (open index.html)", file=sys.stderr)
        return 0
    if args.command == "slides":
        from dprk_teaching.slides import write_deck

        fields = {"lecturer": args.lecturer, "course": args.course, "date": args.date}
        for path in write_deck(pdf=args.pdf, pptx=args.pptx, overwrite=args.overwrite, **fields):
            print(f"wrote {path}", file=sys.stderr)
        return 0
    target = handout.check_target(args.pdf, args.overwrite)
    if args.command == "handout":
        handout.check_paper(args.paper)
        from dprk_roleplay import game as roleplay_game
        from model.scenarios import load_preset

        if roleplay_game.is_game_file(args.preset):  # a saved role-play game (JSON of kind roleplay_game)
            from dprk_teaching.roleplay_handout import content_for_game

            content = content_for_game(roleplay_game.load_game(args.preset))
        else:
            content = handout.content_for_scenario(load_preset(args.preset))
        handout.write_pdf(content, target, paper=args.paper, overwrite=args.overwrite)
    elif args.command == "sheets":
        from dprk_teaching.play_sheets import write_sheets

        write_sheets(target, args.paper, args.rounds, args.years_per_round, overwrite=args.overwrite)
    else:
        from dprk_teaching.cards import write_cards

        write_cards(target, paper=args.paper, overwrite=args.overwrite)
    print(f"wrote {target}", file=sys.stderr)
    return 0
