"""The structure check (`infra/checks/structure.py`) fails on what it is meant to catch."""

from __future__ import annotations

from infra.checks import structure


def test_a_new_long_file_or_function_fails_and_a_baselined_one_may_not_grow() -> None:
    baseline = {"files": {"a.py": 700}, "functions": {"a.py::f": 90}, "reaches": {}, "circles": []}
    same = {"files": {"a.py": 700}, "functions": {"a.py::f": 90}, "reaches": {}, "circles": []}
    assert structure.compare(same, baseline) == []
    shrunk = {"files": {"a.py": 650}, "functions": {}, "reaches": {}, "circles": []}
    assert structure.compare(shrunk, baseline) == []
    worse = {"files": {"a.py": 701, "b.py": 601}, "functions": {"a.py::f": 90, "b.py::g": 81}, "reaches": {}, "circles": []}
    problems = structure.compare(worse, baseline)
    assert any("a.py: grew from 700 to 701" in p for p in problems)
    assert any(p.startswith("b.py: 601 lines") for p in problems)
    assert any(p.startswith("b.py::g: 81 lines") for p in problems)
    assert len(problems) == 3


def test_a_reach_around_a_facade_is_found_and_the_facade_and_common_are_not() -> None:
    imports = [
        ("shuxuan.selection.services", "shuxuan.catalog.models", 3),
        ("shuxuan.selection.services", "shuxuan.catalog.facade", 4),
        ("shuxuan.selection.services", "shuxuan.common.money", 5),
        ("shuxuan.selection.tests.test_x", "shuxuan.catalog.models", 6),
        ("shuxuan.selection.apis", "shuxuan.selection.models", 7),
    ]
    assert structure.facade_reaches(imports) == {"shuxuan.selection.services -> shuxuan.catalog.models": 1}
    problems = structure.compare(
        {"files": {}, "functions": {}, "reaches": structure.facade_reaches(imports), "circles": []},
        {"files": {}, "functions": {}, "reaches": {}, "circles": []},
    )
    assert len(problems) == 1
    assert problems[0].startswith("shuxuan.selection.services -> shuxuan.catalog.models: imports another context")


def test_an_import_circle_inside_a_context_is_found() -> None:
    imports = [
        ("shuxuan.settlement.runs", "shuxuan.settlement.payouts", 1),
        ("shuxuan.settlement.payouts", "shuxuan.settlement.statements", 2),
        ("shuxuan.settlement.statements", "shuxuan.settlement.runs", 3),
        ("shuxuan.settlement.apis", "shuxuan.settlement.runs", 4),
        ("shuxuan.ledger.services", "shuxuan.ledger.models", 5),
    ]
    circle = "shuxuan.settlement.payouts <-> shuxuan.settlement.runs <-> shuxuan.settlement.statements"
    assert structure.circles(imports) == [circle]
    assert structure.circles(imports[1:]) == []


def test_the_repository_is_within_its_baseline() -> None:
    now = structure.measure()
    baseline = structure.json.loads(structure.BASELINE.read_text())
    assert structure.compare(now, baseline) == []
    assert "backend/manage.py" in now["_all_files"] and len(now["_all_files"]) > 300  # it sees the whole tree


def test_the_kernel_names_of_parties_are_shared_and_its_other_models_are_not() -> None:
    imports = [
        ("shuxuan.orders.apis", "shuxuan.parties.models.User", 3),
        ("shuxuan.orders.apis", "shuxuan.parties.models.Organization", 3),
        ("shuxuan.orders.apis", "shuxuan.parties.models", 3),  # a name outside the kernel (say, Anchor)
    ]
    assert structure.facade_reaches(imports) == {"shuxuan.orders.apis -> shuxuan.parties.models": 1}
