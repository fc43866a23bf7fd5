"""Evaluation engine (考核评价): schemes written as TOML become one Polars plan. Never imports Django."""
