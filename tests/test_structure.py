"""The import structure of agreements/ and policybuilder/, read from the source with ast (nothing is imported).

Three rules keep each floor of the house to its job:
(a) no circle in the graph of imports between app modules;
(b) no app module imports another app module inside a function (such imports hide circles);
(c) every import goes down the floors, as LAYERS and ALLOWED below say.
A new module must be given its floor in LAYERS: the test names it until it is.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGES = ("agreements", "policybuilder")

# Module (or package, for all its modules) -> its floor. The longest match wins; the two top packages
# themselves match only their own __init__, so a new module anywhere has to be placed here.
LAYERS = {
    "policybuilder": "project",
    "policybuilder.settings": "project",
    "policybuilder.urls": "project",
    "policybuilder.wsgi": "project",
    "policybuilder.celery": "celery",
    "policybuilder.embedded_redis": "project",  # settings, `make run` and the tests start Redis with it
    "policybuilder.runtime": "project",  # `make run`: the checks and supervisord (imports no Django)
    "agreements": "project",
    "agreements.apps": "apps",
    "agreements.middleware": "middleware",
    "agreements.urls": "urls",
    "agreements.converters": "urls",
    "agreements.urls_accounts": "urls",
    "agreements.urls_documents": "urls",
    "agreements.urls_meetings": "urls",
    "agreements.urls_policy": "urls",
    "agreements.urls_schools": "urls",
    "agreements.urls_system": "urls",
    "agreements.urls_tools": "urls",
    "agreements.views": "views",
    "agreements.templatetags": "templatetags",
    "agreements.forms": "forms",
    "agreements.management": "management",
    "agreements.access": "access",
    "agreements.services": "services",
    "agreements.mail": "mail",
    "agreements.reminders": "reminders",
    "agreements.tool_reminders": "reminders",  # the AI-tool register's re-assessment mails, sent the same way
    "agreements.ratelimit": "ratelimit",
    "agreements.tasks": "tasks",
    "agreements.rendering": "rendering",
    "agreements.retention": "retention",
    "agreements.privacy": "privacy",
    "agreements.pdf": "pdf",
    "agreements.pdf_tags": "pdf",  # pikepdf post-processing of WeasyPrint's tags; pdf.py calls it
    "agreements.word": "pdf",  # the editable .docx copy, drawn beside the PDF by the same render
    "agreements.qr": "qr",
    "agreements.exports": "exports",
    "agreements.stamps": "stamps",
    "agreements.queries": "queries",
    "agreements.content_loader": "content_loader",
    "agreements.models": "models",
}

# Floor -> the floors its modules may import. The spine, top to bottom:
#   views -> access / queries / services -> tasks -> rendering -> pdf -> queries -> models
# so services enqueue through tasks but never render or draw themselves, the worker's path (tasks, rendering,
# pdf) never reaches back up into services or views, queries never import services, access and queries read
# models only, and models import no other floor. Beside the spine: urls wire views (and the login form), forms
# and template tags are used by views, qr, exports, stamps, mail and ratelimit are leaves, celery is the project's
# Celery app; reminders (the review mails beat sends through tasks) read queries and send mail.
ALLOWED = {
    "project": {"celery"},
    "celery": set(),
    "apps": {"celery"},
    "middleware": {"views"},  # the error pages (views/errors.py) answer an unreadable request
    "urls": {"views", "forms"},
    "views": {"views", "access", "queries", "services", "forms", "mail", "qr", "ratelimit", "privacy", "exports",
              "stamps", "models", "celery"},
    "templatetags": {"access", "queries", "models"},
    "forms": {"queries", "models"},
    "management": {"content_loader", "services", "queries", "models"},
    "access": {"models"},
    "services": {"services", "tasks", "queries", "mail", "ratelimit", "stamps", "models"},
    "mail": set(),
    "ratelimit": set(),
    "tasks": {"rendering", "reminders", "retention", "models"},
    "reminders": {"mail", "queries", "models"},
    "retention": {"privacy", "models"},
    "privacy": set(),
    "rendering": {"pdf", "queries", "models"},
    "pdf": {"queries", "qr", "models"},
    "qr": set(),
    "exports": set(),
    "stamps": set(),
    "queries": {"queries", "models"},
    "content_loader": {"models"},
    "models": {"models"},
}


def module_files():
    """Module name -> path, for every .py file of the packages (migrations aside: Django writes those)."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((BASE_DIR / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(BASE_DIR).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = module_files()


