"""Acceptance (issue 4): real Celery worker and beat processes, a private Redis as broker, an SMTP
sink that records Message-IDs. Every due reminder ends delivered exactly once when

(a) the worker is killed with SIGKILL in the middle of a batch and restarted,
(b) two beat schedulers (and two workers) run at once,
(c) Redis is restarted mid-run (queued tasks are lost),
(d) the mail server refuses for a while (rows retry and are delivered when it comes back).

"Exactly once" is counted by Message-ID at the sink. The one window no system can close — the
server has accepted a message but the worker dies before recording it — would show as the same
Message-ID twice; (a) allows that one repeat and the others allow none."""

from __future__ import annotations

import datetime as dt
import os
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Count

from notifications.models import Kind, OutboxMessage, Status
from partnerships.roles import Role
from tests.notifications.chaos import Processes, Redis, Sink, wait_for
from tests.notifications.conftest import make_deadline

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

ON = dt.date(2026, 6, 3)  # a Wednesday, swept by the test beat whatever day the tests run


@pytest.fixture
def rig(tmp_path):
    redis = Redis(tmp_path)
    redis.start()
    sink = Sink()
    sink.start()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.celery_settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": redis.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "NOTIFY_TEST_ON": ON.isoformat(),
        "NOTIFY_TEST_EVERY": "1",
    }
    procs = Processes(tmp_path, env)
    yield SimpleNamespace(redis=redis, sink=sink, procs=procs)
    procs.stop_all()
    sink.stop()
    redis.stop()
    print(procs.logs())  # shown when a test fails


@pytest.fixture
def due(open_case, world):
    """30 deadlines due on ``ON``: each reminds two business-unit members on the day and
    escalates to the subgroup chair the same day — 90 messages in all."""
    open_case.deadlines.all().delete()
    world.user(Role.BUSINESS_UNIT)
    world.user(Role.BUSINESS_UNIT)
    world.user(Role.SUBGROUP_CHAIR)
    for _ in range(30):
        make_deadline(
            open_case,
            ON,
            reminders={
                "due_today": True,
                "escalations": [{"after_working_days": 0, "roles": ["subgroup_chair"]}],
            },
        )
    return 90


def wait_all_sent(rig, expected: int, what: str, timeout: float = 90) -> None:
    def check() -> bool:
        return OutboxMessage.objects.filter(status=Status.SENT).count() == expected

    try:
        wait_for(check, timeout, what)
    except AssertionError as exc:
        counts = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("id")))
        raise AssertionError(
            f"{exc}; rows by status {counts}; sink accepted {len(rig.sink.handler.ids())}"
        ) from None


def assert_exactly_once(sink: Sink, expected: int, allowed_repeats: int = 0) -> None:
    rows = OutboxMessage.objects.all()
    assert rows.count() == expected
    assert set(rows.values_list("status", flat=True)) == {Status.SENT}
    wanted = {r.message_id for r in rows}
    got = sink.handler.ids()
    assert set(got) == wanted, "a reminder was lost or an unknown message was sent"
    assert len(got) - len(set(got)) <= allowed_repeats, f"{len(got) - len(set(got))} messages sent twice"


def test_worker_killed_mid_batch_then_restarted_sends_every_reminder_once(rig, due):
    rig.sink.handler.delay = 0.1
    rig.procs.beat()
    worker = rig.procs.worker()
    wait_for(lambda: len(rig.sink.handler.ids()) >= 15, 60, "the first messages to arrive")
    rig.procs.kill(worker)
    in_flight = OutboxMessage.objects.filter(status=Status.SENDING).count()
    assert in_flight > 0, "the kill did not land in the middle of a batch"
    assert len(rig.sink.handler.ids()) < due
    rig.procs.worker()
    wait_all_sent(rig, due, "every message to be sent after the restart")
    assert_exactly_once(rig.sink, due, allowed_repeats=1)
    assert OutboxMessage.objects.filter(attempts__gte=2).exists(), (
        "nothing was reclaimed from the dead worker"
    )


def test_two_beat_schedulers_and_two_workers_cause_no_duplicate(rig, due):
    rig.procs.beat()
    rig.procs.beat()
    rig.procs.worker("a")
    rig.procs.worker("b")
    wait_all_sent(rig, due, "every message to be sent")
    time.sleep(3)  # both beats keep sweeping and delivering: nothing more may be sent
    assert_exactly_once(rig.sink, due)
    assert OutboxMessage.objects.filter(kind=Kind.ESCALATION).count() == 30


def test_redis_restarted_mid_run_loses_nothing(rig, due):
    rig.sink.handler.delay = 0.05
    rig.procs.beat()
    rig.procs.worker()
    wait_for(lambda: len(rig.sink.handler.ids()) >= 10, 60, "the first messages to arrive")
    rig.redis.stop()  # everything queued in Redis is gone
    time.sleep(2)
    rig.redis.start()
    wait_all_sent(rig, due, "every message to be sent after Redis came back")
    assert_exactly_once(rig.sink, due)


def test_mail_server_refusing_for_a_while_then_everything_is_delivered(rig, due):
    rig.sink.handler.refusing = True
    rig.procs.beat()
    rig.procs.worker()
    wait_for(lambda: rig.sink.handler.refused >= 20, 60, "the mail server to refuse some messages")
    rig.sink.stop()  # and then it is down altogether for a moment
    time.sleep(2)
    assert OutboxMessage.objects.filter(status=Status.SENT).count() == 0
    assert OutboxMessage.objects.exclude(last_error="").exists()
    rig.sink.handler.refusing = False
    rig.sink.start()
    wait_all_sent(rig, due, "every message to be sent when the server came back")
    assert_exactly_once(rig.sink, due)
    assert OutboxMessage.objects.filter(attempts__gte=2).exists()
    assert not OutboxMessage.objects.exclude(last_error="").exists()
