"""The classroom server (``./suite class``).

The class code is required, kernels end when their page closes or loses its connection, idle kernels are
culled, a dead kernel's page says "reload", and the number of kernels returns to the pool size. Kernels
are counted with the server's status API. These servers run with the internals on (``plain=False``);
with ``DPRK_PLAIN=1``, or a Voilà that lacks what a feature needs, the server still serves every app on
Voilà's public settings and says in one line what is off.

Browser tests drive Debian's Chromium (never ``playwright install``) and fail, never skip, without it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tomllib
import urllib.parse

import pytest

from classroom.catalogue import CATALOGUE, CatalogueError, choose, load_apps
from classroom.cli import hub_link, main
from classroom.launch import FIRST_FIGURE_JS, ROOT, ClassServer, unexplained, watch_console
from dprk_internals import voila_app

LAB = "/voila/render/05_scenario_lab.ipynb"


# --- command line and catalogue (no server) ------------------------------------------------------------
def test_catalogue_lists_every_notebook_in_teaching_order():
    apps = load_apps(notebooks=ROOT / "notebooks")
    names = [app.notebook for app in apps]
    assert names == sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb"))
    assert all(app.title and app.minutes > 0 for app in apps)


def test_choose_apps_by_name_or_number_and_refuse_unknown():
    apps = load_apps()
    assert [a.name for a in choose(apps, "05,01_lifelines")] == ["05_scenario_lab", "01_lifelines"]
    assert len(choose(apps, "all")) == len(apps)
    with pytest.raises(CatalogueError, match=r"--apps: 'nine' is not an app; allowed: all, or any of 00_start_here"):
        choose(apps, "nine")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--students", "0"], "argument --students: 0 is outside 1 to 200"),
        (["--students", "many"], "argument --students: 'many' is not a whole number"),
        (["--idle-minutes", "nan"], "argument --idle-minutes: nan minutes is outside"),
        (["--code", "abc"], "argument --code: 'abc' is not allowed; use 6 to 64 letters"),
        (["--port", "80"], "argument --port: 80 is outside 1024 to 65535"),
        (["--kernel-memory-mb", "-5"], "argument --kernel-memory-mb: -5 MB is outside 0 to 64000"),
        (["--first-loads", "-1"], "argument --first-loads: -1 is outside 0 to 200"),
        (["--first-loads", "two"], "argument --first-loads: 'two' is not a whole number"),
    ],
)
def test_bad_serve_options_get_one_clear_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--dry-run", *argv])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_bad_app_choice_is_named(capsys):
    assert main(["serve", "--dry-run", "--apps", "05,99"]) == 2
    assert "error: --apps: '99' is not an app" in capsys.readouterr().err


def test_dry_run_pools_only_the_chosen_apps_sized_by_the_class(capsys):
    assert main(["serve", "--dry-run", "--students", "12", "--apps", "05,02", "--idle-minutes", "5"]) == 0
    settings = json.loads(capsys.readouterr().out)
    assert settings["pool_sizes"] == {"05_scenario_lab.ipynb": 12, "02_oil.ipynb": 12}
    assert settings["bind"] == "127.0.0.1" and settings["idle_seconds"] == 300
    assert settings["kernel_memory_mb"] == 1024  # every student's kernel is bounded unless the teacher says 0
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(settings["join_url"]).query)["token"][0]
    assert token == settings["code"] and len(token) >= 10


def test_lan_binds_the_machine_address_it_joins_by(capsys):
    assert main(["serve", "--dry-run", "--lan", "--code", "seminar-7x4k"]) == 0
    settings = json.loads(capsys.readouterr().out)
    assert settings["join_url"] == f"http://{settings['bind']}:8870/?token=seminar-7x4k"
    assert "127.0.0.1" not in settings["join_url"] and settings["bind"] != "0.0.0.0"


def test_landing_page_shows_the_join_address_and_its_qr_code_on_the_lan():
    from classroom.cli import qr_code
    from classroom.server import landing_page

    url = "http://192.168.1.20:8870/?token=seminar-7"
    apps = load_apps()
    page = landing_page(
        apps,
        base_url="/",
        join_url=url,
        qr_svg=qr_code(url).svg_inline(scale=4),
        class_code="seminar-7",
        pool_sizes={"05_scenario_lab.ipynb": 30},
    )
    assert "<svg" in page and url in page and "seminar-7" in page
    assert page.count('class="app-link"') == len([app for app in apps if app.audience == "students"])
    assert '<a class="app-link" href="/voila/render/05_scenario_lab.ipynb">' in page
    loopback = landing_page(apps, base_url="/", join_url="", qr_svg="", class_code="x", pool_sizes={})
    assert "<svg" not in loopback and "Join the class" not in loopback


def test_landing_page_numbers_apps_as_the_guide_and_shows_the_facilitators_apps_to_the_lecturer_only():
    from classroom.server import landing_page

    apps = load_apps()
    facilitator = [app for app in apps if app.audience == "facilitator"]
    assert [app.name for app in facilitator] == ["08_roleplay"]
    pages = {
        lecturer: landing_page(
            apps, base_url="/", join_url="", qr_svg="", class_code="x", pool_sizes={}, lecturer=lecturer
        )
        for lecturer in (False, True)
    }
    for app in apps:  # the notebook's number beside its title, as the guide says "open 05"
        if app.audience == "students":
            assert f'<td class="app-number">{app.number}</td><td><a class="app-link"' in pages[False], app.name
    assert "/voila/render/08_roleplay.ipynb" not in pages[False]
    assert "For the facilitator" in pages[False] and "lecturer's code" in pages[False]
    assert pages[True].count('class="app-link"') == len(apps)
    assert '<a class="app-link" href="/voila/render/08_roleplay.ipynb">' in pages[True]


def test_hub_link_opens_the_lab_app_after_pulling():
    link = hub_link("https://hub.example.edu/", "https://github.com/example/dprk-lifelines.git", "main", "05")
    parts = urllib.parse.urlsplit(link)
    assert parts.netloc == "hub.example.edu" and parts.path == "/hub/user-redirect/git-pull"
    query = urllib.parse.parse_qs(parts.query)
    assert query["repo"] == ["https://github.com/example/dprk-lifelines.git"]
    assert query["urlpath"] == ["voila/render/dprk-lifelines/notebooks/05_scenario_lab.ipynb"]
    assert query["targetpath"] == ["dprk-lifelines"]


def test_hub_link_refuses_a_bad_address():
    result = subprocess.run(
        [sys.executable, "-m", "classroom", "hub-link", "hub.example.edu", "--repo", "https://x/y.git"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "HUB_URL: 'hub.example.edu' is not a hub address" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_plain_switch_turns_every_classroom_internal_off_in_one_line(monkeypatch):
    monkeypatch.delenv("DPRK_PLAIN", raising=False)
    assert voila_app.features() == dict.fromkeys(voila_app.FEATURES), "this Voilà has what every feature needs"
    assert voila_app.off_lines(voila_app.features()) == []
    monkeypatch.setenv("DPRK_PLAIN", "1")
    state = voila_app.features()
    assert set(state.values()) == {"DPRK_PLAIN is set"}
    (line,) = voila_app.off_lines(state)
    assert all(voila_app.FEATURES[name] in line and voila_app.INSTEAD[name] in line for name in voila_app.FEATURES)


@pytest.mark.parametrize(
    ("name", "feature"),
    [
        ("voila_kernel_manager_factory", "pool"),
        ("TornadoVoilaTreeHandler", "pages"),
        ("VoilaShutdownKernelHandler", "pages"),
        ("VoilaKernelWebsocketHandler", "admission"),
    ],
)
def test_a_voila_without_an_internal_name_turns_only_its_feature_off(name, feature, monkeypatch):
    """A later Voilà that renamed something: its feature is off, the others stay on, one line says why."""
    from voila import app

    monkeypatch.delenv("DPRK_PLAIN", raising=False)
    monkeypatch.delattr(app, name)
    state = voila_app.features()
    assert name in state[feature]
    assert all(reason is None for other, reason in state.items() if other != feature)
    (line,) = voila_app.off_lines(state)
    assert name in line and voila_app.FEATURES[feature] in line


def test_catalogue_toml_is_the_package_data():
    assert tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))["app"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "apps.toml" in pyproject["tool"]["setuptools"]["package-data"]["classroom"]


# --- a running server ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def leave_server(tmp_path_factory):
    """Two warm kernels; the reaper's grace is long (60 s), so a prompt shutdown proves the page's beacon."""
    log = tmp_path_factory.mktemp("classroom") / "leave.log"
    with ClassServer(students=2, extra=("--leave-seconds=60",), log=log, plain=False) as server:
        yield server


@pytest.fixture(scope="module")
def cull_server(tmp_path_factory):
    """One warm kernel; pages without a connection go after 2 s, idle kernels after 15 s."""
    log = tmp_path_factory.mktemp("classroom") / "cull.log"
    with ClassServer(students=1, extra=("--leave-seconds=2", "--idle-minutes=0.25"), log=log, plain=False) as server:
        yield server


@pytest.fixture(scope="module", params=["internals", "plain"])
def any_server(request, tmp_path_factory):
    """One warm kernel, with the internals on, and with ``DPRK_PLAIN=1`` (Voilà's public settings only)."""
    log = tmp_path_factory.mktemp("classroom") / f"{request.param}.log"
    with ClassServer(students=1, log=log, plain=request.param == "plain") as server:
        yield request.param, server


@pytest.mark.browser
def test_an_app_opens_with_its_figure_and_moves_with_the_internals_on_and_off(any_server, browser):
    """Every app is served either way; ``DPRK_PLAIN=1`` loses the refinements, and one line says which.

    The page's console holds nothing but the front end's harmless version warnings
    (:data:`classroom.launch.HARMLESS_CONSOLE`).
    """
    mode, server = any_server
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    console = watch_console(page)
    try:
        page.goto(f"{server.base}{LAB}?token={server.code}", timeout=120_000)
        page.wait_for_function(FIRST_FIGURE_JS, timeout=120_000)
        readout = page.locator(".param-russia_arms_enforcement .widget-readout")
        before = readout.inner_text()
        pictures = page.locator(".jupyter-matplotlib-canvas-div canvas").evaluate_all(
            "cs => cs.map(c => c.toDataURL())"
        )
        page.locator(".param-russia_arms_enforcement .noUi-handle").focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "old => [...document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas')]"
            ".map(c => c.toDataURL()).join() !== old",
            arg=",".join(pictures),
            timeout=30_000,
        )
        assert float(readout.inner_text()) > float(before)
        assert unexplained(console) == [], "\n".join(unexplained(console))
        status = server.status()
        (kernel,) = status["kernels"]
        assert kernel["connections"] >= 1
        if mode == "plain":
            assert kernel["role"] is None and status["first_loads"] is None and status["pool_ready"] is None
        else:
            assert kernel["role"] == "student" and status["first_loads"]["admitted"] == 1
        code, body = server.get("/")
        assert code == 200 and ("app-link" in body.decode()) == (mode == "internals"), "landing page or Voilà's list"
        # Another student (a new session with the class code) may not watch this page's kernel; the lecturer may.
        assert server.get(f"/classroom/api/kernel/{kernel['id']}")[0] == 403
        assert json.loads(server.get(f"/classroom/api/kernel/{kernel['id']}", token="lecturer")[1])["state"] == "alive"
    finally:
        context.close()
    off = [line for line in server.log_text().splitlines() if "Classroom:" in line]
    off = [line for line in off if "off:" in line]
    assert len(off) == (1 if mode == "plain" else 0), off
    if mode == "plain":
        assert "DPRK_PLAIN is set" in off[0] and "first loads in turn" in off[0]


