"""Django's ``{% cache %}``, finding its cache without Django's per-request lookup.

``caches[name]`` goes through asgiref's ``Local`` (about 5 µs), and an article page rendered
from its pieces reads six fragments: a twentieth of its CPU (bench/profile_pieces.py). This
tag keeps each thread's handle of a cache (ops.cache_backends.thread_cache) and is otherwise
Django's: the same syntax, keys, timeouts and errors; templates ``{% load fragment_cache %}``
instead of ``{% load cache %}``.
"""

from django.core.cache import InvalidCacheBackendError
from django.core.cache.utils import make_template_fragment_key
from django.template import Library, TemplateSyntaxError, VariableDoesNotExist
from django.templatetags import cache

from ops.cache_backends import thread_cache

register = Library()


class FragmentCacheNode(cache.CacheNode):
    def render(self, context):
        fragment_cache = self.fragment_cache(context)
        expire_time = self.expire_time(context)
        vary_on = [var.resolve(context) for var in self.vary_on]
        cache_key = make_template_fragment_key(self.fragment_name, vary_on)
        value = fragment_cache.get(cache_key)
        if value is None:
            value = self.nodelist.render(context)
            fragment_cache.set(cache_key, value, expire_time)
        return value

    def expire_time(self, context):
        try:
            expire_time = self.expire_time_var.resolve(context)
        except VariableDoesNotExist:
            raise TemplateSyntaxError(
                f'"cache" tag got an unknown variable: {self.expire_time_var.var!r}'
            ) from None
        if expire_time is None:
            return None
        try:
            return int(expire_time)
        except (ValueError, TypeError):
            raise TemplateSyntaxError(
                f'"cache" tag got a non-integer timeout value: {expire_time!r}'
            ) from None

    def fragment_cache(self, context):
        if not self.cache_name:
            try:
                return thread_cache("template_fragments")
            except InvalidCacheBackendError:
                return thread_cache("default")
        try:
            cache_name = self.cache_name.resolve(context)
        except VariableDoesNotExist:
            raise TemplateSyntaxError(
                f'"cache" tag got an unknown variable: {self.cache_name.var!r}'
            ) from None
        try:
            return thread_cache(cache_name)
        except InvalidCacheBackendError:
            raise TemplateSyntaxError(
                f"Invalid cache name specified for cache tag: {cache_name!r}"
            ) from None


@register.tag("cache")
def do_cache(parser, token):
    """Django's ``{% cache %}`` (parsed by Django), rendered by ``FragmentCacheNode``."""
    node = cache.do_cache(parser, token)
    return FragmentCacheNode(
        node.nodelist, node.expire_time_var, node.fragment_name, node.vary_on, node.cache_name
    )
