"""One module per wire format, each with the helpers its generated code calls and
``error_info(response, query_compatible) -> (code, message, body)``, which reads an
error response: ``body`` is what the generated error parsers take (a dict for JSON
and CBOR, an XML element for the XML protocols)."""
