"""Which Chromium the browser tests launch (no browser started: the paths are files made here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import chromium
from tests.browser.chromium import ChromiumMissing, chromium_executable

DEBIAN_LAUNCHER = b'#!/bin/sh\n# Chromium launcher\nLIBDIR=/usr/lib/$APPNAME\nexec $LIBDIR/$APPNAME "$@"\n'
# What Ubuntu's chromium-browser package installs in place of a browser.
UBUNTU_STUB = (
    b'#!/bin/sh\nif ! [ -x /snap/bin/chromium ]; then\n  echo "requires the chromium snap" >&2\nfi\n'
    b'exec /snap/bin/chromium "$@"\n'
)
ELF = b"\x7fELF\x02\x01\x01" + b"/snap/ is only bytes inside a binary" + bytes(64)


def file(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("system_content", [DEBIAN_LAUNCHER, ELF], ids=["launcher script", "binary"])
def test_debian_chromium_is_chosen_when_present(tmp_path: Path, system_content: bytes) -> None:
    system = file(tmp_path, "usr/bin/chromium", system_content)
    bundled = file(tmp_path, "ms-playwright/chrome", ELF)
    assert system == chromium_executable(bundled=bundled, system=system)


def test_debian_chromium_is_chosen_without_playwright_build(tmp_path: Path) -> None:
    system = file(tmp_path, "usr/bin/chromium", DEBIAN_LAUNCHER)
    assert system == chromium_executable(bundled=tmp_path / "ms-playwright/chrome", system=system)


def test_playwright_build_is_chosen_without_debian_chromium(tmp_path: Path) -> None:
    bundled = file(tmp_path, "ms-playwright/chrome", ELF)
    assert bundled == chromium_executable(bundled=bundled, system=tmp_path / "usr/bin/chromium")


def test_ubuntu_snap_stub_is_passed_by(tmp_path: Path) -> None:
    system = file(tmp_path, "usr/bin/chromium", UBUNTU_STUB)
    bundled = file(tmp_path, "ms-playwright/chrome", ELF)
    assert bundled == chromium_executable(bundled=bundled, system=system)


def test_a_link_into_snap_is_a_stub(tmp_path: Path) -> None:
    link = tmp_path / "chromium"
    link.symlink_to("/snap/bin/chromium")
    assert chromium.hands_over_to_snap(link)


def test_a_folder_is_not_a_chromium(tmp_path: Path) -> None:
    system = tmp_path / "usr/bin/chromium"
    system.mkdir(parents=True)
    with pytest.raises(ChromiumMissing):
        chromium_executable(bundled=tmp_path / "ms-playwright/chrome", system=system)


def test_neither_says_both_paths_and_what_to_run(tmp_path: Path) -> None:
    system, bundled = tmp_path / "usr/bin/chromium", tmp_path / "ms-playwright/chrome"
    with pytest.raises(ChromiumMissing) as missing:
        chromium_executable(bundled=bundled, system=system)
    expected = (
        f"Falta Chromium para las pruebas de navegador: ni {system} ni el de Playwright ({bundled}). "
        "Ejecute `bash .ci/setup` (instala el Chromium de Debian o, en Ubuntu, el de Playwright)."
    )
    assert expected == str(missing.value)


def test_only_a_stub_says_why_it_was_passed_by(tmp_path: Path) -> None:
    system = file(tmp_path, "usr/bin/chromium", UBUNTU_STUB)
    with pytest.raises(ChromiumMissing, match=r"el de Ubuntu solo abre el snap"):
        chromium_executable(bundled=tmp_path / "ms-playwright/chrome", system=system)


def test_the_command_prints_the_choice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What .ci/setup asks: the path on stdout, exit status 0."""
    monkeypatch.setattr(chromium, "SYSTEM_CHROMIUM", file(tmp_path, "usr/bin/chromium", DEBIAN_LAUNCHER))
    monkeypatch.setattr(chromium, "bundled_chromium", lambda: tmp_path / "ms-playwright/chrome")
    assert chromium.main() == 0
    assert (f"{tmp_path / 'usr/bin/chromium'}\n", "") == capsys.readouterr()


def test_the_command_fails_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(chromium, "SYSTEM_CHROMIUM", tmp_path / "usr/bin/chromium")
    monkeypatch.setattr(chromium, "bundled_chromium", lambda: tmp_path / "ms-playwright/chrome")
    assert chromium.main() == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith("Falta Chromium para las pruebas de navegador: ni ")


def test_playwright_says_where_its_own_build_goes() -> None:
    bundled = chromium.bundled_chromium()
    assert "ms-playwright" in bundled.parts
    assert bundled.name in {"chrome", "chromium"}
