"""A file button for the apps: the browser's file dialogue, the file's bytes to the kernel, no "(0)".

ipywidgets' ``FileUpload`` always shows the number of files it holds after its label ("Load game (0)"), which
reads as an error to a student. :class:`FilePicker` is an anywidget (``file_picker.js``) that shows only its
label; the chosen file reaches the kernel as one message with the file's bytes. A file larger than the
kind's limit is not read by the page at all: the kernel gets its name and size and the owner's refusal
handler the message of :func:`model.datafiles.too_large`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath

import anywidget
import traitlets

from model.datafiles import FileKind, too_large

FILE_PICKER_JS = Path(__file__).with_name("file_picker.js")
#: Longest file name kept from the page (a name is shown in messages; a page may send anything).
MAX_NAME_CHARS = 200


class FilePicker(anywidget.AnyWidget):
    """A button that sends one chosen file to :meth:`on_file`'s handler (too large: to :meth:`on_refused`'s).

    Parameters
    ----------
    kind : model.datafiles.FileKind
        The kind of file expected: its ``max_bytes`` is the largest file the page reads.
    **traits
        ``description`` (the label), ``tooltip``, ``accept`` (the dialogue's suffixes, e.g. ``".json"``).
    """

    _esm = FILE_PICKER_JS
    description = traitlets.Unicode("").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    max_bytes = traitlets.Int(0).tag(sync=True)

    def __init__(self, kind: FileKind, **traits) -> None:
        super().__init__(max_bytes=kind.max_bytes, **traits)
        self.kind = kind
        self._on_file: list[Callable[[str, bytes], object]] = []
        self._on_refused: list[Callable[[str], object]] = []
        self.on_msg(self._message)

    def on_file(self, handler: Callable[[str, bytes], object]) -> None:
        """Call ``handler(name, content)`` with each file chosen (its name without folders, its bytes)."""
        self._on_file.append(handler)

    def on_refused(self, handler: Callable[[str], object]) -> None:
        """Call ``handler(message)`` for a file larger than the kind's ``max_bytes`` (never read by the page)."""
        self._on_refused.append(handler)

    def receive(self, name: str, content: bytes | None, size: int | None = None) -> None:
        """What a page's message does: hand the file to the handlers (``content=None``: too large, not sent).

        Parameters
        ----------
        name : str
            The file's name as the page gives it (folders dropped, shortened to :data:`MAX_NAME_CHARS`).
        content : bytes or None
            The file's bytes; ``None`` when the page did not read it.
        size : int, optional
            The file's size in bytes as the page reports it (default: ``len(content)``).
        """
        name = (PurePath(str(name)).name or "the file")[:MAX_NAME_CHARS]
        if content is not None:
            size = len(content)
        elif size is None or size <= self.kind.max_bytes:
            return  # nothing was sent, and nothing says the file was too large: nothing to load
        if size > self.kind.max_bytes:
            for refused in self._on_refused:
                refused(too_large(name, size, self.kind))
            return
        for handler in self._on_file:
            handler(name, bytes(content))

    def _message(self, _widget, content, buffers) -> None:
        if not isinstance(content, dict) or content.get("kind") != "file":
            return  # not this widget's message: a page may send anything
        size = content.get("size")
        size = size if isinstance(size, int) and size >= 0 else None
        self.receive(str(content.get("name", "")), bytes(buffers[0]) if buffers else None, size)


__all__ = ["FILE_PICKER_JS", "FilePicker"]
