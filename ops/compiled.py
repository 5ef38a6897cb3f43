"""Querysets whose SQL is compiled once per worker, for the queries pages run again and again
with only ids changed (an article's, its teasers'). Compiling the ORM's query (its joins,
deferred columns, subqueries) costs several times what the database needs to answer it: for the
article page's article and its bylines and tags, about 2.5 of 3 ms of CPU per request.
"""

from django.db import connections
from django.db.models.query import get_related_populators


class CompiledQuery:
    """``build(*values)``'s SQL, compiled once per database and number of values (and per
    ``key()``, for any other value ``build`` reads from the database, such as a content type's
    id). It is compiled with the placeholders -1, -2, … and run with the values in their place.

    ``build`` must use the values only where models' ids go (never in a slice or an expression
    that changes the SQL), and no other parameter of the query may be a negative number.
    """

    def __init__(self, build, key=lambda: None):
        self.build = build
        self.key = key
        self.compiled = {}

    def compiler(self, count, using):
        """The compiler that made the SQL for ``count`` values (it knows the columns, their
        converters and the models they fill), the SQL and its parameters."""
        key = (using, count, self.key())
        if key not in self.compiled:
            queryset = self.build(*range(-1, -count - 1, -1))
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            self.compiled[key] = compiler, sql, params
        return self.compiled[key]

    def rows(self, *values, using="default"):
        """The query's rows for ``values``, as tuples (converted as the ORM would)."""
        compiler, sql, params = self.compiler(len(values), using)
        placed = {-n: value for n, value in enumerate(values, 1)}
        with connections[using].cursor() as cursor:
            cursor.execute(
                sql, [placed.get(param, param) if is_number(param) else param for param in params]
            )
            fetched = cursor.fetchall()
        return list(compiler.results_iter([fetched], tuple_expected=True))

    def instances(self, *values, using="default"):
        """The query's model instances for ``values``, with what it selects of related models
        and its annotations, as iterating the queryset would give them."""
        compiler, _, _ = self.compiler(len(values), using)
        info, select = compiler.klass_info, compiler.select
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(info, select, using)
        found = []
        for row in self.rows(*values, using=using):
            instance = info["model"].from_db(using, names, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in compiler.annotation_col_map.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found


def is_number(param):
    return isinstance(param, int) and not isinstance(param, bool)
