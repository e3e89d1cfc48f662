"""The one application exception type.

Anything the user can fix (bad input, a missing record, a refused action) is raised as
`LadoError`; the CLI prints its message as one line on stderr and exits 1 (2 when
`usage=True`). The message must never include a traceback or more case data than the
user typed.
"""


class LadoError(Exception):
    """A problem the user can fix. `str(err)` is the one-line message."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage

    @property
    def exit_code(self) -> int:
        return 2 if self.usage else 1
