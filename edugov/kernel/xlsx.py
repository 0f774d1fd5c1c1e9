"""XLSX reading and writing for the registries' import and export (openpyxl).

A file is checked by content (a ZIP holding xl/workbook.xml), by size and against
decompression bombs before openpyxl opens it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from edugov.kernel.errors import ValidationFailed

MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS = 50000


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # already translated when built
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers accepted on import (the label in other languages, the key)


def read_rows(data: bytes, columns: Sequence[Column]) -> list[tuple[int, dict[str, Any]]]:
    """Return (line number, {key: value}) for each non-empty row; raise for an unusable file."""
    if len(data) > settings.EDUGOV["IMPORT_MAX_BYTES"]:
        raise ValidationFailed(_("The file is larger than %(mb)d MB; please split it.")
                               % {"mb": settings.EDUGOV["IMPORT_MAX_BYTES"] // (1024 * 1024)})
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationFailed(_("This is not an Excel (.xlsx) file; please save it as .xlsx and try again."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            total = sum(i.file_size for i in zf.infolist())
            compressed = sum(i.compress_size for i in zf.infolist()) or 1
    except zipfile.BadZipFile:
        raise ValidationFailed(_("The file is damaged and cannot be opened as .xlsx.")) from None
    if "xl/workbook.xml" not in names:
        raise ValidationFailed(_("This is not an Excel (.xlsx) file; please save it as .xlsx and try again."))
    if total > MAX_UNCOMPRESSED or total / compressed > MAX_RATIO:
        raise ValidationFailed(_("The file expands to an implausible size and was refused."))
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for broken files
        raise ValidationFailed(_("The file is damaged and cannot be opened as .xlsx.")) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise ValidationFailed(_("The first sheet is empty."))
    lookup = {}
    for c in columns:
        for name in (c.label, c.key, *c.aliases):
            lookup[name.strip().lower()] = c.key
    keys = [lookup.get(str(h).strip().lower()) if h is not None else None for h in header]
    missing = [c.label for c in columns if c.required and c.key not in keys]
    if missing:
        raise ValidationFailed(_("The first row lacks the required columns: %(cols)s.") % {"cols": "、".join(missing)})
    out: list[tuple[int, dict[str, Any]]] = []
    for line, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        if len(out) >= MAX_ROWS:
            raise ValidationFailed(_("At most %(n)d rows can be imported at once.") % {"n": MAX_ROWS})
        row = {k: v for k, v in zip(keys, values, strict=False) if k}
        out.append((line, row))
    wb.close()
    return out


# A spreadsheet evaluates a cell that starts with one of these (CSV injection, OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell as text: one that a spreadsheet would run as a formula (``=HYPERLINK(...)``,
    ``+cmd|...``, ``@SUM(...)``) gets a leading apostrophe, OWASP's advice for CSV and XLSX."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_workbook(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, title: str = "Sheet1",
                   extra: Sequence[str] = ()) -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]
    ws.append([c.label for c in columns] + list(extra))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        ws.append(["" if v is None else neutralise(v) for v in row])
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # openpyxl took a text for a formula: it is text
                cell.data_type = "s"
    labels = [c.label for c in columns] + [str(e) for e in extra]
    for i, label in enumerate(labels, start=1):
        width = max(10, len(label) * 2 + 4)
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