def _open_app(browser, server):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.goto(f"{server.base}{LAB}?token={server.code}", timeout=120_000)
    page.wait_for_function(FIRST_FIGURE_JS, timeout=120_000)
    return context, page


def _students(server):
    return server.kernels("student")


def test_requests_without_the_class_code_are_refused(leave_server):
    server = leave_server
    for path in ("/", LAB, "/voila/tree"):
        code, _ = server.get(path, token=False)
        assert code in (302, 403), f"{path} answered {code} without the class code"
    assert server.get("/classroom/api/status", token=False)[0] == 403
    assert server.get("/?token=wrong-code", token=False)[0] in (302, 403)
    code, body = server.get("/")
    assert code == 200
    page = body.decode()
    titles = [app.title for app in load_apps()]
    positions = [page.find(title.replace("'", "&#x27;")) for title in titles]
    assert all(p > 0 for p in positions) and positions == sorted(positions), "apps listed in teaching order"
    # Without the code no kernel starts and none can be shut down.
    pooled = server.kernels("pool")
    assert len(pooled) == 2
    code, _ = server.get(f"/voila/api/shutdown/{pooled[0]['id']}", token=False, method="POST")
    assert code == 403
    assert len(server.kernels()) == 2


@pytest.mark.browser
def test_reload_and_close_end_the_kernel_at_once_and_the_pool_returns(leave_server, browser):
    server = leave_server
    context, page = _open_app(browser, server)
    try:
        (first,) = _students(server)
        assert first["notebook"] == "05_scenario_lab.ipynb"
        server.wait_for(lambda: _students(server)[0]["connections"] >= 1, 30, "the page's websocket connection")
        page.reload(timeout=120_000)
        page.wait_for_function(FIRST_FIGURE_JS, timeout=120_000)
        # The reloaded page has a new kernel; the old one ended with the page (well before the 60 s grace).
        server.wait_for(lambda: first["id"] not in {k["id"] for k in server.kernels()}, 10, "the old kernel's shutdown")
        assert len(_students(server)) == 1
    finally:
        page.close(run_before_unload=True)
        context.close()
    server.wait_for(lambda: not _students(server), 10, "shutdown of the closed page's kernel")
    server.wait_for(lambda: len(server.kernels("pool")) == 2, 90, "the pool's refill")
    assert len(server.kernels()) == 2, "no kernel beyond the pool"


