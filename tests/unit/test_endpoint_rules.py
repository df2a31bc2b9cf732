"""Endpoint rule sets compiled to Python, checked against botocore's own cases.

Every service that ships both an ``endpoint-rule-set-1.json`` and an
``endpoint-tests-1.json`` is compiled once (cached for the module), executed into
a fresh module object, and every case is run: an expected endpoint must match in
url, properties and headers; an expected error must be raised with exactly the
rule set's message. One test per service, so a failure lists that service's
failing cases together. The rest of the file covers what the cases cannot: that
operation inputs bind the same parameters, that rule-set text cannot inject code,
that broken rule sets are refused clearly, that output is deterministic, formats
with black and passes ``mypy --strict``, and the runtime helpers' edge cases.
"""

from __future__ import annotations

import functools
import json
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from awsgen_runtime.endpoints import (
    Endpoint,
    PartitionTable,
    is_valid_host_label,
    is_virtual_hostable_s3_bucket,
    parse_arn,
    parse_url,
    substring,
    uri_encode,
)
from awsgen_runtime.errors import EndpointResolutionError
from generator.botocore_source import data_dir, endpoint_tests_dir, service_model_dir
from generator.endpoints_compiler import (
    RuleSetCompileError,
    RuleSetParameter,
    compile_ruleset,
    compile_ruleset_parameters,
)

REPO = Path(__file__).resolve().parents[2]
SKIP_LIST = REPO / "tests" / "endpoint_skip_list.yaml"


# ---------------------------------------------------------------------------
# Loading and compiling (each service once)
# ---------------------------------------------------------------------------


def _ruleset_file(service: str) -> Path | None:
    """The rule set botocore loads: top level of the service folder, else newest version."""
    top = data_dir() / service / "endpoint-rule-set-1.json"
    if top.exists():
        return top
    try:
        nested = service_model_dir(service) / "endpoint-rule-set-1.json"
    except FileNotFoundError:
        return None
    return nested if nested.exists() else None


def _services() -> list[str]:
    return sorted(
        d.name
        for d in endpoint_tests_dir().iterdir()
        if (d / "endpoint-tests-1.json").exists() and _ruleset_file(d.name) is not None
    )


SERVICES = _services()


@functools.cache
def _partitions() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((data_dir() / "partitions.json").read_text())
    return data


@functools.cache
def _ruleset(service: str) -> dict[str, Any]:
    path = _ruleset_file(service)
    assert path is not None
    data: dict[str, Any] = json.loads(path.read_text())
    return data


@functools.cache
def _source(service: str) -> str:
    return compile_ruleset(_ruleset(service), _partitions(), origin=service)


def _load(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, f"<endpoints {name}>", "exec"), module.__dict__)
    return module


@functools.cache
def _module(service: str) -> types.ModuleType:
    return _load(_source(service), f"endpoints_{service}")


@functools.cache
def _cases(service: str) -> list[dict[str, Any]]:
    data = json.loads(
        (endpoint_tests_dir() / service / "endpoint-tests-1.json").read_text()
    )
    return list(data["testCases"])


@functools.cache
def _skip_list() -> dict[str, dict[int, str]]:
    data = yaml.safe_load(SKIP_LIST.read_text()) if SKIP_LIST.exists() else None
    return {
        str(s): {int(i): str(r) for i, r in (cases or {}).items()}
        for s, cases in (data or {}).items()
    }


def _outcome(module: types.ModuleType, params: Mapping[str, Any]) -> dict[str, Any]:
    """What resolving gave, in the shape of a case's ``expect``."""
    try:
        endpoint = module.resolve_endpoint(params)
    except EndpointResolutionError as exc:
        return {"error": str(exc)}
    except Exception as exc:  # a crash is a failure to report, not to abort on
        return {"crash": f"{type(exc).__name__}: {exc}"}
    return {
        "endpoint": {
            "url": endpoint.url,
            "properties": endpoint.properties,
            "headers": endpoint.headers,
        }
    }


def _expected(case: Mapping[str, Any]) -> dict[str, Any]:
    expect = case["expect"]
    if "error" in expect:
        return {"error": expect["error"]}
    endpoint = expect["endpoint"]
    return {
        "endpoint": {
            "url": endpoint["url"],
            "properties": endpoint.get("properties", {}),
            "headers": endpoint.get("headers", {}),
        }
    }


