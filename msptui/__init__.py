"""msptui: the solo MSP technician's terminal companion.

Kept empty on purpose: importing the package must stay cheap, so the pure
modules (`msptui.core.sla`, `msptui.core.rules`) can be used without Textual or the store.
"""

__version__ = "0.1.0"
