"""axe-core (vendored, labour/browser_tests/vendor/axe-core) run in a page by the tests.

Only the tests inject it, through the DevTools protocol (page.evaluate), so it is never
served by the platform and a Content-Security-Policy does not stand in its way."""

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2 AA checks the pages are held to (issue 7 items 3 and 14)
RULES = ["color-contrast", "label", "button-name", "link-name", "image-alt", "duplicate-id"]


@cache
def _source():
    return AXE.read_text(encoding="utf-8")


def violations(page, rules=RULES):
    """The violations of `rules` on the page as it is now: ["rule: selector — summary"]."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    found = page.evaluate(
        """(rules) => axe.run(document, {runOnly: {type: "rule", values: rules},
                                          resultTypes: ["violations"]})
             .then(r => r.violations.map(v => v.nodes.map(n =>
                 v.id + ": " + n.target.join(" ") + " — " +
                 (n.failureSummary || "").replace(/\\s+/g, " "))).flat())""", rules)
    return found
