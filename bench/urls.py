"""Write every public URL that answers 200 on the running server to bench/urls.txt (weighted mix)."""

from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from tests.urlwalk import candidate_values, public_routes, reverse_all  # noqa: E402


def answers(base: str, path: str) -> bool:
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            # Redirects (the favicon) are followed by urllib; wrk would count them as non-200.
            return response.status == 200 and response.geturl() == base + path
    except OSError:
        return False


def main() -> None:
    base = sys.argv[1].rstrip("/")
    per_route = int(os.environ.get("URLS_PER_ROUTE", "40"))
    candidates = candidate_values()
    lines = []
    for route in public_routes():
        if route.name == "healthz":
            continue
        paths = reverse_all(route, candidates, limit=2000)
        if "search" in route.name:
            paths = [
                f"{path}?q={word}" for path in paths for word in ("budget", "treaty", "minister", "export")
            ]
        found = []
        for path in paths:
            if len(found) == per_route:
                break
            if answers(base, path):
                found.append(path)
        print(f"{route.name}: {len(found)} URLs", file=sys.stderr)
        # Listings weigh as much as the detail pages of their kind together.
        lines += found * (per_route if len(found) == 1 else 1)
    (ROOT / "bench" / "urls.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
