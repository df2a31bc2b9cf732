"""Per call, in process, no network: generated client beside boto3/botocore.

Both clients get a canned HTTP response in place of the network, and everything else
runs as in production:

* generated client: a ``transport=`` object whose ``send`` returns the canned
  ``HttpResponse`` (validation, serialization, signing, retry bookkeeping, error
  check and parsing all run);
* boto3: a ``before-send`` handler on the client's event system returns an
  ``AWSResponse`` with the canned body, which is where botocore would otherwise call
  urllib3. Parameter validation, serialization, endpoint resolution, signing, the
  retry handler and parsing all run (``botocore.stub.Stubber`` would skip most of it).

Like is compared with like: unsigned with unsigned (``anonymous=True`` beside
``Config(signature_version=UNSIGNED)``), SigV4-signed with signed. Neither client is
given an ``endpoint_url``, so each resolves its default endpoint as it normally does.

Figures: median over blocks of the mean time per call in each block; blocks of every
contender interleaved in one run. Target: generated >= 20x faster than botocore
(>= 10x for the 100-item DynamoDB Query, whose ``json.loads`` alone is ~1/14 of
botocore's call; a row that reads the lazily parsed items is printed for information).

Run: ``.venv/bin/python benchmarks/per_call.py [--blocks 15] [--breakdown] [--profile]``
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as C  # noqa: E402

C.setup_path()
C.isolate_aws_env()

import boto3  # noqa: E402
import botocore  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402
from botocore.config import Config as BotoConfig  # noqa: E402
from urllib3 import HTTPHeaderDict  # noqa: E402

import aws_connectparticipant  # noqa: E402
import aws_dynamodb  # noqa: E402
from awsgen_runtime.transport import HttpRequest, HttpResponse  # noqa: E402

TARGET = 20.0


# ----- canned HTTP layers ----------------------------------------------------------------


class CannedTransport:
    """A generated-client transport that answers every request with one fixed response."""

    def __init__(self, body: bytes, headers: dict[str, str]) -> None:
        self.body = body
        self.headers = HTTPHeaderDict(headers)
        self.last: HttpRequest | None = None

    def send(self, request: HttpRequest, *, stream: bool = False) -> HttpResponse:
        self.last = request
        return HttpResponse(200, self.headers, self.body)


class _Raw:
    """What botocore reads an ``AWSResponse`` body from (a urllib3 response in production)."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        return iter((self._body,))

    def read(self, amt: int | None = None, **_: Any) -> bytes:
        """For streaming outputs (botocore's StreamingBody reads the raw response)."""
        body = self._body
        if amt is None or amt >= len(body):
            self._body = b""
            return body
        self._body = body[amt:]
        return body[:amt]


