"""`edugov report annual`: the yearly report as Word or PDF, from the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from edugov.documents.official import to_docx, to_pdf

from . import render
from .models import AnnualReport


def add_arguments(parser: Any) -> None:
    parser.help = "the yearly rule-of-law report as Word or PDF"
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--org", default=None, help="organisation code (default: the only district)")
    parser.add_argument("--format", choices=["docx", "pdf"], default="pdf")
    parser.add_argument("--out", default=None, help="file to write (default: <org>-<year>-report.<format>)")


def handle(command: Any, **opts: Any) -> None:
    from edugov.accounts.cli import organisation_for

    org = organisation_for(opts["org"])
    report = AnnualReport.objects.filter(organisation=org, year=opts["year"]).first()
    if report is None:
        raise CommandError(f"{org.name} has no {opts['year']} report yet: start one at /reports/", returncode=2)
    out = Path(opts["out"] or f"{org.code}-{opts['year']}-report.{opts['format']}")
    if report.frozen:  # the approved version, byte for byte, as its hash in the ledger says
        stored = report.docx if opts["format"] == "docx" else report.pdf
        with stored.open("rb") as fh:
            data = fh.read()
        source = "frozen"
    else:
        figures, missing = render.compute(render.placeholders(report.body), report.year, org)
        for key in missing:
            sys.stderr.write(f"warning: figure not registered: {key}\n")
        doc = render.document(report.title, report.body, org, figures, timezone.localdate())
        data = to_docx(doc) if opts["format"] == "docx" else to_pdf(doc)
        source = f"draft ({report.get_state_display()})"
    out.write_bytes(data)
    command.stdout.write(f"{out} ({len(data):,} bytes, {source})")
