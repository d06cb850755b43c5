from scripted_hq import scripted  # noqa: F401
