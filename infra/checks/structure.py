"""The structure check of `make lint`: long files, long functions, cross-context reaches, import circles.

    .venv/bin/python infra/checks/structure.py            # report, then fail on anything new or grown
    .venv/bin/python infra/checks/structure.py --update   # rewrite the baseline to today's figures

Limits (issue 17): a hand-written file is at most FILE_LIMIT lines, a Python function at most
FUNCTION_LIMIT. A context imports another context only through its `facade` (or `contracts`)
module; `common` is shared by all, and tests may reach anywhere. Within a context, modules import
each other without circles (a circle is found whether the import is at module level or inside a
function: a function-level import is how a circle hides).

What exceeds a limit today is listed in `structure-baseline.json` with its size. The check fails
when a file or function not in the baseline exceeds its limit, when a baselined one grows, or when
a reach or circle appears that the baseline does not hold. So the list can only shrink: split a
module, then run `--update` to take it off. A function may also carry a reason on its `def` line
(`# long: <why>`), which exempts it.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).with_name("structure-baseline.json")
FILE_LIMIT = 600
FUNCTION_LIMIT = 80
ROOTS = ("backend", "frontend/src", "bench", "infra", "tests")
SUFFIXES = (".py", ".ts", ".tsx", ".mjs")
GENERATED = ("/migrations/", "frontend/src/api/schema.d.ts")
SKIP_DIRS = {"node_modules", ".venv", "dist", "artifacts", "__pycache__"}
SHARED = {"common"}
ENTRY_MODULES = {"facade", "contracts", "demo"}  # demo: the seed command composes every context's demo world
# Contexts that compose every other one (ADR 0017, "demo"): the demo seed builds each context's rows
# through its services, as the context's own demo module does, so its imports are not reaches.
COMPOSERS = {"demo"}
# The shared kernel (ADR 0017): who is asking and for which organization. Every context's requests,
# tenancy and foreign keys name these; they are imported like `common`, by name and no others.
KERNEL = {
    "shuxuan.parties.models": {"User", "Organization", "OrganizationKind", "Role", "Platform"},
}


def source_files() -> list[Path]:
    files = []
    for root in ROOTS:
        for path in (REPO / root).rglob("*"):
            rel = path.relative_to(REPO).as_posix()
            if (
                path.suffix in SUFFIXES
                and path.is_file()
                and not SKIP_DIRS.intersection(path.parts)
                and not any(g in rel for g in GENERATED)
                and not path.name.startswith("artifacts")
            ):
                files.append(path)
    return sorted(files)


def line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def long_functions(path: Path) -> dict[str, int]:
    """Python functions over the limit, as `file::qualified.name` → lines (reasoned ones left out)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found: dict[str, int] = {}

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    length = (child.end_lineno or child.lineno) - child.lineno + 1
                    first = child.decorator_list[0].lineno if child.decorator_list else child.lineno
                    reasoned = any("# long:" in lines[i - 1] for i in range(first, child.lineno + 1))
                    if length > FUNCTION_LIMIT and not reasoned:
                        found[f"{path.relative_to(REPO).as_posix()}::{name}"] = length
                walk(child, f"{name}.")

    walk(ast.parse(text), "")
    return found


def _context_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "shuxuan" else None


def context_imports() -> list[tuple[str, str, int]]:
    """Every `shuxuan.*` import in the backend's hand-written modules: (importer, imported, line)."""
    found = []
    base = REPO / "backend"
    for path in sorted((base / "shuxuan").rglob("*.py")):
        rel = path.relative_to(base)
        if "migrations" in rel.parts:
            continue
        module = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    target = f"{anchor}.{node.module}" if node.module else anchor
                else:
                    target = node.module or ""
                for alias in node.names:
                    name = f"{target}.{alias.name}"
                    if _is_module(name):
                        found.append((module, name, node.lineno))
                    elif alias.name in KERNEL.get(target, ()):
                        found.append((module, name, node.lineno))  # a kernel name keeps its name
                    else:
                        found.append((module, target, node.lineno))
            elif isinstance(node, ast.Import):
                found.extend((module, alias.name, node.lineno) for alias in node.names)
    return [(a, b, line) for a, b, line in found if b.startswith("shuxuan.")]


