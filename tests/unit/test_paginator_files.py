"""A paginators-1.json beside a model is checked against it: a paginator naming an
operation, member or path the model lacks is an error naming the file and JSON path,
and nothing is generated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.load import ModelError
from generator.pipeline import build_package
from generator.render import PackageSettings
from generator.botocore_source import service_model_dir

SQS = service_model_dir("sqs") / "service-2.json"


def _model(tmp_path: Path, pagination: object) -> Path:
    folder = tmp_path / "sqs"
    folder.mkdir()
    (folder / "service-2.json").write_bytes(SQS.read_bytes() if SQS.exists() else
                                            (SQS.parent / "service-2.json.gz").read_bytes())
    (folder / "paginators-1.json").write_text(json.dumps({"pagination": pagination}))
    return folder / "service-2.json"


@pytest.mark.parametrize("pagination, where", [
    ({"Nope": {"input_token": "NextToken", "output_token": "NextToken", "result_key": "QueueUrls"}},
     "$.pagination.Nope: the model has no operation 'Nope'"),
    ({"ListQueues": {"input_token": "Token", "output_token": "NextToken", "result_key": "QueueUrls"}},
     "$.pagination.ListQueues.input_token: the input has no member 'Token'"),
    ({"ListQueues": {"input_token": "NextToken", "output_token": "Next.Token", "result_key": "QueueUrls"}},
     "$.pagination.ListQueues.output_token[0]: 'Next.Token' is not a path in the output"),
    ({"ListQueues": {"input_token": "NextToken", "output_token": "NextToken", "result_key": "QueueUrls[0].X"}},
     "$.pagination.ListQueues.result_key[0]: 'QueueUrls[0].X' is not a path in the output"),
    ("not an object", "$.pagination: expected an object of paginators"),
])
def test_bad_paginators_name_the_file_and_path(tmp_path: Path, pagination: object, where: str) -> None:
    model = _model(tmp_path, pagination)
    with pytest.raises(ModelError) as info:
        build_package(model, PackageSettings("aws_sqs", "aws-sqs", "sqs/service-2.json"), fmt=False)
    assert any(p.startswith(str(model.parent / "paginators-1.json")) and p.endswith(where)
               for p in info.value.problems), info.value.problems


def test_good_paginators_become_methods(tmp_path: Path) -> None:
    model = _model(tmp_path, {"ListQueues": {"input_token": "NextToken", "output_token": "NextToken",
                                             "limit_key": "MaxResults", "result_key": "QueueUrls"}})
    files = build_package(model, PackageSettings("aws_sqs", "aws-sqs", "sqs/service-2.json"), fmt=False)
    client = files["aws_sqs/client.py"]
    assert "def paginate_list_queues(" in client and "_Paginator[_shapes.ListQueuesResult, str]" in client
