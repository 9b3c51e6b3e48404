import json

import pytest

from tokencalc.cli import main


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys):
    """Run the tokencalc command in-process: cli('factory', '--gw', '1') -> Run(code, out, err)."""

    def run(*args):
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        return Run(exc.value.code, captured.out, captured.err)

    return run
