"""``python -m classroom serve|hub-link`` (``./suite class`` runs ``serve``).

Bad input gets one line naming the option, the value and what is allowed, and exit status 2.

Once ``serve`` has printed its banner, the terminal shows one line per student event and real errors in
one line; everything else goes to the log file in the class's state folder (:mod:`classroom.console`).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from . import console, state
from .admission import FIRST_LOADS_DEFAULT
from .catalogue import CatalogueError, choose, load_apps
from .security import REQUEST_BURST, REQUESTS_PER_S, SESSIONS_PER_ADDRESS, STUDENT_KERNELS, code_weakness

# No 0/O, 1/l/I: a code read off a projector is typed right the first time.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
DEFAULT_PORT = 8870
ROOT = Path(__file__).resolve().parent.parent


class UsageError(Exception):
    """A bad command-line value; the message names the option, the value and what is allowed."""


def _int_in(option: str, low: int, high: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number ({low} to {high})") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low} to {high}")
        return value

    return parse


def _float_in(option: str, low: float, high: float, unit: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit} ({low:g} to {high:g})") from None
        if not low <= value <= high:  # also refuses NaN
            raise argparse.ArgumentTypeError(f"{value:g} {unit} is outside {low:g} to {high:g}")
        return value

    return parse


def _code(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9-]{6,64}", text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not allowed; use 6 to 64 letters, digits or hyphens (it is typed by students)"
        )
    weakness = code_weakness(text)
    if weakness:
        raise argparse.ArgumentTypeError(
            f"{text!r} is too easy to guess ({weakness}); leave it out for a random code, or choose one of "
            "10 or more letters and digits that is not made of common words"
        )
    return text


def new_code() -> str:
    """A ten-character class code (about 50 bits), grouped for reading aloud: ``k7m-q2x-9pa-h``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:3]}-{raw[3:6]}-{raw[6:9]}-{raw[9:]}"


