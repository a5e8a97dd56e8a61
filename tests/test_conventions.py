"""Conventions no single feature test would notice."""

import ast
import re
from pathlib import Path

from core.db import PROJECT_ROOT


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit() -> None:
    offenders = [p.name for p in (PROJECT_ROOT / "core").glob("*.py") if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_pages_hold_no_sql_and_ui_does_not_import_pages() -> None:
    for page in (PROJECT_ROOT / "pages").glob("*.py"):
        assert not {"sqlalchemy", "sqlmodel"} & imported_modules(page), page.name
    for module in (PROJECT_ROOT / "ui").glob("*.py"):
        assert "pages" not in imported_modules(module), module.name


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
