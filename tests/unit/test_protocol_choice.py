"""Which protocol a package is generated for: botocore 1.43.67's choice, or the manifest's."""

from __future__ import annotations

import json

import pytest
from botocore.utils import PRIORITY_ORDERED_SUPPORTED_PROTOCOLS

from generator.protocols import MODULES, PRIORITY, choose, protocol_class, supported


def test_priority_is_botocores() -> None:
    assert PRIORITY == tuple(PRIORITY_ORDERED_SUPPORTED_PROTOCOLS)


def test_every_protocol_is_one_module_found_by_name() -> None:
    assert set(MODULES) == set(PRIORITY)
    for name in supported():
        cls = protocol_class(name)
        assert cls.name == name and cls.runtime


@pytest.mark.parametrize(
    "meta, expected",
    [
        ({"protocol": "query", "protocols": ["json", "query"]}, "json"),
        ({"protocol": "query", "protocols": ["query", "json"]}, "json"),
        ({"protocol": "rest-json"}, "rest-json"),
        ({"protocol": "json", "protocols": ["json"]}, "json"),
    ],
)
def test_choice_follows_the_priority(meta: dict, expected: str) -> None:
    assert choose(meta) == expected


def test_the_manifest_may_pick_another_listed_protocol() -> None:
    meta = {"protocol": "json", "protocols": ["json", "rest-json"]}
    assert choose(meta, "rest-json") == "rest-json"
    assert choose(meta, "query") == "json"  # not listed: botocore's choice stands


def test_choice_matches_botocore_for_every_service() -> None:
    """For every model of the pinned release, the protocol botocore's client would use."""
    from botocore.model import ServiceModel

    from generator.botocore_source import data_dir

    checked = 0
    for folder in sorted(p for p in data_dir().iterdir() if p.is_dir()):
        models = sorted(folder.glob("*/service-2.json"))
        if not models:
            continue
        raw = json.loads(models[-1].read_text(encoding="utf-8"))
        ours = choose(raw["metadata"])
        if ours is None:
            continue  # not supported yet: reported by generate-all
        assert ours == ServiceModel(raw).resolved_protocol, folder.name
        checked += 1
    assert checked == 429


def _cloudwatch_model():
    from generator.botocore_source import data_dir

    return sorted((data_dir() / "cloudwatch").glob("*/service-2.json"))[-1]


@pytest.mark.parametrize("chosen, runtime", [
    (None, "json"),  # botocore's choice: json before query
    ("query", "query"),
    ("smithy-rpc-v2-cbor", "cbor"),
])
def test_a_package_is_generated_for_the_manifest_protocol(chosen, runtime) -> None:
    """CloudWatch lists smithy-rpc-v2-cbor, json and query: each can be asked for."""
    from generator.pipeline import build_package
    from generator.render import PackageSettings

    options = (("protocol", chosen),) if chosen else ()
    files = build_package(_cloudwatch_model(), PackageSettings("aws_cloudwatch", "aws-cloudwatch", "cw.json",
                                                               options=options), fmt=False)
    serde = files["aws_cloudwatch/_serde.py"]
    assert f"from awsgen_runtime.protocols import {runtime} as _p" in serde
    assert f"_PROTOCOL = {chosen or 'json'!r}" in files["aws_cloudwatch/client.py"]


def test_a_protocol_the_model_does_not_list_is_refused() -> None:
    from generator.load import ModelError
    from generator.pipeline import build_package
    from generator.render import PackageSettings

    with pytest.raises(ModelError) as info:
        build_package(_cloudwatch_model(), PackageSettings("aws_cloudwatch", "aws-cloudwatch", "cw.json",
                                                           options=(("protocol", "rest-xml"),)), fmt=False)
    assert info.value.problems == [
        "cw.json: $.metadata.protocols: the manifest asks for protocol 'rest-xml', which the model does not "
        "list (smithy-rpc-v2-cbor, json, query)"]
