"""claimref: a Sphinx extension for an annotated citation reference of claims.

``setup()`` only wires the modules, each with one job:

* :mod:`.config` - the options, validated on ``config-inited``
* :mod:`.model` - claim pages: the ``claim`` header and ``claim-section``
* :mod:`.citations` - the ``fn`` footnote citation role with locators
* :mod:`.quotations` - quotations bound to source passages, checked while reading
* :mod:`.people` - the people registry (``people.yaml``): who made the claims, their offices
* :mod:`.statements` - ``claim-statement``: dated statements of a claim, quoted and verified
* :mod:`.chronology` - the chronology, people index and person pages, generated from the statements
* :mod:`.timeline` - the chronology drawn as SVG, whole and as a strip on each claim page
* :mod:`.indexes` - generated indexes, concordance, sources and source texts
* :mod:`.front` - the front page's theme cards and latest changes
* :mod:`.domain` - the ``claim`` domain: records, merges, cross-references, inventory
* :mod:`.anchors`, :mod:`.redirects` - the anchor manifest; redirect pages for moved anchors
* :mod:`.export` - claims.json / claims.csv with their schema; ClaimReview JSON-LD
* :mod:`.history` - every page's dates: first published, last changed, corrections (changelog, anchor manifest)
* :mod:`.metadata` - Highwire ``citation_*`` and Dublin Core tags; COinS on the Sources page
* :mod:`.fragments` - links to the quoted words in the live source (URL text fragments)
* :mod:`.cite` - Chicago, BibTeX, RIS and CSL-JSON citations of claims and passages
* :mod:`.bibcheck` - references.bib checked before it is parsed
* :mod:`.inputs` - references.bib and sources/ as build inputs
* :mod:`.latex` - what only the PDF needs (footnote marks kept apart)
* :mod:`.htmlwriter` - what only the web pages need (toctree captions with an ARIA level)
* :mod:`.releases` - the changelog's release notes, its Atom feed, the release line of every page
* :mod:`.zenodo` - the frozen copy of a release: its .zenodo.json and its own anchor manifest
* :mod:`.search` - phrase search: the built site indexed by Pagefind
* :mod:`.sticky` - pages that warned are read again on the next build, so a failed check stays failed
* :mod:`.navigation` - Furo's navigation tree computed once per build, not once per page
* :mod:`.stemmer` - the search index's stemmer, remembered across pages
* :mod:`.collector` - the memory of a build: the cycle collector tuned, doctrees freed early
* :mod:`.parallel` - ``-j N``: N workers resolve and write the pages
* :mod:`.smartquotes` - Sphinx's smart quotes, applied only to the text they change
* :mod:`.design` - sphinx-design's HTML transforms, run only on the pages that need them
* :mod:`.highlighting` - the default highlight language given to code blocks without a visitor's walk
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"

#: Bump when the shape of the domain data or the generated output changes.
ENV_VERSION = 6


def setup(app: Sphinx) -> dict[str, Any]:
    # The modules are imported here, not at the top: the checker and scripts import claimref's
    # submodules without loading the whole extension (and Sphinx's builders with it).
    from .bibcheck import setup_bibcheck
    from .census import setup_census
    from .chronology import setup_chronology
    from .citations import setup_citations
    from .cite import setup_cite
    from .collector import setup_collector
    from .config import setup_config
    from .design import setup_design
    from .domain import ClaimDomain
    from .export import setup_export
    from .front import setup_front
    from .highlighting import setup_highlighting
    from .history import setup_history
    from .htmlwriter import setup_htmlwriter
    from .indexes import setup_indexes
    from .inputs import setup_inputs
    from .latex import setup_latex
    from .metadata import setup_metadata
    from .model import setup_model
    from .navigation import setup_navigation
    from .parallel import setup_parallel
    from .quotations import setup_quotations
    from .redirects import setup_redirects
    from .releases import setup_releases
    from .search import setup_search
    from .smartquotes import setup_smartquotes
    from .statements import setup_statements
    from .stemmer import setup_stemmer
    from .sticky import setup_sticky
    from .timeline import setup_timeline
    from .zenodo import setup_zenodo

    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("sphinx_design")
    setup_design(app)
    app.add_domain(ClaimDomain)
    setup_config(app)
    setup_bibcheck(app)
    setup_inputs(app)
    setup_model(app)
    setup_citations(app)
    setup_quotations(app)
    setup_statements(app)
    setup_chronology(app)
    setup_timeline(app)
    setup_indexes(app)
    setup_front(app)
    setup_redirects(app)
    setup_history(app)
    setup_export(app)
    setup_parallel(app)  # before setup_cite: it defines the events the citation files listen to
    setup_cite(app)
    setup_metadata(app)
    setup_sticky(app)
    setup_latex(app)
    setup_htmlwriter(app)
    setup_releases(app)
    setup_zenodo(app)
    setup_search(app)
    setup_navigation(app)
    setup_stemmer(app)
    setup_collector(app)
    setup_smartquotes(app)
    setup_highlighting(app)
    setup_census(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
