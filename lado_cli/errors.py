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


class FieldError(LadoError):
    """A bad value for one named field (a flag of `lado refer`, a column of an import).

    `field` is the slug shared by the flag and the CSV column (e.g. ``concern-arose``);
    `problem` completes "value ... <problem>"; `expected` says what is accepted.
    """

    def __init__(self, field: str, value: object, problem: str, expected: str) -> None:
        self.field = field
        self.value = "" if value is None else str(value)
        self.problem = problem
        self.expected = expected
        super().__init__(f"--{field}: '{self.value}' {problem}; expected {expected}")

    def for_row(self, row: int) -> str:
        """The message as an import reports it (row numbers as a spreadsheet shows them)."""
        return f"row {row}, column {self.field}: value '{self.value}' {self.problem}; expected {self.expected}"
