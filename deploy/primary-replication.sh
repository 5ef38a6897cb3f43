#!/bin/sh
# compose.yaml: the primary lets the replica stream from it (the image allows only local
# replication connections). make stack's own cluster needs no such line: it trusts loopback.
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