# ---------------------------------------------------------------------------
# The summary line
# ---------------------------------------------------------------------------

_COUNTS = {"passed": 0, "skipped": 0, "failed": 0}


class _SummaryPlugin:
    """Prints the case totals at the end of the run (cases, not pytest tests)."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if any(_COUNTS.values()):
            terminalreporter.write_line(
                f"endpoint cases: {_COUNTS['passed']} passed, {_COUNTS['skipped']} skipped, "
                f"{_COUNTS['failed']} failed"
            )


@pytest.fixture(scope="module", autouse=True)
def _case_summary(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("awsgen-endpoint-case-summary"):
        manager.register(_SummaryPlugin(), "awsgen-endpoint-case-summary")


# ---------------------------------------------------------------------------
# The compliance cases
# ---------------------------------------------------------------------------


def test_every_service_with_cases_has_a_rule_set() -> None:
    with_cases = [
        d.name
        for d in endpoint_tests_dir().iterdir()
        if (d / "endpoint-tests-1.json").exists()
    ]
    assert sorted(with_cases) == SERVICES
    assert len(SERVICES) >= 429


@pytest.mark.parametrize("service", SERVICES)
def test_rule_set_cases(service: str) -> None:
    module = _module(service)
    skips = _skip_list().get(service, {})
    failures = []
    for index, case in enumerate(_cases(service)):
        if index in skips:
            _COUNTS["skipped"] += 1
            continue
        expected = _expected(case)
        got = _outcome(module, case.get("params", {}))
        if got == expected:
            _COUNTS["passed"] += 1
            continue
        _COUNTS["failed"] += 1
        failures.append(
            f"  case {index}: {case.get('documentation', '')}\n"
            f"    params:   {json.dumps(case.get('params', {}), sort_keys=True)}\n"
            f"    expected: {json.dumps(expected, sort_keys=True)}\n"
            f"    got:      {json.dumps(got, sort_keys=True)}"
        )
    if failures:
        shown = "\n".join(failures[:20])
        more = f"\n  ... and {len(failures) - 20} more" if len(failures) > 20 else ""
        pytest.fail(
            f"{service}: {len(failures)} endpoint case(s) failed\n{shown}{more}",
            pytrace=False,
        )


@functools.cache
def _service_model(service: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (service_model_dir(service) / "service-2.json").read_text()
    )
    return data


def _operation_params(
    service: str, operation_input: Mapping[str, Any]
) -> dict[str, Any]:
    """Rule-set parameters as a client would bind them for one operation call.

    builtIns come from client configuration; ``staticContextParams`` from the
    operation; ``contextParam`` members and ``operationContextParams`` paths from
    the call's input.
    """
    jmespath = pytest.importorskip("jmespath")
    model = _service_model(service)
    by_builtin = {
        p.builtin: p.name
        for p in compile_ruleset_parameters(_ruleset(service))
        if p.builtin
    }
    operation = model["operations"][operation_input["operationName"]]
    call = operation_input.get("operationParams", {})
    params = {
        by_builtin[name]: value
        for name, value in operation_input.get("builtInParams", {}).items()
    }
    for name, spec in operation.get("staticContextParams", {}).items():
        params[name] = spec["value"]
    input_shape = operation.get("input", {}).get("shape")
    for member, spec in (
        model["shapes"][input_shape]["members"] if input_shape else {}
    ).items():
        if "contextParam" in spec and member in call:
            params[spec["contextParam"]["name"]] = call[member]
    for name, spec in operation.get("operationContextParams", {}).items():
        value = jmespath.search(spec["path"], call)
        if value is not None:
            params[name] = value
    return params


SERVICES_WITH_OPERATION_INPUTS = [
    s for s in SERVICES if any("operationInputs" in c for c in _cases(s))
]


@pytest.mark.parametrize("service", SERVICES_WITH_OPERATION_INPUTS)
def test_operation_inputs_bind_the_same_outcome_as_params(service: str) -> None:
    """Running a case from its ``params`` is the same as running it from its call."""
    module = _module(service)
    mismatches = []
    for index, case in enumerate(_cases(service)):
        for operation_input in case.get("operationInputs", []):
            bound = _operation_params(service, operation_input)
            if _outcome(module, bound) != _expected(case):
                mismatches.append(
                    f"case {index} {operation_input['operationName']}: bound {bound}"
                )
    assert not mismatches, "\n".join(mismatches[:20])


# ---------------------------------------------------------------------------
# The compiled module: determinism, formatting, typing
# ---------------------------------------------------------------------------

SAMPLE_SERVICES = ["s3", "dynamodb", "connectparticipant"]


@pytest.mark.parametrize("service", SAMPLE_SERVICES)
def test_output_is_deterministic_and_formats_with_black(service: str) -> None:
    black = pytest.importorskip("black")
    again = compile_ruleset(
        json.loads(json.dumps(_ruleset(service))), _partitions(), origin=service
    )
    assert again == _source(service)
    formatted = black.format_str(_source(service), mode=black.Mode())
    assert (
        _load(formatted, "formatted")
        .resolve_endpoint({"Region": "us-west-2"})
        .url.startswith("https://")
    )


def test_compiled_modules_pass_mypy_strict(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    package = tmp_path / "generated_endpoints"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for service in SAMPLE_SERVICES + ["s3control"]:
        (package / f"{service.replace('-', '_')}.py").write_text(_source(service))
    (tmp_path / "mypy.ini").write_text(f"[mypy]\nmypy_path = {REPO / 'runtime'}\n")
    out, err, status = api.run(
        [
            "--strict",
            "--no-incremental",
            "--config-file",
            str(tmp_path / "mypy.ini"),
            str(package),
        ]
    )
    assert status == 0, out + err


def test_compiled_module_imports_only_the_runtime() -> None:
    source = _source("s3")
    imports = sorted(
        {line for line in source.splitlines() if line.startswith(("import ", "from "))}
    )
    assert all(
        line.startswith(
            (
                "from __future__",
                "from collections.abc",
                "from typing",
                "from awsgen_runtime",
            )
        )
        for line in imports
    ), imports


# ---------------------------------------------------------------------------
# Tiny rule sets: semantics, injection, broken input
# ---------------------------------------------------------------------------

_PARTITIONS = {
    "partitions": [
        {
            "id": "aws",
            "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
            "regions": {"aws-global": {}, "us-east-1": {}},
            "outputs": {
                "dnsSuffix": "amazonaws.com",
                "supportsFIPS": True,
                "name": "aws",
            },
        },
        {
            "id": "aws-cn",
            "regionRegex": "^cn\\-\\w+\\-\\d+$",
            "regions": {"cn-north-1": {}},
            "outputs": {
                "dnsSuffix": "amazonaws.com.cn",
                "supportsFIPS": False,
                "name": "aws-cn",
            },
        },
    ],
    "version": "1.1",
}


def _tiny(
    rules: list[dict[str, Any]], **parameters: dict[str, Any]
) -> types.ModuleType:
    params = parameters or {
        "Region": {"type": "string", "builtIn": "AWS::Region", "required": False}
    }
    ruleset = {"version": "1.0", "parameters": params, "rules": rules}
    return _load(compile_ruleset(ruleset, _PARTITIONS), "tiny")


def _endpoint(url: Any, **extra: Any) -> dict[str, Any]:
    return {"conditions": [], "type": "endpoint", "endpoint": {"url": url, **extra}}


def _error(message: Any) -> dict[str, Any]:
    return {"conditions": [], "type": "error", "error": message}


HOSTILE = [
    '"); import os; os.system("echo pwned") #',
    "'''\"\"\"\\n\\\\ {{not a placeholder}} }} {{",
    "line\nbreak\r\u2028\u2029\x00\x85 tab\t",
    "\U0001f600 é ü \\x41 \\N{BULLET} {{Region}}",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_rule_set_text_cannot_inject_code(text: str) -> None:
    escaped = text.replace("{", "{{").replace("}", "}}")
    url_template = "https://" + escaped + "{Region}" + escaped
    module = _tiny(
        [
            {
                "conditions": [
                    {"fn": "stringEquals", "argv": [{"ref": "Region"}, escaped]}
                ],
                "type": "error",
                "error": escaped,
            },
            # Property keys and header names are plain text; values are templates.
            _endpoint(
                url_template,
                properties={text: [escaped, {text: escaped}]},
                headers={text: [escaped]},
            ),
        ]
    )
    with pytest.raises(EndpointResolutionError) as caught:
        module.resolve_endpoint({"Region": text})
    assert str(caught.value) == text
    got = module.resolve_endpoint({"Region": "r"})
    assert got == Endpoint(
        url="https://" + text + "r" + text,
        properties={text: [text, {text: text}]},
        headers={text: [text]},
    )


def test_hostile_parameter_and_assignment_names_become_safe_identifiers() -> None:
    name = 'x"]; import os; os.system("true") or "'
    module = _tiny(
        [
            {
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": name}]},
                    {"fn": "aws.partition", "argv": [{"ref": name}], "assign": "class"},
                ],
                "type": "endpoint",
                "endpoint": {"url": "https://{" + "class#dnsSuffix}/{" + name + "}"},
            },
            _error("unset"),
        ],
        **{name: {"type": "String", "required": False}},
    )
    assert (
        module.resolve_endpoint({name: "cn-north-1"}).url
        == "https://amazonaws.com.cn/cn-north-1"
    )


def test_defaults_required_parameters_and_fall_through() -> None:
    module = _tiny(
        [
            {
                "conditions": [
                    {"fn": "booleanEquals", "argv": [{"ref": "Flag"}, True]}
                ],
                "type": "tree",
                "rules": [
                    {
                        "conditions": [
                            {"fn": "stringEquals", "argv": [{"ref": "Name"}, "a"]}
                        ],
                        "type": "endpoint",
                        "endpoint": {"url": "https://a"},
                    }
                ],
            },
            {
                "conditions": [
                    {
                        "fn": "getAttr",
                        "argv": [{"ref": "List"}, "[0]"],
                        "assign": "first",
                    }
                ],
                "type": "endpoint",
                "endpoint": {"url": "https://{Name}/{first}"},
            },
        ],
        Flag={"type": "boolean", "required": True, "default": True},
        Name={"type": "string", "required": True},
        List={"type": "stringArray", "required": False, "default": ["x"]},
    )
    assert module.resolve_endpoint({"Name": "a"}).url == "https://a"
    assert (
        module.resolve_endpoint({"Name": "b"}).url == "https://b/x"
    )  # the tree fell through
    assert (
        module.resolve_endpoint({"Name": "b", "List": ["y", "z"]}).url == "https://b/y"
    )
    with pytest.raises(EndpointResolutionError, match="Name"):
        module.resolve_endpoint({})
    with pytest.raises(EndpointResolutionError, match="must be a boolean"):
        module.resolve_endpoint({"Name": "a", "Flag": "yes"})


def test_unmatched_rules_raise() -> None:
    module = _tiny(
        [
            {
                "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                "type": "endpoint",
                "endpoint": {"url": "https://x"},
            }
        ]
    )
    with pytest.raises(EndpointResolutionError, match="No endpoint rule matched"):
        module.resolve_endpoint({})


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            [
                {
                    "conditions": [{"fn": "frobnicate", "argv": []}],
                    "type": "error",
                    "error": "x",
                }
            ],
            "unknown function 'frobnicate'",
        ),
        ([_endpoint("https://{Nope}")], "reference to unknown name 'Nope'"),
        ([_endpoint("https://{Region")], "unclosed template placeholder"),
        ([_endpoint("https://}")], "unmatched '}'"),
        ([{"conditions": [], "type": "magic"}], "unknown rule type 'magic'"),
        (
            [
                {
                    "conditions": [{"fn": "isSet", "argv": []}],
                    "type": "error",
                    "error": "x",
                }
            ],
            "isSet takes 1 argument",
        ),
        (
            [
                {
                    "conditions": [
                        {
                            "fn": "aws.partition",
                            "argv": [{"ref": "Region"}],
                            "assign": "p",
                        }
                    ],
                    "type": "endpoint",
                    "endpoint": {"url": "https://{p#a-b}"},
                }
            ],
            "unsupported getAttr path 'a-b'",
        ),
    ],
)
def test_broken_rule_sets_are_refused_with_a_clear_message(
    rules: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(
        RuleSetCompileError, match=message.replace("[", r"\[")
    ) as caught:
        _tiny(rules)
    assert caught.value.where.startswith("rules[0]")


def test_ruleset_parameters_for_the_client_generator() -> None:
    params = compile_ruleset_parameters(_ruleset("s3"))
    by_name = {p.name: p for p in params}
    assert by_name["Region"] == RuleSetParameter(
        "Region", "string", "AWS::Region", None, False, by_name["Region"].documentation
    )
    assert (
        by_name["UseFIPS"].builtin == "AWS::UseFIPS"
        and by_name["UseFIPS"].default is False
    )
    assert by_name["Endpoint"].builtin == "SDK::Endpoint"
    assert by_name["Bucket"].builtin is None and by_name["Bucket"].type == "string"
    assert {p.type for p in compile_ruleset_parameters(_ruleset("dynamodb"))} == {
        "string",
        "boolean",
        "stringArray",
    }


# ---------------------------------------------------------------------------
# Runtime helpers
# ---------------------------------------------------------------------------


def test_partition_lookup_prefers_listed_regions_then_patterns_then_aws() -> None:
    table = PartitionTable(
        [
            ("aws", r"^(us|eu)\-\w+\-\d+$", ("aws-global",), {"dnsSuffix": "a"}),
            ("other", r"^xx\-\w+\-\d+$", ("us-special-1",), {"dnsSuffix": "o"}),
        ]
    )
    assert table.lookup("us-special-1") == {
        "dnsSuffix": "o",
        "name": "other",
    }  # listed beats pattern
    assert table.lookup("xx-east-1") == {"dnsSuffix": "o", "name": "other"}
    assert table.lookup("mars-1") == {"dnsSuffix": "a", "name": "aws"}
    assert table.lookup(None) is None


def test_parse_url() -> None:
    url = parse_url("https://example.com:8443/a/b")
    assert url == {
        "scheme": "https",
        "authority": "example.com:8443",
        "path": "/a/b",
        "normalizedPath": "/a/b/",
        "isIp": False,
    }
    assert parse_url("http://127.0.0.1")["isIp"] is True  # type: ignore[index]
    assert parse_url("http://[fe80::1%25en0]:80/")["isIp"] is True  # type: ignore[index]
    assert parse_url("http://example.com")["normalizedPath"] == "/"  # type: ignore[index]
    for bad in ("ftp://x", "https://x?q=1", "https://x:port", "nota url", None):
        assert parse_url(bad) is None, bad


def test_parse_arn() -> None:
    arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/my:ap")
    assert arn == {
        "partition": "aws",
        "service": "s3",
        "region": "us-west-2",
        "accountId": "123456789012",
        "resourceId": ["accesspoint", "my", "ap"],
    }
    assert parse_arn("arn:aws:s3:::bucket")["region"] == ""  # type: ignore[index]
    for bad in (
        "arn:aws:s3:us-west-2:123",
        "arn::s3:r:a:res",
        "arn:aws:s3:r:a:",
        "urn:aws:s3:r:a:x",
        None,
    ):
        assert parse_arn(bad) is None, bad


def test_string_functions() -> None:
    assert substring("abcdef", 0, 2, False) == "ab"
    assert substring("abcdef", 0, 2, True) == "ef"
    assert substring("abc", 1, 1, False) is None
    assert substring("ab", 0, 3, False) is None
    assert substring("abçd", 0, 2, False) is None
    assert uri_encode("a b/c~d") == "a%20b%2Fc~d"
    assert is_valid_host_label("a-1", False) and not is_valid_host_label("-a", False)
    assert not is_valid_host_label("a.b", False) and is_valid_host_label("a.b", True)
    assert not is_valid_host_label("a..b", True) and not is_valid_host_label(
        "x" * 64, False
    )
    assert is_virtual_hostable_s3_bucket("my-bucket", False)
    assert not is_virtual_hostable_s3_bucket("My-bucket", False)
    assert not is_virtual_hostable_s3_bucket("ab", False)
    assert not is_virtual_hostable_s3_bucket("192.168.1.1", True)
    assert not is_virtual_hostable_s3_bucket(
        "a.b.c", False
    ) and is_virtual_hostable_s3_bucket("a.b.c", True)


def test_endpoint_is_immutable_and_compares_by_value() -> None:
    endpoint = Endpoint("https://x", {"a": 1})
    assert endpoint == Endpoint(url="https://x", properties={"a": 1}, headers={})
    assert endpoint.headers == {}
    with pytest.raises(AttributeError):
        endpoint.url = "https://y"
