"""Problems as data: :class:`Diagnostic` (a code, a severity, a place, a message, a hint and
facts), the :class:`Diagnostics` sink every stage reports into, the registry of codes
(:mod:`deckgen.diagnostics.codes`) and the renderings at the edge
(:mod:`deckgen.diagnostics.render`)."""

from deckgen.diagnostics.model import (
    Code,
    Diagnostic,
    Diagnostics,
    Kind,
    Severity,
    as_dict,
    from_dict,
    ignored,
)

__all__ = ["Code", "Diagnostic", "Diagnostics", "Kind", "Severity", "as_dict", "from_dict", "ignored"]