@pytest.mark.browser
def test_page_that_vanishes_without_a_word_is_reaped(cull_server, browser):
    server = cull_server
    context, _page = _open_app(browser, server)
    server.wait_for(lambda: _students(server) and _students(server)[0]["connections"] >= 1, 30, "the connection")
    context.close()  # no beforeunload: like a crashed browser or a closed laptop
    server.wait_for(lambda: not _students(server), 15, "the reaping of the lost page's kernel")
    server.wait_for(lambda: len(server.kernels()) == 1 == len(server.kernels("pool")), 90, "the pool's refill")


@pytest.mark.browser
def test_idle_kernel_is_culled_and_its_page_says_reload(cull_server, browser):
    server = cull_server
    server.wait_for(lambda: len(server.kernels("pool")) == 1, 90, "a warm kernel")
    context, page = _open_app(browser, server)
    try:
        banner = page.locator("#classroom-stopped")
        assert not banner.is_visible()
        took = server.wait_for(lambda: not _students(server), 60, "the idle kernel's culling")
        assert took > 5, "culled only after the idle time"
        banner.wait_for(state="visible", timeout=15_000)
        assert "Reload the page" in banner.inner_text()
    finally:
        context.close()
    server.wait_for(lambda: len(server.kernels()) == 1, 90, "back to the pool size")


