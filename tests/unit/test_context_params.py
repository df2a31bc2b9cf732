"""operationContextParams paths compiled to Python (generator/context_params.py).

Each path form the compiler knows is compiled against a small model, the expression is
evaluated over typed-looking inputs (objects with every member's Python name, None when
unset), and the value must equal what the ``jmespath`` package (botocore's evaluator)
gives over the same input as a member-name dict, lists read as tuples. Inputs are drawn
by hypothesis, with unset members, None list elements and empty collections. Paths
outside the subset, or that the model cannot satisfy, are errors naming the model file
and JSON path.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jmespath
import pytest
from hypothesis import given, strategies as st

from generator.context_params import ContextPathError, compile_path, endpoint_context, parse_path
from generator.model.build import build_service
from generator.model.ir import Service

REPO = Path(__file__).resolve().parents[2]


def _struct(**members: str) -> dict[str, Any]:
    return {"type": "structure", "members": {k: {"shape": v} for k, v in members.items()}}


SHAPES: dict[str, Any] = {
    "Input": _struct(Nested="Item", Items="ItemList", Map="ItemMap", Names="NameList", Lists="NameLists",
                     Groups="GroupList", Flag="Bool", Count="Int", Name="Name"),
    "Item": _struct(Name="Name", Other="Name", A="Leaf", B="Leaf", Tags="NameList"),
    "Leaf": _struct(Name="Name", Deep="Leaf2"),
    "Leaf2": _struct(Name="Name"),
    "Group": _struct(Items="ItemList", Label="Name"),
    "ItemList": {"type": "list", "member": {"shape": "Item"}},
    "GroupList": {"type": "list", "member": {"shape": "Group"}},
    "NameList": {"type": "list", "member": {"shape": "Name"}},
    "NameLists": {"type": "list", "member": {"shape": "NameList"}},
    "ItemMap": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Item"}},
    "Name": {"type": "string"},
    "Bool": {"type": "boolean"},
    "Int": {"type": "integer"},
}


def _model(context: dict[str, str] | None = None, with_input: bool = True) -> dict[str, Any]:
    op: dict[str, Any] = {"name": "Op", "http": {"method": "POST", "requestUri": "/"}}
    if with_input:
        op["input"] = {"shape": "Input"}
    if context is not None:
        op["operationContextParams"] = {name: {"path": path} for name, path in context.items()}
    return {
        "version": "2.0",
        "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "demo", "protocol": "json",
                     "jsonVersion": "1.0", "targetPrefix": "Demo", "serviceId": "Demo",
                     "signatureVersion": "v4", "uid": "demo-2020-01-01"},
        "operations": {"Op": op},
        "shapes": SHAPES,
    }


@pytest.fixture(scope="module")
def service() -> Service:
    return build_service(_model(), "models/demo/service-2.json")


# ----- inputs: member-name dicts and the typed objects the generated code reads ------

_names = st.sampled_from(["t1", "t2", "arn:aws:dynamodb:us-east-1:123456789012:table/t3", ""])
_opt_names = st.none() | _names


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


_leaf2 = st.fixed_dictionaries({}, optional={"Name": _names})
_leaf = st.fixed_dictionaries({}, optional={"Name": _names, "Deep": _leaf2})
_item = st.fixed_dictionaries({}, optional={
    "Name": _names, "Other": _names, "A": _leaf, "B": _leaf, "Tags": st.lists(_opt_names, max_size=3)})
_items = st.lists(_maybe(_item), max_size=4)
_group = st.fixed_dictionaries({}, optional={"Items": _items, "Label": _names})
INPUTS = st.fixed_dictionaries({}, optional={
    "Nested": _item,
    "Items": _items,
    "Map": st.dictionaries(_names, _item, max_size=3),
    "Names": st.lists(_opt_names, max_size=4),
    "Lists": st.lists(_maybe(st.lists(_opt_names, max_size=3)), max_size=3),
    "Groups": st.lists(_maybe(_group), max_size=3),
    "Flag": st.booleans(),
    "Name": _names,
})


def typed(service: Service, shape_name: str, value: Any) -> Any:
    """``value`` (member names) as the generated classes hold it: attributes named by the
    members' Python names, None when unset."""
    if value is None:
        return None
    shape = service.shapes[shape_name]
    if shape.type == "structure":
        return SimpleNamespace(**{m.py_name: typed(service, m.target, value.get(m.name)) for m in shape.members})
    if shape.type == "list":
        assert shape.member is not None
        return [typed(service, shape.member.target, v) for v in value]
    if shape.type == "map":
        assert shape.value is not None
        return {k: typed(service, shape.value.target, v) for k, v in value.items()}
    return value


