"""Python names for model names, decided once, here.

Operation and member names follow botocore's snake_case rule (the one
``botocore.xform_name`` implements), so that users moving from boto3 find the same
names. A name that is a Python keyword, or that would shadow something a generated
module needs, gets a trailing underscore.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

# A run of capitals that ends a name in a plural "s" ("GatewayARNs", "ListWebACLs") is
# split off whole before the general rule runs.
_PLURAL_ACRONYM = re.compile(r"[A-Z]{2,}s$")
# A capital that starts a lower-case word, after any character: "HTTPServer" -> "HTTP_Server".
_WORD_START = re.compile(r"(.)([A-Z][a-z]+)")
# A capital right after a lower-case letter or digit: "fooBar" -> "foo_Bar".
_CASE_CHANGE = re.compile(r"([a-z0-9])([A-Z])")

# Names the general rule gets wrong, fixed by botocore with explicit entries; kept as
# data so that the generated names stay what boto3 users know.
_SPECIAL_CASES = {
    "CreateCachediSCSIVolume": "create_cached_iscsi_volume",
    "DescribeCachediSCSIVolumes": "describe_cached_iscsi_volumes",
    "DescribeStorediSCSIVolumes": "describe_stored_iscsi_volumes",
    "CreateStorediSCSIVolume": "create_stored_iscsi_volume",
    "ListHITsForQualificationType": "list_hits_for_qualification_type",
    "ExecutePartiQLStatement": "execute_partiql_statement",
    "ExecutePartiQLTransaction": "execute_partiql_transaction",
    "ExecutePartiQLBatch": "execute_partiql_batch",
    "CreateOAuth2Token": "create_oauth2_token",
    "CreateOAuth2TokenWithIAM": "create_oauth2_token_with_iam",
    "IntrospectOAuth2TokenWithIAM": "introspect_oauth2_token_with_iam",
    "RevokeOAuth2TokenWithIAM": "revoke_oauth2_token_with_iam",
    "AssociateWhatsAppBusinessAccount": "associate_whatsapp_business_account",
    "CreateWhatsAppDataset": "create_whatsapp_dataset",
    "CreateWhatsAppFlow": "create_whatsapp_flow",
    "CreateWhatsAppMessageTemplate": "create_whatsapp_message_template",
    "CreateWhatsAppMessageTemplateFromLibrary": "create_whatsapp_message_template_from_library",
    "CreateWhatsAppMessageTemplateMedia": "create_whatsapp_message_template_media",
    "DeleteWhatsAppFlow": "delete_whatsapp_flow",
    "DeleteWhatsAppMessageMedia": "delete_whatsapp_message_media",
    "DeleteWhatsAppMessageTemplate": "delete_whatsapp_message_template",
    "DeprecateWhatsAppFlow": "deprecate_whatsapp_flow",
    "DisassociateWhatsAppBusinessAccount": "disassociate_whatsapp_business_account",
    "GetLinkedWhatsAppBusinessAccount": "get_linked_whatsapp_business_account",
    "GetLinkedWhatsAppBusinessAccountPhoneNumber": "get_linked_whatsapp_business_account_phone_number",
    "GetOTelEnrichment": "get_otel_enrichment",
    "GetWhatsAppFlow": "get_whatsapp_flow",
    "GetWhatsAppFlowPreview": "get_whatsapp_flow_preview",
    "GetWhatsAppMessageMedia": "get_whatsapp_message_media",
    "GetWhatsAppMessageTemplate": "get_whatsapp_message_template",
    "ListLinkedWhatsAppBusinessAccounts": "list_linked_whatsapp_business_accounts",
    "ListWhatsAppFlowAssets": "list_whatsapp_flow_assets",
    "ListWhatsAppFlows": "list_whatsapp_flows",
    "ListWhatsAppMessageTemplates": "list_whatsapp_message_templates",
    "ListWhatsAppTemplateLibrary": "list_whatsapp_template_library",
    "PostWhatsAppMessageMedia": "post_whatsapp_message_media",
    "PublishWhatsAppFlow": "publish_whatsapp_flow",
    "PutWhatsAppBusinessAccountEventDestinations": "put_whatsapp_business_account_event_destinations",
    "SendWhatsAppConversionEvent": "send_whatsapp_conversion_event",
    "SendWhatsAppMessage": "send_whatsapp_message",
    "StartOTelEnrichment": "start_otel_enrichment",
    "StopOTelEnrichment": "stop_otel_enrichment",
    "UpdateWhatsAppFlow": "update_whatsapp_flow",
    "UpdateWhatsAppFlowAssets": "update_whatsapp_flow_assets",
    "UpdateWhatsAppMessageTemplate": "update_whatsapp_message_template",
}

# Names a generated method or field must not take, beyond Python's keywords: the client
# method's own ``self``, and the names generated modules import under.
_RESERVED = frozenset({"self", "cls"})

# Builtins that generated shapes.py / errors.py refer to by name: a class may not take them.
_SHADOWED_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "frozenset", "object", "type"})

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def snake_case(name: str) -> str:
    """botocore's snake_case rule (``xform_name`` with ``sep='_'``)."""
    if "_" in name:
        return name
    special = _SPECIAL_CASES.get(name)
    if special is not None:
        return special
    plural = _PLURAL_ACRONYM.search(name)
    if plural is not None:
        matched = plural.group()
        name = f"{name[: -len(matched)]}_{matched.lower()}"
    name = _WORD_START.sub(r"\1_\2", name)
    return _CASE_CHANGE.sub(r"\1_\2", name).lower()


