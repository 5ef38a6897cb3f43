"""A read replica when DATABASE_REPLICA_URL is set (newsroom/db_router.py); nothing otherwise."""

import dj_database_url

ROUTER = "newsroom.db_router.PrimaryReplicaRouter"
MIDDLEWARE = "newsroom.db_router.ReplicaReadsMiddleware"


def replica_database(url, *, conn_max_age):
    database = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    # A stopped replica host must cost a reader a second at most, never a hung worker.
    database["OPTIONS"] = {**database.get("OPTIONS", {}), "connect_timeout": 1}
    # Tests read the replica alias from the primary's test database.
    database["TEST"] = {"MIRROR": "default"}
    return database


def with_replica_reads(middleware):
    """The middleware list with the replica choice around the page cache and all below it."""
    position = middleware.index("ops.pagecache.PageCacheMiddleware")
    return [*middleware[:position], MIDDLEWARE, *middleware[position:]]
