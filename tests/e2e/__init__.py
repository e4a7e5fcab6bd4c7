"""End-to-end tests: whole builds, their files compared or reopened."""
