from .helpers import photo, world  # noqa: F401 - fixtures of this package's tests
