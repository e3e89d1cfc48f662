"""`lado export --full --output FILE` and `lado import FILE.json`: the whole database as one
JSON document (lado-export/1, lado_cli/store/full_export.py) and back, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from lado_cli.errors import LadoError


def export_full(app, out: TextIO) -> int:
    """Write the document to `out` (with `--output FILE`, that file); returns the number of cases."""
    from lado_cli.store.db import HEAD_REVISION
    from lado_cli.store.full_export import export_all

    with app.db.read() as conn:
        doc = export_all(conn, now=app.now(), schema=HEAD_REVISION)
    out.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    return len(doc["cases"])


def is_full_export(path: Path) -> bool:
    """A JSON document rather than a CSV: by its name, or by its first character."""
    if path.suffix.lower() == ".json":
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith(b"{")


def import_full(app, path: Path, *, skip_existing: bool, dry_run: bool) -> tuple[int, list[str]]:
    """(cases added, refs skipped); nothing is written on any error, or with `dry_run`."""
    import sqlalchemy as sa

    from lado_cli.store.full_export import import_all

    try:
        with open(path, encoding="utf-8-sig") as f:
            doc = json.load(f)
    except OSError as err:
        raise LadoError(f"cannot read {path}: {err.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LadoError(f"{path} is not a JSON document ({err}); expected a file of `lado export --full`") from None

    class _DryRun(Exception):
        pass

    result: tuple[int, list[str]] = (0, [])
    try:
        with app.db.begin() as conn:  # one transaction: all or nothing
            result = import_all(conn, doc, skip_existing=skip_existing)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except sa.exc.StatementError as err:  # a value the schema refuses (null, too long, wrong type): nothing written
        detail = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
        raise LadoError(f"{path}: a value does not fit the database ({detail}); expected a file of `lado export --full`; nothing was imported") from None
    return result
