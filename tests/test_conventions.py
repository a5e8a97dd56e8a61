"""Conventions no single feature test would notice."""

import ast
import re
from pathlib import Path

from core.db import PROJECT_ROOT

# core's layers, lowest first (DESIGN.md §2). A module may import its own package and anything in a lower layer.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset(
        {"core.models", "core.refusals", "core.formatting", "core.tables", "core.db", "core.audit", "core.backup"}
    ),
    frozenset({"core.access", "core.excel"}),
    frozenset({"core.plan"}),
    frozenset({"core.metrics"}),
    frozenset({"core.participation"}),
    frozenset({"core.adoption"}),
    frozenset({"core.uploads"}),
    frozenset({"core.charts", "core.communication"}),
    frozenset({"core.views"}),
    frozenset({"core.demo"}),
    frozenset({"core.cli"}),
    frozenset({"core.__main__"}),
)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, in full (``from core import db`` -> ``core.db``), wherever the import is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def top_level(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported_modules(path)}


def core_modules() -> dict[str, Path]:
    root = PROJECT_ROOT / "core"
    return {
        ".".join(("core", *path.relative_to(root).with_suffix("").parts)).removesuffix(".__init__"): path
        for path in root.rglob("*.py")
    }


def component(module: str) -> str:
    """The unit a layer holds: a package of core (``core.metrics``) or a foundation module (``core.db``)."""
    return ".".join(module.split(".")[:2])


def layer_of(module: str) -> int:
    return next(index for index, layer in enumerate(LAYERS) if component(module) in layer)


def core_imports() -> dict[str, set[str]]:
    modules = core_modules()
    return {name: {m for m in imported_modules(path) if m in modules and m != name} for name, path in modules.items()}


def test_core_never_imports_streamlit() -> None:
    offenders = [name for name, path in core_modules().items() if "streamlit" in top_level(path)]
    assert offenders == []


def test_every_core_module_has_a_layer() -> None:
    unplaced = [
        name for name in core_modules() if name != "core" and not any(component(name) in layer for layer in LAYERS)
    ]
    assert unplaced == []


def test_core_imports_go_down_the_layers() -> None:
    upward = [
        f"{name} -> {target}"
        for name, targets in core_imports().items()
        if name != "core"
        for target in targets
        if target != "core"
        and component(target) != component(name)
        and layer_of(target) >= layer_of(name)
        and not (layer_of(name) == 0 and layer_of(target) == 0)
    ]
    assert upward == []


def test_core_has_no_import_cycle() -> None:
    graph = core_imports()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, set())):
            if target.startswith(name + ".") or name.startswith(target + "."):
                continue  # a package and its own modules
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_cycle_check_sees_a_cycle(tmp_path: Path) -> None:
    """The check above would pass vacuously if it read nothing: here it is shown one cycle through a local import."""
    (tmp_path / "a.py").write_text("from core.uploads import b\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from core.uploads import a\n", encoding="utf-8")
    assert "core.uploads.b" in imported_modules(tmp_path / "a.py")
    assert "core.uploads.a" in imported_modules(tmp_path / "b.py")


def test_pages_hold_no_sql_and_ui_does_not_import_pages() -> None:
    for page in (PROJECT_ROOT / "pages").glob("*.py"):
        assert not {"sqlalchemy", "sqlmodel"} & top_level(page), page.name
    for module in (PROJECT_ROOT / "ui").glob("*.py"):
        assert "pages" not in top_level(module), module.name


def test_no_page_opens_a_transaction() -> None:
    """Pages write through ``ui.state.write`` (one transaction, the user named, a refusal shown in Spanish)."""
    offenders = [
        page.name
        for page in (PROJECT_ROOT / "pages").glob("*.py")
        if {"core.db", "core.db.transaction"} & imported_modules(page)
        or re.search(r"\btransaction\(", page.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_only_write_and_the_login_bookkeeping_open_transactions_in_ui() -> None:
    opening = {
        path.name
        for path in (PROJECT_ROOT / "ui").glob("*.py")
        if "db.transaction(" in path.read_text(encoding="utf-8")
    }
    assert opening == {"state.py", "access.py"}


def test_the_transaction_check_sees_one(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("from core import db\nwith db.transaction(engine()) as session:\n    pass\n", encoding="utf-8")
    assert "core.db" in imported_modules(page)


def test_every_page_is_routed() -> None:
    app = (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")
    routed = set(re.findall(r'st\.Page\("(pages/[^"]+)"', app))
    on_disk = {f"pages/{p.name}" for p in (PROJECT_ROOT / "pages").glob("*.py")}
    assert routed == on_disk


def test_no_page_uses_unsafe_html() -> None:
    for path in [*PROJECT_ROOT.glob("pages/*.py"), *PROJECT_ROOT.glob("ui/*.py"), PROJECT_ROOT / "app.py"]:
        assert "unsafe_allow_html=True" not in path.read_text(encoding="utf-8"), path.name


def test_every_page_declares_its_role_and_restricted_pages_check_it_themselves() -> None:
    """app.py says who opens each page; a restricted page repeats the check (a hidden page is not protected)."""
    app = (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")
    declared = re.findall(r'\((PUBLIC|LOGGED_OUT|COORDINATOR|ADMIN), st\.Page\("(pages/[^"]+)"', app)
    assert len(declared) == len(re.findall(r"st\.Page\(", app))
    for role, page in declared:
        source = (PROJECT_ROOT / page).read_text(encoding="utf-8")
        checks = re.findall(r"^require_role\((\w+)\)$", source, flags=re.MULTILINE)
        assert checks == ([role] if role in ("COORDINATOR", "ADMIN") else []), page


def test_only_the_login_cookie_runs_javascript_in_the_page() -> None:
    """st.html(unsafe_allow_javascript=True) runs in the app's own document: one use, with our fixed script."""
    sources = [*PROJECT_ROOT.glob("pages/*.py"), *PROJECT_ROOT.glob("ui/*.py"), PROJECT_ROOT / "app.py"]
    users = {path.name: path.read_text(encoding="utf-8").count("unsafe_allow_javascript=True") for path in sources}
    assert {name: count for name, count in users.items() if count} == {"access.py": 1}
    assert "session_cookie.request_script(" in (PROJECT_ROOT / "ui" / "access.py").read_text(encoding="utf-8")