@pytest.mark.browser
def test_dead_kernel_is_replaced_and_its_page_says_reload(cull_server, browser):
    server = cull_server
    server.wait_for(lambda: len(server.kernels("pool")) == 1, 90, "a warm kernel")
    context, page = _open_app(browser, server)
    try:
        (student,) = _students(server)
        pid = server.kernel_pid(student["id"])
        assert pid, "the kernel's process was not found"
        os.kill(pid, signal.SIGKILL)
        page.locator("#classroom-stopped").wait_for(state="visible", timeout=20_000)
        page.reload(timeout=120_000)
        page.wait_for_function(FIRST_FIGURE_JS, timeout=120_000)
        assert page.locator("#classroom-stopped").is_hidden()
        assert student["id"] not in {k["id"] for k in server.kernels()}
    finally:
        page.close(run_before_unload=True)
        context.close()
    server.wait_for(lambda: len(server.kernels()) == 1 == len(server.kernels("pool")), 90, "back to the pool size")


@pytest.fixture(scope="module")
def bounded_server(tmp_path_factory):
    """One warm kernel and a memory bound below what a student's lab kernel uses (about 110-140 MB)."""
    log = tmp_path_factory.mktemp("classroom") / "bounded.log"
    with ClassServer(students=1, extra=("--kernel-memory-mb=40",), log=log, plain=False) as server:
        yield server


