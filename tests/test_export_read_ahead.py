"""Exports on PostgreSQL read their rows ahead in a thread of their own (research/exports/rows.py):
the same rows in the same order as reading them in turn, the thread's connection closed when it
ends, and the thread stopped when a download is abandoned."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from research.exports import rows
from tests.data import make_archive


def reading_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "glossa-read-ahead"]


def test_read_ahead_hands_over_every_chunk_in_order():
    chunks = [[{"id": n}] for n in range(25)]
    assert list(rows.read_ahead(lambda: iter(chunks))) == chunks
    assert reading_threads() == []


def test_an_error_while_reading_ahead_is_raised_in_the_caller():
    def chunks():
        yield [{"id": 1}]
        raise ValueError("the database went away")

    read = rows.read_ahead(chunks)
    assert next(read) == [{"id": 1}]
    with pytest.raises(ValueError, match="the database went away"):
        next(read)
    assert reading_threads() == []


def test_reading_ahead_stops_when_the_caller_stops():
    produced = []

    def chunks():
        for n in range(10_000):
            produced.append(n)
            yield [{"id": n}]

    read = rows.read_ahead(chunks)
    assert next(read) == [{"id": 0}]
    read.close()
    assert reading_threads() == []
    # The chunk handed over, those waiting in between, and the one being read when told to stop.
    assert len(produced) <= 1 + rows.READ_AHEAD + 1


def backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="read ahead on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("data_type", ["annotations", "paragraphs", "articles"])
def test_an_export_read_ahead_has_the_rows_of_one_read_in_turn(client, monkeypatch, data_type):
    make_archive()
    monkeypatch.setattr(rows, "_chunk_size", lambda: 1)  # a chunk for every row
    calls = []
    read_ahead = rows.read_ahead
    monkeypatch.setattr(rows, "read_ahead", lambda chunks: calls.append(1) or read_ahead(chunks))

    def export(fmt: str) -> str:
        response = client.get("/search/", {"type": data_type, "format": fmt})
        assert response.status_code == 200
        return b"".join(response.streaming_content).decode()

    before = backends()
    ahead = {fmt: export(fmt) for fmt in ("csv", "json")}
    assert len(calls) == 2
    with transaction.atomic():  # another connection would not see this transaction: read in turn
        in_turn = {fmt: export(fmt) for fmt in ("csv", "json")}
    assert len(calls) == 2
    assert ahead == in_turn
    assert ahead["csv"].count("\r\n") >= 3  # the header and two chunks or more
    assert reading_threads() == []
    assert backends() == before  # the reading thread closed its connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="read ahead on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_an_abandoned_export_stops_its_reading_thread(client, monkeypatch):
    make_archive()
    monkeypatch.setattr(rows, "_chunk_size", lambda: 1)
    before = backends()
    response = client.get("/search/", {"format": "json"})
    pieces = iter(response.streaming_content)
    monkeypatch.setattr("research.exports.streams.PIECE", 1)
    assert next(pieces)
    response.close()
    assert reading_threads() == []
    assert backends() == before
