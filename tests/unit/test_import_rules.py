"""The arrows of the layout point down, read from the sources (nothing is imported here).

``knowledge`` imports neither ``bot`` nor ``handlers`` nor aiogram; its pure cores load no
database code; the modules of ``bot``, ``handlers`` and ``knowledge`` (a package's
``__init__`` is a module) import each other in no loop; ``handlers`` use only the
Telegram basics of ``bot``.

The loops are looked for in what runs when a module loads: its imports at module level,
not those in functions or under ``if TYPE_CHECKING``. ``import a.b.c`` and ``from a.b.c
import name`` run ``a``, ``a.b`` and ``a.b.c``; ``from a.b import c`` runs ``a.b.c`` too
when that is a module. A module's own packages are loading already when it runs, so an
import does not run them again (unless it takes names from one).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[2]
PACKAGES: Final = ("bot", "handlers", "knowledge")
FRAMEWORK: Final = ("aiogram", "bot", "handlers")
DATABASE: Final = ("sqlalchemy", "aiosqlite", "asyncpg", "knowledge.db")
PURE_CORES: Final = (
    "knowledge.text", "knowledge.matching", "knowledge.calendar", "knowledge.policy",
    "knowledge.model",
)
BOT_FOR_HANDLERS: Final = (
    "bot.texts", "bot.notify", "bot.channels.telegram.render", "bot.channels.telegram.replies",
)


@dataclass(frozen=True, slots=True)
class Import:
    """One imported module of one statement: ``from a.b import c`` imports ``a.b.c`` when
    that is a module, else ``a.b``; ``import a.b`` imports ``a.b``."""

    importer: str
    path: str  # the importer's file, relative to the root
    line: int
    statement: str  # as written
    module: str  # what it imports, relative names resolved
    runs: bool  # at module level, outside ``if TYPE_CHECKING``: runs when the importer loads

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.importer}: `{self.statement}`"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _module_files() -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            files[_module_name(path)] = path
    return files


def _is_module(name: str) -> bool:
    return name in _module_files()


def _is_package(name: str) -> bool:
    return _module_files()[name].name == "__init__.py"


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _statements(nodes: Iterable[ast.AST], runs: bool) -> Iterator[tuple[ast.stmt, bool]]:
    """Every import statement, and whether it runs when the module loads."""
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, runs
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _statements(ast.iter_child_nodes(node), False)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _statements(node.body, False)
            yield from _statements(node.orelse, runs)
        else:
            yield from _statements(ast.iter_child_nodes(node), runs)


def _base(importer: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = importer if _is_package(importer) else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


@cache
def imports_of(importer: str) -> tuple[Import, ...]:
    path = _module_files()[importer]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node, runs in _statements(tree.body, True):
        where = {"importer": importer, "path": str(path.relative_to(ROOT)),
                 "line": node.lineno, "statement": ast.unparse(node), "runs": runs}
        if isinstance(node, ast.Import):
            found += [Import(module=alias.name, **where) for alias in node.names]
            continue
        base = _base(importer, node)
        modules = {f"{base}.{alias.name}" for alias in node.names
                   if _is_module(f"{base}.{alias.name}")}
        found += [Import(module=m, **where) for m in sorted(modules)]
        if len(modules) < len(node.names):  # names defined in ``base`` itself
            found.append(Import(module=base, **where))
    return tuple(found)


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def loads(item: Import) -> list[str]:
    """The project's modules an import runs: the module and the packages above it, but
    not the importer's own packages (they are loading already when the importer runs)."""
    loading = {*_ancestors(item.importer), item.importer}
    above = [name for name in _ancestors(item.module) if name not in loading]
    return [name for name in (*above, item.module)
            if _is_module(name) and name != item.importer]


@cache
def _graph() -> dict[str, dict[str, Import]]:
    """module -> {module it runs on loading: the import that does}."""
    return {
        module: {target: item for item in imports_of(module) if item.runs
                 for target in loads(item)}
        for module in _module_files()
    }


def _strongly_connected(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """Tarjan's components of more than one module, or of one that imports itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(start: str) -> None:  # iterative: the graph is deeper than it is wide
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return components


def _describe(component: list[str], graph: dict[str, dict[str, Import]]) -> str:
    members = set(component)
    edges = [str(graph[m][t]) + f" (runs {t})"
             for m in component for t in sorted(graph[m]) if t in members]
    return "import loop among " + ", ".join(component) + ":\n    " + "\n    ".join(edges)


def _modules_in(prefixes: Iterable[str]) -> list[str]:
    return [m for m in _module_files() if _within(m, prefixes)]


def test_the_domain_imports_no_framework_bot_or_handlers() -> None:
    offences = [f"{item} imports {item.module}"
                for module in _modules_in(["knowledge"]) for item in imports_of(module)
                if _within(item.module, FRAMEWORK)]
    assert not offences, "knowledge/ must not import aiogram, bot or handlers:\n" + "\n".join(
        offences)


def test_the_pure_cores_load_no_database_code() -> None:
    """Neither directly nor through the project's modules they load."""
    graph = _graph()
    offences = []
    for module in _modules_in(PURE_CORES):
        for item in imports_of(module):
            if _within(item.module, DATABASE):
                offences.append(f"{item} imports {item.module}")
            elif item.runs:
                offences += [f"{item}, which loads " + " -> ".join(chain)
                             for chain in map(partial(_path_to_database, graph), loads(item))
                             if chain]
    assert not offences, "the pure cores must not import database code:\n" + "\n".join(
        offences)


def _path_to_database(graph: dict[str, dict[str, Import]], start: str) -> list[str]:
    """The chain of loads from ``start`` to a database import, or []."""
    seen = {start}
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        for item in imports_of(path[-1]):
            if item.runs and _within(item.module, DATABASE):
                return [*path, item.module]
        for target in sorted(graph[path[-1]]):
            if target not in seen:
                seen.add(target)
                paths.append([*path, target])
    return []


def test_there_is_no_import_loop() -> None:
    graph = _graph()
    loops = [_describe(component, graph) for component in _strongly_connected(graph)]
    assert not loops, "\n".join(loops)


def test_handlers_use_only_the_telegram_basics_of_the_bot() -> None:
    offences = [f"{item} imports {item.module}"
                for module in _modules_in(["handlers"]) for item in imports_of(module)
                if _within(item.module, ["bot"])
                and not _within(item.module, BOT_FOR_HANDLERS)]
    assert not offences, (
        "handlers/ may import from bot only " + ", ".join(BOT_FOR_HANDLERS) + ":\n"
        + "\n".join(offences))