def _targets(module, is_package, node):
    """The app modules an import statement names (`from .. import tasks` in a service names agreements.tasks)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join(package + ([node.module] if node.module else []))
        else:
            base = node.module
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
    return [name for name in names if name.split(".")[0] in PACKAGES]


def parse_imports(module, source, is_package=False):
    """[(imported app module, line, inside a function?, names imported)] of one module's source."""
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in child.names]
                targets = _targets(module, is_package, child)
                found.extend((target, child.lineno, in_function, names) for target in targets)
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(ast.parse(source), False)
    return found


GRAPH = {module: parse_imports(module, path.read_text(encoding="utf-8"), path.name == "__init__.py")
         for module, path in MODULES.items()}


def layer(module):
    prefixes = [p for p in LAYERS if module == p or (p not in PACKAGES and module.startswith(p + "."))]
    return LAYERS[max(prefixes, key=len)] if prefixes else None


def imports_inside_functions(module, found):
    return [f"{module}:{line} imports {target}" for target, line, in_function, _ in found if in_function]


def upward_imports(module, found):
    if layer(module) is None:
        return []  # test_every_module_has_a_floor names it
    return [f"{module}:{line} ({layer(module)}) imports {target} ({layer(target)})"
            for target, line, _, _ in found
            if layer(target) != layer(module) and layer(target) not in ALLOWED[layer(module)]]


def private_imports(module, found):
    return [f"{module}:{line} imports {name} from {target}" for target, line, _, names in found for name in names
            if name.startswith("_") and not name.startswith("__")]


def circles(graph):
    """Every circle a depth-first walk meets, as "a -> b -> a"."""
    found, state = [], {}

    def walk(module, path):
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                found.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                walk(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    return found


def test_the_graph_is_read_from_the_real_modules():
    """The parser sees the spine; an empty graph would make the rules below pass for nothing."""
    edges = {(module, target) for module, found in GRAPH.items() for target, *_ in found}
    assert len(MODULES) > 40
    assert {
        ("agreements.services.documents", "agreements.tasks"),
        ("agreements.tasks", "agreements.rendering"),
        ("agreements.rendering", "agreements.pdf"),
        ("agreements.pdf", "agreements.queries.documents"),
        ("agreements.queries.documents", "agreements.models"),
    } <= edges


def test_every_module_has_a_floor():
    assert [m for m in MODULES if layer(m) is None] == [], "give these modules a floor in LAYERS"
    assert set(LAYERS.values()) == set(ALLOWED)


def test_no_app_module_is_imported_inside_a_function():
    assert [line for module, found in GRAPH.items() for line in imports_inside_functions(module, found)] == []


def test_the_import_graph_has_no_circle():
    assert circles({module: {target for target, *_ in found} for module, found in GRAPH.items()}) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_go_down_the_floors(module):
    assert upward_imports(module, GRAPH[module]) == []


def test_no_private_name_is_imported_from_another_module():
    """`from .pdf import _print_setup` ties a module to another's insides: public names only."""
    assert [line for module, found in GRAPH.items() for line in private_imports(module, found)] == []


# --- The checks can fail ----------------------------------------------------------------------------------


BAD_QUERY = """
from ..services.policy import start_policy
from ..pdf import _fonts


def progress(version):
    from .. import tasks
    return tasks
"""


def test_the_checks_find_what_a_bad_module_would_do():
    found = parse_imports("agreements.queries.policy", BAD_QUERY)

    assert [(target, line, inside) for target, line, inside, _ in found] == [
        ("agreements.services.policy", 2, False), ("agreements.pdf", 3, False), ("agreements.tasks", 7, True)]
    assert imports_inside_functions("agreements.queries.policy", found) == [
        "agreements.queries.policy:7 imports agreements.tasks"]
    assert upward_imports("agreements.queries.policy", found) == [
        "agreements.queries.policy:2 (queries) imports agreements.services.policy (services)",
        "agreements.queries.policy:3 (queries) imports agreements.pdf (pdf)",
        "agreements.queries.policy:7 (queries) imports agreements.tasks (tasks)",
    ]
    assert private_imports("agreements.queries.policy", found) == [
        "agreements.queries.policy:3 imports _fonts from agreements.pdf"]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a -> b -> c -> a"]


def test_a_pdf_worker_does_not_load_the_spreadsheet_library():
    """The worker's children resolve URLs (the verification link) and so import every view; openpyxl (with the
    numpy it picks up) would add ~20 MiB to each of them for nothing (make bench, pdf_render)."""
    code = ("import sys, django; django.setup(); from django.urls import get_resolver; "
            "get_resolver().url_patterns; from agreements import rendering; rendering.warm_up(); "
            "print(sorted(m for m in ('openpyxl', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "policybuilder.settings"}, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
