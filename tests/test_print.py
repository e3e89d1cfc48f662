"""Printing (issue 13, item 6): `lado due --format html` and `lado stats --format html` laid
out for A4 portrait, printed to PDF by a real headless Chromium and the PDF checked with
poppler's pdftotext: every page is A4 (595 x 842 pt), carries the profile's protective marking
at its top and foot and "Page i of n", and no word runs past the right margin (the right-most
column is printed whole). With env CI set, a missing chromium or pdftotext fails these tests;
otherwise they are skipped, as the PostgreSQL variants are.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import REFERRAL, _ci, ok, with_flags

A4 = (595.3, 841.9)  # points (210 x 297 mm)
MM = 72 / 25.4
SIDE_MARGIN = 14 * MM  # lado_cli/cli/printing.py: @page margin 20mm 14mm
LONG_OWNER = "Alexandra Whitfield-Okonkwo, Deputy Designated Safeguarding Lead"
LONG_EMPLOYER = "St Bartholomew's Church of England Voluntary Aided Primary School and Nursery"


def _tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = f"{names[0]} is not installed (Debian: apt-get install chromium poppler-utils)"
    if _ci():
        pytest.fail(f"CI must run the print tests, and cannot: {reason}", pytrace=False)
    pytest.skip(reason)


def print_to_pdf(page: str, tmp_path: Path) -> list[dict]:
    """Print the HTML `page` with headless Chromium; returns each PDF page as
    {"width", "height", "words": [(text, xMin, yMin, xMax, yMax)]} (pdftotext -bbox)."""
    chromium = _tool("chromium", "chromium-browser", "google-chrome")
    pdftotext = _tool("pdftotext")
    source, pdf, box = tmp_path / "page.html", tmp_path / "page.pdf", tmp_path / "page-bbox.html"
    source.write_text(page, encoding="utf-8")
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'chromium-profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", source.as_uri()],
        check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run([pdftotext, "-bbox", str(pdf), str(box)], check=True, capture_output=True, timeout=60)
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', box.read_text(encoding="utf-8"), re.S):
        words = [(html.unescape(w[4]), float(w[0]), float(w[1]), float(w[2]), float(w[3]))
                 for w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', m[3])]  # fmt: skip
        pages.append({"width": float(m[1]), "height": float(m[2]), "words": words})
    assert pages
    return pages


def check_every_page(pages: list[dict], marking: str = "OFFICIAL-SENSITIVE") -> None:
    n = len(pages)
    for i, p in enumerate(pages, start=1):
        assert (round(p["width"], 1), round(p["height"], 1)) == pytest.approx(A4, abs=1.0), (i, p["width"], p["height"])
        marks = [w for w in p["words"] if w[0] == marking]
        in_header = [w for w in marks if w[4] < 20 * MM]  # inside the top margin
        in_footer = [w for w in marks if w[2] > p["height"] - 20 * MM]  # inside the bottom margin
        assert len(in_header) == 1 and len(in_footer) == 1, (i, marks)
        text = " ".join(w[0] for w in p["words"])
        assert f"Page {i} of {n}" in text, (i, text[-200:])
        for word in p["words"]:  # nothing runs off the side of the paper
            assert word[1] >= SIDE_MARGIN - 1 and word[3] <= p["width"] - SIDE_MARGIN + 1, (i, word)


def joined(pages: list[dict]) -> str:
    """The words of every page with no spaces: a value wrapped over lines is still found."""
    return "".join(w[0] for p in pages for w in p["words"])


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def due_cases(lado):
    """Eight open cases with long names, one with an action whose owner is long too."""
    refs = []
    for i in range(8):
        r = ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name=f"Christopher Montgomery-Fairweather {i}",
                                                       employer=LONG_EMPLOYER, concern_arose=f"22/12/2026 {8 + i:02d}:30")))  # fmt: skip
        refs.append(r.stdout.strip().splitlines()[-1])
    ok(lado("meeting", refs[0], "--no-input", "--type", "strategy-discussion", "--held", "23/12/2026 09:45",
            "--action", f"Obtain the rota for the spring term; {LONG_OWNER}; 30/12/2026"))  # fmt: skip
    return refs


def test_due_prints_on_a4_portrait_with_marking_page_numbers_and_every_column(lado, due_cases, tmp_path):
    page = ok(lado("due", "--format", "html", "--within", "30")).stdout
    assert "size: A4 portrait" in page and "counter(page)" in page
    pages = print_to_pdf(page, tmp_path)
    check_every_page(pages)
    text = joined(pages)
    assert squash(LONG_OWNER) in text  # the right-most column, whole
    assert text.count(squash(LONG_EMPLOYER)) >= len(due_cases)  # at least each case's R13 limit
    for ref in due_cases:
        assert ref in text


def test_stats_prints_on_a4_with_marking_on_every_page_and_numbers_in_one_column(lado, due_cases, tmp_path):
    page = ok(lado("stats", "--from", "01/12/2026", "--to", "31/12/2026", "--format", "html")).stdout
    pages = print_to_pdf(page, tmp_path)
    assert len(pages) >= 2  # fourteen tables: the marking and page numbers are checked on every page
    check_every_page(pages)
    # Right-aligned percentages: in the breakdown tables (most of them) they all end at one x.
    ends = Counter(round(w[3]) for p in pages for w in p["words"] if re.fullmatch(r"\d+\.\d%|—", w[0]))
    assert ends and ends.most_common(1)[0][1] >= 0.75 * sum(ends.values()), ends


def test_the_marking_comes_from_the_profile_and_cannot_break_out_of_the_page(lado, tmp_path, monkeypatch):
    profile = tmp_path / "profile.toml"
    profile.write_text('protective_marking = "OFFICIAL \\" } </style><script>alert(1)</script>"\n', encoding="utf-8")
    monkeypatch.setenv("LADO_PROFILE", str(profile))
    ok(lado("refer", "--no-input", *REFERRAL))
    for argv in (("due", "--format", "html"), ("stats", "--from", "01/12/2026", "--to", "31/12/2026", "--format", "html")):
        page = ok(lado(*argv)).stdout
        assert "<script" not in page.lower() and page.count("</style>") == 1, argv
        assert "OFFICIAL &quot; } &lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown on screen, escaped
        assert r'content: "OFFICIAL \22  \7d  \3c /style\3e \3c script\3e alert(1)\3c /script\3e "' in page  # in CSS, escaped


def test_the_default_marking_is_official_sensitive_and_a_bad_one_is_refused(lado, tmp_path, monkeypatch):
    from conftest import fails

    assert ok(lado("profile", "show", "--format", "json")).stdout.count('"protective_marking": "OFFICIAL-SENSITIVE"') == 1
    profile = tmp_path / "profile.toml"
    for bad in ('""', '"' + "X" * 61 + '"', "3"):
        profile.write_text(f"protective_marking = {bad}\n", encoding="utf-8")
        fails(lado("--profile", str(profile), "profile", "show"), 1, "protective_marking")
    profile.write_text('protective_marking = "' + "X" * 60 + '"\n', encoding="utf-8")  # 60 characters: the longest accepted
    ok(lado("--profile", str(profile), "profile", "show"))


def test_stats_bars_share_one_scale_their_percentage(lado):
    # Two referrals from a parent or carer and one from a colleague: 2 of 3 is 66.7%, 1 of 3
    # is 33.3%; the bars are those lengths, not scaled to the largest row of their table.
    ok(lado("refer", "--no-input", *REFERRAL))
    ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="Mary Major")))
    ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="Tom Minor", source="colleague")))
    page = ok(lado("stats", "--from", "01/12/2026", "--to", "31/12/2026", "--format", "html")).stdout
    assert re.search(r'<td>Parent or carer</td><td class="n">2</td><td class="n">66\.7%</td><td class="bar"><span style="width: 66\.7%">', page)
    assert re.search(r'<td>Colleague or staff member</td><td class="n">1</td><td class="n">33\.3%</td><td class="bar"><span style="width: 33\.3%">', page)
    assert '<th class="n">Count</th><th class="n">%</th>' in page  # headings over numbers are right-aligned too
