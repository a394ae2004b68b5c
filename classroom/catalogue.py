"""The class's apps: which notebooks, in what order, with title, level and time (``apps.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent / "apps.toml"
LEVELS = ("intro", "core", "advanced")
#: Who opens an app: the students, or only the facilitator (the lecturer's code; the role-play's game board).
AUDIENCES = ("students", "facilitator")
#: How each level is written for people (the notebooks' first cells, the seminar programme).
LEVEL_WORDS = {"intro": "introductory", "core": "intermediate", "advanced": "methods"}


class CatalogueError(ValueError):
    """The catalogue or a choice of apps is not valid; the message says what and what is allowed."""


@dataclass(frozen=True)
class App:
    """One app of the class: its notebook, title, level, time in minutes and who opens it."""

    notebook: str
    title: str
    level: str
    minutes: int
    audience: str = "students"

    @property
    def number(self) -> str:
        """The notebook's number as the guide writes it: ``05``."""
        return self.name.split("_", 1)[0]

    @property
    def name(self) -> str:
        """The short name a teacher types: the notebook's file name without ``.ipynb``."""
        return self.notebook.removesuffix(".ipynb")

    @property
    def level_words(self) -> str:
        """The level as the notebooks write it: introductory, intermediate or methods."""
        return LEVEL_WORDS[self.level]

    def as_dict(self) -> dict:
        """Return the app as plain data (for the landing page)."""
        return asdict(self)


def load_apps(path: Path = CATALOGUE, notebooks: Path | None = None) -> list[App]:
    """The apps in teaching order; checks every entry (and, given ``notebooks``, that each file exists)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    apps = []
    for number, entry in enumerate(data.get("app", []), start=1):
        missing = {"notebook", "title", "level", "minutes"} - set(entry)
        if missing:
            raise CatalogueError(f"{path.name}: app {number} lacks {', '.join(sorted(missing))}")
        if entry["level"] not in LEVELS:
            raise CatalogueError(
                f"{path.name}: app {number} ({entry['notebook']}) has level {entry['level']!r}; "
                f"allowed: {', '.join(LEVELS)}"
            )
        if not isinstance(entry["minutes"], int) or entry["minutes"] <= 0:
            raise CatalogueError(f"{path.name}: app {number} has minutes {entry['minutes']!r}; a positive integer")
        audience = entry.get("audience", "students")
        if audience not in AUDIENCES:
            raise CatalogueError(
                f"{path.name}: app {number} ({entry['notebook']}) has audience {audience!r}; "
                f"allowed: {', '.join(AUDIENCES)}"
            )
        app = App(entry["notebook"], entry["title"], entry["level"], entry["minutes"], audience)
        if notebooks is not None and not (notebooks / app.notebook).is_file():
            raise CatalogueError(f"{path.name}: app {number} names {app.notebook}, which is not in {notebooks}")
        apps.append(app)
    if not apps:
        raise CatalogueError(f"{path.name} lists no apps")
    return apps


def choose(apps: list[App], names: str) -> list[App]:
    """The apps named in a comma-separated list (``05_scenario_lab`` or ``05``, or ``all``)."""
    if names.strip() == "all":
        return list(apps)
    chosen = []
    for raw in names.split(","):
        name = raw.strip().removesuffix(".ipynb")
        matches = [app for app in apps if app.name == name or app.name.split("_", 1)[0] == name]
        if len(matches) != 1:
            allowed = ", ".join(app.name for app in apps)
            raise CatalogueError(f"--apps: {raw.strip()!r} is not an app; allowed: all, or any of {allowed}")
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return chosen
