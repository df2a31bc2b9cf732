"""``python -m generator diff`` over two botocore releases, every service, with figures
and a sample of breaking changes shown beside the JSON they come from, for checking
the classification by hand.

    .venv/bin/python scripts/api_diff_history.py [--old 1.43.0] [--new 1.43.67] [--sample 10]
                                                 [--json changes.json]

Each release's sdist is downloaded once into the project's cache (generator/botocore_source.py).
Prints the services compared and changed, the changes per category and per kind, then the
sample: one breaking change of each kind first, the rest drawn at random (fixed seed), each
with the old and new model text at its path.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.diff import Change, botocore_data, diff_paths, model_files  # noqa: E402
from generator.load import load_document  # noqa: E402


def _at(doc: Any, path: str) -> Any:
    """The model text a change's path names: operation members are looked up in the
    operation's input or output shape, with its ``required`` list beside them."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")] if path else []
    if len(parts) >= 3 and parts[0] == "operations" and parts[2] in ("input", "output"):
        op = doc["operations"].get(parts[1]) or {}
        shape_name = (op.get(parts[2]) or {}).get("shape")
        if shape_name is None:
            return op.get(parts[2])
        parts = ["shapes", shape_name, *parts[3:]]
    node: Any = doc
    for i, part in enumerate(parts):
        if part == "enum" and isinstance(node, dict):
            return {"enum contains": parts[i + 1] in node.get("enum", ())} if i + 1 < len(parts) else node.get("enum")
        if part == "members" and isinstance(node, dict) and i + 1 < len(parts):
            name = parts[i + 1]
            member = (node.get("members") or {}).get(name)
            if member is None:
                return None
            target = doc["shapes"].get(member["shape"], {})
            brief = {k: v for k, v in target.items() if k not in ("documentation", "members")}
            return {**{k: v for k, v in member.items() if k != "documentation"}, "required": name in node.get(
                "required", ()), "target": brief}
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):
        node = {k: (v if k != "members" else sorted(v)) for k, v in node.items() if k != "documentation"}
    return node


def _sample(breaking: list[Change], size: int) -> list[Change]:
    """One change of each breaking kind, then random ones (fixed seed) up to ``size``."""
    chosen: list[Change] = []
    for kind in sorted({c.kind for c in breaking}):
        chosen.append(next(c for c in breaking if c.kind == kind))
    rest = [c for c in breaking if c not in chosen]
    random.Random(67).shuffle(rest)
    return (chosen + rest)[:max(size, len(chosen))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", default="1.43.0")
    parser.add_argument("--new", default="1.43.67")
    parser.add_argument("--sample", type=int, default=10, help="breaking changes to show with their JSON")
    parser.add_argument("--json", help="write every change here as JSON")
    args = parser.parse_args()
    started = time.monotonic()
    old_dir, new_dir = botocore_data([args.old, args.new])
    changes, problems, compared = diff_paths(old_dir, new_dir)
    took = time.monotonic() - started
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps([c.as_dict() for c in changes], indent=1) + "\n")
    categories = Counter(c.category for c in changes)
    changed = {c.service for c in changes}
    print(f"botocore {args.old} -> {args.new}: {compared} services compared, {len(changed)} changed, "
          f"{len(problems)} problem(s), {took:.0f} s")
    print(f"changes: {categories['breaking']} breaking, {categories['compatible']} compatible, "
          f"{categories['documentation']} documentation-only")
    print(f"services with a breaking change: {len({c.service for c in changes if c.breaking})}")
    print("\nper kind:")
    for (kind, category), count in sorted(Counter((c.kind, c.category) for c in changes).items(),
                                          key=lambda item: (-item[1], item[0])):
        print(f"  {count:6}  {kind} ({category})")
    olds, _ = model_files(old_dir)
    news, _ = model_files(new_dir)
    print("\nsample of breaking changes, with the model text at their path (old, then new):")
    for c in _sample([c for c in changes if c.breaking], args.sample):
        print(f"\n- {c.service}: {c.kind} {c.path}\n  {c.detail}")
        for side, files in (("old", olds), ("new", news)):
            found = _at(load_document(files[c.service]), c.path) if c.service in files else "(no such service)"
            print(f"  {side}: {json.dumps(found)[:600]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
