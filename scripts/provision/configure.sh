#!/usr/bin/env bash
# Thin wrapper: the same as './scripts/basilica.sh configure ...'.
exec "$(dirname "${BASH_SOURCE[0]}")/../basilica.sh" configure "$@"
