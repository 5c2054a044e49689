"""The computation: what a worksheet holds (cells, regions) and what is computed from it (measures,
peers, dynamics, rating). Plain numpy and pandas; no Excel library is imported here, so the same code
runs in every host, Pyodide included."""
