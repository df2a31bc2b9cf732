"""Endpoint resolution: compiled rule sets against botocore's resolver, in one run.

For each service the same parameters go to three resolvers:

* ``compiled``: our generated ``resolve_endpoint`` (no cache, nothing interpreted);
* ``botocore``: ``EndpointRulesetResolver.construct_endpoint``, the per-call path of
  a botocore client (builds the parameters, then hits its LRU cache when they
  repeat, as here);
* ``botocore uncached``: the rule-set interpreter alone, what botocore pays on a
  cache miss (new region, bucket or endpoint).

The parameters are the ones botocore itself derives for the call, so both sides
resolve exactly the same thing; the URLs are compared before timing.

Run: ``PYTHONPATH=runtime:. python benchmarks/endpoints_bench.py``
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "runtime")]

import botocore.session  # noqa: E402

from generator.botocore_source import data_dir, service_model_dir  # noqa: E402
from generator.endpoints_compiler import compile_ruleset  # noqa: E402

# (label, service, operation, call arguments, client region)
CALLS: list[tuple[str, str, str, dict[str, Any], str]] = [
    (
        "s3 GetObject, virtual-host bucket",
        "s3",
        "GetObject",
        {"Bucket": "my-bucket", "Key": "k"},
        "us-west-2",
    ),
    (
        "s3 GetObject, access point ARN",
        "s3",
        "GetObject",
        {"Bucket": "arn:aws:s3:us-west-2:123456789012:accesspoint:ap", "Key": "k"},
        "us-west-2",
    ),
    ("dynamodb ListTables", "dynamodb", "ListTables", {}, "us-east-1"),
    (
        "connectparticipant GetTranscript",
        "connectparticipant",
        "GetTranscript",
        {"ConnectionToken": "t"},
        "eu-west-2",
    ),
]


def median_us(
    func: Callable[[], object], number: int = 2000, repeat: int = 15
) -> float:
    """Median over ``repeat`` runs of the mean time of one call, in microseconds."""
    runs = timeit.repeat(func, number=number, repeat=repeat)
    return statistics.median(runs) / number * 1e6


def import_compiled(service: str, workdir: Path) -> tuple[Any, float]:
    """Write the compiled module like a generated package would have it; import it."""
    import importlib.util
    import py_compile

    ruleset_path = service_model_dir(service) / "endpoint-rule-set-1.json"
    partitions = json.loads((data_dir() / "partitions.json").read_text())
    source = compile_ruleset(
        json.loads(ruleset_path.read_text()), partitions, origin=service
    )
    name = f"bench_endpoints_{service.replace('-', '_')}"
    path = workdir / f"{name}.py"
    path.write_text(source)
    py_compile.compile(
        str(path), cfile=importlib.util.cache_from_source(str(path))
    )  # as pip would
    start = time.perf_counter()
    module = importlib.import_module(name)
    return module, (time.perf_counter() - start) * 1e3


def main() -> None:
    session = botocore.session.get_session()
    with tempfile.TemporaryDirectory(prefix="awsgen-endpoints-bench-") as tmp:
        sys.path.insert(0, tmp)
        run(session, Path(tmp))


def run(session: Any, workdir: Path) -> None:
    modules: dict[str, Any] = {}
    import_ms: dict[str, float] = {}
    import awsgen_runtime.endpoints  # noqa: F401  (shared by all modules; timed apart)

    print(
        f"{'median µs per resolve':<38} {'compiled':>9} {'botocore':>9} {'uncached':>9}"
    )
    for label, service, operation, call_args, region in CALLS:
        if service not in modules:
            modules[service], import_ms[service] = import_compiled(service, workdir)
        resolve = modules[service].resolve_endpoint
        client = session.create_client(
            service,
            region_name=region,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        resolver = client._ruleset_resolver  # the client's EndpointRulesetResolver
        op_model = client.meta.service_model.operation_model(operation)
        params = resolver._get_provider_params(op_model, call_args, {})
        ruleset = resolver._provider.ruleset

        ours = resolve(params).url
        theirs = resolver.construct_endpoint(op_model, call_args, {}).url
        if ours != theirs:
            raise SystemExit(
                f"{service} {operation}: compiled gave {ours}, botocore {theirs}"
            )

        compiled = median_us(lambda: resolve(params))
        cached = median_us(lambda: resolver.construct_endpoint(op_model, call_args, {}))
        uncached = median_us(lambda: ruleset.evaluate(dict(params)), number=500)
        print(f"{label:<38} {compiled:>9.2f} {cached:>9.2f} {uncached:>9.2f}")
    print(
        "import of the compiled module from .pyc: "
        + ", ".join(f"{s} {ms:.2f} ms" for s, ms in import_ms.items())
    )


if __name__ == "__main__":
    main()
