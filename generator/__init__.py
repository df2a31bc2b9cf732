"""awsgen: botocore-format AWS service models in, typed static Python clients out."""

__version__ = "0.1.0"
