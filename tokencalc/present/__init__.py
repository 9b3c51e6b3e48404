"""The presentation floor: the only place that imports rich or matplotlib.

* :mod:`.records`: JSON text of a result's ``to_dict()``;
* :mod:`.console`: writing an answer in one piece, at the terminal's width;
* :mod:`.format`: readable numbers with units, in each parameter's display unit;
* :mod:`.tables`: the table helpers every renderer uses;
* renderers by study: :mod:`.factory`, :mod:`.catalog`, :mod:`.throughput`, :mod:`.compare`,
  :mod:`.finance`, :mod:`.energy`, :mod:`.uncertainty`, :mod:`.claims`;
* :mod:`.csv` and :mod:`.plots`: other formats.
"""
