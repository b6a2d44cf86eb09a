"""Permission Assist API emulator: a real HTTP server implementing the documented API, for demos and tests."""

from pa_emulator.emulator import Emulator

__all__ = ["Emulator"]
