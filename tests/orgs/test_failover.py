"""A request caught by a database failover or a Redis restart gets the retry page; other errors do not."""

from django.db import OperationalError
from django.test import RequestFactory
from redis.exceptions import ConnectionError as RedisUnavailable

from orgs.failover import FailoverMiddleware


def middleware():
    return FailoverMiddleware(lambda request: None)


def test_a_lost_database_connection_is_the_chinese_retry_page():
    response = middleware().process_exception(RequestFactory().post("/"), OperationalError("server closed"))
    assert response.status_code == 503
    assert "请稍后重试" in response.content.decode()
    assert response["Retry-After"] == "5"


def test_a_restarting_redis_is_the_retry_page_too():
    response = middleware().process_exception(RequestFactory().get("/"), RedisUnavailable("refused"))
    assert response.status_code == 503


def test_any_other_error_is_left_to_the_error_page():
    assert middleware().process_exception(RequestFactory().get("/"), ValueError("bug")) is None
