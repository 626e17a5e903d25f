#!/usr/bin/env bash
# Thin wrapper: the same as './scripts/basilica.sh network ...' (setup, ssh, keys, firewall, test).
#   ./scripts/provision/network.sh setup --env production
#   ./scripts/provision/network.sh test --env production
exec "$(dirname "${BASH_SOURCE[0]}")/../basilica.sh" network "$@"
