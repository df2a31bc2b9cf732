#!/usr/bin/env python3
"""Fuzz the generator with many mutated models and print what happened.

The mutations and checks are those of ``tests/fuzz/test_hostile_models.py`` (issue 5,
"Hostile and broken models"); the test runs about a hundred examples, this script as
many as asked and, instead of stopping at the first failure, counts every outcome and
groups the failures::

    .venv/bin/python scripts/fuzz_models.py --examples 2000
    .venv/bin/python scripts/fuzz_models.py --examples 300 --kinds inject recursion --seed 7
    .venv/bin/python scripts/fuzz_models.py --examples 200 --fmt-every 20 --cli 10

Every mutated model must either be refused with one-line problems naming the file and
a JSON path, or generate a package that compiles, imports and builds a ``Client``,
with no injected text turned into code. Exit status: 0 with no failures, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
for p in (REPO / "runtime", REPO):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def _load_fuzz_module() -> Any:
    path = REPO / "tests" / "fuzz" / "test_hostile_models.py"
    spec = importlib.util.spec_from_file_location("awsgen_fuzz_models", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    fz = _load_fuzz_module()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=2000, help="mutated models to try (default 2000)")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random, printed)")
    parser.add_argument("--kinds", nargs="*", choices=sorted(fz.MUTATORS), default=None,
                        help="mutation kinds to draw from (default: all)")
    parser.add_argument("--bases", nargs="*", choices=sorted(fz.BASES), default=list(fz.MAIN_BASES),
                        help="models to start from (default: %(default)s)")
    parser.add_argument("--max-mutations", type=int, default=3, help="mutations per model (1..N)")
    parser.add_argument("--fmt-every", type=int, default=0,
                        help="run black (fmt=True) on every Nth example (slow; default never)")
    parser.add_argument("--cli", type=int, default=0,
                        help="also run this many mutated small models through `python -m generator generate`")
    parser.add_argument("--call", action="store_true",
                        help="beyond the contract: also call every method of each generated client "
                             "(required arguments None, a canned 200 {} reply)")
    parser.add_argument("--show", type=int, default=2, help="examples printed per failure group")
    args = parser.parse_args(argv)

    from hypothesis import HealthCheck, Phase, given, seed, settings

    seed_value = args.seed if args.seed is not None else random.randrange(2**32)
    kinds = tuple(args.kinds or fz.ALL_KINDS)
    counts: collections.Counter[str] = collections.Counter()
    per_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    groups: dict[tuple[str, str], list[Any]] = collections.defaultdict(list)
    n = 0
    started = time.monotonic()

    def record(case: Any, result: str, failure: Any = None) -> None:
        counts[result] += 1
        for kind in {s.split(":", 1)[0] for s in case.steps}:
            per_kind[kind][result] += 1
        if failure is not None:
            groups[(failure.kind, failure.where or failure.detail.splitlines()[0][:80])].append(failure)

    def one(case: Any, *, cli: bool = False) -> None:
        nonlocal n
        n += 1
        fz.reset_canaries()
        try:
            if cli:
                result = fz.run_cli_case(case)
            else:
                result = fz.run_case(case, fmt=bool(args.fmt_every) and n % args.fmt_every == 0,
                                     calls=args.call).result
            record(case, {"unsupported": "error"}.get(result, result))
        except fz.FuzzFailure as failure:
            record(case, "failure", failure)
        except Exception as exc:  # noqa: BLE001 - a bug in the fuzzer itself, still counted
            record(case, "failure", fz.FuzzFailure("harness", f"{type(exc).__name__}: {exc}", case,
                                                   where=type(exc).__name__))
        if n % 100 == 0:
            print(f"  ... {n} mutations, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    common: dict[str, Any] = dict(deadline=None, database=None, derandomize=False, phases=[Phase.generate],
                                  suppress_health_check=list(HealthCheck), print_blob=False)

    @seed(seed_value)
    @settings(max_examples=args.examples, **common)
    @given(case=fz.cases(kinds=kinds, bases=tuple(args.bases), max_mutations=args.max_mutations))
    def explore(case: Any) -> None:
        one(case)

    @seed(seed_value + 1)
    @settings(max_examples=max(args.cli, 1), **common)
    @given(case=fz.cases(kinds=kinds, bases=fz.MINI_BASES, max_mutations=args.max_mutations))
    def explore_cli(case: Any) -> None:
        one(case, cli=True)

    print(f"seed {seed_value}; kinds {', '.join(kinds)}; bases {', '.join(args.bases)}", file=sys.stderr)
    explore()
    if args.cli:
        explore_cli()
    elapsed = time.monotonic() - started
    failures = counts["failure"]

    print(f"mutations: {n}, errors reported: {counts['error']}, generated and imported: {counts['generated']}, "
          f"failures: {failures}")
    print(f"({elapsed:.0f} s, seed {seed_value})")
    print("\nby mutation kind (a model may have several):")
    for kind in sorted(per_kind):
        c = per_kind[kind]
        print(f"  {kind:17} {sum(c.values()):5}  errors {c['error']:5}  generated {c['generated']:5}  "
              f"failures {c['failure']:5}")
    if groups:
        print(f"\nfailures in {len(groups)} group(s):")
        for (kind, where), items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print(f"\n=== [{kind}] {where}  x{len(items)}")
            for failure in sorted(items, key=lambda f: len(repr(f.case)))[: args.show]:
                print("  " + repr(failure.case).replace("\n", "\n  "))
                print("    " + failure.detail.replace("\n", "\n    "))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
