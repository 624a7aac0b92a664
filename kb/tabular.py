"""Spreadsheet-safe exports: CSV (UTF-8 with BOM) and XLSX (openpyxl) of rows of text.

A cell that starts with = + - @ (or a tab or carriage return) would run as a formula when a
spreadsheet opens the file; `csv_safe` prefixes such a cell with an apostrophe, which
spreadsheets hide and treat as "this is text". XLSX cells are written as typed strings, so they
never become formulas and need no prefix.
"""
from __future__ import annotations

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows: list[list]) -> str:
    """CSV with a byte-order mark (so Excel reads the accents), every cell neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


def xlsx_bytes(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """An .xlsx workbook, one sheet per (title, header, rows); every cell a string, header bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append(header)
        for row in rows:
            ws.append(["" if v is None else str(v) for v in row])
        for row in ws.iter_rows():
            for cell in row:
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "C2" if len(header) > 2 else "A2"
        for i, _ in enumerate(header, 1):
            width = max([len(str(header[i - 1]))] + [min(len(str(r[i - 1])), 60) for r in rows if len(r) >= i])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(8, min(width + 2, 62))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
