"""Querysets whose SQL is compiled once per worker, for the queries pages run again and again
with only a few values changed (an article's id or slug, its teasers' ids, the time). Compiling
the ORM's query (its joins, deferred columns, subqueries) costs several times what the database
needs to answer it: for the article page's article and its bylines and tags, about 2.5 of 3 ms
of CPU per request.
"""

import datetime
import functools

from django.conf import settings
from django.db import connections, router
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models.query import get_related_populators

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class CompiledQuery:
    """``build(*values, **shape)``'s SQL, compiled once per database (the one the routers pick
    for reading ``model``), kinds of values, ``shape`` and ``key()`` (any other value ``build``
    reads from the database, such as a content type's id). It is compiled with a placeholder
    for each value and run with the values in their place.

    ``build`` may use the values only as values compared with columns; what changes the SQL,
    such as a slice's bounds, goes in ``shape`` (keyword arguments of ``rows()``, ``sql()`` and
    ``instances()``). No other parameter of the query may look like a placeholder: a negative
    number, a string starting with NUL, a time in 1970's first second.

    At most ``MOST_KEPT`` compilations are kept: a shape readers choose (a page number in the
    URL) cannot fill a worker's memory.

    ``prepared`` queries are planned once per PostgreSQL connection and then only executed: for
    a query with many joins and subqueries, planning costs PostgreSQL several times what
    running it does (the article page's article: 0.3 ms against 0.09). Only for queries whose
    best plan does not depend on the values (a row by its id or slug).
    """

    MOST_KEPT = 200

    def __init__(self, model, build, key=lambda: None, prepared=False):
        self.model = model
        self.build = build
        self.key = key
        self.prepared = prepared
        self.compiled = {}

    def compiler(self, values, using, shape):
        """The compiler that made the SQL for values like ``values`` and this ``shape`` (it
        knows the columns and the models they fill), the SQL, its parameters, where the values
        go among them, and the converters of the columns' values."""
        stand_ins = placeholders(values)
        kinds = tuple(type(stand_in) for stand_in in stand_ins)
        key = (using, kinds, tuple(sorted(shape.items())), self.key())
        if key not in self.compiled:
            compiler = self.build(*stand_ins, **shape).query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            operations = connections[using].ops
            # Where each value goes among the parameters.
            slots = {
                position: n
                for n, stand_in in enumerate(adapted(s, operations) for s in stand_ins)
                for position, param in enumerate(params)
                if isinstance(param, type(stand_in)) and param == stand_in
            }
            columns = [column[0] for column in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(columns)
            if len(self.compiled) >= self.MOST_KEPT:
                self.compiled.popitem()  # the latest: the first, most asked for, stay
            self.compiled[key] = compiler, sql, params, slots, converters
        return self.compiled[key]

    def sql(self, *values, using=None, **shape):
        """The query's SQL and its parameters for ``values``, for a statement around it."""
        using = using or router.db_for_read(self.model)
        _, sql, params, slots, _ = self.compiler(values, using, shape)
        return sql, with_values(params, slots, values, using)

    def rows(self, *values, using=None, **shape):
        """The query's rows for ``values``, as tuples (converted as the ORM would)."""
        using = using or router.db_for_read(self.model)
        compiler, sql, params, slots, converters = self.compiler(values, using, shape)
        params = with_values(params, slots, values, using)
        with self.cursor(connections[using]) as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if converters:
            return [tuple(row) for row in compiler.apply_converters(fetched, converters)]
        return fetched

    def cursor(self, connection):
        if (
            self.prepared
            and connection.vendor == "postgresql"
            and settings.DATABASE_PREPARED_STATEMENTS
        ):
            return prepared_cursor(connection)
        return connection.cursor()

    def instances(self, *values, using=None, **shape):
        """The query's model instances for ``values``, with what it selects of related models
        and its annotations, as iterating the queryset would give them."""
        using = using or router.db_for_read(self.model)
        compiler, *_ = self.compiler(values, using, shape)
        info, select = compiler.klass_info, compiler.select
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(info, select, using)
        found = []
        for row in self.rows(*values, using=using, **shape):
            instance = info["model"].from_db(using, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in compiler.annotation_col_map.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found


def prepared_cursor(connection):
    """A cursor of ``connection`` whose statements psycopg prepares on the server the first
    time and executes by name after that; Django's wrapper around it, so it is counted and
    logged as any query."""
    # As Django's own cursor() does: the first query of a request checks a reused connection.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    # Django turns psycopg's preparing off for the connection (its usual cursors bind values
    # in the client and never prepare); a threshold lets an explicit prepare=True through.
    if connection.connection.prepare_threshold is None:
        connection.connection.prepare_threshold = 5
    connection.validate_thread_sharing()
    cursor = preparing_cursor()(connection.connection)
    if connection.queries_logged:
        return LoggedPreparedCursor(cursor, connection)
    return CursorWrapper(cursor, connection)


@functools.cache
def preparing_cursor():
    """Django's cursor that binds values on the server, preparing every statement it runs
    (imported when first needed: only PostgreSQL has it)."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, **options):
            return super().execute(query, params, prepare=True, **options)

    return PreparingCursor


class LoggedPreparedCursor(CursorDebugWrapper):
    """Logs the SQL with its values in place, as Django's usual cursor does: psycopg keeps no
    text of a statement it executed by name."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


def with_values(params, slots, values, using):
    """The compiled query's parameters with ``values`` in their ``slots``."""
    operations = connections[using].ops
    params = list(params)
    for position, n in slots.items():
        params[position] = adapted(values[n], operations, like=params[position])
    return params


def placeholders(values):
    """A value of the same kind for each of ``values`` (an id, a slug, a time), which no real
    query parameter is."""
    return [placeholder(value, n) for n, value in enumerate(values, 1)]


def placeholder(value, n):
    if isinstance(value, datetime.datetime):
        return EPOCH + datetime.timedelta(microseconds=n)
    if isinstance(value, str):
        return f"\0{n}"
    if isinstance(value, int) and not isinstance(value, bool):
        return -n
    raise TypeError(f"no placeholder for {value!r}: only ids, strings and times")


def adapted(value, operations, like=None):
    """``value`` as the ORM puts it in a query's parameters: SQLite stores times as text, and
    PostgreSQL's integers keep the type the ORM gave the parameter ``like`` (psycopg's Int4
    for an IntegerField)."""
    if isinstance(value, datetime.datetime):
        return operations.adapt_datetimefield_value(value)
    if isinstance(like, int):
        return type(like)(value)
    return value
