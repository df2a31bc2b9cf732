"""The generated packages resolve endpoints through their compiled rule sets."""

from __future__ import annotations

import pytest

import aws_connectparticipant
import aws_dynamodb
from aws_connectparticipant import Client, Config
from awsgen_runtime.errors import EndpointResolutionError


def test_public_resolver_takes_rule_set_parameter_names() -> None:
    ep = aws_connectparticipant.endpoints.resolve_endpoint({"Region": "eu-central-1"})
    assert ep.url == "https://participant.connect.eu-central-1.amazonaws.com"
    fips = aws_connectparticipant.endpoints.resolve_endpoint({"Region": "us-east-1", "UseFIPS": True})
    assert fips.url == "https://participant.connect-fips.us-east-1.amazonaws.com"


def test_rule_set_errors_carry_the_rule_sets_text() -> None:
    with pytest.raises(EndpointResolutionError) as info:
        aws_dynamodb.endpoints.resolve_endpoint({"Region": "us-east-1", "UseFIPS": True, "Endpoint": "https://x.example"})
    assert str(info.value) == "Invalid Configuration: FIPS and custom endpoint are not supported"


def test_client_uses_the_resolver_for_region_fips_and_dualstack() -> None:
    assert Client(region="us-west-2").endpoint_url == "https://participant.connect.us-west-2.amazonaws.com"
    assert Client(region="us-west-2", config=Config(use_fips=True)).endpoint_url == (
        "https://participant.connect-fips.us-west-2.amazonaws.com")
    assert Client(region="us-west-2", config=Config(use_dualstack=True)).endpoint_url == (
        "https://participant.connect.us-west-2.api.aws")
    assert Client(region="cn-north-1").endpoint_url.endswith(".amazonaws.com.cn")
    assert Client(region="us-west-2", endpoint_url="http://localhost:9").endpoint_url == "http://localhost:9"


def test_dynamodb_signing_scope_comes_from_the_rule_set() -> None:
    c = aws_dynamodb.Client(region="eu-west-1", aws_access_key_id="AKID", aws_secret_access_key="S")
    assert c.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"
    assert (c._signer.service, c._signer.region) == ("dynamodb", "eu-west-1")
