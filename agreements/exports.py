"""Tables as downloads: CSV (for any tool) and XLSX (openpyxl). A leaf: takes a header and rows, returns bytes.

openpyxl is imported inside xlsx_bytes only: importing it (with the numpy and Pillow it picks up when they are
installed) costs ~20 MiB, and every process that resolves a URL imports this module through the views, the PDF
worker's children too (see `make bench`, pdf_render's peak memory).

Text typed by users (an agreement, a comment from a phone) can start with "=", "+", "-" or "@": a spreadsheet
would run it as a formula. CSV cells like that get a leading apostrophe; XLSX cells are stored as text.
"""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header, rows):
    """UTF-8 with a byte order mark (Excel then reads the accents right), semicolons as Dutch Excel expects."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(header, rows, *, title, widths=None):
    """One sheet named `title`, a bold frozen header, wrapped text; user text never becomes a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=…" typed by someone stays text
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [], 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
