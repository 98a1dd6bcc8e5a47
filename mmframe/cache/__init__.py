"""The read cache: closed periods kept on disk, each checked by one count before it is served.

See the user guide's cache page for the rule that keeps it exact. :func:`info` lists what a
cache folder holds, :func:`clear` removes it; the store itself is :mod:`mmframe.cache.store`.
"""
