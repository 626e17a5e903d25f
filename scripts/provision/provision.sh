#!/usr/bin/env bash
# Thin wrapper: the same as './scripts/basilica.sh provision ...'.
exec "$(dirname "${BASH_SOURCE[0]}")/../basilica.sh" provision "$@"
