"""ec2 (EC2 Query): form-encoded requests as query's, XML answers rooted at
``<OpResponse>`` without a result wrapper, errors as
``<Response><Errors><Error><Code>..</Code>..</Error></Errors><RequestID>..</RequestID>``
(query's ``error_info`` reads both forms). Its wire helpers are query's, one copy.
"""

from __future__ import annotations

from .query import *  # noqa: F403 - what generated code calls as ``_p.<name>``
from .query import __all__ as __all__  # noqa: PLC0414
