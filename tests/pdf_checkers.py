"""The PDF/UA checkers we can run here, as one assertion: outloud and pdfua (PyPI, pinned in the test extras)
find nothing, not even a warning, and qpdf --check (Debian's, or the same library through pikepdf) is clean."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf

BIN = Path(sys.executable).parent


def findings_of_outloud(path):
    run = subprocess.run([BIN / "outloud", "--json", "-", "--fail-on", "warning", str(path)],
                         capture_output=True, text=True, timeout=300)
    result = json.loads(run.stdout)["results"][0]
    return run.returncode, result["counts"], [(f["rule"], f["message"]) for f in result["findings"]]


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
