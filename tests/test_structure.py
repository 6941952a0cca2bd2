"""The structure rules of docs/architecture.md, checked on the source (no app is started).

Each rule runs per domain folder, so a failure names the domain and the lines to mend:
- SQL (statements, builders, session calls that reach the database) only in repositories
  and the core database plumbing;
- a table is written only by its own domain (its repository, or the state machine its domain
  declares), with the checkout's one-statement write as the one declared exception;
- a status column moves only through `haat.core.state_machine`;
- a repository is imported only by its own domain;
- no code file over 400 lines, no function over 80 lines.
Import layering and cycles are import-linter contracts (``[tool.importlinter]`` in
pyproject.toml), run by the last test here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "haat"
# Folders outside the rules: generated migrations.
EXEMPT_DIRS = {"migrations"}
# The core database plumbing may hold SQL, as may every repository module.
PLUMBING = {"core/db.py", "core/repository.py"}
# Statement builders and driver calls that make SQL.
SQL_BUILDERS = {
    "select",
    "insert",
    "update",
    "delete",
    "text",
    "union_all",
    "pg_insert",
    "sqlite_insert",
    "exists",
}
SESSION_CALLS = {
    "execute",
    "scalars",
    "scalar",
    "stream",
    "get",
    "add",
    "add_all",
    "flush",
    "refresh",
    "merge",
    "connection",
    "begin_nested",
    "exec_driver_sql",
}
SESSION_NAMES = {"session", "conn", "connection", "s", "sync_session"}
# The only write of another domain's table: the checkout's single PostgreSQL statement takes
# stock (catalog's products) while it inserts the orders (see commerce/repository/checkout.py).
DECLARED_FOREIGN_WRITES = {("commerce/repository/checkout.py", "products")}
# ... for which it runs the catalogue's own stock UPDATE as one of its CTEs.
DECLARED_REPOSITORY_IMPORTS = {("commerce/repository/checkout.py", "haat.catalog.repository.stock")}
LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80


@dataclass(frozen=True)
class Source:
    rel: str  # path under src/haat
    tree: ast.Module
    lines: int

    @property
    def domain(self) -> str:
        return self.rel.split("/", 1)[0] if "/" in self.rel else "-"

    @property
    def is_repository(self) -> bool:
        return "repository" in self.rel or self.rel in PLUMBING


@cache
def sources() -> tuple[Source, ...]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.split("/", 1)[0] in EXEMPT_DIRS:
            continue
        text = path.read_text(encoding="utf-8")
        found.append(Source(rel, ast.parse(text), text.count("\n")))
    return tuple(found)


@cache
def table_owners() -> dict[str, tuple[str, str]]:
    """``{model class name: (domain, table name)}`` from every models module."""
    owners: dict[str, tuple[str, str]] = {}
    for source in sources():
        for node in source.tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if (
                    isinstance(item, ast.Assign)
                    and any(getattr(t, "id", None) == "__tablename__" for t in item.targets)
                    and isinstance(item.value, ast.Constant)
                ):
                    owners[node.name] = (source.domain, str(item.value.value))
    return owners


def domains() -> list[str]:
    return sorted({s.domain for s in sources()})


def _called_name(call: ast.Call) -> tuple[str | None, str | None]:
    """``(receiver name, function name)`` of a call: ``session.execute`` -> ("session",
    "execute"), ``select`` -> (None, "select")."""
    fn = call.func
    if isinstance(fn, ast.Name):
        return None, fn.id
    if isinstance(fn, ast.Attribute):
        receiver = fn.value
        if isinstance(receiver, ast.Attribute):
            # self.session.execute is the database; request.session.get is the cookie.
            owner = getattr(receiver.value, "id", None)
            return (receiver.attr if owner == "self" else f"{owner}.{receiver.attr}"), fn.attr
        return getattr(receiver, "id", None), fn.attr
    return None, None


def sql_outside_repositories(domain: str) -> Iterator[str]:
    for source in sources():
        if source.domain != domain or source.is_repository:
            continue
        for node in ast.walk(source.tree):
            if isinstance(node, ast.Call):
                receiver, name = _called_name(node)
                builder = receiver is None and name in SQL_BUILDERS
                on_session = receiver in SESSION_NAMES and name in SESSION_CALLS
                if builder or on_session:
                    shown = f"{receiver}.{name}" if receiver else name
                    yield f"{source.rel}:{node.lineno} {shown}(...)"
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                for alias in node.names:
                    if alias.name in SQL_BUILDERS:
                        yield f"{source.rel}:{node.lineno} imports sqlalchemy's {alias.name}"


def _model_names(source: Source) -> dict[str, str]:
    """Local names in ``source`` that stand for a model class (imported or aliased through
    `table_of`), mapped to the class name."""
    owners = table_owners()
    names = {name: name for name in owners}
    for node in ast.walk(source.tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in owners and alias.asname:
                    names[alias.asname] = alias.name
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            _, called = _called_name(node.value)
            args = node.value.args
            if called == "table_of" and args and isinstance(args[0], ast.Name):
                model = names.get(args[0].id)
                for target in node.targets:
                    for element in ast.walk(target):
                        if isinstance(element, ast.Name) and model:
                            names[element.id] = model
    return names


def foreign_writes(domain: str) -> Iterator[str]:
    """Statements and new rows of a table of another domain, written in ``domain``."""
    owners = table_owners()
    for source in sources():
        if source.domain != domain or source.rel in PLUMBING:
            continue
        names = _model_names(source)
        for node in ast.walk(source.tree):
            if not isinstance(node, ast.Call):
                continue
            _, called = _called_name(node)
            targets: list[str] = []
            if called in {"insert", "update", "delete", "pg_insert", "sqlite_insert"}:
                targets = [a.id for a in node.args[:1] if isinstance(a, ast.Name)]
            elif isinstance(node.func, ast.Name) and node.func.id in owners:
                targets = [node.func.id]  # a new row: Model(...)
            elif called == "StateMachine":
                targets = [
                    kw.value.id
                    for kw in node.keywords
                    if kw.arg == "model" and isinstance(kw.value, ast.Name)
                ]
            for target in targets:
                model = names.get(target)
                if model is None:
                    continue
                owner, table = owners[model]
                if owner != domain and (source.rel, table) not in DECLARED_FOREIGN_WRITES:
                    yield f"{source.rel}:{node.lineno} writes {table} (owned by {owner})"


def status_assignments(domain: str) -> Iterator[str]:
    """A status column set anywhere but `haat.core.state_machine`."""
    owners = table_owners()
    for source in sources():
        if source.domain != domain or source.rel == "core/state_machine.py":
            continue
        for node in ast.walk(source.tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = [e for t in node.targets for e in ast.walk(t)]
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    yield f"{source.rel}:{node.lineno} assigns .status"
            if not isinstance(node, ast.Call):
                continue
            _, called = _called_name(node)
            keywords = {kw.arg for kw in node.keywords}
            if called in owners and "status" in keywords:
                yield f"{source.rel}:{node.lineno} creates a {called} with a status"
            if called == "values" and "status" in keywords:
                yield f"{source.rel}:{node.lineno} sets status in an UPDATE"
            if called == "values" and any(
                isinstance(a, ast.Dict)
                and any(isinstance(k, ast.Constant) and k.value == "status" for k in a.keys)
                for a in node.args
            ):
                yield f"{source.rel}:{node.lineno} sets status in an UPDATE"
            if (
                called == "setattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "status"
            ):
                yield f"{source.rel}:{node.lineno} setattr(..., 'status')"


def repository_imports(domain: str) -> Iterator[str]:
    """Imports of another domain's repository (go through its service)."""
    for source in sources():
        if source.domain != domain:
            continue
        for node in ast.walk(source.tree):
            modules: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            for module in modules:
                parts = module.split(".")
                if (
                    len(parts) > 2
                    and parts[0] == "haat"
                    and parts[2] == "repository"
                    and parts[1] not in (domain, "core")
                    and (source.rel, ".".join(parts[:4])) not in DECLARED_REPOSITORY_IMPORTS
                ):
                    yield f"{source.rel}:{node.lineno} imports {module}"


