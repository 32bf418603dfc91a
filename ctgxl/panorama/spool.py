"""The panorama's actions, kept on disk as they come and read back once to be written.

A national panorama has about a million actions: held as Python tuples they would take
gigabytes. Each territory's rows are appended to an anonymous temporary file (``marshal``,
in blocks), which the system removes when it is closed — or when ctgxl is killed.
"""

from __future__ import annotations

import marshal
import struct
import tempfile
from collections.abc import Iterator, Sequence

_LENGTH = struct.Struct("<Q")
BLOCK = 20_000     # rows marshalled together


class RowSpool:
    """Rows appended block by block, read back in the same order (``rows()``)."""

    def __init__(self, folder=None) -> None:
        self._file = tempfile.TemporaryFile(prefix=".ctgxl-", dir=folder)
        self.count = 0

    def extend(self, rows: Sequence[tuple]) -> None:
        for start in range(0, len(rows), BLOCK):
            data = marshal.dumps(list(rows[start:start + BLOCK]))
            self._file.write(_LENGTH.pack(len(data)))
            self._file.write(data)
        self.count += len(rows)

    def blocks(self) -> Iterator[list[tuple]]:
        """The rows, a block at a time, from the first."""
        self._file.flush()
        self._file.seek(0)
        while header := self._file.read(_LENGTH.size):
            (size,) = _LENGTH.unpack(header)
            yield [tuple(row) for row in marshal.loads(self._file.read(size))]

    def rows(self) -> Iterator[tuple]:
        for block in self.blocks():
            yield from block

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