def _is_module(dotted: str) -> bool:
    parts = dotted.split(".")
    path = REPO / "backend" / Path(*parts)
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _is_test(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or "testing" in parts or parts[-1].startswith("test")


def facade_reaches(imports: list[tuple[str, str, int]]) -> dict[str, int]:
    """Imports of another context's module other than its facade: `importer -> imported` → count."""
    reaches: dict[str, int] = defaultdict(int)
    for importer, imported, _line in imports:
        source, target = _context_of(importer), _context_of(imported)
        if not source or not target or source == target or target in SHARED or source in COMPOSERS or _is_test(importer):
            continue
        rest = imported.split(".")[2:]
        if not rest or rest[0] in ENTRY_MODULES:
            continue
        module, _, name = imported.rpartition(".")
        if name in KERNEL.get(module, ()):
            continue
        reaches[f"{importer} -> {'.'.join(imported.split('.')[:3])}"] += 1
    return dict(reaches)


def circles(imports: list[tuple[str, str, int]]) -> list[str]:
    """Import circles between modules of one context (strongly connected components of two or more)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for importer, imported, _line in imports:
        if _is_test(importer) or _context_of(importer) != _context_of(imported):
            continue
        target = ".".join(imported.split(".")[:3])
        source = ".".join(importer.split(".")[:3])
        if source != target:
            graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[str] = []
    counter = [0]

    def connect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(" <-> ".join(sorted(component)))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(found)


def measure() -> dict[str, object]:
    files = {p.relative_to(REPO).as_posix(): line_count(p) for p in source_files()}
    functions: dict[str, int] = {}
    for path in source_files():
        if path.suffix == ".py":
            functions.update(long_functions(path))
    imports = context_imports()
    return {
        "files": {k: v for k, v in sorted(files.items()) if v > FILE_LIMIT},
        "functions": dict(sorted(functions.items())),
        "reaches": dict(sorted(facade_reaches(imports).items())),
        "circles": circles(imports),
        "_all_files": files,
    }


def report(now: dict[str, object]) -> None:
    all_files: dict[str, int] = now["_all_files"]  # type: ignore[assignment]
    over_500 = sorted(((n, f) for f, n in all_files.items() if n > 500), reverse=True)
    over_800 = sum(n > 800 for n, _ in over_500)
    print(f"structure: {len(all_files)} hand-written files; {len(over_500)} over 500 lines, {over_800} over 800")
    for n, f in over_500[:10]:
        print(f"  {n:5d}  {f}")
    functions: dict[str, int] = now["functions"]  # type: ignore[assignment]
    print(f"structure: {len(functions)} Python functions over {FUNCTION_LIMIT} lines")
    for name, n in sorted(functions.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {n:5d}  {name}")
    reaches: dict[str, int] = now["reaches"]  # type: ignore[assignment]
    print(f"structure: {len(reaches)} cross-context imports around a facade ({sum(reaches.values())} names)")
    for circle in now["circles"]:  # type: ignore[attr-defined]
        print(f"structure: circle {circle}")


def compare(now: dict[str, object], baseline: dict[str, object]) -> list[str]:
    problems = []
    for kind, limit in (("files", FILE_LIMIT), ("functions", FUNCTION_LIMIT)):
        allowed: dict[str, int] = baseline.get(kind, {})  # type: ignore[assignment]
        for name, n in now[kind].items():  # type: ignore[attr-defined]
            if name not in allowed:
                problems.append(f"{name}: {n} lines, over the limit of {limit} (split it, or give the reason)")
            elif n > allowed[name]:
                problems.append(f"{name}: grew from {allowed[name]} to {n} lines; it is over the limit of {limit}")
    allowed_reaches: dict[str, int] = baseline.get("reaches", {})  # type: ignore[assignment]
    for name in now["reaches"]:  # type: ignore[attr-defined]
        if name not in allowed_reaches:
            problems.append(f"{name}: imports another context around its facade (use or extend the facade)")
    allowed_circles = set(baseline.get("circles", []))  # type: ignore[arg-type]
    for circle in now["circles"]:  # type: ignore[attr-defined]
        if circle not in allowed_circles:
            problems.append(f"import circle {circle}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write today's figures as the baseline")
    args = parser.parse_args()
    now = measure()
    report(now)
    if args.update:
        kept = {k: v for k, v in now.items() if not k.startswith("_")}
        BASELINE.write_text(json.dumps(kept, indent=1, ensure_ascii=False) + "\n")
        print(f"structure: baseline written to {BASELINE.relative_to(REPO)}")
        return 0
    problems = compare(now, json.loads(BASELINE.read_text()))
    for problem in problems:
        print(f"structure: FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
