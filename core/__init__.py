"""What every app shares and that knows no app: no models, and it imports nothing of ours
(an import-linter contract in pyproject.toml holds that)."""
