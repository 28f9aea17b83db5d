#!/usr/bin/env bash
# Install what is needed, initialise the SQLite database with the curated referential
# (idempotent), build the frontend and serve careerpath in production mode.
source "$(dirname "$0")/bootstrap.sh"
phase "database"
careerpath db init
phase "build and serve"
exec careerpath run "$@"
