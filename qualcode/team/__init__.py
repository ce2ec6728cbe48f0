"""Team coding: disagreements between coders, merging another coder's project, consensus.

Pure core over the store (no textual, rich or click).
"""
