"""Figures, not a test: how many bytes the channel form page costs a browser.

Runs the production configuration (DEBUG off, static files collected under
hashed names and compressed), fetches the channel form with a company chosen,
then every stylesheet and script the page links, asking for compressed bodies
as a browser does. HTML is counted gzipped, as the reverse proxy in front of
the app sends it (README, "Running in production").

Run from the repository root:

    .venv/bin/python tests/benchmarks/bench_page_weight.py
"""

from __future__ import annotations

import gzip
import re

from benchkit import Figure, configure_django, expect_status, prepared_app, report

BUDGET_KB = 80.0
YEAR_SECONDS = 365 * 24 * 3600
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|svg)$")


def figures() -> list[Figure]:
    configure_django("weight")
    _user, sandbox, browser = prepared_app(token="any", environment="sandbox")
    page = browser.get("/channels/new/", {"connection": sandbox.pk})
    expect_status(page, 200)
    html = page.content
    sizes = {"HTML (gzip)": len(gzip.compress(html, 6))}
    problems = []
    links = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    for link in sorted({link.decode() for link in links}):
        asset = browser.get(link, headers={"Accept-Encoding": "br, gzip"})
        expect_status(asset, 200)
        body = b"".join(asset.streaming_content)
        sizes[f"{link.rsplit('/', 1)[-1]} ({asset.get('Content-Encoding', 'raw')})"] = (
            len(body)
        )
        max_age = re.search(r"max-age=(\d+)", asset.get("Cache-Control", ""))
        if not HASHED.search(link) or not max_age or int(max_age[1]) < YEAR_SECONDS:
            problems.append(link)

    for name, size in sizes.items():
        print(f"  {name:<48} {size / 1024:7.1f} KB")
    if problems:
        print(f"  not hashed or not cached for a year: {', '.join(problems)}")
    total_kb = sum(sizes.values()) / 1024
    return [
        Figure(
            "channel form page, compressed total",
            total_kb,
            "budget",
            BUDGET_KB,
            "KB",
            "<= 1.00x, hashed, cached 1 year",
            total_kb <= BUDGET_KB and not problems,
        )
    ]


if __name__ == "__main__":
    report("Page weight", figures())
