"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's ``RedisCacheClient.get_client()`` makes a new ``redis.Redis`` for every cache call:
~50 µs of Python each (the client copies its ~170 response callbacks into a new dict), as
long as the round trip itself, and a timeline page makes six calls. A client keeps nothing
of its own but its pool, and redis-py clients are safe to share between threads, so one per
pool serves every call. Connections, pools and behaviour are Django's.
"""

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
