"""The base layer: what every other layer may use, and which uses nothing above it.

* :mod:`.version` -- the package version;
* :mod:`.namespaces` -- namespaces, IRI minting and :func:`~.namespaces.compact`;
* :mod:`.works` -- work identity (title key, one record per cited work);
* :mod:`.model` -- the typed document model the reader fills;
* :mod:`.diagnostics` -- findings with ``file:line`` and the error base;
* :mod:`.atomic` -- all-or-nothing file writes, our temporaries, stop signals;
* :mod:`.lock`, :mod:`.manifest`, :mod:`.publish` -- one conversion per output folder, switched in as a group;
* :mod:`.progress` -- the steps of a long run, for whoever shows progress;
* :mod:`.formats` -- the RDF serialisation formats the project reads and writes;
* :mod:`.resources` -- where the package's own data lives.

Why a layer of its own: before it, the graph, BibTeX and SPARQL packages
imported each other for these few things, and a function-level import hid a
cycle.  ``tests/test_architecture.py`` fails on any import from here upwards
and on any cycle.
"""
