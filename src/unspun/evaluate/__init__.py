"""Evaluation: scorers with the official shared tasks' semantics, and the `unspun eval` / `unspun export` tasks.

``unspun.evaluate.semeval`` holds pure scoring functions and readers for the official file formats
(no model, numpy only); ``unspun.evaluate.task_registry`` holds the eval tasks and export formats that
run the model over a directory of articles (imported only when `unspun eval` or `unspun export` runs).
"""
