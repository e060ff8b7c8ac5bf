"""Load: read files safely, parse YAML with positions, validate against the models."""
