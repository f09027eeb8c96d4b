"""The reference's checker: every quotation matches its source, every link resolves.

A library with a thin command line (:mod:`.cli`, called by ``scripts/check_references.py``):
:mod:`.collect` gathers quotations and links from the build's environment,
:mod:`.quotes` verifies quotations, :mod:`.links` checks links, :mod:`.report`
writes text, JSON or JUnit.
"""