def lan_address() -> str:
    """Return the machine's address on the local network (the first global IPv4 address), sending nothing."""
    try:
        out = subprocess.run(["ip", "-4", "-o", "addr", "show", "scope", "global"], capture_output=True, text=True)
        found = re.findall(r"inet (\d+\.\d+\.\d+\.\d+)/", out.stdout)
    except OSError:
        found = []
    if not found:
        try:
            found = [a for a in socket.gethostbyname_ex(socket.gethostname())[2] if not a.startswith("127.")]
        except OSError:
            found = []
    if not found:
        raise UsageError("--lan: this machine has no network address other than 127.0.0.1; connect it to the network")
    return found[0]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="./suite class", description="Serve the suite's apps to a class.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", prog="./suite class", help="serve every notebook as an app behind one landing page")
    serve.add_argument("--students", type=_int_in("--students", 1, 200), default=30, help="class size (default 30)")
    serve.add_argument(
        "--apps",
        default="05_scenario_lab",
        help="apps to keep warm kernels for, comma-separated (05_scenario_lab or 05; 'all'); default 05_scenario_lab. "
        "Other apps are still listed and start on opening.",
    )
    serve.add_argument(
        "--pool", type=_int_in("--pool", 0, 200), default=None, help="warm kernels per chosen app (default: --students)"
    )
    serve.add_argument(
        "--idle-minutes",
        type=_float_in("--idle-minutes", 0.05, 24 * 60, "minutes"),
        default=20.0,
        help="close an app after this long without use (default 20)",
    )
    serve.add_argument(
        "--leave-seconds",
        type=_float_in("--leave-seconds", 1, 3600, "seconds"),
        default=10.0,
        help="close an app this long after its page lost its connection (default 10)",
    )
    serve.add_argument(
        "--kernel-memory-mb",
        type=_float_in("--kernel-memory-mb", 0, 64_000, "MB"),
        default=1024.0,
        help="close an app whose kernel grows beyond this memory (MB); its page offers a reload "
        "(default 1024; 0 = no bound)",
    )
    serve.add_argument(
        "--first-loads",
        type=_int_in("--first-loads", 0, 200),
        default=FIRST_LOADS_DEFAULT,
        help="pages doing their first load at once, the others wait their turn so that students already in "
        f"keep the cores for their sliders (default {FIRST_LOADS_DEFAULT}, best on a 2-core machine; 0 = no limit)",
    )
    serve.add_argument("--lan", action="store_true", help="serve the local network (default: this machine only)")
    serve.add_argument(
        "--port", type=_int_in("--port", 1024, 65535), default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}"
    )
    serve.add_argument(
        "--code",
        type=_code,
        default=None,
        help="the class code students type (default: the one this class had last time, else random)",
    )
    serve.add_argument(
        "--lecturer-code",
        type=_code,
        default=None,
        help="the lecturer's code for the status API, printed only here (default: kept, else random)",
    )
    serve.add_argument(
        "--student-kernels",
        type=_int_in("--student-kernels", 0, 50),
        default=STUDENT_KERNELS,
        help=f"apps one student may have open at once (default {STUDENT_KERNELS}; 0 = no limit)",
    )
    serve.add_argument(
        "--sessions-per-address",
        type=_int_in("--sessions-per-address", 0, 1000),
        default=SESSIONS_PER_ADDRESS,
        help=f"students' sessions one network address may hold (default {SESSIONS_PER_ADDRESS}; 0 = no limit; "
        "raise it when the class reaches the server through one address, NAT)",
    )
    serve.add_argument(
        "--requests-per-second",
        type=_float_in("--requests-per-second", 0, 10_000, "requests a second"),
        default=REQUESTS_PER_S,
        help=f"requests a second one student's session may make on average (default {REQUESTS_PER_S:g}; 0 = no limit)",
    )
    serve.add_argument(
        "--request-burst",
        type=_int_in("--request-burst", 0, 100_000),
        default=REQUEST_BURST,
        help=f"requests one student's session may make at once before the rate applies (default {REQUEST_BURST})",
    )
    serve.add_argument(
        "--state",
        type=Path,
        default=None,
        help="folder for the class's codes and sessions, kept across restarts (default build/classroom/class-PORT)",
    )
    serve.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="the notebooks folder")
    serve.add_argument("--dry-run", action="store_true", help="print the settings as JSON and exit")

    link = sub.add_parser(
        "hub-link", prog="./suite hub-link", help="print the nbgitpuller link that opens the suite on a JupyterHub"
    )
    link.add_argument("hub_url", help="the hub's address, e.g. https://hub.example.edu")
    link.add_argument("--repo", default=None, help="the suite's git repository (default: this clone's origin)")
    link.add_argument("--branch", default="main", help="branch to pull (default main)")
    link.add_argument(
        "--open",
        default="05_scenario_lab",
        help="what the link opens: an app name (as a Voilà app), 'lab' (JupyterLab) (default 05_scenario_lab)",
    )
    return parser


