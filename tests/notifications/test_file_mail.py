"""The embedded default's mail sink keeps one copy per Message-ID (a repeat send after a worker died
between sending and recording is stored once), and distinct messages each get their own file."""

from __future__ import annotations

import threading

from django.core.mail import EmailMessage

from notifications.file_mail import IdempotentFileBackend


def _message(message_id: str, body: str = "Reminder") -> EmailMessage:
    return EmailMessage(
        subject="Reminder: DAR-2026-001",
        body=body,
        from_email="no-reply@example.org",
        to=["business-unit@example.org"],
        headers={"Message-ID": message_id},
    )


def test_a_repeat_send_of_the_same_message_id_is_stored_once(tmp_path):
    backend = IdempotentFileBackend(file_path=str(tmp_path))
    assert backend.send_messages([_message("<a-1@reviews.example.org>")]) == 1
    assert backend.send_messages([_message("<a-1@reviews.example.org>")]) == 1
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    assert b"<a-1@reviews.example.org>" in files[0].read_bytes()
    assert not list(tmp_path.glob(".incoming-*")), "no temporary file left behind"


def test_distinct_messages_each_get_a_file(tmp_path):
    backend = IdempotentFileBackend(file_path=str(tmp_path))
    backend.send_messages([_message("<a-1@reviews.example.org>"), _message("<a-2@reviews.example.org>")])
    assert len(list(tmp_path.glob("*.eml"))) == 2


def test_two_senders_racing_on_one_message_store_it_once(tmp_path):
    start = threading.Barrier(8)

    def send() -> None:
        backend = IdempotentFileBackend(file_path=str(tmp_path))
        start.wait()
        backend.send_messages([_message("<race@reviews.example.org>", body="x" * 200_000)])

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    assert files[0].read_bytes().count(b"<race@reviews.example.org>") == 1
