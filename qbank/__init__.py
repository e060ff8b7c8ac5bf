"""qbank: lint, measure and publish exam question banks kept as YAML in git."""

__version__ = "0.1.0"