def tuples(value: Any) -> Any:
    return tuple(tuples(v) for v in value) if isinstance(value, list) else value


def evaluate(service: Service, path: str, value: dict[str, Any], check: bool = True) -> Any:
    code = compile_path(path, service.shapes, "Input", check=check)
    return eval(code, {"v": typed(service, "Input", value)})  # noqa: S307 - the compiler's own output


# ----- every form gives jmespath's value ------------------------------------------------

FORMS = [
    "Name",  # a member
    "Nested.Name",  # a field chain
    '"Nested"."Name"',  # quoted identifiers
    "Nested.A.Deep.Name",  # a longer chain through unset members
    "keys(Map)",  # a map's keys, in the map's order
    "Items[*].Name",  # a projection: None results dropped
    "Items[*].A.Deep.Name",  # a chain inside a projection
    "Items[*].[A.Name, B.Name][]",  # multiselect list then flatten (DynamoDB's TransactWriteItems)
    "Items[*].[Name, Other, A.Name][]",
    "Groups[*].Items[*].Name[]",  # a nested projection, flattened
    "Groups[*].Items[*].Name",  # ... not flattened: a list of lists
    "Items[*].Tags[]",  # a list member of each element, flattened
    "Items[*].Tags",  # ... not flattened
    "Names",  # a list member as it is (None elements kept)
    "Names[]",  # flatten of scalars: a projection, None dropped
    "Names[*]",
    "Lists[]",  # a list of lists flattened
    "Lists[*][*]",
    "Items[].Name",  # flatten then project
    "[Name, Nested.Name]",  # a multiselect list on the input (None kept)
    "Nested.[Name, Other]",
    "Flag",
    "@.Nested.Name",
]


@pytest.mark.parametrize("path", FORMS)
@given(value=INPUTS)
def test_each_form_equals_jmespath(service: Service, path: str, value: dict[str, Any]) -> None:
    try:
        expected = tuples(jmespath.search(path, value))
    except jmespath.exceptions.JMESPathTypeError:  # keys() of an unset map: None here
        expected = None
    assert evaluate(service, path, value, check=False) == expected


def test_dynamodb_forms(service: Service) -> None:
    """The four paths of botocore 1.43.67's models, on fixed inputs, values hashable."""
    value = {"Items": [{"A": {"Name": "a1"}}, None, {"B": {"Name": "b1"}, "A": {}}, {"A": {"Name": "a2"},
             "B": {"Name": "b2"}}], "Map": {"x": {}, "y": {}}, "Nested": {"Name": "n"}}
    assert evaluate(service, "keys(Map)", value) == ("x", "y")
    assert evaluate(service, "Nested.Name", value) == "n"
    assert evaluate(service, "Items[*].A.Name", value) == ("a1", "a2")
    assert evaluate(service, "Items[*].[A.Name, B.Name][]", value) == ("a1", "b1", "a2", "b2")
    assert evaluate(service, "Items[*].[A.Name, B.Name][]", {}) is None
    assert evaluate(service, "Items[*].[A.Name, B.Name][]", {"Items": []}) == ()
    assert evaluate(service, "keys(Map)", {}) is None  # JMESPath raises here; the client validates first
    hash(evaluate(service, "Groups[*].Items[*].Name", {"Groups": [{"Items": [{"Name": "a"}]}]}, check=False))


def test_the_compiled_code_reads_like_the_path(service: Service) -> None:
    assert compile_path("keys(Map)", service.shapes, "Input") == "(tuple(v.map) if v.map is not None else None)"
    assert compile_path("Nested.Name", service.shapes, "Input") == (
        "(v.nested.name if v.nested is not None else None)")
    assert compile_path("Items[*].[A.Name, B.Name][]", service.shapes, "Input") == (
        "(tuple(_e2 for _i1 in v.items if _i1 is not None for _e2 in ((_i1.a.name if _i1.a is not None else None), "
        "(_i1.b.name if _i1.b is not None else None)) if _e2 is not None) if v.items is not None else None)")


