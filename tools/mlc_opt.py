"""`mlc-opt`: mlc's modular optimizer driver (minimal; being extended)."""

import sys

from xdsl.universe import XDSL_UNIVERSE  # pyright: ignore
from xdsl.xdsl_opt_main import xDSLOptMain

from mlc.universe import MLC_UNIVERSE


class MlcOptMain(xDSLOptMain):
    version_format = "mlc-opt (mlc) built on xDSL {xdsl_version}"

    def register_all_dialects(self) -> None:
        for universe in (XDSL_UNIVERSE, MLC_UNIVERSE):
            for name, factory in universe.all_dialects.items():
                self.ctx.register_dialect(name, factory)

    def register_all_passes(self) -> None:
        for universe in (XDSL_UNIVERSE, MLC_UNIVERSE):
            for name, factory in universe.all_passes.items():
                self.register_pass(name, factory)


def main() -> None:
    MlcOptMain(description="mlc modular optimizer driver").run()
    sys.exit(0)


if __name__ == "__main__":
    main()
