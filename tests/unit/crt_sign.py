"""Signs requests with the AWS Common Runtime's SigV4a (awscrt, the signer botocore uses
for SigV4a when installed): the reference for awsgen_runtime.sigv4a. Run in its own
process with awscrt on PYTHONPATH, so the rest of the tests keep botocore's default
(pure Python) signers. Reads a JSON list of cases on stdin, prints a JSON list of
{"path": path and query after signing, "headers": [[name, value], ...]}."""

import json
import sys
from datetime import datetime, timezone

from awscrt import auth, http

UNSIGNED = {"expect", "user-agent", "x-amzn-trace-id", "authorization"}

out = []
for case in json.load(sys.stdin):
    target = case["path"] + ("?" + case["query"] if case["query"] else "")
    req = http.HttpRequest(case["method"], target, headers=http.HttpHeaders([tuple(h) for h in case["headers"]]))
    presign = case.get("expires") is not None
    config = auth.AwsSigningConfig(
        algorithm=auth.AwsSigningAlgorithm.V4_ASYMMETRIC,
        signature_type=(auth.AwsSignatureType.HTTP_REQUEST_QUERY_PARAMS if presign
                        else auth.AwsSignatureType.HTTP_REQUEST_HEADERS),
        credentials_provider=auth.AwsCredentialsProvider.new_static(case["ak"], case["sk"], case.get("token")),
        region=case["region_set"],
        service=case["service"],
        date=datetime.strptime(case["date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc),
        should_sign_header=lambda name: name.lower() not in UNSIGNED,
        use_double_uri_encode=not case["s3"],
        should_normalize_uri_path=not case["s3"],
        signed_body_value=case["payload_hash"],
        signed_body_header_type=(auth.AwsSignedBodyHeaderType.X_AMZ_CONTENT_SHA_256 if case["s3"] and not presign
                                 else auth.AwsSignedBodyHeaderType.NONE),
        expiration_in_seconds=case.get("expires"),
    )
    auth.aws_sign_request(req, config).result()
    out.append({"path": req.path, "headers": [list(h) for h in req.headers]})
json.dump(out, sys.stdout)
