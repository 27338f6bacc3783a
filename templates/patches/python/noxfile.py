"""Local gate: ``nox`` (pip install nox) runs the tests with a coverage floor."""

import nox

nox.options.sessions = ["tests"]

COVERAGE_FLOOR = {{cov_floor}}


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite with coverage; fails under COVERAGE_FLOOR percent."""
{{nox_install}}    session.install("pytest", "pytest-cov")
    session.run(
        "pytest",
        *(session.posargs or ["{{tests_dir}}"]),
        "--cov={{cov_target}}",
        "--cov-report=term-missing",
        f"--cov-fail-under={COVERAGE_FLOOR}",
        env={"PYTHONHASHSEED": "0", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
    )
