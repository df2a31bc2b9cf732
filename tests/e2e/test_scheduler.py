"""EventBridge Scheduler (rest-json): the generated client against moto, compared with boto3."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from aws_scheduler import errors, shapes

UTC = dt.timezone.utc
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:e2e-target"
ROLE = "arn:aws:iam::123456789012:role/e2e-scheduler"
START = dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC)
END = dt.datetime(2032, 6, 7, 8, 9, 10, tzinfo=UTC)
# Values moto makes up on every call: compared by type only.
VOLATILE = frozenset({"creation_date", "last_modification_date"})
# Members botocore fills with a fresh random value (idempotency tokens).
RANDOM_INPUT = frozenset({"ClientToken", "clientToken"})


def _schedule_ops(client: Any, S: Any) -> list[tuple[str, Any]]:
    """The schedule flow, written once for both clients.

    ``S`` adapts the call style: for the generated client ``S.call(name, **snake)``
    calls the snake_case method with shape objects; for boto3 it converts to the
    PascalCase dicts boto3 wants. Each step's result is returned under its operation
    name, in order.
    """
    out: list[tuple[str, Any]] = []
    out.append(("CreateSchedule", S.create_schedule(
        name="e2e-sched", schedule_expression="rate(5 minutes)",
        flexible_time_window=S.ftw(mode="OFF"),
        target=S.target(arn=LAMBDA, role_arn=ROLE, input=json.dumps({"hello": "world"}),
                        retry_policy=S.retry(maximum_event_age_in_seconds=600, maximum_retry_attempts=3)),
        description="first version", start_date=START, end_date=END,
        schedule_expression_timezone="Europe/Paris", state="ENABLED",
    )))
    out.append(("GetSchedule", S.get_schedule(name="e2e-sched")))
    out.append(("ListSchedules", S.list_schedules()))
    out.append(("UpdateSchedule", S.update_schedule(
        name="e2e-sched", schedule_expression="cron(0 12 * * ? *)",
        flexible_time_window=S.ftw(mode="FLEXIBLE", maximum_window_in_minutes=15),
        target=S.target(arn=LAMBDA, role_arn=ROLE, input="{}"),
        description="second version", state="DISABLED",
    )))
    out.append(("GetSchedule", S.get_schedule(name="e2e-sched")))
    out.append(("ListSchedules", S.list_schedules(state="DISABLED")))
    out.append(("DeleteSchedule", S.delete_schedule(name="e2e-sched")))
    out.append(("ListSchedules", S.list_schedules()))
    return out


class Ours:
    def __init__(self, client: Any) -> None:
        self.c = client
        self.ftw = shapes.FlexibleTimeWindow
        self.target = shapes.Target
        self.retry = shapes.RetryPolicy

    def __getattr__(self, name: str) -> Any:
        return getattr(self.c, name)


class Boto:
    """boto3 with the generated client's call style (snake_case keywords)."""

    def __init__(self, client: Any) -> None:
        self.c = client

    @staticmethod
    def _pascal(name: str) -> str:
        return "".join(p[:1].upper() + p[1:] for p in name.split("_"))

    def _conv(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {self._pascal(k): self._conv(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [self._conv(v) for v in value]
        return value

    def ftw(self, **kw: Any) -> dict[str, Any]:
        return kw

    target = retry = ftw

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.c, name)
        return lambda **kw: method(**self._conv(kw))


def test_schedule_flow_matches_boto3(scheduler, boto_scheduler, reset, e2e) -> None:
    ours = _schedule_ops(scheduler.client, Ours(scheduler.client))

    # What the generated client returned, checked on its own first.
    created = ours[0][1]
    assert isinstance(created, shapes.CreateScheduleOutput)
    assert created.schedule_arn == "arn:aws:scheduler:us-east-1:123456789012:schedule/default/e2e-sched"
    got = ours[1][1]
    assert isinstance(got, shapes.GetScheduleOutput)
    assert isinstance(got.target, shapes.Target) and isinstance(got.flexible_time_window, shapes.FlexibleTimeWindow)
    assert (got.name, got.group_name, got.description, got.state) == ("e2e-sched", "default", "first version", "ENABLED")
    assert got.start_date == START and got.end_date == END
    assert got.schedule_expression_timezone == "Europe/Paris"
    assert got.target.input == '{"hello": "world"}'
    assert got.target.retry_policy == shapes.RetryPolicy(maximum_event_age_in_seconds=600, maximum_retry_attempts=3)
    assert isinstance(got.creation_date, dt.datetime) and got.creation_date.tzinfo is not None
    listed = ours[2][1]
    assert [s.name for s in listed.schedules] == ["e2e-sched"]
    assert isinstance(listed.schedules[0], shapes.ScheduleSummary)
    updated = ours[4][1]
    assert updated.schedule_expression == "cron(0 12 * * ? *)"
    assert updated.description == "second version" and updated.state == "DISABLED"
    assert updated.flexible_time_window == shapes.FlexibleTimeWindow(mode="FLEXIBLE", maximum_window_in_minutes=15)
    assert updated.target.input == "{}"
    assert updated.start_date is None and updated.end_date is None  # update replaces the whole schedule
    assert [s.name for s in ours[5][1].schedules] == ["e2e-sched"]
    assert ours[7][1].schedules == []

    with pytest.raises(errors.ResourceNotFoundException) as ours_exc:
        scheduler.client.get_schedule(name="e2e-sched")
    assert isinstance(ours_exc.value, errors.SchedulerError)
    n_ours = scheduler.check_signed()
    assert n_ours == len(ours) + 1

    # The same flow through boto3 on a clean server.
    reset()
    sent = e2e.record_boto(boto_scheduler)
    theirs = _schedule_ops(boto_scheduler, Boto(boto_scheduler))
    with pytest.raises(boto_scheduler.exceptions.ResourceNotFoundException) as boto_exc:
        boto_scheduler.get_schedule(Name="e2e-sched")

    assert [op for op, _ in ours] == [op for op, _ in theirs]
    for (op, a), (_, b) in zip(ours, theirs):
        e2e.assert_same(a, e2e.boto_output(boto_scheduler, op, b), VOLATILE)

    err = boto_exc.value.response["Error"]
    assert (ours_exc.value.code, ours_exc.value.message) == (err["Code"], err["Message"])
    assert ours_exc.value.status_code == boto_exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

    # Same requests on the wire: method, path, query and JSON body.
    assert len(sent) == n_ours
    for a, b in zip(scheduler.rec.requests, sent):
        assert e2e.wire(a, RANDOM_INPUT) == e2e.wire(b, RANDOM_INPUT)


def test_schedule_group_flow_matches_boto3(scheduler, boto_scheduler, reset, e2e) -> None:
    def flow(c: Any, S: Any) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        out.append(("CreateScheduleGroup", S.create_schedule_group(
            name="e2e-group", tags=[S.tag(key="team", value="e2e"), S.tag(key="env", value="test")])))
        out.append(("GetScheduleGroup", S.get_schedule_group(name="e2e-group")))
        out.append(("ListScheduleGroups", S.list_schedule_groups()))
        out.append(("ListScheduleGroups", S.list_schedule_groups(name_prefix="e2e")))
        arn = out[0][1].schedule_group_arn if hasattr(out[0][1], "schedule_group_arn") else out[0][1]["ScheduleGroupArn"]
        out.append(("ListTagsForResource", S.list_tags_for_resource(resource_arn=arn)))
        for i in range(3):
            out.append(("CreateSchedule", S.create_schedule(
                name=f"in-group-{i}", group_name="e2e-group", schedule_expression="at(2031-01-01T00:00:00)",
                flexible_time_window=S.ftw(mode="OFF"), target=S.target(arn=LAMBDA, role_arn=ROLE),
                action_after_completion="DELETE")))
        # Page through the group's schedules two at a time.
        page = S.list_schedules(group_name="e2e-group", max_results=2)
        out.append(("ListSchedules", page))
        token = page.next_token if hasattr(page, "next_token") else page.get("NextToken")
        assert token, "expected a second page"
        out.append(("ListSchedules", S.list_schedules(group_name="e2e-group", max_results=2, next_token=token)))
        out.append(("GetSchedule", S.get_schedule(name="in-group-1", group_name="e2e-group")))
        out.append(("DeleteScheduleGroup", S.delete_schedule_group(name="e2e-group")))
        out.append(("ListScheduleGroups", S.list_schedule_groups()))
        return out

    o = Ours(scheduler.client)
    o.tag = shapes.Tag
    ours = flow(scheduler.client, o)
    assert ours[0][1].schedule_group_arn == "arn:aws:scheduler:us-east-1:123456789012:schedule-group/e2e-group"
    assert ours[1][1].state == "ACTIVE" and isinstance(ours[1][1].creation_date, dt.datetime)
    names = sorted(g.name for g in ours[2][1].schedule_groups)
    assert names == ["default", "e2e-group"]
    default = next(g for g in ours[2][1].schedule_groups if g.name == "default")
    assert default.creation_date is None  # moto sends null; null is "not set"
    assert [g.name for g in ours[3][1].schedule_groups] == ["e2e-group"]
    assert sorted((t.key, t.value) for t in ours[4][1].tags) == [("env", "test"), ("team", "e2e")]
    page1, page2 = ours[8][1], ours[9][1]
    assert len(page1.schedules) == 2 and len(page2.schedules) == 1 and page2.next_token is None
    assert sorted(s.name for s in page1.schedules + page2.schedules) == ["in-group-0", "in-group-1", "in-group-2"]
    assert ours[10][1].action_after_completion == "DELETE"
    assert [g.name for g in ours[-1][1].schedule_groups] == ["default"]
    with pytest.raises(errors.ResourceNotFoundException) as ours_exc:
        scheduler.client.get_schedule_group(name="e2e-group")
    n_ours = scheduler.check_signed()

    reset()
    sent = e2e.record_boto(boto_scheduler)
    b = Boto(boto_scheduler)
    b.tag = b.ftw
    theirs = flow(boto_scheduler, b)
    with pytest.raises(boto_scheduler.exceptions.ResourceNotFoundException) as boto_exc:
        boto_scheduler.get_schedule_group(Name="e2e-group")

    assert [op for op, _ in ours] == [op for op, _ in theirs]
    for (op, a), (_, bb) in zip(ours, theirs):
        e2e.assert_same(a, e2e.boto_output(boto_scheduler, op, bb), VOLATILE)
    err = boto_exc.value.response["Error"]
    assert (ours_exc.value.code, ours_exc.value.message) == (err["Code"], err["Message"])
    assert len(sent) == n_ours
    for a, bb in zip(scheduler.rec.requests, sent):
        assert e2e.wire(a, RANDOM_INPUT) == e2e.wire(bb, RANDOM_INPUT)


def test_modeled_errors_match_boto3(scheduler, boto_scheduler, reset, e2e) -> None:
    """ConflictException (a duplicate), ValidationException (a start date in the past)
    and ResourceNotFoundException (an unknown group, an unknown schedule): same code,
    message and status as boto3. (Not DeleteScheduleGroup of an unknown group: moto
    5.2.5 answers that with a 500 from an unhandled KeyError.)"""
    c = scheduler.client
    common = dict(flexible_time_window=shapes.FlexibleTimeWindow(mode="OFF"),
                  target=shapes.Target(arn=LAMBDA, role_arn=ROLE))
    c.create_schedule(name="dup", schedule_expression="rate(1 hour)", **common)
    cases_ours = []
    with pytest.raises(errors.ConflictException) as e1:
        c.create_schedule(name="dup", schedule_expression="rate(1 hour)", **common)
    cases_ours.append(e1.value)
    with pytest.raises(errors.ValidationException) as e2:
        c.create_schedule(name="past", schedule_expression="cron(0 * * * ? *)",
                          start_date=dt.datetime(2001, 1, 1, tzinfo=UTC), **common)
    cases_ours.append(e2.value)
    with pytest.raises(errors.ResourceNotFoundException) as e3:
        c.get_schedule_group(name="no-such-group")
    cases_ours.append(e3.value)
    with pytest.raises(errors.ResourceNotFoundException) as e4:
        c.update_schedule(name="nope", schedule_expression="rate(1 hour)", **common)
    cases_ours.append(e4.value)
    for e in cases_ours:
        assert isinstance(e, errors.SchedulerError)
        assert e.message and e.status_code >= 400
    scheduler.check_signed()

    reset()
    bc = boto_scheduler
    bcommon = dict(FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": LAMBDA, "RoleArn": ROLE})
    bc.create_schedule(Name="dup", ScheduleExpression="rate(1 hour)", **bcommon)
    calls = [
        lambda: bc.create_schedule(Name="dup", ScheduleExpression="rate(1 hour)", **bcommon),
        lambda: bc.create_schedule(Name="past", ScheduleExpression="cron(0 * * * ? *)",
                                   StartDate=dt.datetime(2001, 1, 1, tzinfo=UTC), **bcommon),
        lambda: bc.get_schedule_group(Name="no-such-group"),
        lambda: bc.update_schedule(Name="nope", ScheduleExpression="rate(1 hour)", **bcommon),
    ]
    for ours_err, call in zip(cases_ours, calls):
        with pytest.raises(bc.exceptions.ClientError) as be:
            call()
        err = be.value.response["Error"]
        assert (ours_err.code, ours_err.message) == (err["Code"], err["Message"])
        assert type(ours_err).__name__ == err["Code"]
        assert ours_err.status_code == be.value.response["ResponseMetadata"]["HTTPStatusCode"]


RICH_TARGET = {
    "Arn": "arn:aws:ecs:us-east-1:123456789012:cluster/e2e",
    "RoleArn": ROLE,
    "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"},
    "EcsParameters": {
        "TaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/e2e:1",
        "TaskCount": 2,
        "LaunchType": "FARGATE",
        "NetworkConfiguration": {"awsvpcConfiguration": {
            "Subnets": ["subnet-1", "subnet-2"], "SecurityGroups": ["sg-1"], "AssignPublicIp": "DISABLED"}},
        "PlacementConstraints": [{"type": "memberOf", "expression": "attribute:ecs.instance-type =~ t2.*"}],
        "PlacementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"}],
        "EnableECSManagedTags": True,
        "EnableExecuteCommand": False,
        "PropagateTags": "TASK_DEFINITION",
        "ReferenceId": "ref-1",
        "Tags": [{"team": "e2e", "env": "test"}, {"k": "v"}],
        "PlatformVersion": "LATEST",
        "Group": "family:e2e",
    },
    "EventBridgeParameters": {"DetailType": "e2e detail", "Source": "e2e.source"},
    "KinesisParameters": {"PartitionKey": "pk-1"},
    "SageMakerPipelineParameters": {"PipelineParameterList": [{"Name": "p1", "Value": "v 1"},
                                                              {"Name": "p2", "Value": "ünïcode"}]},
    "SqsParameters": {"MessageGroupId": "mg-1"},
    "RetryPolicy": {"MaximumEventAgeInSeconds": 60, "MaximumRetryAttempts": 0},
    "Input": '{"nested": {"list": [1, 2.5, null, true]}}',
}


