"""The Sphinx extension: cards, roles, queries and diagrams of the alignment graph.

``extensions = ["sphinxcontrib_alignsurvey"]`` is enough: with no sources
configured, the bundled graph (two converted surveys plus the curated
vocabularies) is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from ..core.version import __version__

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the domain data's shape changes: Sphinx then re-reads everything.
#: 2: card bodies stored frozen, roles without inner inline; 3: typed keys, every card kept; 4: benchmarks.
ENV_VERSION = 4

#: ``.. align:<name>::`` in the domain, like the roles ``:align:<kind>:``; ``alignment-<name>`` stays an alias.
DIRECTIVE_NAMES = ("method", "challenge", "benchmark", "paper", "survey", "query", "graph")


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    from ..links.confidence import DEFAULT_MIN_CONFIDENCE
    from .directives.card import BenchmarkCard, ChallengeCard, MethodCard, PaperCard, SurveyCard
    from .directives.graph import GraphDirective
    from .directives.query import QUERY_MEMORY_LIMIT, QUERY_TIMEOUT, QueryDirective
    from .directives.report import CitationReport
    from .domain import AlignDomain
    from .events import (
        build_finished,
        builder_inited,
        collector_paced,
        collector_restored,
        env_get_outdated,
        env_get_updated,
        epub_ignore_image_maps,
        plain_text_references,
    )
    from .frozen import ThawCards
    from .graphviz import alignment_graph, resolve_graphs
    from .indices import BenchmarkIndex, ChallengeIndex, MethodIndex, UnwrittenIndexLinks, WorkIndex
    from .records import KINDS
    from .roles import AlignXRefRole

    app.setup_extension("sphinx.ext.graphviz")
    app.add_config_value("alignsurvey_sources", [], "env", types=frozenset({list, tuple, str}))
    app.add_config_value("alignsurvey_endpoint", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("alignsurvey_endpoint_fingerprint", "count", "env", types=frozenset({str}))
    app.add_config_value("alignsurvey_query_timeout", QUERY_TIMEOUT, "env", types=frozenset({int, float}))
    app.add_config_value("alignsurvey_query_memory_limit", QUERY_MEMORY_LIMIT, "env", types=frozenset({int, float}))
    app.add_config_value("alignsurvey_bibtex_file", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("alignsurvey_min_confidence", DEFAULT_MIN_CONFIDENCE, "env", types=frozenset({int, float}))

    # survey Markdown in alignsurvey_sources is converted with these SKOS files added to the bundled
    # vocabularies, or instead of them when alignsurvey_bundled_vocabulary is False
    app.add_config_value("alignsurvey_vocabularies", [], "env", types=frozenset({list, tuple, str}))
    app.add_config_value("alignsurvey_bundled_vocabulary", True, "env", types=frozenset({bool}))
    # the cyclic collector's pace while the project builds (core.collector); changes no output
    app.add_config_value("alignsurvey_moderate_gc", True, "", types=frozenset({bool}))

    app.add_domain(AlignDomain)
    classes = (MethodCard, ChallengeCard, BenchmarkCard, PaperCard, SurveyCard, QueryDirective, GraphDirective)
    for name, cls in zip(DIRECTIVE_NAMES, classes, strict=True):
        app.add_directive_to_domain("align", name, cls)
        app.add_directive(f"alignment-{name}", cls)
    for kind in KINDS:
        app.add_role_to_domain("align", kind, AlignXRefRole(kind))
    for index in (MethodIndex, ChallengeIndex, BenchmarkIndex, WorkIndex):
        app.add_index_to_domain("align", index)
    app.add_directive_to_domain("align", "citation-report", CitationReport)
    app.add_directive("alignment-citation-report", CitationReport)
    skip = (_skip, None)
    app.add_node(alignment_graph, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)

    app.connect("builder-inited", collector_paced, priority=100)  # before the graph is loaded
    app.connect("build-finished", collector_restored, priority=900)
    app.connect("builder-inited", builder_inited, priority=300)  # before sphinxcontrib-bibtex reads .bib files
    app.connect("env-get-outdated", env_get_outdated)
    app.connect("env-get-updated", env_get_updated)
    app.add_post_transform(ThawCards)
    app.add_post_transform(UnwrittenIndexLinks)
    app.connect("doctree-resolved", resolve_graphs)
    app.connect("doctree-resolved", plain_text_references)
    app.connect("build-finished", build_finished)
    app.connect("html-collect-pages", epub_ignore_image_maps)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
