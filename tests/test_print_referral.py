"""The referral form of `lado send` (REF.referral.html) printed to an A4 PDF by the real
headless Chromium and read back with pdftotext, as tests/test_print.py does for `due` and
`stats`: every page A4 with the marking at top and foot and "Page i of n", every field's label
and value on paper (profile labels, not slugs; UK times), the longest values whole (nothing
clipped at the right margin), and the referrer's signature block.
"""

from __future__ import annotations

import json

from conftest import REFERRAL, ok, with_flags
from test_print import check_every_page, joined, print_to_pdf, squash

LONG_SUMMARY = (
    "During the Year 5 PE lesson in the sports hall the teacher took hold of a pupil by the upper arm and pulled her across "
    "the floor towards the changing rooms after she refused to line up; two teaching assistants saw it and the pupil told "
    "her mother at collection time that her arm still hurt; the mother telephoned the school office the same evening. "
) * 3
LONG_ADDRESS = "Flat 12, The Old Rectory Courtyard, 143 Upper Lichfield Road, Little Haywood, Stafford ST18 0TQ"
LONG_CONTACT = "ann.head-safeguarding-lead@oak-primary-school.staffordshire.sch.uk.example.org"
LONG_EMPLOYER = "St Bartholomew's Church of England Voluntary Aided Primary School and Nursery"


def test_the_referral_form_prints_on_a4_with_every_field_and_nothing_clipped(lado, tmp_path):
    ok(lado("refer", "--no-input", *with_flags(
        REFERRAL, summary=LONG_SUMMARY, subject_address=LONG_ADDRESS, referrer_contact=LONG_CONTACT, employer=LONG_EMPLOYER,
        happened="22/12/2026 14:05", regulator="Teaching Regulation Agency", subject_status="working",
        source_detail="Amy's mother, by telephone", works_in="Staffordshire County Council",
    ), "--suitability", "safe-practice", "--child-name", "Ben Jones", "--child-dob", "unknown"))  # fmt: skip
    ok(lado("send", "LADO-2026-0001", "--out", str(tmp_path / "out"), "--at", "23/12/2026 09:40"))
    page = (tmp_path / "out" / "LADO-2026-0001.referral.html").read_text(encoding="utf-8")
    pages = print_to_pdf(page, tmp_path)
    check_every_page(pages)
    text = joined(pages)
    expected = {  # label -> value as printed (labels of the built-in profile, UK times)
        "Adult's full name": "John Smith", "Adult's date of birth": "01/02/1980", "Role or job title": "PE teacher",
        "Home address": LONG_ADDRESS, "Regulator (R31)": "Teaching Regulation Agency",
        "Works with children as (R2)": "Paid employee", "Employer or organisation (R3)": LONG_EMPLOYER,
        "Employer's sector": "Education", "A child in immediate danger (R8)": "no", "Working now": "Working as usual",
        "Local authority where they work (R7)": "Staffordshire County Council", "Source in detail": "Amy's mother, by telephone",
        "Suitability indicators (R5)": "Went against safe-working practice guidance",
        "When it happened": "22/12/2026 14:05", "When the concern arose": "22/12/2026 16:30",
        "How the concern arose (R6)": "Parent or carer", "Category": "Physical", "What happened": LONG_SUMMARY.strip(),
        "Harm criteria (R4)": "Harmed a child, or may have done; Behaved towards children in a way suggesting a risk of harm",
        "Name": "Ann Head", "Role": "Head teacher", "Organisation": "Oak Primary School", "Phone or email": LONG_CONTACT,
        "Child 1: name": "Amy Jones", "Child 1: date of birth": "03/04/2016", "Child 2: name": "Ben Jones",
    }  # fmt: skip
    doc = json.loads((tmp_path / "out" / "LADO-2026-0001.referral.json").read_text(encoding="utf-8"))
    assert len(doc["referral"]) - 1 == len([k for k in expected if not k.startswith("Child")])  # every field of the file is expected here
    for label, value in expected.items():
        assert squash(label + value) in text, (label, value)  # the label, then its value (read row by row)
    assert "Child2:dateofbirth" not in text  # an unknown date of birth is left out, not printed as a slug
    for heading in ("Referral to the LADO: LADO-2026-0001", "The adult", "The concern", "The referrer", "Children (2)",
                    "Signed by the referrer", "Signature", "Date"):  # fmt: skip
        assert squash(heading) in text, heading
    assert squash("Sent Wed 23/12/2026 09:40") in text
    assert "parent-carer" not in text and "education" not in text  # labels, not slugs


def test_the_form_escapes_what_it_prints(lado, tmp_path):
    ok(lado("refer", "--no-input", *with_flags(REFERRAL, summary="<script>alert(1)</script> & <b>bold</b>")))
    ok(lado("send", "LADO-2026-0001", "--out", str(tmp_path), "--at", "23/12/2026 09:40"))
    page = (tmp_path / "LADO-2026-0001.referral.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
