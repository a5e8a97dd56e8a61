"""Which Chromium the browser tests drive: Debian's package where it is installed, else Playwright's own build.

Debian's ``chromium`` is what runs where ``playwright install`` cannot download (no internet but package
registries). Ubuntu's ``chromium`` packages only launch the snap, which Playwright cannot drive (no snapd in a
container; elsewhere the snap's confinement refuses the profile folder Playwright makes), so there ``.ci/setup``
runs ``playwright install --with-deps chromium`` and a launcher that hands over to the snap is passed by.

``python -m tests.browser.chromium`` prints the path chosen, or why there is none (exit status 1): ``.ci/setup``
asks it, so the rule lives here only.
"""

from __future__ import annotations

import sys
from pathlib import Path

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
SETUP_HINT = "Ejecute `bash .ci/setup` (instala el Chromium de Debian o, en Ubuntu, el de Playwright)."


class ChromiumMissing(Exception):
    """Neither Debian's Chromium nor Playwright's is installed; the message says what to run."""


def hands_over_to_snap(path: Path) -> bool:
    """Ubuntu's stub: a link into /snap, or a small launcher script that executes /snap/bin/chromium."""
    if path.resolve().parts[1:2] == ("snap",):
        return True
    with path.open("rb") as launcher:
        head = launcher.read(64 * 1024)
    return head.startswith(b"#!") and b"/snap/" in head


def usable(path: Path) -> bool:
    return path.is_file() and not hands_over_to_snap(path)


def chromium_executable(bundled: Path, system: Path | None = None) -> Path:
    """``system`` (default: Debian's package) if it is a real Chromium, else ``bundled`` (Playwright's) if installed."""
    system = system or SYSTEM_CHROMIUM
    if usable(system):
        return system
    if bundled.is_file():
        return bundled
    stub = " (el de Ubuntu solo abre el snap, que Playwright no puede manejar)" if system.exists() else ""
    raise ChromiumMissing(
        f"Falta Chromium para las pruebas de navegador: ni {system}{stub} ni el de Playwright ({bundled}). "
        + SETUP_HINT
    )


def bundled_chromium() -> Path:
    """Where Playwright keeps its own Chromium build (whether or not it was downloaded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return Path(playwright.chromium.executable_path)


def main() -> int:
    try:
        print(chromium_executable(bundled_chromium()))
    except ChromiumMissing as missing:
        print(missing, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
