"""Small value conversions that botocore applies in handlers, for services other than S3;
each is switched on for an operation's members by models/customizations/<service>.yaml."""

from __future__ import annotations

import base64


def base64_text(value: str | bytes) -> str:
    """``base64_encode`` (botocore's base64_encode_user_data): EC2 and Auto Scaling take
    user data base64-encoded; text is encoded as UTF-8 first."""
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")


def base64_decoded_text(value: str) -> str:
    """``decode_base64_output`` (botocore's decode_console_output): EC2's console output
    arrives base64-encoded; given back as text."""
    try:
        return base64.b64decode(value.encode("latin-1")).decode("utf-8", "replace")
    except ValueError:  # not base64 after all: kept as it came, as botocore keeps it
        return value


def strip_id_prefix(value: str) -> str:
    """``strip_id_prefix_shapes`` (botocore's fix_route53_ids): Route 53 returns ids as
    ``/hostedzone/Z1D633PJN98FT9`` and takes them without the prefix."""
    return value.rsplit("/", 1)[-1]
