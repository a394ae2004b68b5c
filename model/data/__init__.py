"""Data files of the model: the history's episodes and the observations (read with importlib.resources)."""
