"""Running compiled code: JIT, shared-library export, argument marshalling."""
