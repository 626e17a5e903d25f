#!/usr/bin/env bash
# Thin wrapper: the same as './scripts/basilica.sh validate ...', e.g.
#   ./scripts/provision/validate.sh all --env production --verbose --report
#   ./scripts/provision/validate.sh network --env production
exec "$(dirname "${BASH_SOURCE[0]}")/../basilica.sh" validate "$@"
