"""The scale-out harness (``make scale``, docs/operations.md "Scale-out test"): two web nodes
and a worker node in network namespaces of their own, one private PostgreSQL and Redis, a
load balancer on loopback, a mixed load, node and database failures, and the checks."""
