#!/usr/bin/env bash
# Thin wrapper: the same as './scripts/basilica.sh manage ...' (deploy, start, stop, restart, status, logs).
#   ./scripts/provision/services.sh deploy production validator
#   ./scripts/provision/services.sh start executor
exec "$(dirname "${BASH_SOURCE[0]}")/../basilica.sh" manage "$@"
