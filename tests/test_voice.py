"""One form of address: the interface says "je/jij/jullie", never "u"/"uw" (README, "Style").

Every template and every string in the app's Python code is read as text (template tags, variables and
HTML tags taken out); quoted source texts (`<blockquote>`, `<q>`) are the sources' words and may differ.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMAL = re.compile(r"(?<![\w'’-])(u|uw|uzelf|bent u|heeft u|kunt u|wilt u)(?![\w'’-])", re.IGNORECASE)
QUOTED = re.compile(r"<(blockquote|q)\b.*?</\1>", re.DOTALL)
TEMPLATE_CODE = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]+>", re.DOTALL)


def template_text(source):
    return TEMPLATE_CODE.sub(" ", QUOTED.sub(" ", source))


def python_strings(path):
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def formal_words():
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in (".html", ".txt"):
            for match in FORMAL.finditer(template_text(path.read_text())):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)!r}")
    for path in sorted((ROOT / "agreements").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for lineno, text in python_strings(path):
            for match in FORMAL.finditer(text):
                found.append(f"{path.relative_to(ROOT)}:{lineno}: {match.group(0)!r} in {text[:60]!r}")
    return found


def test_the_interface_says_je_and_jullie_never_u():
    assert formal_words() == []


def test_the_voice_check_finds_u_and_uw_in_text_but_not_in_code_or_quotes():
    text = template_text('<p class="u">{{ u.name }} Heeft u vragen? <q>Wat vindt u?</q> Uw stem.</p>')
    assert [m.group(0) for m in FORMAL.finditer(text)] == ["Heeft u", "Uw"]
