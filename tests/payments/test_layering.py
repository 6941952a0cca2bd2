"""`payments` sits above `commerce`: nothing in commerce imports payments (the order status
route that moves money is served by `payments.router`), and payments never imports a router
of another module."""

from __future__ import annotations

import ast
from pathlib import Path

import haat

SRC = Path(haat.__file__).parent


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((SRC / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
        found[str(path.relative_to(SRC))] = names
    return found


def test_commerce_never_imports_payments() -> None:
    offending = {
        path: sorted(n for n in names if n.startswith("haat.payments"))
        for path, names in imported_modules("commerce").items()
    }
    assert {p: n for p, n in offending.items() if n} == {}


def test_payments_imports_no_other_router() -> None:
    offending = {
        path: sorted(
            n for n in names if n.endswith(".router") and not n.startswith("haat.payments")
        )
        for path, names in imported_modules("payments").items()
    }
    assert {p: n for p, n in offending.items() if n} == {}
