"""Runs Rasa's prediction graph node after node, without dask's scheduler.

Rasa 3.6 hands every prediction graph (one to parse a message, one for every next-action
prediction: several per message) to `dask.get`, and works out the graph's minimal sub-schema for
the targets each time. The graphs are small chains that run in one thread anyway; profiling a Rasa
server under `make bench-load` put dask's bookkeeping at about a fifth of the time of the graph
runs themselves. Here the order of the nodes is worked out once per set of targets and the nodes
are called in it, each with its parents' outputs exactly as dask passes them.
"""
from __future__ import annotations

from functools import cache
from graphlib import TopologicalSorter
from typing import Any, Dict, List, Optional, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


class SequentialGraphRunner(DaskGraphRunner):
    """A DaskGraphRunner whose run() calls the nodes itself, in a topological order."""

    def run(self, inputs: Optional[Dict[str, Any]] = None, targets: Optional[List[str]] = None) -> Dict[str, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        values: Dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if name in self._graph_schema.nodes:
                raise GraphRunError(f"Input value '{name}' clashes with a node name. Make sure that none of the input names passed to the `run` method are the same as node names in the graph schema.")
            values[name] = (name, value)
        try:
            for node_name, needs in self._plan(run_targets):
                # a parent that nothing provides is passed by name, as dask does (the node then complains)
                values[node_name] = self._instantiated_nodes[node_name](*(values.get(need, need) for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(values[target] for target in run_targets)

    @cache  # noqa: B019 - one runner per loaded model; its plans live as long as it
    def _plan(self, targets: Tuple[str, ...]) -> List[Tuple[str, Tuple[str, ...]]]:
        schema = self._graph_schema.minimal_graph_schema(list(targets))
        needs = {name: tuple(node.needs.values()) for name, node in schema.nodes.items()}
        order = TopologicalSorter({name: [n for n in parents if n in needs] for name, parents in needs.items()}).static_order()
        return [(name, needs[name]) for name in order]
