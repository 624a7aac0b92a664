"""Spreadsheet-safe CSV and XLSX helpers for the web layer; they live in kb.tabular (the build uses them too)."""
from kb.tabular import BOM, FORMULA_STARTS, csv_safe, csv_text, xlsx_bytes

__all__ = ["BOM", "FORMULA_STARTS", "csv_safe", "csv_text", "xlsx_bytes"]
