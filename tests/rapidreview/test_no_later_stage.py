"""The rapid review never knows the stage after it (DESIGN.md "How a stage hands over"; issue 9).

Every non-migration module under ``rapidreview/`` is parsed with ``ast`` and fails this test if it:

* imports ``cspr`` (``import cspr…`` or ``from cspr… import …``);
* holds the string ``"cspr"`` (as an app label would be, e.g. ``apps.get_model("cspr", …)``) or a
  string starting with ``"cspr."`` (an audit code, a dotted path);
* uses the name ``PracticeReview`` anywhere (a name, an attribute, an import, a string);
* has a Python identifier named ``cspr`` (a variable, argument, keyword, attribute or function).

Two uses of the value ``"cspr"`` are allowed, because they are stored or published and renaming them
would change behaviour: the choice value of ``Vote.Question.PRACTICE_REVIEW`` in
``rapidreview/models/meeting.py`` (stored in the database: the vote on a child safeguarding practice
review) and the ``"cspr"`` key of the votes in the meeting API (``rapidreview/api_meeting.py``, a
published field). The form fields ``cspr_<agency id>`` are f-strings whose constant part is
``"cspr_"``, which none of the rules above matches. The outcome value ``"local_cspr"`` is the
partnership's own word for the decision, not the app, and is not matched either."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "rapidreview"
FORBIDDEN_NAME = "PracticeReview"


def modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def _allowed(relative: str, node: ast.Constant, parents: dict[ast.AST, ast.AST]) -> bool:
    """The two stored or published uses of the value "cspr" (see the module docstring)."""
    parent = parents.get(node)
    if relative == "models/meeting.py" and isinstance(parent, ast.Tuple):
        assign = parents.get(parent)
        return (
            isinstance(assign, ast.Assign)
            and parent.elts[0] is node
            and any(isinstance(t, ast.Name) and t.id == "PRACTICE_REVIEW" for t in assign.targets)
        )
    if relative == "api_meeting.py" and isinstance(parent, ast.Dict):
        return any(key is node for key in parent.keys)
    return False


def problems_in(path: Path, root: Path = ROOT) -> list[str]:
    relative = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: list[str] = []

    def report(node: ast.AST, what: str) -> None:
        found.append(f"rapidreview/{relative}:{getattr(node, 'lineno', '?')}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "cspr" or alias.name.startswith("cspr."):
                    report(node, f"imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if module == "cspr" or module.startswith("cspr."):
                report(node, f"imports from {module}")
            if any(alias.name == FORBIDDEN_NAME for alias in node.names):
                report(node, f"imports {FORBIDDEN_NAME}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
            if (value == "cspr" and not _allowed(relative, node, parents)) or value.startswith("cspr."):
                report(node, f"string {value!r}")
            if FORBIDDEN_NAME in value:
                report(node, f"string naming {FORBIDDEN_NAME}")
        elif isinstance(node, ast.Name) and node.id in (FORBIDDEN_NAME, "cspr"):
            report(node, f"name {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in (FORBIDDEN_NAME, "cspr"):
            report(node, f"attribute .{node.attr}")
        elif isinstance(node, ast.arg) and node.arg == "cspr":
            report(node, "argument cspr")
        elif isinstance(node, ast.keyword) and node.arg == "cspr":
            report(node, "keyword argument cspr=")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name in (
            "cspr",
            FORBIDDEN_NAME,
        ):
            report(node, f"definition {node.name}")
    return found


def test_the_rule_catches_what_it_is_meant_to(tmp_path):
    """The checker itself: each forbidden form is reported (so the real test can fail)."""
    sample = tmp_path / "sample.py"
    source = (
        "import cspr.models\n"
        "from cspr.models import PracticeReview\n"
        "from django.apps import apps\n"
        "model = apps.get_model('cspr', 'PracticeReview')\n"
        "code = 'cspr.review.opened'\n"
        "def f(cspr): return cspr\n"
    )
    sample.write_text(source)
    found = problems_in(sample, tmp_path)
    assert len(found) >= 7, found
    assert any("imports cspr.models" in p for p in found)
    assert any("'cspr.review.opened'" in p for p in found)
    assert any("string 'cspr'" in p for p in found)
    assert any("argument cspr" in p for p in found)


def test_no_module_under_rapidreview_names_the_later_stage():
    found = [problem for path in modules() for problem in problems_in(path)]
    assert modules(), "no modules found under rapidreview/"
    assert found == []


def test_the_rapid_review_registers_no_practice_review_stage():
    source = (ROOT / "registry.py").read_text()
    assert '"lcspr"' not in source and '"national_review"' not in source
