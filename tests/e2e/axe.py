"""axe-core for the browser tests: downloaded from the npm registry, pinned and checked
against its published integrity, cached in .cache/ (gitignored). The app's CSP (`default-src
'self'`) refuses inline scripts, so the source is evaluated through Playwright (the DevTools
protocol), not injected as a <script> element: the page under test keeps its real CSP."""
from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import urllib.request
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
AXE_INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
CACHE = Path(__file__).resolve().parents[2] / ".cache"


def _check_integrity(data: bytes) -> None:
    algorithm, _, expected = AXE_INTEGRITY.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise RuntimeError(f"{AXE_URL}: integrity mismatch ({algorithm}-{actual}), refusing to use it")


def load_axe_source() -> str:
    """The text of axe.min.js, downloaded once from the npm registry into .cache/."""
    cached = CACHE / f"axe-core-{AXE_VERSION}.min.js"
    if not cached.exists():
        with urllib.request.urlopen(AXE_URL, timeout=60) as response:
            tarball = response.read()
        _check_integrity(tarball)
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            member = archive.extractfile("package/axe.min.js")
            assert member is not None
            with member:
                source = member.read()
        CACHE.mkdir(exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(source)
        partial.replace(cached)
    return cached.read_text(encoding="utf-8")


def axe_violations(page, axe_source: str) -> list[dict]:
    """Serious and critical violations on the page as it is now (WCAG 2.x A and AA rules)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    results = page.evaluate("""async () => {
        const result = await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
            resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(" ") + " — " + n.failureSummary)}));
    }""")
    return [v for v in results if v["impact"] in ("serious", "critical")]


def report(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
                     for v in violations)
