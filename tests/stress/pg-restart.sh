#!/bin/sh
# ho-stress on PostgreSQL with the server restarted while the writers are
# busy: PROGRAM [OPTIONS...] runs ho-stress --postgresql --restart with the
# command that restarts the throw-away cluster ./scripts/test runs ctest in
# (pg_virtualenv). A server named otherwise is not this test's to restart:
# it says so and is skipped (exit 77).
stress=$1
shift
if [ -z "${HO_TEST_PG:-}" ]; then
	echo "skipped: no PostgreSQL server: set HO_TEST_PG, or run ./scripts/test, which starts one"
	exit 77
fi
cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR == 1 { print $1, $2 }')
if [ -z "${PG_CLUSTER_CONF_ROOT:-}" ] || [ -z "$cluster" ]; then
	echo "skipped: the server is not a throw-away cluster this test may restart" \
		"(./scripts/test starts one with pg_virtualenv)"
	exit 77
fi
# Stopped (fast: the clients' connections are cut, as in a crash or a
# failover), then started again once the old server has gone.
restart="pg_ctlcluster $cluster stop -m fast &&
	for i in 1 2 3 4 5 6 7 8 9 10; do pg_ctlcluster $cluster start && exit 0; sleep 1; done; exit 1"
exec "$stress" --postgresql --restart "$restart" "$@"