def serve_settings(args: argparse.Namespace) -> dict:
    """Everything the server needs, from validated arguments (also what --dry-run prints)."""
    notebooks = args.notebooks.resolve()
    if not notebooks.is_dir():
        raise UsageError(f"--notebooks: {args.notebooks} is not a folder")
    try:
        apps = load_apps(notebooks=notebooks)
        pooled = choose(apps, args.apps)
    except CatalogueError as error:
        raise UsageError(str(error)) from None
    pool = args.students if args.pool is None else args.pool
    folder = (args.state or state.class_folder(ROOT, args.port)).resolve()
    stored = state.read(folder)
    code = args.code or stored.get("code") or new_code()
    lecturer_code = args.lecturer_code or stored.get("lecturer_code") or new_code()
    if lecturer_code == code:
        raise UsageError("--lecturer-code: it must differ from the class code")
    host = lan_address() if args.lan else "127.0.0.1"
    idle_seconds = max(3, round(args.idle_minutes * 60))
    return {
        "notebooks": str(notebooks),
        "bind": host,
        "port": args.port,
        "join_url": f"http://{host}:{args.port}/?token={code}",
        "address": f"http://{host}:{args.port}",
        "code": code,
        "lecturer_code": lecturer_code,
        "state": str(folder),
        "log": str(console.log_path(folder)),
        "student_kernels": args.student_kernels,
        "sessions_per_address": args.sessions_per_address,
        "requests_per_second": args.requests_per_second,
        "request_burst": args.request_burst,
        "lan": args.lan,
        "apps": [app.as_dict() for app in apps],
        "pool_sizes": {app.notebook: pool for app in pooled},
        "idle_seconds": idle_seconds,
        "cull_interval": max(1, min(60, idle_seconds // 3)),
        "leave_seconds": args.leave_seconds,
        "kernel_memory_mb": args.kernel_memory_mb,
        "first_loads": args.first_loads,
        "students": args.students,
    }


#: Voilà front-end extensions that are not for Voilà's pages and fail there: jupytext's (Voilà 0.5's pages run
#: an older JupyterLab front end) and Notebook 7's "open in" buttons (it needs JupyterLab's document registry,
#: which Voilà's pages do not provide: an error in every page's console).
EXTENSION_DENYLIST = ("jupyterlab-jupytext", "@jupyter-notebook/lab-extension")
#: Seconds before Voilà refills a pool after a kernel is taken: students arriving together are not slowed
#: by kernels warming for students who have not come yet.
FILL_DELAY_S = 20.0


def voila_argv(settings: dict) -> list[str]:
    """Return Voilà's command-line arguments for the chosen settings (public options only)."""
    return [
        settings["notebooks"],
        "--no-browser",
        f"--port={settings['port']}",
        "--Voila.port_retries=0",
        f"--Voila.ip={settings['bind']}",
        f"--Voila.token={settings['code']}",
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=0",
        "--VoilaConfiguration.template=classroom",
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in EXTENSION_DENYLIST),
        f"--MappingKernelManager.cull_idle_timeout={settings['idle_seconds']}",
        f"--MappingKernelManager.cull_interval={settings['cull_interval']}",
        "--MappingKernelManager.cull_connected=True",
        "--MappingKernelManager.cull_busy=False",
        # A dead kernel is not restarted into a page whose widgets it no longer knows: the page says
        # "reload", and the reload takes a fresh kernel from the pool.
        "--KernelManager.autorestart=False",
    ]


def voila_config(settings: dict) -> dict:
    """Voilà's public settings that a command line cannot give: each pooled app's pool, the refill delay.

    ``VoilaKernelManager.kernel_pools_config`` and ``fill_delay`` are Voilà's documented settings for
    preheated kernels. ``"default"`` is 0: only the chosen apps are warmed.
    """
    from .security import ClassroomIdentityProvider, GuardedConnection, OwnerAuthorizer

    pools = {name: {"pool_size": size} for name, size in settings["pool_sizes"].items()}
    secret = settings.get("cookie_secret")
    return {
        # The door and the roles, through Voilà's public settings (classroom.security).
        "Voila": {
            "identity_provider_class": ClassroomIdentityProvider,
            "authorizer_class": OwnerAuthorizer,
            "kernel_websocket_connection_class": GuardedConnection,
            **({"cookie_secret": bytes.fromhex(secret)} if secret else {}),
        },
        "ClassroomIdentityProvider": {"lecturer_token": settings["lecturer_code"]},
        "VoilaKernelManager": {
            "kernel_pools_config": {"default": {"pool_size": 0}, **pools},
            "fill_delay": FILL_DELAY_S,
        },
    }


def qr_code(text: str):
    """Return a QR code of ``text`` (a segno QR code object)."""
    import segno

    return segno.make(text, error="m")


def serve(settings: dict) -> None:
    """Start the classroom server with ``settings`` and serve until interrupted."""
    from dprk_internals.voila_app import launch

    from .server import jupyter_path_with_templates, server_plan

    os.environ["JUPYTER_PATH"] = jupyter_path_with_templates()
    stored = state.read(Path(settings["state"]))
    kept = state.write(
        Path(settings["state"]),
        {
            "cookie_secret": stored.get("cookie_secret"),
            "code": settings["code"],
            "lecturer_code": settings["lecturer_code"],
        },
    )
    settings = {**settings, "cookie_secret": kept["cookie_secret"]}
    qr = qr_code(settings["join_url"])
    pooled = ", ".join(f"{name} × {size}" for name, size in settings["pool_sizes"].items()) or "none"
    print(
        f"\nClass of {settings['students']}: warm kernels for {pooled}; apps close after "
        f"{settings['idle_seconds'] / 60:g} min idle.",
        flush=True,
    )
    if settings["lan"]:
        print("\nStudents open (or scan the code below):\n", flush=True)
        print(f"    {settings['join_url']}\n", flush=True)
        print(f"or type {settings['address']} and the class code {settings['code']}\n", flush=True)
        qr.terminal(compact=True)
        print(
            f"\nIf laptops cannot connect, allow incoming TCP port {settings['port']} in this machine's firewall "
            f"(e.g. `sudo ufw allow {settings['port']}/tcp`); guest Wi-Fi networks often block traffic "
            "between devices.",
            flush=True,
        )
    else:
        print(f"\nServing this machine only: {settings['join_url']}  (use --lan for the class's network)", flush=True)
    print(
        f"Lecturer code (for you only; the status page is "
        f"{settings['address']}/classroom/api/status?token=...): {settings['lecturer_code']}",
        flush=True,
    )
    print(f"The class board of the students' hand-ins: {settings['address']}/classroom/board?token=...", flush=True)
    print(f"The codes, students' sessions and hand-ins are kept in {settings['state']} for the next start.", flush=True)
    print(
        f"The server's full log, for when something goes wrong: {settings['log']} "
        f"(the previous start's is {console.PREVIOUS_LOG_NAME} beside it).",
        flush=True,
    )
    print("Below: one line for each student who joins, opens or leaves an app, hands in or is refused.", flush=True)
    print("Ctrl-C stops the server and every app.\n", flush=True)
    qr_svg = qr.svg_inline(scale=4) if settings["lan"] else ""
    output = console.divert(Path(settings["state"]))  # from here on, the terminal has the console's lines only
    try:
        launch(server_plan(settings, voila_argv(settings), voila_config(settings), qr_svg=qr_svg, console=output))
    except Exception:
        # The traceback goes to the log file; the console says so in one line.
        logging.getLogger("classroom").critical("Classroom: the server stopped on an error", exc_info=True)
        raise SystemExit(1) from None


def _origin() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "remote", "get-url", "origin"], capture_output=True, text=True)
    except OSError:
        return None
    return out.stdout.strip() or None


