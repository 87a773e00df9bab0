"""Project-wide pytest set-up: tests run against real PostgreSQL (embedded or DATABASE_URL)."""
