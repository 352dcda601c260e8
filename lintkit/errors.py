"""The one exception type for user-facing failures."""

from __future__ import annotations


class LintkitError(Exception):
    """A failure the user can act on: bad config, unreadable file, backend down.

    ``where`` names the file (or service), ``cause`` says what is wrong and ``fix``
    (optional) says what to do. ``str()`` gives one line.
    """

    def __init__(self, where: str | None, cause: str, fix: str | None = None) -> None:
        self.where = where
        self.cause = cause
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        text = f"{self.where}: {self.cause}" if self.where else self.cause
        if self.fix:
            text += f" ({self.fix})"
        return text.replace("\n", " ")


class ConfigError(LintkitError):
    """An unknown key or a bad value in a configuration file or on the command line."""


class InputError(LintkitError):
    """A file that cannot be read or decoded."""


class BackendError(LintkitError):
    """A checking backend (LanguageTool) that is missing, down or misbehaving."""


class PackError(LintkitError):
    """A rule pack that cannot be loaded: bad TOML, unknown key, bad pattern."""
