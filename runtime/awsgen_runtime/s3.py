"""What S3 clients do beyond their model, switched on by models/customizations/s3.yaml.

Each function here is named by the customization that makes a generated client use it.
"""

from __future__ import annotations

import re
from typing import Any

# The aws partition's regions (partitions.json's regionRegex), not China, GovCloud or ISO.
_AWS_REGION = re.compile(r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$")
_HOST_LABEL = re.compile(r"^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$")


def presign_global_endpoint(config: Any, region: str | None, ctx: dict[str, Any] | None) -> dict[str, Any] | None:
    """``presign_on_global_endpoint``: the endpoint parameters a presigned URL uses instead
    of the client's, or None. As botocore, presigned URLs of the aws partition go to the
    global host (``bucket.s3.amazonaws.com``, signed for the client's region) unless the
    client asks for dual-stack, virtual or path style, or us-east-1's regional endpoint,
    or the bucket cannot be a host label (path style), is an ARN or a directory bucket."""
    if region is None or not _AWS_REGION.match(region) or config.use_dualstack:
        return None
    s3 = config.s3
    style = s3.get("addressing_style", "auto")
    if style in ("virtual", "path"):
        return None
    if region == "us-east-1" and s3.get("us_east_1_regional_endpoint") == "regional":
        return None
    bucket = (ctx or {}).get("Bucket")
    if bucket is not None and (not _HOST_LABEL.match(bucket) or bucket.endswith("--x-s3")):
        return None  # an ARN has ':', which no host label holds
    return {**(ctx or {}), "Region": "aws-global", "UseGlobalEndpoint": True}
