"""The typed, immutable intermediate model the templates see.

Templates never touch raw JSON: every name, location and constraint they need is
decided here once. Objects are frozen; collections are tuples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCALAR_TYPES = frozenset(
    {"string", "integer", "long", "float", "double", "boolean", "blob", "timestamp"}
)


@dataclass(frozen=True)
class Member:
    """One member of a structure: where it travels and under which names."""

    name: str  # the model's member name
    py_name: str  # the Python attribute / keyword argument
    target: str  # the shape it refers to
    wire_name: str  # JSON key, header name, query key or URI label
    location: str  # "body", "uri", "querystring", "header", "headers", "statusCode"
    required: bool
    documentation: str
    timestamp_format: str | None = None
    jsonvalue: bool = False
    idempotency_token: bool = False
    host_label: bool = False
    is_payload: bool = False
    event_payload: bool = False
    event_header: bool = False  # an event's member carried in a message header
    deprecated: bool = False
    context_param: str | None = None
    # XML and query traits (rest-xml, query, ec2)
    location_name: str | None = None  # the model's locationName, when it gives one
    query_name: str | None = None  # ec2's queryName
    xml_attribute: bool = False
    xml_namespace: tuple[str, str] | None = None  # (prefix, uri); prefix "" for xmlns
    flattened: bool = False  # a flattened trait on the member reference itself
    # A header timestamp that may hold other text: None then, the text in another
    # member (a customization: header_text_members).
    lenient: bool = False


@dataclass(frozen=True)
class Shape:
    """A shape of any type; fields that do not apply to a type keep their defaults."""

    name: str
    type: str  # botocore type; "document" for document structures, "union" for unions
    documentation: str = ""
    class_name: str = ""  # structures, unions, enums and exceptions
    members: tuple[Member, ...] = ()
    member: Member | None = None  # list element
    key: Member | None = None  # map key
    value: Member | None = None  # map value
    enum: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    timestamp_format: str | None = None
    sensitive: bool = False
    streaming: bool = False
    event_stream: bool = False
    event: bool = False
    # An event stream's modeled exception events (members whose target is an exception):
    # raised as typed errors, so they are not among ``members``.
    stream_errors: tuple[Member, ...] = ()
    exception: bool = False
    error_code: str | None = None
    http_status: int | None = None
    fault: bool = False
    payload: str | None = None  # member name of the payload, for structures
    sparse: bool = False
    jsonvalue: bool = False
    requires_length: bool = False
    # XML traits (rest-xml, query, ec2)
    flattened: bool = False  # lists and maps
    xml_namespace: tuple[str, str] | None = None  # (prefix, uri)
    location_name: str | None = None  # root element name of a structure, when given

    @property
    def is_structure(self) -> bool:
        return self.type in ("structure", "union")

    @property
    def is_enum(self) -> bool:
        return self.type == "string" and bool(self.enum)

    def member_named(self, name: str) -> Member:
        for m in self.members:
            if m.name == name:
                return m
        raise KeyError(name)

    @property
    def payload_member(self) -> Member | None:
        return self.member_named(self.payload) if self.payload else None


@dataclass(frozen=True)
class Operation:
    name: str
    py_name: str
    method: str
    request_uri: str
    response_code: int
    input: str | None
    output: str | None
    errors: tuple[str, ...]
    documentation: str
    host_prefix: str | None = None
    auth_type: str | None = None  # "none" for unsigned operations, else None (model default)
    auth: tuple[str, ...] = ()
    deprecated: bool = False
    endpoint_operation: bool = False  # the endpointoperation trait: the service's DescribeEndpoints
    http_checksum_required: bool = False
    request_compression: tuple[str, ...] = ()
    unsigned_payload: bool = False
    static_context_params: tuple[tuple[str, object], ...] = ()
    # operationContextParams: (rule-set parameter, JMESPath over the input), compiled by
    # generator/context_params.py
    operation_context_params: tuple[tuple[str, str], ...] = ()
    result_wrapper: str | None = None  # query/ec2: the element wrapping the output
    input_location_name: str | None = None  # rest-xml: root element of the input payload
    input_xml_namespace: tuple[str, str] | None = None
    # The model's httpChecksum trait (flexible checksums, awsgen_runtime.checksums):
    checksum_algorithm_member: str | None = None  # requestAlgorithmMember
    checksum_required: bool = False  # requestChecksumRequired
    checksum_mode_member: str | None = None  # requestValidationModeMember
    response_checksums: tuple[str, ...] = ()  # responseAlgorithms, lowercase
    # From models/customizations/ (see generator/customizations.py):
    error_in_200: bool = False  # a 200 answer may hold an <Error>
    output_root_text: str | None = None  # output member read from the root element's text
    # (input member sent as "url" by default, output members to URL-decode then)
    default_url_encoding: tuple[str, tuple[str, ...]] | None = None
    sse_customer_keys: tuple[str, ...] = ()  # member prefixes ("SSECustomer")
    copy_source: str | None = None  # member taking a string or a mapping
    # "Expect: 100-continue": 0 never, 1 for file-like bodies, 2 for any body
    expect_continue: int = 0
    base64_encode: tuple[str, ...] = ()  # input members sent base64-encoded
    ascii_only: tuple[str, ...] = ()  # input map members whose keys and values must be ASCII
    query_as_form: bool = False  # a GET's query sent as a form POST (CloudSearch Domain's Search)
    tree_hash: bool = False  # the body's SHA-256 and tree hash in headers (Glacier's uploads)
    decode_base64_output: tuple[str, ...] = ()  # output members base64-decoded


@dataclass(frozen=True)
class Service:
    """A whole service model, ready to render."""

    source: str  # the model file, for "generated from" headers and messages
    service_id: str
    full_name: str
    api_version: str
    protocol: str
    json_version: str
    target_prefix: str | None
    endpoint_prefix: str
    signing_name: str
    signature_version: str
    query_compatible: bool
    documentation: str
    operations: tuple[Operation, ...]
    shapes: dict[str, Shape] = field(hash=False)
    presign_global_endpoint: bool = False  # a customization (awsgen_runtime.s3)
    presign_post_operation: str | None = None  # a customization: presign_post() signs as this
    region_redirects: bool = False  # a customization: requests follow the bucket's region
    managed_transfers: bool = False  # a customization: upload_file/download_file methods
    default_headers: tuple[tuple[str, str], ...] = ()  # a customization
    member_defaults: tuple[tuple[str, str], ...] = ()  # a customization: (member, value)
    strip_id_prefix_shapes: tuple[str, ...] = ()  # a customization
    bucket_name_members: tuple[str, ...] = ()  # a customization: checked as bucket names
    timestamp_milliseconds: bool = False  # a customization: the compat client's timestamps in milliseconds
    oauth2_errors: bool = False  # a customization: OAuth2 error messages (error_description)
    # botocore's legacy retry policy from _retry.json (generator/legacy_retry.py), or None
    legacy_retry: tuple[Any, ...] | None = None

    def shape(self, name: str) -> Shape:
        return self.shapes[name]
