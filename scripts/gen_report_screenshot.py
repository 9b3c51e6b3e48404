"""Write docs/img/report.png: the top of `tokencalc report --gw 1`'s page in headless Chromium (1200 px wide).

Needs the report extra (plotly), playwright (pip install playwright) and the system's chromium
(apt-get install chromium); playwright's own browser download is not used. Run after a change to the page:

    python scripts/gen_report_screenshot.py
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "img" / "report.png"
WIDTH, HEIGHT = 1200, 1400


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(TARGET), help="where to write the PNG")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("gen_report_screenshot: no chromium on the PATH (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        page_path = Path(work) / "site.html"
        subprocess.run([sys.executable, "-m", "tokencalc", "report", "--gw", "1", "-o", str(page_path)], check=True,
                       stdout=subprocess.DEVNULL)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.route("**/*", lambda r: r.continue_() if r.request.url == page_path.as_uri() else r.abort())
            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_function("() => document.querySelectorAll('.plotly-graph-div .main-svg').length >= "
                                   "2 * document.querySelectorAll('.plotly-graph-div').length")
            page.screenshot(path=args.output)
            browser.close()
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
