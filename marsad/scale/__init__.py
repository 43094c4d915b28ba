"""Speed and scale: coding on every core of a machine (a process pool) and on a cluster (Dask).

``marsad.scale.parallel.extract_parallel`` is what ``marsad extract --workers N`` and
``--engine dask`` run; the PostgreSQL backend for many writers is ``marsad.store.postgres``.
Heavy dependencies (dask, distributed, pyarrow, psycopg) are imported only where they are used.
"""
