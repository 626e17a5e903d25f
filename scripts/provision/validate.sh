#!/usr/bin/env bash
# Thin wrapper: the same as './scripts/basilica.sh validate ...' (the live checks: all, network, services,
# security, workflow, performance).
#   ./scripts/provision/validate.sh all --env production --verbose --report
exec "$(dirname "${BASH_SOURCE[0]}")/../basilica.sh" validate "$@"
