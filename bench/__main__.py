"""`python -m bench` lists the benchmark scripts, or runs one: `python -m bench store_bench --count 20000`."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def scripts() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(
        module.name
        for module in pkgutil.iter_modules([str(here)])
        if module.name.endswith("_bench") or module.name == "synthetic"
    )


def main(argv: list[str]) -> int:
    available = scripts()
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m bench SCRIPT [ARGS...]   (each script's --help tells more)\n")
        for name in available:
            doc = (importlib.import_module(f"bench.{name}").__doc__ or "").strip().splitlines()
            print(f"  {name:<20} {doc[0] if doc else ''}")
        return 0
    name, rest = argv[0].removesuffix(".py"), argv[1:]
    if name not in available:
        print(f"python -m bench: no benchmark named {name!r}; choose from {', '.join(available)}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{name}")
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
