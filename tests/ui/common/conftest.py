"""The sync status test runs against the sync tests' throw-away team server."""

from tests.sync.conftest import device, server, team

__all__ = ["device", "server", "team"]