@pytest.mark.browser
def test_a_kernel_over_the_memory_bound_is_shut_down_and_its_page_says_reload(bounded_server, browser):
    server = bounded_server
    server.wait_for(lambda: len(server.kernels("pool")) == 1, 90, "a warm kernel (the pool is not bounded)")
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    try:
        # The warm kernel already uses more than the bound, so it goes as soon as a student holds it,
        # possibly before the first figure: the page must say so either way.
        page.goto(f"{server.base}{LAB}?token={server.code}", timeout=120_000)
        page.locator("#classroom-stopped").wait_for(state="visible", timeout=60_000)
        assert "above the bound of 40 MB" in server.log_text()
    finally:
        page.close(run_before_unload=True)
        context.close()
    server.wait_for(lambda: not _students(server), 30, "no student kernel left")


@pytest.mark.browser
def test_load_benchmark_runs_for_two_students(tmp_path):
    """The load benchmark works end to end, as a smoke: two students, one place for first loads, two moves.

    Its timings are the benchmark's business, not this test's.
    """
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "classroom_bench.py"), "--students", "2", "--visits", "1", "--moves", "2",
         "--first-loads", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DPRK_BENCH_RESULTS": str(tmp_path), "DPRK_PLAIN": ""},  # not into bench/results/
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert json.loads((tmp_path / "classroom.json").read_text(encoding="utf-8"))["result"] == report
    assert report["students"] == 2
    assert report["errors"] == 0, result.stderr[-3000:]
    assert report["kernels_left_after_close"] == 0
    assert report["first_figure_p50_s"] is not None and report["slider_p95_ms"] is not None
    assert report["server_peak_rss_mb"] > 0
    assert report["visits"] == 1 and len(report["memory_after_visits_mb"]) == 1
    # Two pages arriving at once took turns for their first loads, one at a time, and gave every slot back.
    first_loads = report["first_loads"]
    assert first_loads["limit"] == 1 and first_loads["admitted"] == 2, first_loads
    assert first_loads["most_at_once"] == 1 and first_loads["waited"] >= 1 and first_loads["loading"] == 0


