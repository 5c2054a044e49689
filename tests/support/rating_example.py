"""The rating tests' main example (test_rating.py's docstring works it by hand): 4 regions, 3 indicators,
one of them "less is better".

    region   out (+)   wage (+)   loss (-)
    A          100        10          2
    B           50        20          4
    C           80        10          1
    D           40         5          8
"""

import pandas as pd

EX = pd.DataFrame(
    {"out": [100.0, 50.0, 80.0, 40.0], "wage": [10.0, 20.0, 10.0, 5.0], "loss": [2.0, 4.0, 1.0, 8.0]},
    index=["A", "B", "C", "D"],
)
DIRS = ["+", "+", "-"]