def test_every_target_member_round_trips_like_boto3(scheduler, boto_scheduler, reset, e2e) -> None:
    """A target using every nested structure of the model (odd member names such as
    ``awsvpcConfiguration`` and ``EnableECSManagedTags`` included; a list of maps):
    sent and read back by both clients, compared on the wire and in the results."""
    params = dict(Name="rich", GroupName="default", ScheduleExpression="at(2031-05-06T07:08:09)",
                  ScheduleExpressionTimezone="America/New_York", FlexibleTimeWindow={"Mode": "OFF"},
                  Target=RICH_TARGET, ActionAfterCompletion="NONE", KmsKeyArn="arn:aws:kms:us-east-1:123456789012:key/k")
    c = scheduler.client
    created = e2e.ours_call(c, boto_scheduler, "CreateSchedule", **params)
    got = c.get_schedule(name="rich")
    ecs = got.target.ecs_parameters
    assert isinstance(ecs, shapes.EcsParameters)
    assert ecs.network_configuration.awsvpc_configuration.subnets == ["subnet-1", "subnet-2"]
    assert ecs.enable_ecs_managed_tags is True and ecs.enable_execute_command is False
    assert ecs.tags == [{"team": "e2e", "env": "test"}, {"k": "v"}]
    assert got.target.sage_maker_pipeline_parameters.pipeline_parameter_list[1].value == "ünïcode"
    assert got.target.retry_policy.maximum_retry_attempts == 0
    scheduler.check_signed()

    reset()
    sent = e2e.record_boto(boto_scheduler)
    b_created = boto_scheduler.create_schedule(**params)
    b_got = boto_scheduler.get_schedule(Name="rich")
    e2e.assert_same(created, e2e.boto_output(boto_scheduler, "CreateSchedule", b_created))
    e2e.assert_same(got, e2e.boto_output(boto_scheduler, "GetSchedule", b_got), VOLATILE)
    for a, b in zip(scheduler.rec.requests, sent):
        assert e2e.wire(a, RANDOM_INPUT) == e2e.wire(b, RANDOM_INPUT)