def python_name(name: str) -> str:
    """The identifier a member or operation gets: snake_case, keywords escaped."""
    return escape_keyword(snake_case(name))


def escape_keyword(name: str) -> str:
    if keyword.iskeyword(name) or name in _RESERVED:
        return name + "_"
    return name


def class_name(name: str) -> str:
    """The class a shape becomes: its model name, keywords escaped.

    Leading underscores (a few models name helper shapes ``__Foo``) are dropped and
    marked with a trailing underscore instead, since a leading one would make the
    class private.
    """
    if name.startswith("_"):
        return name.lstrip("_") + "_"
    if name in _SHADOWED_BUILTINS:
        return name + "_"
    return escape_keyword(name)


def is_identifier(name: str) -> bool:
    """A safe, ASCII Python identifier that does not start with an underscore.

    Leading underscores are refused because generated modules keep their private
    helpers under such names.
    """
    return bool(_IDENTIFIER.fullmatch(name)) and not name.startswith("_")


def constant_name(value: str) -> str:
    """An enum value as a class attribute: upper case, non-identifier characters as '_'."""
    out = re.sub(r"[^A-Za-z0-9]", "_", value).upper()
    if not out or out[0].isdigit():
        out = "V_" + out
    out = out.strip("_") if out.strip("_") else "V_"
    if out[0].isdigit():
        out = "V_" + out
    return escape_keyword(out)


_API_VERSION_DIR = re.compile(r"\d{4}-\d{2}-\d{2}")


def service_name_for_model(path: Path) -> str:
    """The service a model file belongs to, from where it lies: botocore keeps models
    as ``<service>/<api version>/service-2.json``, this repository as
    ``models/<service>/service-2.json``."""
    folder = path.parent
    if _API_VERSION_DIR.fullmatch(folder.name) and folder.parent.name:
        folder = folder.parent
    return folder.name or "service"


def package_names(service: str) -> tuple[str, str]:
    """(import name, distribution name) of a service's package: the one rule for
    ``generate --model``, ``generate-all`` and the manifest's defaults.
    ``s3`` -> (``aws_s3``, ``aws-s3``); ``connect-contact-lens`` -> (``aws_connect_contact_lens``, ...)."""
    stem = "".join(c if c.isascii() and c.isalnum() else "_" for c in service.lower()).strip("_") or "service"
    if stem[0].isdigit():
        stem = "s" + stem
    return f"aws_{stem}", f"aws-{stem.replace('_', '-')}"