def test_parse_follows_jmespath_projection_scoping() -> None:
    from generator.context_params import Node

    def field(name: str, base: Node | None = None) -> Node:
        return Node("field", base, name)

    assert parse_path("A[*].B[*].C") == Node("[*]", field("A"), rhs=Node("[*]", field("B"), rhs=field("C")))
    assert parse_path("A[*].B[]") == Node("[*]", Node("[]", Node("[*]", field("A"), rhs=field("B"))))
    assert parse_path("A[*].[B, C.D]") == Node("[*]", field("A"), rhs=Node("multi", items=(field("B"),
                                                                                          field("D", field("C")))))
    assert parse_path("keys(@)") == Node("keys") and parse_path(" @ ") is None


@pytest.mark.parametrize("path, message", [
    ("Items[0]", "index, slice and filter expressions are not compiled"),
    ("Items[*].Tags[0]", "index, slice and filter expressions are not compiled"),
    ("Items[?Name == 'x']", "index, slice and filter expressions are not compiled"),
    ("Items | [0]", "unsupported JMESPath '| [0]' at offset 6"),
    ("length(Items)", "function length() is not compiled"),
    ("Map.*", "unsupported JMESPath after '.': '*'"),
    ("Items[*]Name", "unsupported JMESPath at 'Name'"),
    ("Missing", "'Missing' is not a member of Input"),
    ("Nested.Missing", "'Missing' is not a member of Item"),
    ("Items.Name", "field 'Name' of a list (ItemList): fields are read from structures"),
    ("Nested[*]", "[*] over a structure (Item): it needs a list"),
    ("keys(Items)", "keys() of a list (ItemList): only a map's keys are compiled"),
    ("keys(@)", "keys() of a structure (Input): only a map's keys are compiled"),
    ("Nested", "the path gives a structure (Item); an endpoint parameter takes a string, a boolean or a list of strings"),
    ("Count", "the path gives an integer; an endpoint parameter takes"),
    ("Items[*].Tags", "the path gives a list of a list (NameList)"),
    ("[Name, Flag]", "a multiselect list of values of different types: a boolean, a string"),
])
def test_unsupported_paths_say_why(service: Service, path: str, message: str) -> None:
    with pytest.raises(ContextPathError) as info:
        compile_path(path, service.shapes, "Input")
    assert message in str(info.value)


def test_context_params_and_members_bind_in_botocores_order() -> None:
    """A member's contextParam first, then the path when the member is unset; a static
    context param of the same name wins over both (it is left out of ``ctx``)."""
    raw = _model({"ResourceArn": "Nested.Name", "Names": "Names", "Fixed": "Name"})
    raw = json.loads(json.dumps(raw))
    raw["shapes"]["Input"]["members"]["Name"]["contextParam"] = {"name": "ResourceArn"}
    raw["operations"]["Op"]["staticContextParams"] = {"Fixed": {"value": "x"}}
    svc = build_service(raw, "models/demo/service-2.json")
    entries = {name: (code, note) for name, code, note in endpoint_context(svc, svc.operations[0])}
    assert set(entries) == {"ResourceArn", "Names"}
    code, note = entries["ResourceArn"]
    assert note == "ResourceArn: Nested.Name"
    typed_value = typed(svc, "Input", {"Nested": {"Name": "from-path"}})
    assert eval(code, {"v": typed_value}) == "from-path"  # noqa: S307
    typed_value.name = "from-member"
    assert eval(code, {"v": typed_value}) == "from-member"  # noqa: S307
    assert entries["Names"][0] == "(tuple(v.names) if v.names is not None else None)"


def test_a_bad_path_is_a_model_error_naming_file_and_json_path(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    model = folder / "service-2.json"
    model.write_text(json.dumps(_model({"ResourceArn": "Nested.Missing", "ResourceArnList": "Items[0].Name"})))
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "generator", "generate", "--model", str(model), "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    where = f"{model}: $.operations.Op.operationContextParams"
    assert proc.stderr.splitlines() == [
        f"{where}.ResourceArn.path: 'Missing' is not a member of Item",
        f"{where}.ResourceArnList.path: index, slice and filter expressions are not compiled "
        "(field chains, keys(...), [*] projections, multiselect lists [a, b] and [] flatten)",
    ]
    assert not out.exists() or not any(out.iterdir())


def test_an_operation_without_input_cannot_read_a_path() -> None:
    from generator.context_params import check_operation_context_params

    svc = build_service(_model({"ResourceArn": "Name"}, with_input=False), "models/demo/service-2.json")
    assert check_operation_context_params(svc) == [
        "models/demo/service-2.json: $.operations.Op.operationContextParams.ResourceArn.path: "
        "the operation has no input to read 'Name' from"]
