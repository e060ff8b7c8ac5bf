"""Fatal errors that end a command with exit code 2 (usage, configuration, environment)."""


class QbankError(Exception):
    """Shown to the user as one clean line; the CLI exits with code 2."""
