"""awsgen runtime: the small, hand-written library that generated clients import."""

__version__ = "0.1.0"
