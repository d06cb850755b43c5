from tests.unit.sync.scripted_hq import scripted  # noqa: F401
