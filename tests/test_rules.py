"""`lado rules [ID]` and the rulebook shipped with lado (docs/procedure.md, packaged as
lado_cli/procedure.md): one heading per rule id, every id cited anywhere in the project is a
rule, and the README links the rulebook inside the project."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import fails, ok

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "procedure.md"
IDS = [f"R{n}" for n in range(1, 52)]
for after, extra in (("R11", ["R11a"]), ("R28", ["R28a"]), ("R37", ["R37a", "R37b", "R37c"])):
    IDS[IDS.index(after) + 1 : IDS.index(after) + 1] = extra
CITED = re.compile(r"\bR(\d+)([a-c]?)\b")


def test_the_rulebook_has_one_heading_per_rule_id_in_order():
    assert len(IDS) == 56
    headings = re.findall(r"^### (R\d+[a-z]?) \S", DOC.read_text(encoding="utf-8"), flags=re.M)
    assert headings == IDS


def test_the_packaged_copy_is_the_rulebook():
    assert (ROOT / "lado_cli" / "procedure.md").read_bytes() == DOC.read_bytes()


def test_every_rule_id_cited_in_the_project_is_a_rule():
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", *ROOT.glob("lado_cli/**/*.py"), *ROOT.glob("lado_cli/**/*.toml"), *ROOT.glob("examples/*")]
    known = set(IDS)
    for path in files:
        for m in CITED.finditer(path.read_text(encoding="utf-8")):
            if m[2] or int(m[1]) <= 60:  # "R2"... not e.g. a row count such as R100
                assert f"R{m[1]}{m[2]}" in known, (path.name, m[0])


def test_the_readme_links_the_rulebook_in_the_project():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme and "](docs/procedure.md)" in readme


def test_list_of_rules(lado):
    lines = ok(lado("rules")).stdout.splitlines()
    assert [line.split()[0] for line in lines] == IDS
    assert lines[0] == "R1    Who counts as a child" and lines[IDS.index("R37b")] == "R37b  References and keeping records"


def test_one_rule_by_its_id_in_any_letter_case(lado):
    out = ok(lado("rules", "R12")).stdout
    assert out.startswith("R12 The referrer tells the LADO\n\n")
    assert "first working day after" in out and "24 hours" in out
    assert "R13" not in out  # only that rule: the next heading is not printed
    assert ok(lado("rules", "r37B")).stdout.startswith("R37b References and keeping records\n")
    # The last rule of a section stops at the next section's heading.
    r20 = ok(lado("rules", "R20")).stdout
    assert r20.strip().endswith("its own due date.") and "initial discussion" not in r20.lower()


def test_an_unknown_rule_names_the_accepted_ids(lado):
    for bad in ("R52", "R11b", "12", "R0"):
        fails(lado("rules", bad), 2, f"'{bad}'", "R1-R51, R11a, R28a, R37a, R37b, R37c")


def test_rules_needs_no_database(lado, tmp_path, monkeypatch):
    monkeypatch.setenv("LADO_DB", str(tmp_path / "none" / "lado.db"))
    r = ok(lado("rules", "R1"))
    assert r.stderr == "" and not (tmp_path / "none").exists()


def test_a_rule_is_wrapped_to_the_terminal_with_every_word_kept(lado, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = ok(lado("rules", "R5")).stdout
    assert max(len(line) for line in out.splitlines()) <= 60
    section = DOC.read_text(encoding="utf-8").split("### R5 ")[1].split("### R6 ")[0]
    assert out.split() == ["R5", *section.split()]  # the same words in the same order: nothing cut