def test_tags_match_boto3(scheduler, boto_scheduler, reset, e2e) -> None:
    """TagResource, UntagResource (a list in the query string, a key with a space) and
    ListTagsForResource (an ARN in the path)."""
    arn = "arn:aws:scheduler:us-east-1:123456789012:schedule-group/tagged"

    def flow(call: Any) -> list[tuple[str, Any]]:
        out = [("CreateScheduleGroup", call("CreateScheduleGroup", Name="tagged",
                                            Tags=[{"Key": "a", "Value": "1"}]))]
        out.append(("TagResource", call("TagResource", ResourceArn=arn, Tags=[
            {"Key": "b", "Value": "2"}, {"Key": "c d", "Value": "3 4"}, {"Key": "e/f", "Value": "ü"}])))
        out.append(("ListTagsForResource", call("ListTagsForResource", ResourceArn=arn)))
        out.append(("UntagResource", call("UntagResource", ResourceArn=arn, TagKeys=["a", "c d"])))
        out.append(("ListTagsForResource", call("ListTagsForResource", ResourceArn=arn)))
        return out

    ours = flow(lambda op, **kw: e2e.ours_call(scheduler.client, boto_scheduler, op, **kw))
    assert sorted((t.key, t.value) for t in ours[2][1].tags) == [("a", "1"), ("b", "2"), ("c d", "3 4"), ("e/f", "ü")]
    assert sorted((t.key, t.value) for t in ours[4][1].tags) == [("b", "2"), ("e/f", "ü")]
    scheduler.check_signed()

    reset()
    sent = e2e.record_boto(boto_scheduler)
    from botocore import xform_name

    theirs = flow(lambda op, **kw: getattr(boto_scheduler, xform_name(op))(**kw))
    for (op, a), (_, b) in zip(ours, theirs):
        e2e.assert_same(a, e2e.boto_output(boto_scheduler, op, b))
    assert len(sent) == len(scheduler.rec.requests)
    for a, b in zip(scheduler.rec.requests, sent):
        assert e2e.wire(a, RANDOM_INPUT) == e2e.wire(b, RANDOM_INPUT)