def hub_link(hub_url: str, repo: str, branch: str, open_: str, apps=None) -> str:
    """The nbgitpuller link: the hub clones (or updates) ``repo`` into the user's home, then opens ``open_``."""
    parts = urlsplit(hub_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(f"HUB_URL: {hub_url!r} is not a hub address; give one like https://hub.example.edu")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch):
        raise UsageError(f"--branch: {branch!r} is not a branch name")
    folder = repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") or "suite"
    if open_ == "lab":
        urlpath = f"lab/tree/{folder}/notebooks/00_start_here.ipynb"
    else:
        apps = apps if apps is not None else load_apps()
        try:
            (app,) = choose(apps, open_)
        except CatalogueError:
            allowed = ", ".join(a.name for a in apps)
            raise UsageError(f"--open: {open_!r} is not an app; allowed: lab, or any of {allowed}") from None
        urlpath = f"voila/render/{folder}/notebooks/{app.notebook}"
    query = urlencode({"repo": repo, "branch": branch, "urlpath": urlpath, "targetpath": folder}, quote_via=quote)
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv: list[str] | None = None) -> int:
    """Run ``serve`` or ``hub-link``; bad options get one message and status 2."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            settings = serve_settings(args)
            if args.dry_run:
                print(json.dumps(settings, indent=2))
                return 0
            serve(settings)
        else:
            repo = args.repo or _origin()
            if not repo:
                raise UsageError("--repo: this clone has no 'origin' remote; give the repository's address with --repo")
            print(hub_link(args.hub_url, repo, args.branch, args.open))
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
