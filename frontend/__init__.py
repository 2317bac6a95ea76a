"""Importers that build graph-dialect modules from ONNX and PyTorch models."""
