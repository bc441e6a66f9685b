"""The unit tree sits below the areas: nothing in danvan.units imports an area app.

The team guide's rule is that arrows point down (areas use units, never the reverse),
and the demo wiring that once broke it now lives in danvan.demo. The walk reads every
module of the package with ``ast`` (tests and commands included, imports inside
functions too), so a new upward import fails here rather than in a review.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

import danvan.units

UNITS_DIR = Path(danvan.units.__file__).parent
# What the unit tree may build on: the shared core, the audit trail, and accounts
# (the policy module scopes every unit read and write to the actor's grants).
ALLOWED = {"danvan.core", "danvan.audit", "danvan.accounts", "danvan.units"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(UNITS_DIR.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The absolute names *path* imports, relative imports resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            found.add(target)
            # `from danvan import cases` names the app in the alias, not the module.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _danvan_apps(names: set[str]) -> set[str]:
    return {".".join(n.split(".")[:2]) for n in names if n.startswith("danvan.")}


def _units_imports() -> dict[str, set[str]]:
    return {
        str(path.relative_to(UNITS_DIR)): _danvan_apps(_imports(path))
        for path in sorted(UNITS_DIR.rglob("*.py"))
    }


def test_the_walk_sees_relative_and_absolute_imports() -> None:
    # A walk that found nothing would pass the real test below without checking.
    by_module = _units_imports()
    assert "danvan.accounts" in by_module["services.py"]  # from danvan.accounts import …
    assert "danvan.units" in by_module["services.py"]  # from . import …, from .models …


def test_units_imports_no_area_app() -> None:
    project_apps = {c.name for c in apps.get_app_configs() if c.name.startswith("danvan.")}
    areas = project_apps - ALLOWED
    named = {
        "danvan.cases",
        "danvan.consultation",
        "danvan.democracy",
        "danvan.disclosure",
        "danvan.movement",
        "danvan.supervision",
        "danvan.portal",
        "danvan.dashboard",
        "danvan.api",
        "danvan.worklist",
        "danvan.demo",
    }
    assert named <= areas  # every area app is installed, so the check covers it
    upward = {
        module: sorted(imported & areas)
        for module, imported in _units_imports().items()
        if imported & areas
    }
    assert upward == {}
