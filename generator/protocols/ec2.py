"""ec2 (EC2 Query): query's form body with EC2's names, and XML answers rooted at
``<OpResponse>`` with no result wrapper.

Form names differ from query's: a member is named by its ``queryName``, else its
``locationName`` or member name with the first letter capitalized; every list is
``Name.N`` (the list member's name is never used) and an empty list sends nothing.
Maps, scalars and parsing are query's.
"""

from __future__ import annotations

from ..model.ir import Member, Operation
from .query import FormShapes, Query


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


class Ec2FormShapes(FormShapes):
    ec2 = True

    def member_name(self, m: Member) -> str:
        return m.query_name or _cap(m.location_name or self.shapes[m.target].location_name or m.name)

    def part_name(self, m: Member, default: str) -> str:
        if m.query_name:
            return m.query_name
        name = m.location_name or self.shapes[m.target].location_name
        return _cap(name) if name else default


class Ec2(Query):
    name = "ec2"
    runtime = "ec2"
    form_class = Ec2FormShapes

    def parse(self, op: Operation) -> str:
        assert op.output
        return f"    return _xde_{op.output}(_p.result(r.body, None))"


PROTOCOL = Ec2
