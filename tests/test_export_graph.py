"""The exported encoder graphs: the NaN guards of a scaled-dot-product attention export go, and the
numbers stay the same bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper

from unspun.modelstore import resolve_model_dir


def _guarded_attention(path, guard_users: int = 1) -> None:
    """A tiny attention: softmax(q k^T + mask) v, the softmax followed by the exporter's guard
    ``Where(IsNaN(p), 0, p)``. ``guard_users=2`` makes a second node read the IsNaN too."""
    q = helper.make_tensor_value_info("q", TensorProto.FLOAT, ["b", 4, 8])
    k = helper.make_tensor_value_info("k", TensorProto.FLOAT, ["b", 4, 8])
    v = helper.make_tensor_value_info("v", TensorProto.FLOAT, ["b", 4, 8])
    mask = helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["b", 1, 4])
    out = helper.make_tensor_value_info("out", TensorProto.FLOAT, ["b", 4, 8])
    outputs = [out]
    nodes = [
        helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["q", "kt"], ["scores"]),
        helper.make_node("Add", ["scores", "mask"], ["masked"]),
        helper.make_node("Softmax", ["masked"], ["p"], axis=-1),
        helper.make_node("IsNaN", ["p"], ["nan"]),
        helper.make_node(
            "Constant", [], ["zero"], value=helper.make_tensor("z", TensorProto.FLOAT, [], [0.0])
        ),
        helper.make_node("Where", ["nan", "zero", "p"], ["safe"]),
        helper.make_node("MatMul", ["safe", "v"], ["out"]),
    ]
    if guard_users == 2:
        nodes.append(helper.make_node("Cast", ["nan"], ["nan_count"], to=TensorProto.FLOAT))
        outputs.append(helper.make_tensor_value_info("nan_count", TensorProto.FLOAT, ["b", 4, 4]))
    graph = helper.make_graph(nodes, "attention", [q, k, v, mask], outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def _run(path, feed):
    import onnxruntime as ort

    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, feed)


def test_the_nan_guards_go_and_the_numbers_stay_the_same(tmp_path):
    from unspun.train.export_onnx import drop_nan_guards

    path = tmp_path / "attention.onnx"
    _guarded_attention(path)
    rng = np.random.default_rng(3)
    mask = np.zeros((2, 1, 4), dtype=np.float32)
    mask[1, 0, 2:] = -1e9  # the second row's last two keys are padding
    feed = {
        "q": rng.normal(size=(2, 4, 8)).astype(np.float32),
        "k": rng.normal(size=(2, 4, 8)).astype(np.float32),
        "v": rng.normal(size=(2, 4, 8)).astype(np.float32),
        "mask": mask,
    }
    before = _run(path, feed)
    assert drop_nan_guards(path) == 1
    ops = [node.op_type for node in onnx.load(str(path)).graph.node]
    assert "IsNaN" not in ops and "Where" not in ops
    after = _run(path, feed)
    assert np.array_equal(before[0], after[0])
    assert drop_nan_guards(path) == 0  # nothing left to drop: the file is untouched


def test_a_nan_check_something_else_reads_stays(tmp_path):
    from unspun.train.export_onnx import drop_nan_guards

    path = tmp_path / "attention.onnx"
    _guarded_attention(path, guard_users=2)
    assert drop_nan_guards(path) == 1
    ops = [node.op_type for node in onnx.load(str(path)).graph.node]
    assert "Where" not in ops and ops.count("IsNaN") == 1
    onnx.checker.check_model(onnx.load(str(path)))


def test_the_shipped_technique_encoder_has_no_nan_guards():
    """They cost 45% of its time (``drop_nan_guards``); a re-export must drop them again."""
    graph = onnx.load(str(resolve_model_dir("techniques") / "model.onnx")).graph
    assert not [node.name for node in graph.node if node.op_type == "IsNaN"]