def test_an_address_that_is_not_a_page_leads_to_the_class_code_page(leave_server):
    import urllib.error
    import urllib.request

    for path in ("/nothing-here", "/tree/notebooks", "/voila/render/no_such.txt/x", "/login"):
        with urllib.request.urlopen(leave_server.base + path, timeout=10) as response:
            page = response.read().decode()
            assert "/login" in response.url and 'name="password"' in page, path
            # The class-code page, not Jupyter's developer login.
            assert "Class code" in page and "jupyter server list" not in page and "token" not in page.lower(), path
    try:
        urllib.request.urlopen(leave_server.base + "/api/no-such-thing", timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status in (403, 404), status  # an API address stays an API answer, never a page


@pytest.mark.browser
def test_the_front_page_in_chromium_wrong_addresses_login_and_the_facilitators_section(leave_server, browser):
    """The front page as a student and a lecturer meet it.

    A wrong address and Jupyter's ``/login`` give the class-code page; a wrong code is asked again; the class
    code shows the apps by notebook number without the facilitator's, the lecturer's code adds them.
    """
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    students = [app for app in load_apps() if app.audience == "students"]
    visitors = (("student", leave_server.code, "/no/such/page"), ("lecturer", leave_server.lecturer_code, "/login"))
    for who, code, start in visitors:
        context = browser.new_context(viewport={"width": 1024, "height": 640})
        try:
            page = context.new_page()
            page.goto(leave_server.base + start, timeout=60_000)
            page.locator("form.class-code").wait_for(state="visible", timeout=30_000)
            text = page.locator("body").inner_text()
            assert "Class code" in text and "token" not in text.lower() and "jupyter" not in text.lower(), text
            page.screenshot(path=str(shots / f"front-page-code-{who}.png"))
            page.fill("#password_input", "not-the-code")
            page.press("#password_input", "Enter")
            page.locator(".refused").wait_for(state="visible", timeout=30_000)
            page.fill("#password_input", code)
            page.press("#password_input", "Enter")
            page.locator("#apps").wait_for(state="visible", timeout=30_000)
            numbers = page.locator("#apps .app-number").all_inner_texts()
            assert numbers == [app.number for app in students], numbers
            facilitator = page.locator("#facilitator-apps .app-link")
            assert facilitator.count() == (1 if who == "lecturer" else 0), who
            assert "For the facilitator" in page.locator("body").inner_text()
            page.screenshot(path=str(shots / f"front-page-{who}.png"), full_page=True)
        finally:
            context.close()


def test_typing_the_class_code_on_the_login_page_lets_a_student_in(leave_server):
    import http.cookiejar
    import urllib.error
    import urllib.request

    server = leave_server

    def attempt(code):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(server.base + "/", timeout=10) as response:  # redirected to the login page
            assert "/login" in response.url and 'name="password"' in response.read().decode()
        xsrf = next(cookie.value for cookie in jar if cookie.name == "_xsrf")
        form = urllib.parse.urlencode({"password": code, "_xsrf": xsrf}).encode()
        try:
            with opener.open(server.base + "/login?next=%2F", data=form, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    status, page = attempt(server.code)
    students = [app for app in load_apps() if app.audience == "students"]
    assert status == 200 and page.count('class="app-link"') == len(students)  # the facilitator's: lecturer only
    assert "/voila/render/08_roleplay.ipynb" not in page and "For the facilitator" in page
    status, page = attempt(server.lecturer_code)  # the lecturer's code: the facilitator's apps too
    assert status == 200 and page.count('class="app-link"') == len(load_apps())
    assert '<a class="app-link" href="/voila/render/08_roleplay.ipynb">' in page
    status, page = attempt("not-the-code")
    assert status == 401 and "app-link" not in page
    assert "That code is not right" in page and 'name="password"' in page  # asked again, in plain words


@pytest.mark.browser
def test_a_restart_with_a_page_open_says_so_and_a_reload_brings_the_app_back_with_nothing_lost(
    tmp_path, browser, monkeypatch
):
    """Issue 28, finding 4: after a restart open pages went dead without a word, and a reload asked for the code.

    Now the open page says plainly that the server restarted and to reload; the reload (with the session's
    cookie, no code in the address) brings the app back, and the scenario saved before the restart is kept.
    """
    exports = tmp_path / "exports"
    monkeypatch.setenv("DPRK_LIFELINES_EXPORTS", str(exports))  # the server's kernels save here
    server = ClassServer(students=1, log=tmp_path / "before.log", state=tmp_path / "state", plain=False)
    server.start()
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    console = watch_console(page)
    try:
        page.goto(f"{server.base}/?token={server.code}", timeout=60_000)  # the join link: a student session
        page.goto(f"{server.base}{LAB}", timeout=120_000)  # no code in the address from here on
        page.wait_for_function(FIRST_FIGURE_JS, timeout=120_000)
        with page.expect_download(timeout=90_000) as download:
            page.locator(".export-bar button", has_text="Save scenario (TOML)").first.click()
        name = download.value.suggested_filename
        saved = (exports / name).read_bytes()
        page.wait_for_timeout(6_000)  # the page's watchdog (every 5 s) has met this run of the server
        banner = page.locator("#classroom-stopped")
        assert banner.is_hidden()

        server.stop()
        server.log_path = tmp_path / "after.log"
        server.start()
        page.wait_for_function(
            "() => document.getElementById('classroom-stopped-why').textContent.includes('server restarted')",
            timeout=60_000,
        )
        assert banner.is_visible()
        text = banner.inner_text()
        assert "The server restarted" in text and "Reload the page" in text, text

        page.reload(timeout=120_000)
        page.wait_for_function(FIRST_FIGURE_JS, timeout=120_000)
        assert "token=" not in page.url and "login" not in page.url, "the reload did not ask for the code"
        assert banner.is_hidden()
        assert (exports / name).read_bytes() == saved, "the scenario saved before the restart is kept"
        assert [k["role"] for k in server.kernels()].count("student") == 1, "the reloaded page has its app"
        assert not [line for line in unexplained(console) if "classroom" in line.lower()], unexplained(console)
    finally:
        context.close()
        server.stop()