def canned_boto(client: Any, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    """Answer every request of a boto3 client with a fixed response, just before the wire."""
    seen: dict[str, Any] = {}
    header_dict = HTTPHeaderDict(headers)

    def before_send(request: Any, **_: Any) -> AWSResponse:
        seen["request"] = request
        return AWSResponse(request.url, 200, header_dict, _Raw(body))

    client.meta.events.register("before-send", before_send)
    return seen


# ----- the clients ---------------------------------------------------------------------------


def cpc_clients(signed: bool) -> tuple[Any, Any, CannedTransport, dict[str, Any]]:
    transport = CannedTransport(C.CPC_BODY, C.CPC_HEADERS)
    if signed:
        ours = aws_connectparticipant.Client(
            region=C.REGION,
            credentials=aws_connectparticipant.Credentials(C.ACCESS_KEY, C.SECRET_KEY),
            anonymous=False,
            transport=transport,
        )
        boto = boto3.client(
            "connectparticipant",
            region_name=C.REGION,
            aws_access_key_id=C.ACCESS_KEY,
            aws_secret_access_key=C.SECRET_KEY,
        )
    else:
        ours = aws_connectparticipant.Client(region=C.REGION, anonymous=True, transport=transport)
        boto = boto3.client(
            "connectparticipant",
            region_name=C.REGION,
            config=BotoConfig(signature_version=botocore.UNSIGNED),
        )
    seen = canned_boto(boto, C.CPC_BODY, C.CPC_HEADERS)
    return ours, boto, transport, seen


def ddb_clients(
    body: bytes = C.DDB_BODY, headers: dict[str, str] = C.DDB_HEADERS
) -> tuple[Any, Any, CannedTransport, dict[str, Any]]:
    transport = CannedTransport(body, headers)
    ours = aws_dynamodb.Client(
        region=C.REGION,
        credentials=aws_dynamodb.Credentials(C.ACCESS_KEY, C.SECRET_KEY),
        transport=transport,
    )
    boto = boto3.client(
        "dynamodb",
        region_name=C.REGION,
        aws_access_key_id=C.ACCESS_KEY,
        aws_secret_access_key=C.SECRET_KEY,
    )
    seen = canned_boto(boto, body, headers)
    return ours, boto, transport, seen


def check_same(name: str, ours_req: HttpRequest, boto_req: Any, signed: bool) -> None:
    """Both clients must have put the same request on the wire (modulo agent/date/signature)."""
    ours_h = {k.lower(): v for k, v in ours_req.headers.items()}
    boto_h = {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in boto_req.headers.items()}
    raw_body: Any = boto_req.body
    body_b = raw_body if isinstance(raw_body, bytes) else (raw_body or "").encode()
    import json

    problems = []
    if ours_req.method != boto_req.method:
        problems.append(f"method {ours_req.method} != {boto_req.method}")
    if ours_req.url.split("?")[0] != boto_req.url.split("?")[0]:
        problems.append(f"url {ours_req.url} != {boto_req.url}")
    if json.loads(ours_req.body or b"{}") != json.loads(body_b or b"{}"):
        problems.append("JSON bodies differ")
    for h in ("content-type", "x-amz-target", "x-amz-bearer"):
        if ours_h.get(h) != boto_h.get(h):
            problems.append(f"header {h}: {ours_h.get(h)!r} != {boto_h.get(h)!r}")
    if ("authorization" in ours_h) != signed or ("authorization" in boto_h) != signed:
        problems.append(f"signed mismatch: ours {'authorization' in ours_h}, botocore {'authorization' in boto_h}")
    if problems:
        raise SystemExit(f"{name}: the two clients sent different requests: {problems}")


# ----- cases -----------------------------------------------------------------------------------


def build_cases() -> list[dict[str, Any]]:
    cases = []
    for signed in (False, True):
        ours, boto, transport, seen = cpc_clients(signed)

        def ours_call(ours: Any = ours) -> Any:
            return ours.create_participant_connection(participant_token=C.CPC_TOKEN, type=["WEBSOCKET", "CONNECTION_CREDENTIALS"])

        def boto_call(boto: Any = boto) -> Any:
            return boto.create_participant_connection(
                ParticipantToken=C.CPC_TOKEN, Type=["WEBSOCKET", "CONNECTION_CREDENTIALS"]
            )

        a, b = ours_call(), boto_call()
        assert a.websocket.url == b["Websocket"]["Url"], (a, b)
        assert a.connection_credentials.connection_token == b["ConnectionCredentials"]["ConnectionToken"]
        name = f"CreateParticipantConnection, {'SigV4-signed' if signed else 'unsigned'}"
        check_same(name, transport.last, seen["request"], signed)  # type: ignore[arg-type]
        cases.append({"name": name, "ours": ours_call, "boto": boto_call, "client": ours, "signed": signed})

    kwargs = C.generated_ddb_query_kwargs()
    # A typical-size answer (one item, nested maps and lists) beside the large one.
    s_ours, s_boto, s_transport, s_seen = ddb_clients(C.DDB_SMALL_BODY, C.DDB_SMALL_HEADERS)

    def small_ours() -> Any:
        return s_ours.query(**kwargs)

    def small_boto() -> Any:
        return s_boto.query(**C.DDB_QUERY)

    a, b = small_ours(), small_boto()
    assert a.count == b["Count"] == len(a.items) == C.DDB_SMALL_ITEMS
    name = f"DynamoDB Query, {C.DDB_SMALL_ITEMS} item ({len(C.DDB_SMALL_BODY)} bytes), SigV4-signed"
    check_same(name, s_transport.last, s_seen["request"], True)  # type: ignore[arg-type]
    cases.append({"name": name, "ours": small_ours, "boto": small_boto, "client": s_ours, "signed": True})

    ours, boto, transport, seen = ddb_clients()

    def ddb_ours() -> Any:
        return ours.query(**kwargs)

    def ddb_boto() -> Any:
        return boto.query(**C.DDB_QUERY)

    a, b = ddb_ours(), ddb_boto()
    assert a.count == b["Count"] == len(a.items) == C.DDB_ITEMS
    assert a.items[7]["blob"].b == b["Items"][7]["blob"]["B"]
    assert a.items[7]["lines"].l[1].m["sku"].s == b["Items"][7]["lines"]["L"][1]["M"]["sku"]["S"]
    assert a.items[7]["scores"].ns == b["Items"][7]["scores"]["NS"]
    name = f"DynamoDB Query, {C.DDB_ITEMS} items ({len(C.DDB_BODY) // 1024} KiB), SigV4-signed"
    check_same(name, transport.last, seen["request"], True)  # type: ignore[arg-type]
    # 10x: json.loads alone is ~1/14 of botocore's call on this answer (PERF_NOTES.md).
    cases.append({"name": name, "ours": ddb_ours, "boto": ddb_boto, "client": ours, "signed": True,
                  "target": 10.0})

    # The generated client parses members that hold DynamoDB's recursive AttributeValue
    # (Items, LastEvaluatedKey) on their first read. This row reads them, so it counts
    # the typed items being built: what a caller that uses the answer pays.
    def ddb_ours_read() -> Any:
        out = ours.query(**kwargs)
        return out.items, out.last_evaluated_key

    name = f"DynamoDB Query, {C.DDB_ITEMS} items, call + first read of the items"
    cases.append({"name": name, "ours": ddb_ours_read, "boto": ddb_boto, "client": ours, "signed": True,
                  "target": None})
    return cases


# ----- where the generated client spends its time ----------------------------------------------


def breakdown(blocks: int) -> None:
    """The generated call split into its stages, each timed alone on the same input."""
    from aws_connectparticipant import _serde as cpc_serde
    from aws_connectparticipant import shapes as cpc_shapes
    from aws_dynamodb import _serde as ddb_serde
    from aws_dynamodb import shapes as ddb_shapes

    import json

    print("\nwhere the generated client's time goes (each stage timed alone, median µs):")
    rows = []
    for signed in (False, True):
        ours, _, transport, _ = cpc_clients(signed)
        ours.create_participant_connection(participant_token=C.CPC_TOKEN, type=["WEBSOCKET"])
        v = cpc_shapes.CreateParticipantConnectionRequest(
            participant_token=C.CPC_TOKEN, type=["WEBSOCKET", "CONNECTION_CREDENTIALS"]
        )
        resp = HttpResponse(200, transport.headers, transport.body)
        op = aws_connectparticipant.client._OP_CreateParticipantConnection
        stages = [
            ("whole call", lambda: ours.create_participant_connection(participant_token=C.CPC_TOKEN, type=["WEBSOCKET", "CONNECTION_CREDENTIALS"])),
            ("build input shape", lambda: cpc_shapes.CreateParticipantConnectionRequest(participant_token=C.CPC_TOKEN, type=["WEBSOCKET", "CONNECTION_CREDENTIALS"])),
            ("validate", lambda: cpc_serde._val_CreateParticipantConnectionRequest(v, "", [])),
            ("serialize", lambda: cpc_serde.ser_CreateParticipantConnection(v)),
            ("_send (URL, sign, transport, retry)", lambda: ours._send(cpc_serde.ser_CreateParticipantConnection(v), op)),
            ("  of which serialize again", lambda: cpc_serde.ser_CreateParticipantConnection(v)),
            *([("  of which sign()", _sign_stage(ours, cpc_serde.ser_CreateParticipantConnection(v)))] if signed else []),
            ("parse (json.loads + shapes)", lambda: cpc_serde.de_CreateParticipantConnection(resp)),
            ("  of which json.loads alone", lambda: json.loads(transport.body)),
        ]
        label = f"CreateParticipantConnection, {'signed' if signed else 'unsigned'}"
        rows.extend(_stage_rows(label, stages, blocks))

    q_client, _, q_transport, _ = ddb_clients()
    kwargs = C.generated_ddb_query_kwargs()
    qv = ddb_shapes.QueryInput(**kwargs)
    q_resp = HttpResponse(200, q_transport.headers, q_transport.body)
    q_op = aws_dynamodb.client._OP_Query
    stages = [
        ("whole call", lambda: q_client.query(**kwargs)),
        ("build input shape", lambda: ddb_shapes.QueryInput(**kwargs)),
        ("validate", lambda: ddb_serde._val_QueryInput(qv, "", [])),
        ("serialize", lambda: ddb_serde.ser_Query(qv)),
        ("_send (URL, sign, transport, retry)", lambda: q_client._send(ddb_serde.ser_Query(qv), q_op)),
        ("  of which serialize again", lambda: ddb_serde.ser_Query(qv)),
        ("  of which sign()", _sign_stage(q_client, ddb_serde.ser_Query(qv))),
        ("parse (json.loads + shapes)", lambda: ddb_serde.de_Query(q_resp)),
        ("  of which json.loads alone", lambda: json.loads(q_transport.body)),
    ]
    rows.extend(_stage_rows("DynamoDB Query, 100 items", stages, blocks))
    C.table(rows, ["case / stage", "median µs", "share of call"])
    print("  (share: median of per-round ratios to the whole call; stages overlap as indented)")


def _sign_stage(client: Any, req: Any) -> Any:
    """SigV4 signing as ``BaseClient._send`` does it, on a fresh copy of the headers."""
    signer, creds, host, agent = client._signer, client._credentials, client._netloc, client._user_agent

    def sign() -> None:
        headers = dict(req.headers)
        headers["User-Agent"] = agent
        headers["Host"] = host
        signer.sign(req.method, req.path, req.query, headers, req.body, creds)

    return sign


def _stage_rows(label: str, stages: list[tuple[str, Any]], blocks: int) -> list[list[str]]:
    res = C.compare(stages, blocks=blocks, block_seconds=0.05)
    whole = res["whole call"]
    rows = [[label, "", ""]]
    for name, _ in stages:
        m = res[name]
        rows.append(["  " + name, C.fmt_us(m.median), f"{C.paired_ratio(m, whole):.0%}"])
    return rows


def profile(cases: list[dict[str, Any]]) -> None:
    for case in cases:
        prof = cProfile.Profile()
        fn = case["ours"]
        start = time.perf_counter()
        fn()
        calls = max(50, min(3000, int(0.2 / (time.perf_counter() - start))))
        prof.enable()
        for _ in range(calls):
            fn()
        prof.disable()
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime")
        stats.print_stats(14)
        print(f"\ncProfile, generated client, {case['name']} ({calls} calls, sorted by own time):")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--blocks", type=int, default=15, help="timed blocks per contender (default 15)")
    ap.add_argument("--block-seconds", type=float, default=0.08)
    ap.add_argument("--breakdown", action="store_true", help="also time each stage of a generated call")
    ap.add_argument("--profile", action="store_true", help="also print a cProfile of the generated calls")
    ap.add_argument("--no-pin", action="store_true", help="do not pin the process to one CPU")
    args = ap.parse_args()
    started = time.perf_counter()
    cpu = None if args.no_pin else C.pin_to_one_cpu()

    C.header("per call, in process, canned HTTP response (no network)")
    print(f"target: generated client >= {TARGET:.0f}x faster than botocore (10x on the 100-item Query). Times: median of "
          f"{args.blocks} block means, µs per call; ratio: median of the per-round ratios (blocks "
          f"interleaved); spread: IQR/median of the block means; "
          f"{'pinned to CPU ' + str(cpu) if cpu is not None else 'not pinned'}")
    cases = build_cases()
    rows = []
    all_met = True
    for case in cases:
        res = C.compare([("ours", case["ours"]), ("boto", case["boto"])],
                        blocks=args.blocks, block_seconds=args.block_seconds)
        ours, boto = res["ours"], res["boto"]
        ratio = C.paired_ratio(boto, ours)
        target = case.get("target", TARGET)
        if target is None:
            verdict = "(for information)"
        else:
            met = ratio >= target
            all_met &= met
            verdict = f"{C.verdict(met)} (>= {target:.0f}x)"
        rows.append([
            case["name"],
            C.fmt_us(ours.median),
            C.fmt_us(boto.median),
            f"{ratio:.1f}x",
            f"{ours.spread:.0%}/{boto.spread:.0%}",
            verdict,
        ])
    print()
    C.table(rows, ["operation", "generated µs", "botocore µs", "botocore/generated", "spread", "target"])
    print(f"\nper-call target overall: {C.verdict(all_met)}")
    if args.breakdown:
        breakdown(max(5, args.blocks // 2))
    if args.profile:
        profile(cases)
    print(f"\n(per_call.py took {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
