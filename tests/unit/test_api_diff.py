"""``python -m generator diff``: every kind of change between two small models, its path
and whether it breaks a caller; the text and JSON output; exit statuses; bad inputs."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from generator.cli import main
from generator.diff import Change, _accepts, diff_apis, diff_pair, load_api

REPO = Path(__file__).resolve().parents[2]

Files = dict[str, Any]  # file name -> document: a service folder's model, paginators, waiters


def _op(name: str, inp: str | None, out: str | None, errors: tuple[str, ...] = ()) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "http": {"method": "POST", "requestUri": "/"},
                            "documentation": f"<p>{name}.</p>"}
    if inp:
        body["input"] = {"shape": inp}
    if out:
        body["output"] = {"shape": out}
    if errors:
        body["errors"] = [{"shape": e} for e in errors]
    return body


def _struct(members: dict[str, str], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    body = {"type": "structure", "members": {m: {"shape": s} for m, s in members.items()}, **extra}
    if required:
        body["required"] = list(required)
    return body


def base() -> Files:
    """A small json-protocol service: GetThing (input members of several kinds, an
    output-only structure, a structure used on both sides), PutThing, ListThings with
    a paginator, a waiter and an exception."""
    model: dict[str, Any] = {
        "version": "2.0",
        "metadata": {
            "apiVersion": "2020-01-01", "endpointPrefix": "demo", "jsonVersion": "1.1", "protocol": "json",
            "protocols": ["json"], "serviceId": "Demo", "serviceFullName": "Demo Service",
            "signatureVersion": "v4", "targetPrefix": "Demo", "uid": "demo-2020-01-01",
        },
        "documentation": "<p>Demo.</p>",
        "operations": {
            "GetThing": _op("GetThing", "GetThingRequest", "GetThingResponse", ("NotFound",)),
            "PutThing": _op("PutThing", "PutThingRequest", "PutThingResponse"),
            "ListThings": _op("ListThings", "ListThingsRequest", "ListThingsResponse"),
        },
        "shapes": {
            "GetThingRequest": _struct({"ThingId": "ThingId", "Mode": "Mode", "Count": "Count", "Token": "String",
                                        "Ipv6Address": "String"}, ("ThingId", "Token")),
            "GetThingResponse": _struct({"Name": "String", "Thing": "Thing", "Summary": "Summary",
                                         "Label": "Label"}, ("Name",)),
            "PutThingRequest": _struct({"Thing": "Thing", "Tags": "TagList"}, ("Thing",)),
            "PutThingResponse": _struct({}),
            "ListThingsRequest": _struct({"NextToken": "String", "MaxResults": "Count"}),
            "ListThingsResponse": _struct({"Things": "ThingList", "NextToken": "String"}),
            "Thing": _struct({"Id": "ThingId", "Size": "Size"}, ("Id",)),  # input and output
            "Summary": _struct({"Total": "Size", "Ratios": "RatioList"}, ("Total",)),  # output only
            "ThingList": {"type": "list", "member": {"shape": "Thing"}},
            "RatioList": {"type": "list", "member": {"shape": "Ratio"}},
            "TagList": {"type": "list", "member": {"shape": "String"}, "max": 5},
            "ThingId": {"type": "string", "min": 1, "max": 64},
            "Label": {"type": "string", "max": 10},
            "Mode": {"type": "string", "enum": ["FAST", "SLOW"]},
            "Count": {"type": "integer", "min": 1, "max": 100},
            "Size": {"type": "long"},
            "Ratio": {"type": "double"},
            "String": {"type": "string"},
            "NotFound": _struct({"Message": "String"}, exception=True, error={"httpStatusCode": 404}),
        },
    }
    model["shapes"]["GetThingRequest"]["members"]["Token"]["idempotencyToken"] = True
    return {
        "service-2.json": model,
        "paginators-1.json": {"pagination": {"ListThings": {
            "input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults",
            "result_key": "Things"}}},
        "waiters-2.json": {"version": 2, "waiters": {"ThingExists": {
            "operation": "GetThing", "delay": 5, "maxAttempts": 10,
            "acceptors": [{"state": "success", "matcher": "status", "expected": 200}]}}},
    }


def _write(folder: Path, files: Files) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, doc in files.items():
        (folder / name).write_text(json.dumps(doc, indent=1))
    return folder / "service-2.json"


def run_diff(tmp_path: Path, change: Callable[[Files], None],
             before: Callable[[Files], None] | None = None) -> list[Change]:
    """The changes from the base (``before`` applied to it) to the base with ``change``
    applied too."""
    old = base()
    if before is not None:
        before(old)
    new = copy.deepcopy(old)
    change(new)
    found, problems = diff_pair("demo", _write(tmp_path / "old" / "demo", old), _write(tmp_path / "new" / "demo", new))
    assert problems == []
    return found


def api(changes: list[Change]) -> set[tuple[str, str, bool]]:
    """(kind, path, breaking) of the changes that are not documentation-only."""
    return {(c.kind, c.path, c.breaking) for c in changes if c.category != "documentation"}


def shapes(files: Files) -> dict[str, Any]:
    return files["service-2.json"]["shapes"]  # type: ignore[no-any-return]


def ops(files: Files) -> dict[str, Any]:
    return files["service-2.json"]["operations"]  # type: ignore[no-any-return]


# ----- operations ----------------------------------------------------------------------------
def test_removed_operation_takes_its_classes_along(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        del ops(f)["PutThing"]
        for name in ("PutThingRequest", "PutThingResponse", "TagList"):
            del shapes(f)[name]

    assert api(run_diff(tmp_path, change)) == {
        ("operation-removed", "operations/PutThing", True),
        ("shape-removed", "shapes/PutThingRequest", True),
        ("shape-removed", "shapes/PutThingResponse", True),
    }


def test_added_operation(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        ops(f)["DeleteThing"] = _op("DeleteThing", "DeleteThingRequest", None)
        shapes(f)["DeleteThingRequest"] = _struct({"ThingId": "ThingId"}, ("ThingId",))

    assert api(run_diff(tmp_path, change)) == {
        ("operation-added", "operations/DeleteThing", False),
        ("shape-added", "shapes/DeleteThingRequest", False),
    }


def _rename_operation(old: str, new: str) -> Callable[[Files], None]:
    def change(f: Files) -> None:
        body = ops(f).pop(old)
        ops(f)[new] = {**body, "name": new}
        for table, key in (("paginators-1.json", "pagination"), ("waiters-2.json", "waiters")):
            for name, spec in list(f[table][key].items()):
                if name == old:
                    f[table][key][new] = f[table][key].pop(old)
                if spec.get("operation") == old:
                    spec["operation"] = new
    return change


def test_operation_whose_python_name_changes_is_renamed(tmp_path: Path) -> None:
    # "GetIpv6Thing" is get_ipv6_thing(); "GetIPv6Thing" is get_i_pv6_thing().
    changes = run_diff(tmp_path, _rename_operation("GetIpv6Thing", "GetIPv6Thing"),
                       before=_rename_operation("GetThing", "GetIpv6Thing"))
    assert api(changes) == {("operation-renamed", "operations/GetIPv6Thing", True)}
    assert "get_ipv6_thing() is now get_i_pv6_thing()" in changes[0].detail


def test_operation_whose_python_name_stays_changes_only_on_the_wire(tmp_path: Path) -> None:
    assert api(run_diff(tmp_path, _rename_operation("GetThing", "GetTHING"))) == {
        ("operation-wire-name-changed", "operations/GetTHING", False)}


def test_operation_output_removed_or_added(tmp_path: Path) -> None:
    def drop(f: Files) -> None:
        del ops(f)["PutThing"]["output"]
        del shapes(f)["PutThingResponse"]

    assert api(run_diff(tmp_path, drop)) == {
        ("operation-output-changed", "operations/PutThing/output", True),
        ("shape-removed", "shapes/PutThingResponse", True),
    }
    def restore(f: Files) -> None:
        ops(f)["PutThing"]["output"] = {"shape": "PutThingResponse"}
        shapes(f)["PutThingResponse"] = _struct({})

    assert api(run_diff(tmp_path / "back", restore, before=drop)) == {
        ("operation-output-changed", "operations/PutThing/output", False),
        ("shape-added", "shapes/PutThingResponse", False),
    }


def test_operation_errors_added_and_removed(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["Conflict"] = _struct({"Message": "String"}, exception=True)
        ops(f)["GetThing"]["errors"] = [{"shape": "Conflict"}]  # NotFound stays an exception class

    assert api(run_diff(tmp_path, change)) == {
        ("operation-error-added", "operations/GetThing/errors/Conflict", False),
        ("operation-error-removed", "operations/GetThing/errors/NotFound", False),
        ("error-added", "shapes/Conflict", False),
    }


# ----- members ---------------------------------------------------------------------------------
def test_members_added(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        members = shapes(f)["GetThingRequest"]["members"]
        members["Optional"] = {"shape": "String"}
        members["Needed"] = {"shape": "String"}
        shapes(f)["GetThingRequest"]["required"].append("Needed")
        shapes(f)["GetThingResponse"]["members"]["Extra"] = {"shape": "String"}
        shapes(f)["GetThingResponse"]["required"].append("Extra")

    assert api(run_diff(tmp_path, change)) == {
        ("member-added", "operations/GetThing/input/members/Optional", False),
        ("member-added", "operations/GetThing/input/members/Needed", True),
        ("member-added", "operations/GetThing/output/members/Extra", False),
    }


def test_members_removed(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        del shapes(f)["GetThingRequest"]["members"]["Mode"]
        del shapes(f)["Summary"]["members"]["Ratios"]
        del shapes(f)["RatioList"]

    assert api(run_diff(tmp_path, change)) == {
        ("member-removed", "operations/GetThing/input/members/Mode", True),
        ("member-removed", "shapes/Summary/members/Ratios", True),
        ("shape-removed", "shapes/Mode", True),  # the enum class goes with its only member
    }


def test_member_renamed_when_its_python_name_changes(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        members = shapes(f)["GetThingRequest"]["members"]
        members["IPv6Address"] = members.pop("Ipv6Address")

    changes = run_diff(tmp_path, change)
    assert api(changes) == {("member-renamed", "operations/GetThing/input/members/IPv6Address", True)}
    assert "ipv6_address is now i_pv6_address" in changes[0].detail


def test_member_whose_python_name_stays_changes_only_on_the_wire(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        members = shapes(f)["GetThingRequest"]["members"]
        members["COUNT"] = members.pop("Count")

    assert api(run_diff(tmp_path, change)) == {
        ("member-wire-name-changed", "operations/GetThing/input/members/COUNT", False)}


def test_members_becoming_required(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["GetThingRequest"]["required"].append("Count")  # input: breaking
        shapes(f)["GetThingResponse"]["required"].append("Thing")  # output only: compatible
        shapes(f)["Thing"]["required"] = ["Id", "Size"]  # both sides: breaking
        # An idempotency token the client filled in must now be passed.
        del shapes(f)["GetThingRequest"]["members"]["Token"]["idempotencyToken"]

    assert api(run_diff(tmp_path, change)) == {
        ("member-required", "operations/GetThing/input/members/Count", True),
        ("member-required", "operations/GetThing/input/members/Token", True),
        ("member-required", "operations/GetThing/output/members/Thing", False),
        ("member-required", "shapes/Thing/members/Size", True),
    }


def test_members_becoming_optional(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["GetThingRequest"]["required"] = ["Token"]  # input: compatible
        shapes(f)["GetThingResponse"].pop("required")  # output: may be None, breaking
        shapes(f)["Summary"].pop("required")  # a nested output-only class: breaking
        shapes(f)["Thing"].pop("required")  # both sides: breaking for readers

    assert api(run_diff(tmp_path, change)) == {
        ("member-optional", "operations/GetThing/input/members/ThingId", False),
        ("member-optional", "operations/GetThing/output/members/Name", True),
        ("member-optional", "shapes/Summary/members/Total", True),
        ("member-optional", "shapes/Thing/members/Id", True),
    }


def test_member_types(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["Wide"] = {"type": "double", "min": 1, "max": 100}
        shapes(f)["GetThingRequest"]["members"]["Count"]["shape"] = "Wide"  # input int -> float: compatible
        shapes(f)["GetThingResponse"]["members"]["Name"]["shape"] = "Size"  # output str -> int: breaking
        shapes(f)["Summary"]["members"]["Total"]["shape"] = "Ratio"  # output int -> float: breaking
        shapes(f)["Summary"]["members"]["Ratios"]["shape"] = "SizeList"  # output float -> int items: compatible
        shapes(f)["SizeList"] = {"type": "list", "member": {"shape": "Size"}}
        del shapes(f)["RatioList"]

    assert api(run_diff(tmp_path, change)) == {
        ("member-type-changed", "operations/GetThing/input/members/Count", False),
        ("member-type-changed", "operations/GetThing/output/members/Name", True),
        ("member-type-changed", "shapes/Summary/members/Total", True),
        ("member-type-changed", "shapes/Summary/members/Ratios", False),
    }


def test_sparse_lists_widen_inputs_and_break_outputs(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["TagList"]["sparse"] = True  # input only: items may now be None
        shapes(f)["RatioList"]["sparse"] = True  # output only

    assert api(run_diff(tmp_path, change)) == {
        ("member-type-changed", "operations/PutThing/input/members/Tags", False),
        ("member-type-changed", "shapes/Summary/members/Ratios", True),
    }


def test_type_compatibility_rules() -> None:
    assert _accepts("float", "int") and not _accepts("int", "float")
    assert _accepts("bytes | _t.IO[bytes]", "bytes") and not _accepts("bytes", "bytes | _t.IO[bytes]")
    assert _accepts("_t.Sequence[_t.Mapping[str, float | None]]", "_t.Sequence[_t.Mapping[str, int]]")
    assert not _accepts("_t.Sequence[Thing]", "_t.Sequence[Other]")
    assert _accepts("_t.Any", "_t.Sequence[str]")


# ----- constraints -------------------------------------------------------------------------------
def test_constraints_of_validated_shapes(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["ThingId"].update(min=0, max=32)  # min 0 is no bound: loosened; max tightened
        shapes(f)["TagList"]["max"] = 10  # item count loosened
        shapes(f)["Count"]["min"] = 5  # value tightened
        shapes(f)["Label"]["max"] = 5  # output only: not validated, not reported
        shapes(f)["ThingId"]["pattern"] = "^[a-z]+$"  # patterns are not validated

    assert api(run_diff(tmp_path, change)) == {
        ("constraint-loosened", "shapes/ThingId/min", False),
        ("constraint-tightened", "shapes/ThingId/max", True),
        ("constraint-loosened", "shapes/TagList/max", False),
        ("constraint-tightened", "shapes/Count/min", True),
    }


def test_constraints_follow_a_member_to_another_shape(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["SmallCount"] = {"type": "integer", "min": 1, "max": 10}
        shapes(f)["GetThingRequest"]["members"]["Count"]["shape"] = "SmallCount"
        shapes(f)["ShortTags"] = {"type": "list", "member": {"shape": "ShortTag"}, "max": 5}
        shapes(f)["ShortTag"] = {"type": "string", "max": 8}
        shapes(f)["PutThingRequest"]["members"]["Tags"]["shape"] = "ShortTags"
        del shapes(f)["TagList"]

    changes = run_diff(tmp_path, change)
    assert api(changes) == {
        ("constraint-tightened", "operations/GetThing/input/members/Count", True),
        ("constraint-tightened", "operations/PutThing/input/members/Tags", True),
    }
    assert any("tags[]: length max none -> 8" in c.detail for c in changes)


def test_a_string_that_becomes_an_enum_is_checked_against_its_values(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["ThingId"]["enum"] = ["a", "b"]

    assert api(run_diff(tmp_path, change)) == {
        ("constraint-tightened", "shapes/ThingId/enum", True),
        ("shape-added", "shapes/ThingId", False),
    }


# ----- classes, enums, errors ----------------------------------------------------------------------
def test_enum_values(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        # "fast" takes the constant FAST; "FAST" becomes FAST_.
        shapes(f)["Mode"]["enum"] = ["fast", "FAST", "application/json"]

    changes = run_diff(tmp_path, change)
    assert api(changes) == {
        ("enum-value-removed", "shapes/Mode/enum/SLOW", True),
        ("enum-value-added", "shapes/Mode/enum/fast", False),
        ("enum-value-added", "shapes/Mode/enum/application~1json", False),
        ("enum-constant-renamed", "shapes/Mode/enum/FAST", True),
    }
    assert any("shapes.Mode.FAST is now shapes.Mode.FAST_" in c.detail for c in changes)


def test_class_renamed_and_kind_changed(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["THING"] = shapes(f).pop("Thing")
        for s in ("GetThingResponse", "PutThingRequest"):
            shapes(f)[s]["members"]["Thing"]["shape"] = "THING"
        shapes(f)["ThingList"]["member"]["shape"] = "THING"
        shapes(f)["Summary"]["union"] = True
        shapes(f)["Summary"].pop("required")

    assert api(run_diff(tmp_path, change)) == {
        ("shape-renamed", "shapes/THING", True),
        ("member-type-changed", "operations/GetThing/output/members/Thing", True),
        ("member-type-changed", "operations/PutThing/input/members/Thing", True),
        ("member-type-changed", "operations/ListThings/output/members/Things", True),
        ("paginator-changed", "pagination/ListThings", True),  # items() yields THING now
        ("shape-kind-changed", "shapes/Summary", True),
    }


def test_error_classes(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        shapes(f)["NotFound"]["error"]["code"] = "ThingNotFound"
        shapes(f)["NotFound"]["members"]["Code"] = {"shape": "String"}  # attribute code_ (code is the error's)
        shapes(f)["Gone"] = _struct({}, exception=True)

    changes = run_diff(tmp_path, change)
    assert api(changes) == {
        ("error-code-changed", "shapes/NotFound/error/code", False),
        ("member-added", "shapes/NotFound/members/Code", False),
        ("error-added", "shapes/Gone", False),
    }
    assert any(c.detail == "errors.NotFound attribute code_ added" for c in changes)
    def remove(f: Files) -> None:
        del shapes(f)["NotFound"]
        del ops(f)["GetThing"]["errors"]

    assert api(run_diff(tmp_path / "removed", remove)) == {
        ("error-removed", "shapes/NotFound", True),
        ("operation-error-removed", "operations/GetThing/errors/NotFound", False),
    }


# ----- paginators and waiters ----------------------------------------------------------------------
def test_paginators(tmp_path: Path) -> None:
    removed = run_diff(tmp_path / "a", lambda f: f["paginators-1.json"]["pagination"].clear())
    assert api(removed) == {("paginator-removed", "pagination/ListThings", True)}
    added = run_diff(tmp_path / "b", lambda f: f.update({"paginators-1.json": base()["paginators-1.json"]}),
                     before=lambda f: f["paginators-1.json"]["pagination"].clear())
    assert api(added) == {("paginator-added", "pagination/ListThings", False)}
    no_limit = run_diff(tmp_path / "c", lambda f: f["paginators-1.json"]["pagination"]["ListThings"].pop("limit_key"))
    assert api(no_limit) == {("paginator-changed", "pagination/ListThings", True)}  # page_size= goes

    def other_token(f: Files) -> None:
        shapes(f)["ListThingsResponse"]["members"]["Marker"] = {"shape": "String"}
        f["paginators-1.json"]["pagination"]["ListThings"]["output_token"] = "Marker"

    assert api(run_diff(tmp_path / "d", other_token)) == {
        ("member-added", "operations/ListThings/output/members/Marker", False),
        ("paginator-changed", "pagination/ListThings", False),
    }


def test_waiters(tmp_path: Path) -> None:
    waiters: Callable[[Files], dict[str, Any]] = lambda f: f["waiters-2.json"]["waiters"]  # noqa: E731
    assert api(run_diff(tmp_path / "a", lambda f: waiters(f).clear())) == {
        ("waiter-removed", "waiters/ThingExists", True)}
    assert api(run_diff(tmp_path / "b", lambda f: f.update({"waiters-2.json": base()["waiters-2.json"]}),
                        before=lambda f: waiters(f).clear())) == {
        ("waiter-added", "waiters/ThingExists", False)}
    assert api(run_diff(tmp_path / "c", lambda f: waiters(f)["ThingExists"].update(delay=20))) == {
        ("waiter-changed", "waiters/ThingExists", False)}
    assert api(run_diff(tmp_path / "d", lambda f: waiters(f)["ThingExists"].update(operation="ListThings"))) == {
        ("waiter-changed", "waiters/ThingExists", True)}


# ----- service level, documentation ----------------------------------------------------------------
def test_service_metadata(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        meta = f["service-2.json"]["metadata"]
        meta["serviceId"] = "Demo Two"
        meta["protocol"] = "smithy-rpc-v2-cbor"
        meta["protocols"] = ["smithy-rpc-v2-cbor"]

    assert api(run_diff(tmp_path, change)) == {
        ("client-renamed", "metadata/serviceId", True),
        ("protocol-changed", "metadata/protocols", False),
    }


def test_documentation_only_edits_are_apart_and_never_breaking(tmp_path: Path) -> None:
    def change(f: Files) -> None:
        ops(f)["GetThing"]["documentation"] = "<p>Gets one thing.</p>"
        ops(f)["PutThing"]["deprecated"] = True
        shapes(f)["Thing"]["documentation"] = "<p>A thing.</p>"
        shapes(f)["GetThingRequest"]["members"]["Mode"]["documentation"] = "<p>How.</p>"
        shapes(f)["NotFound"]["documentation"] = "<p>Not there.</p>"

    changes = run_diff(tmp_path, change)
    assert api(changes) == set()
    assert {(c.kind, c.path, c.category, c.breaking) for c in changes} == {
        ("documentation-changed", "operations/GetThing", "documentation", False),
        ("deprecation-changed", "operations/PutThing", "documentation", False),
        ("documentation-changed", "shapes/Thing", "documentation", False),
        ("documentation-changed", "operations/GetThing/input/members/Mode", "documentation", False),
        ("documentation-changed", "shapes/NotFound", "documentation", False),
    }


def test_dynamodb_against_itself_has_no_change(capsys: pytest.CaptureFixture[str]) -> None:
    model = REPO / "models" / "dynamodb" / "service-2.json"
    assert diff_apis("dynamodb", load_api(model), load_api(model)) == []  # the whole comparison runs
    assert main(["diff", str(REPO / "models" / "dynamodb"), str(REPO / "models" / "dynamodb")]) == 0
    assert "0 of 1 service(s) changed" in capsys.readouterr().out


# ----- the command -----------------------------------------------------------------------------
def _trees(tmp_path: Path, change: Callable[[Files], None]) -> tuple[Path, Path]:
    """Two folders of service folders: demo changed, "gone" only in OLD, "fresh" only in NEW
    (botocore's <service>/<api version>/ layout, gzipped, for the latter)."""
    old, new = base(), base()
    change(new)
    _write(tmp_path / "old" / "demo", old)
    _write(tmp_path / "new" / "demo", new)
    _write(tmp_path / "old" / "gone", base())
    fresh = _write(tmp_path / "new" / "fresh" / "2020-01-01", base())
    fresh.with_suffix(".json.gz").write_bytes(gzip.compress(fresh.read_bytes()))
    fresh.unlink()
    _write(tmp_path / "new" / "fresh" / "2019-01-01", {})  # an older version without a model
    return tmp_path / "old", tmp_path / "new"


def test_text_output_lists_breaking_then_compatible_then_counts_documentation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(f: Files) -> None:
        del shapes(f)["GetThingRequest"]["members"]["Mode"]
        shapes(f)["GetThingResponse"]["members"]["Extra"] = {"shape": "String"}
        ops(f)["GetThing"]["documentation"] = "<p>New text.</p>"

    old, new = _trees(tmp_path, change)
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "demo: 2 breaking, 1 compatible, 1 documentation-only",
        "  breaking:",
        "    member-removed  operations/GetThing/input/members/Mode: get_thing() argument mode removed",
        "    shape-removed   shapes/Mode: enum shapes.Mode removed (the model keeps the shape; no operation uses it)",
        "  compatible:",
        "    member-added  operations/GetThing/output/members/Extra: get_thing() result field extra added",
        "  documentation-only: 1 (--json lists them)",
        "",
        "fresh: 0 breaking, 1 compatible, 0 documentation-only",
        "  compatible:",
        "    service-added  (service): service fresh: package new",
        "",
        "gone: 1 breaking, 0 compatible, 0 documentation-only",
        "  breaking:",
        "    service-removed  (service): service gone: package removed",
        "",
        "3 of 3 service(s) changed: 3 breaking, 2 compatible, 1 documentation-only",
    ]


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _trees(tmp_path, lambda f: ops(f)["GetThing"].update(documentation="<p>x</p>"))
    assert main(["diff", "--json", "--only", "demo", "fresh", "--", str(old), str(new)]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"service": "demo", "kind": "documentation-changed", "path": "operations/GetThing", "breaking": False,
         "category": "documentation", "detail": "method get_thing(): documentation edited"},
        {"service": "fresh", "kind": "service-added", "path": "", "breaking": False, "category": "compatible",
         "detail": "service fresh: package new"},
    ]


