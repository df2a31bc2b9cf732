"""Differential tests: generated clients against botocore's serializers and parsers."""
