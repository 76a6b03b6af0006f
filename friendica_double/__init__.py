"""A stand-in for a Friendica server's Twitter-compatible API (Friendica 2024.08 as recorded).

Entry points: ``friendica_double.app.build_app()`` for an in-process Starlette
app, ``python -m friendica_double`` for a server, and ``friendica_double.seed``
for the sample data and its credentials.
"""
