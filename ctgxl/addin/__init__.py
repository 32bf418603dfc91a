"""The Excel add-in: buttons Vérifier, Consolider and Comparer inside Excel.

Each action is a plain function taking an xlwings ``Book`` and returning an
``Outcome`` (a French summary for the user). The functions only convert the
book's cell values into a ``Plan`` (with the reader's header matching and value
normalisation), call the library (validation, comparison, consolidation) and
write the answer back into the book through xlwings' Book API:

- ``verifier.verifier(book)`` — colour faulty cells, refresh « Contrôles »;
- ``consolider.consolider(book, sources)`` — write the « Synthèse »;
- ``comparer.comparer(book, reference, name)`` — write « Différences ».

The same functions run in two ways:

- classic local xlwings (``RunPython`` in Excel with Python installed):
  ``ctgxl.addin.local`` wraps them around ``xw.Book.caller()``;
- the server (``ctgxl serve``, ``ctgxl.addin.server``): a FastAPI app that
  speaks xlwings' remote-interpreter protocol, builds ``xw.Book(json=payload)``
  and returns ``book.json()``, the actions Excel applies; the actions are computed
  in worker processes (``worker``, ``pool``), ``serving`` sets uvicorn's limits.

Nothing here is imported by ctgxl's core or its command line; xlwings is an
optional extra (``pip install -e ".[addin]"``). See ctgxl/guides/addin.md.
"""
