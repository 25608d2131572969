"""The retry policy: what may be sent again, how long to wait, when to give up."""

from __future__ import annotations

import httpx
import pytest

from shopspot import retry
from shopspot.hubspot.errors import Unavailable
from shopspot.retry import Repeat, RetryPolicy

CONNECT = httpx.ConnectError("refused")  # the request never left
READ = httpx.ReadTimeout("no answer")  # it left, and may have been applied
ANSWERED_502 = Unavailable(502, "502 UNKNOWN")


@pytest.mark.parametrize(
    ("failures", "full"), [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (40, 10.0)]
)
def test_backoff_doubles_up_to_its_cap_and_is_jittered_down_to_half(
    failures: int, full: float
) -> None:
    policy = RetryPolicy(first_backoff_seconds=1.0, max_backoff_seconds=10.0)

    waits = [policy.backoff(failures) for _ in range(500)]

    assert all(full / 2 <= wait <= full for wait in waits)
    assert max(waits) - min(waits) > full / 4


def test_attempts_bound_the_tries_and_none_never_gives_up() -> None:
    bounded = RetryPolicy(1.0, 10.0, attempts=3)
    endless = RetryPolicy(1.0, 10.0)

    assert [bounded.gives_up(tries) for tries in (1, 2, 3)] == [False, False, True]
    assert not endless.gives_up(10_000)


def test_a_task_is_dead_lettered_after_its_retries() -> None:
    policy = retry.tasks(max_retries=2, max_backoff_seconds=300.0)

    assert [policy.gives_up(failures) for failures in (1, 2, 3)] == [False, False, True]
    assert 0.5 <= policy.backoff(1) <= 1.0


@pytest.mark.parametrize(
    ("repeat", "failure", "again"),
    [
        (Repeat.SAFE, READ, True),
        (Repeat.SAFE, ANSWERED_502, True),
        (Repeat.REFUSED_TWICE, READ, True),
        (Repeat.REFUSED_TWICE, ANSWERED_502, True),
        (Repeat.UNSENT_ONLY, CONNECT, True),
        (Repeat.UNSENT_ONLY, READ, False),
        (Repeat.UNSENT_ONLY, ANSWERED_502, False),
    ],
)
def test_what_may_be_sent_again(repeat: Repeat, failure: BaseException, again: bool) -> None:
    assert RetryPolicy(0.5, 8.0).may_repeat(repeat, failure) is again


def test_only_reads_puts_and_deletes_are_safe_by_their_method() -> None:
    methods = ("GET", "HEAD", "PUT", "DELETE", "POST", "PATCH")
    safe = [method for method in methods if Repeat.by_method(method) is Repeat.SAFE]
    assert safe == ["GET", "HEAD", "PUT", "DELETE"]


def test_a_rate_limit_is_waited_out_as_asked_plus_a_little() -> None:
    waits = [retry.rate_limit_wait(10.0) for _ in range(200)]
    assert all(10.0 <= wait <= 11.0 for wait in waits)
