"""X-Sitrep-Queries: how many SQL queries a request ran, for `make bench`.

Installed only with SITREP_QUERY_COUNT_HEADER=1. Counts through execute wrappers, so it works
with DEBUG off (production settings) where ``connection.queries`` stays empty. Queries run
while a streaming response is being sent come after the header and are not counted.
"""

from contextlib import ExitStack

from django.db import connections

HEADER = "X-Sitrep-Queries"


class QueryCountHeaderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counter))
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
