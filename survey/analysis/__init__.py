"""Pure statistics for pre/post campaign surveys: arrays in, frozen Structs out.

This package imports numpy, scipy and statsmodels only; never the web or database layers.
"""
