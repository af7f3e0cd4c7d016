"""Operations: metrics, the health/metrics HTTP server, loop-lag and idle watchers."""
