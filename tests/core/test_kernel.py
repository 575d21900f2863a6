"""The kernel sits below the stages and the engines (DESIGN.md "How data flows"): it imports
nothing above ``partnerships`` and ``audit``, lazy imports included, and the apps above register
into it."""

from __future__ import annotations

import ast
from pathlib import Path

from core.panels import panels

ROOT = Path(__file__).resolve().parents[2]
ABOVE = (
    "cases",
    "rapidreview",
    "cspr",
    "actions",
    "reporting",
    "notifications",
    "deadlines",
    "signoffs",
    "config",
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_kernel_imports_nothing_above_partnerships():
    offenders = [
        f"{p.relative_to(ROOT)} imports {name}"
        for p in sorted((ROOT / "core").rglob("*.py"))
        for name in sorted(_imports(p))
        if name.split(".")[0] in ABOVE
    ]
    assert offenders == []


def test_engines_never_import_a_stage_for_the_case_door_or_panels():
    for app in ("deadlines", "notifications"):
        for p in (ROOT / app).rglob("*.py"):
            assert not {n for n in _imports(p) if n.split(".")[0] == "cases"}, p.relative_to(ROOT)


def test_stages_and_engines_register_their_case_panels_in_order():
    keys = [p.key for p in panels()]
    assert keys.index("referral") < keys.index("deadlines")
