"""First loads take turns, without a server: a stand-in websocket handler.

The turns are :class:`classroom.admission.FirstLoads`; the websocket that holds a page's messages and reads
them for its first figure is :class:`dprk_internals.voila_websocket.AdmittedWebsocket`
(:mod:`dprk_internals.ipywidgets_wire`).

A page's messages wait, in order, until it has a slot; the slot is given back when the page gets its
first PNG frame, when it closes (also while still waiting) or after the hold time; never more pages load
at once than the limit, and no slot is lost.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from classroom.admission import FirstLoads
from dprk_internals.ipywidgets_wire import FIGURE_MODEL, PNG_SIGNATURE, STATES_REPLY
from dprk_internals.voila_websocket import AdmittedWebsocket


class Handler:
    """What the mixin needs of tornado's/jupyter_server's websocket handler: it records what passed."""

    def __init__(self, first_loads: FirstLoads | None):
        self.settings = {} if first_loads is None else {"classroom_first_loads": first_loads}
        self.to_kernel: list = []
        self.to_page: list = []

    async def open(self, kernel_id):
        self.kernel_id = kernel_id

    def on_message(self, message):
        self.to_kernel.append(message)

    def write_message(self, message, binary=False):
        self.to_page.append(message)

    def on_close(self):
        self.closed = True


class Page(AdmittedWebsocket, Handler):
    pass


def frame(text: str = "image") -> bytes:
    return b"\x00" * 16 + PNG_SIGNATURE + text.encode()


async def arrive(first_loads: FirstLoads, *names: str) -> list[Page]:
    """Pages that open in this order, each sending its name as its first message."""
    pages = []
    for name in names:
        page = Page(first_loads)
        await page.open(name)
        page.on_message(name)
        pages.append(page)
    return pages


async def settle():
    for _ in range(5):
        await asyncio.sleep(0)


def test_messages_wait_in_order_until_the_page_is_admitted_and_a_frame_gives_the_slot_back():
    async def run():
        first_loads = FirstLoads(limit=1)
        first, second = Page(first_loads), Page(first_loads)
        await first.open("a")
        await second.open("b")
        for page in (first, second):
            for number in range(3):
                page.on_message(f"{page.kernel_id}{number}")
        await settle()
        assert first.to_kernel == ["a0", "a1", "a2"] and second.to_kernel == []  # the second waits its turn
        first.write_message(b"widget states, no image", binary=True)
        await settle()
        assert second.to_kernel == []  # only a figure ends a first load
        first.write_message(frame(), binary=True)
        await settle()
        assert second.to_kernel == ["b0", "b1", "b2"]
        second.on_message("b3")
        assert second.to_kernel[-1] == "b3"  # once in, messages pass at once
        second.write_message(frame(), binary=True)
        first.write_message(frame("again"), binary=True)  # later frames give back nothing more
        assert first_loads.loading == 0 and first_loads.summary()["waited"] == 1
        assert [len(page.to_page) for page in (first, second)] == [3, 1]

    asyncio.run(run())


def test_a_page_closed_while_loading_or_waiting_gives_its_slot_back():
    async def run():
        first_loads = FirstLoads(limit=1)
        loading, waiting, third = await arrive(first_loads, "a", "b", "c")
        await settle()
        waiting.on_close()  # gone before its turn
        loading.on_close()  # gone during its first load
        await settle()
        assert third.to_kernel == ["c"] and waiting.to_kernel == []
        third.write_message(frame(), binary=True)
        assert first_loads.loading == 0

    asyncio.run(run())


def test_a_page_that_never_gets_a_figure_holds_its_slot_only_for_the_hold_time():
    async def run():
        first_loads = FirstLoads(limit=1, hold_s=0.05)
        stuck, next_page = Page(first_loads), Page(first_loads)
        await stuck.open("a")
        await next_page.open("b")
        next_page.on_message("b")
        await settle()
        assert next_page.to_kernel == []
        await asyncio.sleep(0.2)
        assert next_page.to_kernel == ["b"]

    asyncio.run(run())


@pytest.mark.parametrize("as_text", [False, True])
def test_widget_states_without_a_figure_end_the_first_load_and_with_one_do_not(as_text):
    """An app that shows no figure yet is done loading at its widget states; one with a figure waits for it."""

    def states(*models: bytes):
        message = b'{"method": ' + STATES_REPLY + b', "states": {' + b", ".join(models) + b"}}"
        return message.decode() if as_text else message

    async def run():
        first_loads = FirstLoads(limit=1)
        with_figure, without, last = await arrive(first_loads, "a", "b", "c")
        await settle()
        with_figure.write_message(states(b'"1": {"model_name": ' + FIGURE_MODEL + b"}"))
        await settle()
        assert without.to_kernel == []  # a figure is on its way: the slot stays taken
        with_figure.write_message(frame(), binary=True)
        await settle()
        assert without.to_kernel == ["b"]
        without.write_message(states(b'"2": {"model_name": "HTMLModel"}'))
        await settle()
        assert last.to_kernel == ["c"] and first_loads.loading == 1

    asyncio.run(run())


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_never_more_first_loads_at_once_than_the_limit_and_every_page_gets_in(limit):
    """Twenty pages arriving together, finishing in a random order: at most ``limit`` load at once."""

    async def run():
        rng = random.Random(limit)
        first_loads = FirstLoads(limit=limit)
        pages = [Page(first_loads) for _ in range(20)]
        for number, page in enumerate(pages):
            await page.open(str(number))
            page.on_message(f"hello {number}")
        done = set()
        while len(done) < len(pages):
            await settle()
            admitted = [p for p in pages if p.to_kernel and p not in done]
            assert 1 <= len(admitted) <= limit and first_loads.loading == len(admitted)
            finishing = rng.choice(admitted)
            if rng.random() < 0.2:
                finishing.on_close()
            else:
                finishing.write_message(frame(), binary=True)
            done.add(finishing)
        assert first_loads.loading == 0 and first_loads.admitted == 20
        assert first_loads.most_at_once == limit and first_loads.waited == 20 - limit

    asyncio.run(run())


def test_no_limit_admits_everyone_at_once_and_no_settings_means_no_waiting():
    async def run():
        unlimited = FirstLoads(limit=0)
        pages = [Page(unlimited) for _ in range(5)]
        for page in pages:
            await page.open("k")
            page.on_message("m")
        await settle()
        assert all(page.to_kernel == ["m"] for page in pages) and unlimited.most_at_once == 5
        plain = Page(None)
        await plain.open("k")
        plain.on_message("m")
        assert plain.to_kernel == ["m"]

    asyncio.run(run())


@pytest.mark.parametrize(("limit", "hold_s", "message"), [(-1, 10.0, "negative"), (2, 0.0, "above 0")])
def test_bad_settings_are_named(limit, hold_s, message):
    with pytest.raises(ValueError, match=message):
        FirstLoads(limit=limit, hold_s=hold_s)
