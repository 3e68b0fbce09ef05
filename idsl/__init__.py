"""idsl: a compiler for performance-evaluation indicator systems (预算绩效评价指标体系)."""

__version__ = "0.1.0"
