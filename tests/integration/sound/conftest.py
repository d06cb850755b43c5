"""Sound tests: the private PulseAudio null sink (tests/fixtures/pulse.py) is started for the whole
run by the root conftest, before anything in this process touches QtMultimedia."""
