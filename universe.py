"""
mlc's xDSL universe: its dialects and passes, each behind a lazy factory.

Registered as the `xdsl.universe` entry point `mlc`, so stock `xdsl-opt` runs
mlc passes too. A name clash with xDSL's own universe is an error, which is why
mlc never reuses an xDSL pass name and pins xdsl==0.74.0.
"""

from xdsl.universe import Universe

from mlc.dialects import get_all_dialects
from mlc.passes import get_all_passes

MLC_UNIVERSE = Universe(all_dialects=get_all_dialects(), all_passes=get_all_passes())
