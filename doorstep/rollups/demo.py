"""The demo's history is bulk-inserted: recount the rollups once it is all in (idempotent)."""

from doorstep.core.types import Log

from .services import rollup_rebuild


def load_demo(log: Log) -> None:
    flows, stock, topics = rollup_rebuild()
    log(f"  汇总表：流量 {flows} 行，在办存量 {stock} 行，需求话题 {topics} 行")
