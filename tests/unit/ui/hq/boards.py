"""Synthetic boards (``sync.wire.Board``) of Uttar Pradesh's 75 districts, for the board view's tests,
its benchmark and its screenshots: every severity present, consoles in every state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.board import BoardStep, HeartbeatAlert
from sync.wire import Board, BoardConsole, BoardDistrict, BoardMailbox

# (name, range): the 75 districts of Uttar Pradesh with their police ranges.
UP_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("Agra", "Agra"), ("Firozabad", "Agra"), ("Mainpuri", "Agra"), ("Mathura", "Agra"),
    ("Aligarh", "Aligarh"), ("Etah", "Aligarh"), ("Hathras", "Aligarh"), ("Kasganj", "Aligarh"),
    ("Prayagraj", "Prayagraj"), ("Fatehpur", "Prayagraj"), ("Kaushambi", "Prayagraj"),
    ("Pratapgarh", "Prayagraj"), ("Azamgarh", "Azamgarh"), ("Ballia", "Azamgarh"), ("Mau", "Azamgarh"),
    ("Bareilly", "Bareilly"), ("Budaun", "Bareilly"), ("Pilibhit", "Bareilly"), ("Shahjahanpur", "Bareilly"),
    ("Basti", "Basti"), ("Sant Kabir Nagar", "Basti"), ("Siddharthnagar", "Basti"),
    ("Banda", "Chitrakoot Dham"), ("Chitrakoot", "Chitrakoot Dham"), ("Hamirpur", "Chitrakoot Dham"),
    ("Mahoba", "Chitrakoot Dham"), ("Ayodhya", "Ayodhya"), ("Ambedkar Nagar", "Ayodhya"),
    ("Amethi", "Ayodhya"), ("Barabanki", "Ayodhya"), ("Sultanpur", "Ayodhya"), ("Gonda", "Devipatan"),
    ("Bahraich", "Devipatan"), ("Balrampur", "Devipatan"), ("Shravasti", "Devipatan"),
    ("Gorakhpur", "Gorakhpur"), ("Deoria", "Gorakhpur"), ("Kushinagar", "Gorakhpur"),
    ("Maharajganj", "Gorakhpur"), ("Jhansi", "Jhansi"), ("Jalaun", "Jhansi"), ("Lalitpur", "Jhansi"),
    ("Kanpur Nagar", "Kanpur"), ("Kanpur Dehat", "Kanpur"), ("Etawah", "Kanpur"), ("Auraiya", "Kanpur"),
    ("Farrukhabad", "Kanpur"), ("Kannauj", "Kanpur"), ("Lucknow", "Lucknow"), ("Hardoi", "Lucknow"),
    ("Lakhimpur Kheri", "Lucknow"), ("Raebareli", "Lucknow"), ("Sitapur", "Lucknow"), ("Unnao", "Lucknow"),
    ("Meerut", "Meerut"), ("Baghpat", "Meerut"), ("Bulandshahr", "Meerut"), ("Ghaziabad", "Meerut"),
    ("Gautam Buddh Nagar", "Meerut"), ("Hapur", "Meerut"), ("Mirzapur", "Mirzapur"),
    ("Bhadohi", "Mirzapur"), ("Sonbhadra", "Mirzapur"), ("Moradabad", "Moradabad"), ("Amroha", "Moradabad"),
    ("Bijnor", "Moradabad"), ("Rampur", "Moradabad"), ("Sambhal", "Moradabad"),
    ("Saharanpur", "Saharanpur"), ("Muzaffarnagar", "Saharanpur"), ("Shamli", "Saharanpur"),
    ("Varanasi", "Varanasi"), ("Chandauli", "Varanasi"), ("Ghazipur", "Varanasi"), ("Jaunpur", "Varanasi"),
)


def console(code: str, n: int, now: datetime, *, online: bool = True, ok: bool = True,
            pending: int = 0, heard: bool | None = None) -> BoardConsole:
    seen = now - timedelta(seconds=20 if online else 1800)
    detail = "audio output: Speakers" if heard is None else (
        "test alarm heard, confirmed by A. Singh at 09:10" if heard else "test alarm NOT heard (confirmed by A. Singh)")
    return BoardConsole(
        device_id=f"{code}-console-{n}", device_name=f"{code} control room {n}", user=f"op-{code.lower()}-{n}",
        online=online, last_seen=seen, can_sound=online and ok, audio_ok=ok, audio_checked_at=now - timedelta(hours=1),
        audio_detail=detail, test_heard=heard, pending=pending, app_version="0.9.0",
        test_confirmed_at=None if heard is None else now - timedelta(hours=2, minutes=n * 7),
        test_confirmed_by=None if heard is None else f"SI Operator {code.title()[:4]} {n}",
    )


def district(code: str, name: str, range_name: str | None, now: datetime, *, consoles: int = 3,
             online: int | None = None, sound: int | None = None, waiting_s: float | None = None,
             by_step: dict[str, int] | None = None, escalations: int = 0) -> BoardDistrict:
    online = consoles if online is None else online
    sound = online if sound is None else sound
    # the first console has a test alarm answered: heard, or not heard where none can sound
    cs = tuple(console(code, i, now, online=i < online, ok=i < sound, pending=i,
                       heard=(sound > 0) if i == 0 else None) for i in range(consoles))
    steps = dict(by_step or {})
    if waiting_s is not None:
        steps.setdefault(str(BoardStep.UNACKNOWLEDGED), 1)
    alert = None
    if consoles and online == 0:
        alert = HeartbeatAlert.NO_HEARTBEAT
    elif consoles and sound == 0:
        alert = HeartbeatAlert.CANNOT_SOUND
    return BoardDistrict(
        code=code, name=name, range=range_name, severity="QUIET", open_cases=sum(steps.values()), by_step=steps,
        oldest_unack_at=now - timedelta(seconds=waiting_s) if waiting_s is not None else None,
        consoles=cs, consoles_online=online, consoles_can_sound=min(online, sound),
        alert_kind=str(alert) if alert else None, alert_since=now - timedelta(minutes=30) if alert else None,
        escalations=escalations, escalated_cases=1 if escalations else 0,
        last_escalation_step="2" if escalations else None,
        last_escalation_at=now - timedelta(minutes=3) if escalations else None,
    )


def mailboxes(now: datetime) -> tuple[BoardMailbox, ...]:
    """Two mailboxes: one read a few seconds ago, one whose last run failed after its last good one."""
    return (
        BoardMailbox("alerts@upsmc.example", now - timedelta(seconds=8), now - timedelta(seconds=8), None, None, False),
        BoardMailbox("meta-escalations@upsmc.example", now - timedelta(seconds=40), now - timedelta(minutes=22),
                     "IMAP: connection reset by peer during FETCH", now - timedelta(seconds=40), True),
    )


def up_board(n: int = 75, consoles: int = 200, now: datetime | None = None, *, with_mailboxes: bool = False) -> Board:
    """``n`` districts (UP's, then numbered) with ``consoles`` consoles spread over them; a mix of
    waiting, overdue, silent, mute and quiet districts, deterministic."""
    now = now or datetime.now(UTC)
    rows = []
    names = list(UP_DISTRICTS) + [(f"District {i}", "Extra") for i in range(len(UP_DISTRICTS), n)]
    per = [consoles // n + (1 if i < consoles % n else 0) for i in range(n)]
    for i, (name, range_name) in enumerate(names[:n]):
        code = name.upper().replace(" ", "")[:6] + str(i)
        kw: dict = {"consoles": per[i]}
        if i % 11 == 3:
            kw.update(waiting_s=60 * (12 + i % 7), escalations=2)  # overdue
        elif i % 11 == 5:
            kw.update(waiting_s=95)  # waiting, within the threshold
        elif i % 13 == 7:
            kw.update(online=0)  # no heartbeat
        elif i % 17 == 9:
            kw.update(sound=0)  # cannot sound
        elif i % 19 == 2:
            kw.update(online=0, waiting_s=300)  # critical
        if i % 4 == 1:
            kw["by_step"] = {str(BoardStep.ACKNOWLEDGED): 1, str(BoardStep.DISPATCHED): i % 3}
        rows.append(district(code, name, range_name, now, **kw))
    return Board(as_of=now, presence_timeout_s=180, range=None, ranges=tuple(sorted({r for _, r in names[:n]})),
                 unrouted=1, districts=tuple(rows), mailboxes=mailboxes(now) if with_mailboxes else ())
