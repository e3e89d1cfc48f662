"""A person at a terminal, for the wizard tests: an in-memory 120-column screen that
prompt_toolkit draws on, and a typist that answers each question only once it is shown.

Keys: Enter "\\r", arrows "\\x1b[A"/"\\x1b[B", space ticks a checkbox, Ctrl-U clears a line,
Ctrl-C "\\x03", Ctrl-D "\\x04".
"""

from __future__ import annotations

import io
import re
import sys
import threading
import time

from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input.defaults import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output


class Terminal:
    """A 120-column terminal: just enough VT100 (text, relative cursor moves, erase) to read
    what prompt_toolkit draws, which redraws only the cells that change."""

    _CODE = re.compile(r"\x1b\[(\??)(\d*)(?:;\d*)*([A-Za-z])|([\r\n\b])|([^\x1b\r\n\b]+)")

    def __init__(self) -> None:
        self._raw = io.StringIO()
        self.output = Vt100_Output(self._raw, lambda: Size(rows=40, columns=120), term="xterm", enable_cpr=False)

    @property
    def screen(self) -> str:
        lines: list[list[str]] = [[]]
        row = col = 0
        for m in self._CODE.finditer(self._raw.getvalue()):
            private, n, cmd, ctl, text = m.groups()
            line = lines[row]
            if text:
                line.extend(" " * (col - len(line)))
                line[col : col + len(text)] = text
                col += len(text)
            elif ctl == "\r":
                col = 0
            elif ctl == "\n":
                row += 1
                lines.extend([] for _ in range(row + 1 - len(lines)))
            elif ctl == "\b":
                col = max(col - 1, 0)
            elif private:
                continue  # modes: cursor, wrap, paste
            elif cmd in "ABCD":
                step = int(n or 1)
                row, col = {"A": (max(row - step, 0), col), "B": (row + step, col), "C": (row, col + step), "D": (row, max(col - step, 0))}[cmd]
                lines.extend([] for _ in range(row + 1 - len(lines)))
            elif cmd == "K":
                del line[col:]
            elif cmd == "J":
                del line[col:]
                del lines[row + 1 :]
        return "\n".join("".join(line).rstrip() for line in lines)


def _stderr_so_far() -> str:
    """What the command has written to stderr up to now (CliRunner's captured stream)."""
    try:
        return sys.stderr.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]
    except AttributeError:
        return ""


class Session:
    """What one wizard run left behind: the result, the screen, and for each step the stderr
    that was already shown when its question appeared."""

    def __init__(self, result, screen: str, stderr_at: list[str]) -> None:
        self.result, self.screen, self.stderr_at = result, screen, stderr_at


def interview(lado, args: list[str], steps: list[tuple[str, str]], timeout: float = 10) -> Session:
    """Run `lado ARGS` at a terminal; for each (text, keys) step, wait until `text` is shown
    once more than before the previous answer, then type `keys`."""
    term, problems, done, stderr_at = Terminal(), [], threading.Event(), []

    with create_pipe_input() as pipe:

        def typist() -> None:
            try:
                before = term.screen.count(steps[0][0]) if steps else 0
                for i, (expected, keys) in enumerate(steps):
                    deadline = time.monotonic() + timeout
                    while term.screen.count(expected) <= before:
                        if done.is_set() or time.monotonic() > deadline:
                            problems.append(f"never shown: {expected!r}")
                            return
                        time.sleep(0.005)
                    stderr_at.append(_stderr_so_far())
                    # Count the next text before answering: the answer is what may show it.
                    before = term.screen.count(steps[i + 1][0]) if i + 1 < len(steps) else 0
                    pipe.send_text(keys)
                if not done.wait(timeout):
                    problems.append("still asking questions after the last answer")
            finally:
                pipe.close()  # no more keys: a further question ends as end of input

        thread = threading.Thread(target=typist, daemon=True)
        thread.start()
        try:
            with create_app_session(input=pipe, output=term.output):
                result = lado(*args)
        finally:
            done.set()
            thread.join(timeout)
    assert not problems, f"{problems}\n--- screen ---\n{term.screen[-3000:]}\n--- stderr ---\n{result.stderr}"
    return Session(result, term.screen, stderr_at)
