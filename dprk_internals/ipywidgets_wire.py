"""What a kernel's message to a page carries, read from its bytes: a figure's frame, every widget's state.

The classroom's first loads take turns (``classroom.admission``): a page holds its turn until the kernel
has sent it its first figure. The server learns that from the messages it relays, without decoding them.

Internal names used
-------------------
Not Python names but the contents of messages whose format is not a published interface:

* ipympl: a figure's frame travels as a binary buffer holding a PNG file (:data:`PNG_SIGNATURE`), and a
  figure's widget model is named ``"MPLCanvasModel"`` (:data:`FIGURE_MODEL`). ipympl's comm messages are
  its own, undocumented protocol between its Python and JavaScript halves.
* ipywidgets: the widget manager's reply with every widget's state has the method ``"update_states"``
  (:data:`STATES_REPLY`; the ``jupyter.widget.control`` comm of ipywidgets' message specification).
* jupyter_server: the bytes are searched as they are, whatever the websocket framing (the ``v1`` binary
  protocol browsers speak, or the legacy JSON text), instead of being decoded: decoding every message
  the server relays would cost its one thread as much as relaying it.

Why the public API is not enough
--------------------------------
The server has no public event for "the page has drawn its first figure": neither Voilà nor jupyter_server
lets a server extension watch the messages a kernel sends to a page. Upstream: "Add configurable
transformer for kernel messages", https://github.com/jupyter/notebook/issues/1068 (open; the hook that
would let a server look at relayed messages), and the websocket wire format,
https://github.com/jupyter-server/jupyter_server/pull/693.

Fallback
--------
If a later ipympl or ipywidgets sends something else, :func:`ends_first_load` never says yes, and a page
gives its turn back after the hold time (``classroom.admission.FIRST_LOAD_HOLD_S``): first loads still take
turns, only more slowly. ``DPRK_PLAIN=1`` turns first loads in turn off altogether
(:mod:`dprk_internals.voila_websocket`).
"""

from __future__ import annotations

#: A PNG file's first bytes: an outgoing message carrying them is a figure's frame.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The widget manager's reply with every widget's state (ipywidgets' control comm).
STATES_REPLY = b'"update_states"'
#: A figure's widget model name (ipympl).
FIGURE_MODEL = b'"MPLCanvasModel"'


def ends_first_load(message: bytes | str) -> bool:
    """Whether a message to the page ends its first load: a figure's frame, or widget states without a figure.

    Parameters
    ----------
    message : bytes or str
        A message as the kernel websocket writes it to the page (binary ``v1`` frame or JSON text).

    Returns
    -------
    bool
        True for a message carrying a PNG frame, and for the widget manager's reply with every widget's
        state when no figure is among them (an app that shows no figure yet has nothing more to load).
    """
    data = message.encode() if isinstance(message, str) else message
    if PNG_SIGNATURE in data:
        return True
    return STATES_REPLY in data and FIGURE_MODEL not in data


__all__ = ["FIGURE_MODEL", "PNG_SIGNATURE", "STATES_REPLY", "ends_first_load"]
