"""The `qbank` command line. Commands import their heavy modules only when they run."""
