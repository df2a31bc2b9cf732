"""rest-xml's runtime module: text escaping for request documents, and error answers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from urllib3 import HTTPHeaderDict

from awsgen_runtime.protocols import rest_xml
from awsgen_runtime.transport import HttpResponse

TRICKY = ["plain", "a & b", "<tag>", "]]>", "cr\rlf\n tab\t", '"quoted" \'single\'', "ünïcødé 😹", ""]


@pytest.mark.parametrize("text", TRICKY)
def test_escaped_text_reads_back_unchanged(text: str) -> None:
    doc = f'<r a="{rest_xml.esc_attr(text)}">{rest_xml.esc(text)}</r>'.encode("utf-8")
    root = ET.fromstring(doc)
    assert (root.text or "") == text
    assert root.get("a") == text


def _resp(status: int, body: bytes) -> HttpResponse:
    return HttpResponse(status, HTTPHeaderDict({}), body)


def test_error_response_document() -> None:
    body = (
        b'<?xml version="1.0"?>\n<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
        b"<Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>none: Z1</Message></Error>"
        b"<RequestId>abc-123</RequestId></ErrorResponse>"
    )
    code, message, parsed = rest_xml.error_info(_resp(404, body))
    assert (code, message) == ("NoSuchHostedZone", "none: Z1")
    assert parsed is not None and parsed.request_id == "abc-123"


def test_s3_bare_error_document() -> None:
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>gone</Message>'
        b"<Key>k</Key><RequestId>4442587FB7D0A2F9</RequestId></Error>"
    )
    code, message, parsed = rest_xml.error_info(_resp(404, body))
    assert (code, message) == ("NoSuchKey", "gone")
    assert parsed is not None and parsed.request_id == "4442587FB7D0A2F9"
    assert parsed["Key"].text == "k"


@pytest.mark.parametrize("body", [b"", b"   ", b"<html>Bad Gateway</html>", b"not xml", b"<!DOCTYPE x><x/>"])
def test_other_answers_are_not_errors_of_the_protocol(body: bytes) -> None:
    assert rest_xml.error_info(_resp(502, body)) == ("", "", None)
