"""House rules that can be checked by reading the code (docs/architecture.md)."""

import ast
from pathlib import Path

import pytest

LABOUR = Path(__file__).resolve().parents[2]
APPS = sorted(p.name for p in LABOUR.iterdir()
              if p.is_dir() and (p / "__init__.py").exists() and p.name not in ("browser_tests",))


def _sources(app):
    for path in sorted((LABOUR / app).rglob("*.py")):
        parts = path.relative_to(LABOUR / app).parts
        if parts[0] in ("tests", "migrations"):
            continue
        yield path


def _type_checking_only(tree):
    """Nodes under `if TYPE_CHECKING:` (annotations only, never imported at run time)."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def _imported_apps(path):
    """The labour apps `path` imports at run time, at module level or in a function."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "labour" and len(parts) > 1 and parts[1] in APPS:
                found.add(parts[1])
    return found


def app_graph():
    graph = {app: set() for app in APPS}
    for app in APPS:
        for path in _sources(app):
            graph[app] |= _imported_apps(path) - {app}
    return graph


def _cycle(graph):
    state, stack = {}, []

    def visit(app):
        state[app] = "open"
        stack.append(app)
        for other in sorted(graph[app]):
            if state.get(other) == "open":
                return stack[stack.index(other):] + [other]
            if other not in state:
                found = visit(other)
                if found:
                    return found
        state[app] = "done"
        stack.pop()
        return None

    for app in APPS:
        if app not in state:
            found = visit(app)
            if found:
                return found
    return None


def test_apps_import_each_other_without_cycles():
    cycle = _cycle(app_graph())
    assert cycle is None, " → ".join(cycle)


@pytest.mark.parametrize(("low", "high"), [
    ("core", "audit"), ("core", "accounts"), ("attachments", "certification"),
    ("enterprises", "certification"), ("projects", "certification"), ("audit", "projects"),
])
def test_lower_layers_do_not_know_higher_ones(low, high):
    assert high not in app_graph()[low]


def test_views_and_forms_never_query_models_directly():
    """They read through selectors (the visibility layer) and write through services."""
    offenders = []
    for app in APPS:
        for path in _sources(app):
            if not (path.name.endswith("views.py") or path.name == "forms.py"):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
                    offenders.append(f"{path.relative_to(LABOUR)}:{node.lineno}")
    assert not offenders, offenders
