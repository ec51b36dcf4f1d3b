"""``entitlements serve``: the engine over HTTP, for billing systems and help desks not written in Python.

FastAPI on uvicorn (the ``server`` extra), imported only by the ``serve``
command. The layer beside :mod:`entitlements._cli`, on the public API and
the bulk kernel:

- :mod:`.state`: the snapshot a request is answered from (engine, contracts,
  token), replaced whole on a reload;
- :mod:`.answers`: each endpoint's JSON body in, its answer out, item by item;
- :mod:`.arrow`: Arrow IPC bodies, through ``entitlements.bulk``;
- :mod:`.schema`: the bodies' models, for the OpenAPI document;
- :mod:`.metrics`: ``/metrics`` in Prometheus text;
- :mod:`.log`: the decision log, written off the request path;
- :mod:`.app`: the application, its routes and limits;
- :mod:`.run`: uvicorn, the workers, SIGHUP.
"""