def test_two_model_files_and_gzip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = _write(tmp_path / "a", {"service-2.json": base()["service-2.json"]})
    new_files = base()
    shapes(new_files)["Mode"]["enum"].append("MEDIUM")
    new = _write(tmp_path / "b", {"service-2.json": new_files["service-2.json"]})
    packed = tmp_path / "b" / "service-2.json.gz"
    packed.write_bytes(gzip.compress(new.read_bytes()))
    assert main(["diff", str(old), str(packed)]) == 0
    assert "enum-value-added  shapes/Mode/enum/MEDIUM: new shapes.Mode.MEDIUM ('MEDIUM')" in capsys.readouterr().out


def test_bad_inputs_exit_2_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "good", base())
    broken = tmp_path / "broken" / "service-2.json"
    broken.parent.mkdir()
    broken.write_text('{"version": ')
    assert main(["diff", str(good), str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{broken}: invalid JSON (line 1, column 13)") and "Traceback" not in err

    invalid = base()
    del invalid["service-2.json"]["metadata"]
    assert main(["diff", str(good), str(_write(tmp_path / "invalid", invalid))]) == 2
    assert f"{tmp_path / 'invalid' / 'service-2.json'}: $: 'metadata' is a required property" in capsys.readouterr().err

    assert main(["diff", str(good), str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'nowhere'}: no such file or folder\n"
    (tmp_path / "empty").mkdir()
    assert main(["diff", str(tmp_path / "empty"), str(good)]) == 2
    assert "no service-2.json in this folder nor in its folders" in capsys.readouterr().err
    assert main(["diff", str(good), str(tmp_path)]) == 2  # one service against a folder of them
    assert "give two of the same kind" in capsys.readouterr().err
    assert main(["diff", "--botocore", "1.43.0", "latest"]) == 2  # refused before any download
    assert capsys.readouterr().err == "botocore==latest: not a release number (such as 1.43.67)\n"


def test_a_tree_with_one_bad_model_still_lists_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _trees(tmp_path, lambda f: None)
    (new / "fresh" / "2020-01-01" / "service-2.json.gz").write_bytes(b"not gzip")
    (old / "fresh" / "2020-01-01").mkdir(parents=True)
    _write(old / "fresh" / "2020-01-01", base())
    assert main(["diff", str(old), str(new)]) == 2
    captured = capsys.readouterr()
    assert "service-removed  (service): service gone: package removed" in captured.out
    assert "service-2.json.gz: not a valid gzip file" in captured.err


def test_command_needs_two_paths_or_two_versions(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["diff", "only-one"])
    assert info.value.code == 2
    assert "give OLD and NEW, or --botocore OLD_VERSION NEW_VERSION" in capsys.readouterr().err
