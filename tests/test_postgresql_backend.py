"""The PostgreSQL backend (config/postgresql/base.py) reads timestamps with psycopg's own loader when
the connection runs in UTC, and gives the same values Django's backend would."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend")


def read_back(sql: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_timestamps_are_read_by_psycopgs_loader_in_utc():
    from config.postgresql.base import UtcTimestampLoader

    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(
        connection.connection.adapters.types["timestamptz"].oid, 0
    )
    assert loader is UtcTimestampLoader

    value = read_back("SELECT '2026-03-01 23:30:15.123456+05'::timestamptz")
    assert value == datetime.datetime(2026, 3, 1, 18, 30, 15, 123456, tzinfo=datetime.UTC)
    assert value.utcoffset() == datetime.timedelta(0)
    assert read_back("SELECT NULL::timestamptz") is None


@pytest.mark.django_db
def test_a_saved_date_reads_back_as_it_was_written():
    from articles.models import Article
    from tests.data import make_archive

    make_archive()
    pk = Article.objects.values_list("pk", flat=True).first()
    moment = datetime.datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC)
    Article.objects.filter(pk=pk).update(first_published_at=moment)
    assert Article.objects.values_list("first_published_at", flat=True).get(pk=pk) == moment


@pytest.mark.django_db
def test_another_database_time_zone_keeps_djangos_loader():
    from config.postgresql.base import DatabaseWrapper, UtcTimestampLoader

    almaty = DatabaseWrapper({**connection.settings_dict, "TIME_ZONE": "Asia/Almaty"}, "default")
    try:
        almaty.ensure_connection()
        adapters = almaty.connection.adapters
        assert adapters.get_loader(adapters.types["timestamptz"].oid, 0) is not UtcTimestampLoader
        with almaty.cursor() as cursor:
            cursor.execute("SELECT '2026-03-01 12:00:00+00'::timestamptz")
            value = cursor.fetchone()[0]
        # Django's loader: values in the database's zone (UTC+5 in Almaty), the same moment.
        assert value.utcoffset() == datetime.timedelta(hours=5)
        assert value == datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    finally:
        almaty.close()
