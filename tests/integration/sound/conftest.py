"""Sound tests: every test here is marked ``qt`` (tests/conftest.py), so the run starts the private
PulseAudio null sink (tests/fixtures/pulse.py) before anything in this process touches QtMultimedia."""
