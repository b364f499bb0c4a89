"""The shape of wiki/: imports at the top of modules only, and no import cycle between modules."""
import ast
from pathlib import Path

WIKI = Path(__file__).resolve().parent.parent / "wiki"


def module_name(path: Path) -> str:
    parts = path.relative_to(WIKI.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, tree: ast.Module, known: set[str]) -> set[str]:
    """The wiki modules a module imports at its top level (`from . import x` counts x when it is a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
    return {module for module in found if module in known and module != name}


def graph() -> dict[str, set[str]]:
    paths = sorted(WIKI.rglob("*.py"))
    known = {module_name(path) for path in paths}
    return {module_name(path): imported_modules(path, ast.parse(path.read_text()), known) for path in paths}


def test_no_import_inside_a_function():
    inside = []
    for path in sorted(WIKI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inside += [f"{path.relative_to(WIKI.parent)}:{child.lineno}" for child in ast.walk(node)
                           if isinstance(child, (ast.Import, ast.ImportFrom))]
    assert inside == []


def test_no_import_cycle_between_modules():
    edges, cycles = graph(), []
    # The package's own __init__ is the application factory: it imports every feature, none imports it.
    edges = {module: {m for m in targets if m != "wiki"} for module, targets in edges.items()}
    state: dict[str, str] = {}

    def visit(module: str, stack: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges[module]):
            if state.get(target) == "open":
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target, stack + [target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []
