"""The intake facts' flags (domain/intake.py SPECS) added to a command: `lado refer` and
`lado amend` take the same flags, with the same help, from the one table of specs."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import typer

from lado_cli.domain.intake import PANELS, SPECS, Spec

_METAVAR = {"instant": "DATETIME", "count": "N", "slug": "SLUG", "associated-with": "REF"}


def _option(spec: Spec, *, amend: bool) -> tuple[Any, Any]:
    panel = PANELS[spec.panel]
    help_ = spec.help + (" Given again as a whole list." if amend and spec.kind == "texts" else "")
    if spec.kind == "bool":
        flag = f"--{spec.slug}/--no-{spec.slug}"
        return bool, typer.Option(None, flag, help=help_, rich_help_panel=panel)
    if spec.kind == "texts":
        return list[str], typer.Option(None, f"--{spec.slug}", help=help_, rich_help_panel=panel, metavar="SLUG" if spec.list_name else "TEXT")
    return str, typer.Option(None, f"--{spec.slug}", help=help_, rich_help_panel=panel, metavar=_METAVAR.get(spec.slug, _METAVAR.get(spec.kind)))


def with_intake_flags(*, amend: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add a keyword-only option per intake spec; the command receives them as one dict
    `intake` (flag slug -> value, only those given)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(func)
        names = {s.slug: s.slug.replace("-", "_") for s in SPECS}

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {slug: kwargs.pop(name) for slug, name in names.items() if name in kwargs}
            kwargs["intake"] = {k: v for k, v in given.items() if v is not None and v != []}
            return func(*args, **kwargs)

        params = [p for p in sig.parameters.values() if p.name != "intake"]
        for spec in SPECS:
            annotation, default = _option(spec, amend=amend)
            params.append(inspect.Parameter(names[spec.slug], inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation))
        wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {k: v for k, v in getattr(func, "__annotations__", {}).items() if k != "intake"}
        return wrapper

    return decorate
