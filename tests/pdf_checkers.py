"""The PDF/UA checkers we can run here, as one assertion: outloud and pdfua (PyPI, pinned in the test extras)
find nothing, not even a warning, and qpdf --check (Debian's, or the same library through pikepdf) is clean.
And the letters a reader sees: at least 10 pt, contrast at least 4.5:1 (read with PyMuPDF)."""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf

BIN = Path(sys.executable).parent


def findings_of_outloud(path):
    run = subprocess.run([BIN / "outloud", "--json", "-", "--fail-on", "warning", str(path)],
                         capture_output=True, text=True, timeout=300)
    result = json.loads(run.stdout)["results"][0]
    return run.returncode, result["counts"], [(f["rule"], f["message"]) for f in result["findings"]]


def assert_checkers_find_nothing_in_bytes(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        assert_checkers_find_nothing(path)


def assert_checkers_find_nothing(path):
    returncode, counts, findings = findings_of_outloud(path)
    assert (counts["error"], counts["warning"], findings) == (0, 0, []), (counts, findings)
    assert returncode == 0, returncode

    pdfua = subprocess.run([BIN / "pdfua", "check", "--format", "json", str(path)], capture_output=True, text=True,
                           timeout=300)
    assert pdfua.returncode == 0, pdfua.stdout[-2000:]  # 0: no finding of any severity

    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=120)
        assert check.returncode == 0, check.stdout[-2000:]
        assert "No syntax or stream encoding errors found" in check.stdout
    else:  # the same library qpdf is, through pikepdf
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == []


def spans(page):
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if span["text"].strip():
                    yield span


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_on_white(rgb):
    return 1.05 / (luminance(rgb) + 0.05)


def small_or_faint_text(pdf):
    """(text, size, colour) of every span of a PyMuPDF document under 10 pt or with contrast under 4.5:1."""
    return [(s["text"], round(s["size"], 1), hex(s["color"])) for page in pdf for s in spans(page)
            if s["size"] < 9.95 or contrast_on_white(s["color"]) < 4.5]
