"""Generate the alarm sounds from first principles (no third-party audio, so no licence question).

    python resources/sounds/make_sounds.py        # rewrites alarm.wav and notify.wav next to this file

``alarm.wav``: a two-tone "hi-lo" siren, 2.0 s, looped by the player. Each half second is a
band-limited square wave (odd harmonics 1-7, which the ear hears as harsh and urgent and small
speakers reproduce better than a pure sine) at 960 Hz then 770 Hz, twice. Every segment holds a
whole number of cycles and starts at phase 0, so segment joins and the loop point are click-free.
Peak is -1 dBFS: the volume ramp in ``ui.alarm.sound`` decides how loud it is.

``notify.wav``: the HQ board's soft notification, 0.9 s, played once (never looped): two sine notes
falling a major third (659 Hz then 523 Hz, E5 to C5), each with a 10 ms attack and an exponential
decay, peak -12 dBFS. A chime that asks for a look, unlike the siren that asks for a life.

The files: RIFF WAVE, 16-bit signed PCM, mono, 48 kHz (what QSoundEffect loads on every platform).
The output is deterministic: running this script again gives a byte-identical file.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE_HZ = 48_000
HERE = Path(__file__).resolve().parent

SIREN_HIGH_HZ = 960
SIREN_LOW_HZ = 770
SIREN_SEGMENT_S = 0.5
SIREN_PEAK_DBFS = -1.0
HARMONICS = (1, 3, 5, 7)


def _square_segment(freq_hz: int, seconds: float, peak: float) -> list[float]:
    n = round(RATE_HZ * seconds)
    if (freq_hz * n) % RATE_HZ:
        raise ValueError("segment must hold a whole number of cycles to join without a click")
    raw = [sum(math.sin(2 * math.pi * h * freq_hz * i / RATE_HZ) / h for h in HARMONICS) for i in range(n)]
    top = max(abs(v) for v in raw)
    return [peak * v / top for v in raw]


def _write(path: Path, samples: list[float]) -> None:
    frames = b"".join(struct.pack("<h", max(-32767, min(32767, round(s * 32767)))) for s in samples)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE_HZ)
        out.writeframes(frames)


def siren() -> list[float]:
    peak = 10 ** (SIREN_PEAK_DBFS / 20)
    high = _square_segment(SIREN_HIGH_HZ, SIREN_SEGMENT_S, peak)
    low = _square_segment(SIREN_LOW_HZ, SIREN_SEGMENT_S, peak)
    return high + low + high + low


NOTIFY_NOTES_HZ = (659, 523)
NOTIFY_NOTE_S = 0.45
NOTIFY_PEAK_DBFS = -12.0
NOTIFY_ATTACK_S = 0.01
NOTIFY_DECAY_PER_S = 7.0


def chime() -> list[float]:
    peak = 10 ** (NOTIFY_PEAK_DBFS / 20)
    out: list[float] = []
    n = round(RATE_HZ * NOTIFY_NOTE_S)
    attack = round(RATE_HZ * NOTIFY_ATTACK_S)
    for freq in NOTIFY_NOTES_HZ:
        for i in range(n):
            t = i / RATE_HZ
            envelope = min(1.0, i / attack) * math.exp(-NOTIFY_DECAY_PER_S * t)
            out.append(peak * envelope * math.sin(2 * math.pi * freq * t))
    return out


def main() -> None:
    _write(HERE / "alarm.wav", siren())
    _write(HERE / "notify.wav", chime())


if __name__ == "__main__":
    main()