def sizes(domain: str) -> Iterator[str]:
    for source in sources():
        if source.domain != domain:
            continue
        if source.lines > MAX_FILE_LINES:
            yield f"{source.rel}: {source.lines} lines"
        for node in ast.walk(source.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    yield f"{source.rel}:{node.lineno} {node.name}: {length} lines"


@pytest.mark.parametrize("domain", domains())
def test_sql_only_in_repositories(domain: str) -> None:
    assert list(sql_outside_repositories(domain)) == []


@pytest.mark.parametrize("domain", domains())
def test_every_table_written_by_its_own_domain(domain: str) -> None:
    assert list(foreign_writes(domain)) == []


@pytest.mark.parametrize("domain", domains())
def test_statuses_move_only_through_the_state_machine(domain: str) -> None:
    assert list(status_assignments(domain)) == []


@pytest.mark.parametrize("domain", domains())
def test_repositories_are_private_to_their_domain(domain: str) -> None:
    assert list(repository_imports(domain)) == []


@pytest.mark.parametrize("domain", domains())
def test_small_files_and_functions(domain: str) -> None:
    assert list(sizes(domain)) == []


def test_the_checks_see_what_they_look_for() -> None:
    """The checks above find what they forbid (so that a green run means something)."""
    bad = ast.parse(
        "from sqlalchemy import select\n"
        "async def f(session):\n"
        "    order.status = 'paid'\n"
        "    await session.execute(update(Product).values(status='x'))\n"
    )
    source = Source("commerce/service.py", bad, 4)
    sources.cache_clear()
    try:
        original = sources()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys.modules[__name__], "sources", lambda: (*original, source))
            table_owners.cache_clear()
            outside = list(sql_outside_repositories("commerce"))
            assert any("service.py:4 session.execute" in x for x in outside)
            assert any("imports sqlalchemy's select" in x for x in outside)
            assert any("products" in x for x in foreign_writes("commerce"))
            found = list(status_assignments("commerce"))
            assert any(":3 assigns .status" in x for x in found)
            assert any(":4 sets status" in x for x in found)
    finally:
        table_owners.cache_clear()
        sources.cache_clear()


def test_import_layers_and_no_cycles() -> None:
    """import-linter's contracts (pyproject.toml): the domain layers, no import cycle between
    siblings at any depth, and the forbidden imports."""
    done = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=SRC.parent.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr
