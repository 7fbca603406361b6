"""Waking a room's phones (workbook.server.room_push) outside a server: nothing to wake, nothing
breaks. On a real server and browser it is tested in test_projector_browser.py
(test_phones_are_woken_by_the_facilitator_not_by_polling); on a real server at the protocol
level, which run a wake-up makes, here."""

from __future__ import annotations

from workbook.models import WorkshopCreate
from workbook.server.room_push import RoomPush
from workbook.store import Store


def test_without_a_server_nobody_follows_and_a_room_change_still_commits(store: Store) -> None:
    push = RoomPush()
    push.follow(1)  # not in a script run: nothing to register
    assert push.followers(1) == []
    assert push.wake(1) == 0
    store.on_room_change(push.wake)
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    store.move_room(workshop_id=workshop.id, step=4)
    assert store.room_signal(workshop.id).current_step == 4
