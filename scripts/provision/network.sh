#!/usr/bin/env bash
# Thin wrapper: the same as './scripts/basilica.sh network ...' (the 'network' commands, which act on hosts, come
# with the run/operate work; until then basilica says the command is unknown).
exec "$(dirname "${BASH_SOURCE[0]}")/../basilica.sh" network "$@"
